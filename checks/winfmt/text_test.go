package winfmt

import (
	"errors"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, ""},
		{"utf16le bom crlf", utf16File("a=1\nb=é€😀\n"), "a=1\nb=é€😀\n"},
		{"utf16le no bom", utf16File("Node,Name\n")[2:], "Node,Name\n"},
		{"utf16be bom", []byte{0xFE, 0xFF, 0, 'h', 0, 'i', 0, '\r', 0, '\n'}, "hi\n"},
		{"utf8 bom", utf8BOMFile("Grüße\n"), "Grüße\n"},
		{"utf8 no bom", []byte("Grüße\r\nx"), "Grüße\nx"},
		{"ansi 1252", []byte{'T', 0xE9, 'c', 0x80, '\r', '\n', 0x9C}, "Téc€\nœ"},
		{"lone cr", []byte("a\rb\r\rc\r"), "a\nb\n\nc\n"},
		{"cr cr lf is two", []byte("a\r\r\nb"), "a\n\nb"},
		{"surrogate pair", []byte{0xFF, 0xFE, 0x3D, 0xD8, 0x00, 0xDE}, "😀"},
		{"bad utf8 after bom", []byte{0xEF, 0xBB, 0xBF, 'a', 0xFF, 'b'}, "a\uFFFDb"},
		{"bom only", []byte{0xFF, 0xFE}, ""},
		{"one trailing nul dropped", []byte{0xFF, 0xFE, 'a', 0, 0, 0}, "a"},
		{"one trailing nul dropped (ansi)", []byte("abc\r\n\x00"), "abc\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeText("f", tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDecodeTextDoesNotModifyInput(t *testing.T) {
	in := []byte("a\r\nb")
	_, err := DecodeText("f", in)
	require.NoError(t, err)
	assert.Equal(t, "a\r\nb", string(in))
}

// Text no Windows tool writes is refused with its line, never repaired:
// a replaced character or a dropped NUL run could change what a check reads.
func TestDecodeTextRefusesDamagedText(t *testing.T) {
	zeros := make([]byte, 20<<10)
	tests := []struct {
		name string
		in   []byte
		line int
		msg  string
	}{
		{"unpaired high surrogate", []byte{0xFF, 0xFE, 0x3D, 0xD8, 'x', 0}, 1, "unpaired surrogate"},
		{"unpaired low surrogate on line 2", []byte{0xFF, 0xFE, 'a', 0, '\r', 0, '\n', 0, 0x00, 0xDC}, 2, "unpaired surrogate"},
		{"high surrogate at end", []byte{0xFF, 0xFE, 'x', 0, 0x3D, 0xD8}, 1, "unpaired surrogate"},
		{"zero-filled file", zeros, 1, "NUL character"},
		{"bom then zeros", append([]byte{0xFF, 0xFE}, zeros...), 1, "NUL character"},
		{"nul inside utf-16 text", utf16File("[Unicode]\nUnicode=yes\n\x00\x00[Version]\n"), 3, "NUL character"},
		{"nul inside ansi text", []byte("a\r\nb\x00c\r\n"), 2, "NUL character"},
		{"two trailing nuls", []byte("abc\r\ndef\x00\x00"), 2, "NUL character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeText("x.inf", tc.in)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%v", err)
			assert.Equal(t, "x.inf", pe.File)
			assert.Equal(t, tc.line, pe.Line, err.Error())
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestDecodeTextErrors(t *testing.T) {
	for name, in := range map[string][]byte{
		"odd with bom":    {0xFF, 0xFE, 'a', 0, 'b'},
		"odd be with bom": {0xFE, 0xFF, 0, 'a', 0},
		"odd no bom":      {'a', 0, 'b', 0, 'c'},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeText("odd.reg", in)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%v", err)
			assert.Equal(t, "odd.reg", pe.File)
			assert.Equal(t, 0, pe.Line)
			assert.Equal(t, "odd.reg: invalid UTF-16 text: odd number of bytes", pe.Error())
		})
	}
}

// normalizeEOLReference is normalizeEOL's rule byte by byte:
// FuzzNormalizeEOL holds the run-copying version to it.
func normalizeEOLReference(b []byte, collapseCR bool) []byte {
	var out []byte
	for r := 0; r < len(b); r++ {
		if b[r] != '\r' {
			out = append(out, b[r])
			continue
		}
		j := r + 1
		if collapseCR {
			for j < len(b) && b[j] == '\r' {
				j++
			}
		}
		if j < len(b) && b[j] == '\n' {
			r = j - 1
			continue
		}
		out = append(out, '\n')
	}
	return out
}

func FuzzNormalizeEOL(f *testing.F) {
	for _, s := range []string{"", "a", "\r", "\r\n", "a\r\r\nb\rc", "\r\r\r", "x\r\r\n\r\n\ry", "\n\r\n\r"} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, b []byte, collapse bool) {
		want := normalizeEOLReference(b, collapse)
		got := normalizeEOL(append([]byte(nil), b...), collapse)
		if string(got) != string(want) {
			t.Fatalf("normalizeEOL(%q, %v) = %q, want %q", b, collapse, got, want)
		}
	})
}

// decodeUTF16Reference is decodeUTF16's rule one code unit at a time:
// FuzzDecodeUTF16 holds the version with the four-unit ASCII path to it.
func decodeUTF16Reference(b []byte, bigEndian bool) ([]byte, bool) {
	if len(b)%2 != 0 {
		return nil, false
	}
	lo, hi := 0, 1
	if bigEndian {
		lo, hi = 1, 0
	}
	var out []byte
	for i := 0; i < len(b); i += 2 {
		u := rune(b[i+lo]) | rune(b[i+hi])<<8
		if utf16.IsSurrogate(u) {
			if u < 0xDC00 && i+3 < len(b) {
				u2 := rune(b[i+2+lo]) | rune(b[i+2+hi])<<8
				if u2 >= 0xDC00 && u2 < 0xE000 {
					out = utf8.AppendRune(out, utf16.DecodeRune(u, u2))
					i += 2
					continue
				}
			}
			return nil, false
		}
		out = utf8.AppendRune(out, u)
	}
	return out, true
}

func FuzzDecodeUTF16(f *testing.F) {
	f.Add([]byte("a\x00b\x00c\x00d\x00e\x00"), false)
	f.Add([]byte("a\x00b\x00c\x00\xe9\x00e\x00f\x00g\x00h\x00i\x00"), false)
	f.Add([]byte("a\x00b\x00c\x00d\x00\x3d\xd8\x00\xde"), false)
	f.Add([]byte("a\x00b\x00c\x00d\x00\x3d\xd8"), false)
	f.Add([]byte("\x00a\x00b\x00c\x00d"), true)
	f.Fuzz(func(t *testing.T, b []byte, bigEndian bool) {
		want, ok := decodeUTF16Reference(b, bigEndian)
		got, err := decodeUTF16("f", b, bigEndian)
		if ok != (err == nil) {
			t.Fatalf("decodeUTF16(% x): error %v, reference ok %v", b, err, ok)
		}
		if ok && string(got) != string(want) {
			t.Fatalf("decodeUTF16(% x) = %q, want %q", b, got, want)
		}
	})
}
