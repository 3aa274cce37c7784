package winfmt

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"medharden/checks"
)

// cp1252 maps each ANSI byte to its rune; a table keeps decoding free of
// per-byte calls into x/text.
var cp1252 [256]rune

func init() {
	for i := range cp1252 {
		cp1252[i] = charmap.Windows1252.DecodeByte(byte(i))
	}
}

// DecodeText decodes bytes written by Windows tools into a string with "\n"
// line ends. It accepts UTF-16LE with or without BOM, UTF-16BE with BOM,
// UTF-8 with or without BOM, and otherwise takes the bytes as ANSI
// (Windows-1252). The result is always valid UTF-8.
//
// Text that no Windows tool writes is refused with the file and line: an
// unpaired UTF-16 surrogate, and a NUL character anywhere but as the very
// last character (some tools end a file with one). A zero-filled file, the
// usual remains of a copy cut short, is therefore an error, not empty text.
func DecodeText(name string, b []byte) (string, error) {
	buf, err := decodeBytes(name, b)
	if err != nil {
		return "", err
	}
	return string(normalizeEOL(buf, false)), nil
}

// decodeBytes returns freshly allocated UTF-8 (never aliasing b), so that
// line ends can be rewritten in place.
func decodeBytes(name string, b []byte) ([]byte, error) {
	out, err := decodeRaw(name, b)
	if err != nil {
		return nil, err
	}
	if n := len(out); n > 0 && out[n-1] == 0 {
		out = out[:n-1]
	}
	if i := bytes.IndexByte(out, 0); i >= 0 {
		return nil, perr(name, lineAt(out, i), "NUL character in text: the file is damaged (zero-filled or cut short)")
	}
	return out, nil
}

// lineAt is the 1-based line of byte i of decoded text.
func lineAt(b []byte, i int) int {
	return 1 + bytes.Count(b[:i], []byte{'\n'}) + bytes.Count(b[:i], []byte{'\r'}) - bytes.Count(b[:i], []byte("\r\n"))
}

func decodeRaw(name string, b []byte) ([]byte, error) {
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return decodeUTF16(name, b[2:], false)
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		return decodeUTF16(name, b[2:], true)
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF:
		b = b[3:]
		if !utf8.Valid(b) {
			return []byte(strings.ToValidUTF8(string(b), "\uFFFD")), nil
		}
		return append([]byte(nil), b...), nil
	case looksUTF16LE(b):
		return decodeUTF16(name, b, false)
	case utf8.Valid(b):
		return append([]byte(nil), b...), nil
	}
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		if c < 0x80 {
			out = append(out, c)
		} else {
			out = utf8.AppendRune(out, cp1252[c])
		}
	}
	return out, nil
}

// looksUTF16LE spots UTF-16LE without a BOM (some tools drop it): text that
// is mostly ASCII has a NUL in nearly every odd byte.
func looksUTF16LE(b []byte) bool {
	n := len(b) / 2
	if n == 0 {
		return false
	}
	if n > 4096 {
		n = 4096
	}
	zOdd, zEven := 0, 0
	for i := 0; i < n; i++ {
		if b[2*i+1] == 0 {
			zOdd++
		}
		if b[2*i] == 0 {
			zEven++
		}
	}
	return zOdd*2 >= n && zOdd > zEven
}

func decodeUTF16(name string, b []byte, bigEndian bool) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, perr(name, 0, "invalid UTF-16 text: odd number of bytes")
	}
	lo, hi := 0, 1
	if bigEndian {
		lo, hi = 1, 0
	}
	out := make([]byte, 0, len(b)/2+16)
	for i := 0; i < len(b); i += 2 {
		// Four ASCII code units at a time: nearly all of any export.
		for !bigEndian && i+8 <= len(b) {
			v := binary.LittleEndian.Uint64(b[i:])
			if v&0xFF80FF80FF80FF80 != 0 {
				break
			}
			out = append(out, byte(v), byte(v>>16), byte(v>>32), byte(v>>48))
			i += 8
		}
		if i >= len(b) {
			break
		}
		u := rune(b[i+lo]) | rune(b[i+hi])<<8
		if u < utf8.RuneSelf {
			out = append(out, byte(u))
			continue
		}
		if utf16.IsSurrogate(u) {
			if u < 0xDC00 && i+3 < len(b) {
				u2 := rune(b[i+2+lo]) | rune(b[i+2+hi])<<8
				if u2 >= 0xDC00 && u2 < 0xE000 {
					out = utf8.AppendRune(out, utf16.DecodeRune(u, u2))
					i += 2
					continue
				}
			}
			return nil, perr(name, lineAt(out, len(out)), "invalid UTF-16 text: unpaired surrogate")
		}
		out = utf8.AppendRune(out, u)
	}
	return out, nil
}

// normalizeEOL turns CRLF and lone CR into LF, in place. With collapseCR a
// run of CRs before an LF is one line end: wmic's console redirection
// writes CR CR LF.
func normalizeEOL(b []byte, collapseCR bool) []byte {
	i := bytes.IndexByte(b, '\r')
	if i < 0 {
		return b
	}
	// Runs between CRs are moved with copy, not byte by byte: nearly every
	// line of a Windows file ends in one.
	w, r := i, i
	for r < len(b) {
		// b[r] is a CR.
		j := r + 1
		if collapseCR {
			for j < len(b) && b[j] == '\r' {
				j++
			}
		}
		if j < len(b) && b[j] == '\n' {
			r = j // the LF starts the next run
		} else {
			b[w] = '\n'
			w++
			r++
		}
		k := bytes.IndexByte(b[r:], '\r')
		if k < 0 {
			k = len(b) - r
		}
		w += copy(b[w:], b[r:r+k])
		r += k
	}
	return b[:w]
}

// UTF16File encodes text as UTF-16LE with a byte order mark, as regedit,
// secedit and wmic write their files (line ends are the caller's).
func UTF16File(s string) []byte {
	return append([]byte{0xFF, 0xFE}, checks.UTF16LE(s)...)
}

// lineReader hands out the lines of a decoded text with their numbers.
type lineReader struct {
	s   string
	pos int
	n   int
}

func (l *lineReader) next() (string, int, bool) {
	if l.pos >= len(l.s) {
		return "", l.n, false
	}
	l.n++
	rest := l.s[l.pos:]
	i := strings.IndexByte(rest, '\n')
	if i < 0 {
		l.pos = len(l.s)
		return rest, l.n, true
	}
	l.pos += i + 1
	return rest[:i], l.n, true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

func trimLeftWS(s string) string {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return s[i:]
}

func trimRightWS(s string) string {
	i := len(s)
	for i > 0 && isSpace(s[i-1]) {
		i--
	}
	return s[:i]
}

func trimWS(s string) string { return trimLeftWS(trimRightWS(s)) }
