package checks

import (
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
)

// The expected bytes are written out by hand from the UTF-16 rules, not
// produced by another encoder.
func TestUTF16LE(t *testing.T) {
	tests := []struct {
		in   string
		want []byte
	}{
		{"", []byte{}},
		{"A", []byte{'A', 0}},
		{"é€", []byte{0xE9, 0x00, 0xAC, 0x20}},
		{"😀", []byte{0x3D, 0xD8, 0x00, 0xDE}}, // U+1F600 as a surrogate pair
		{"a\r\nb", []byte{'a', 0, '\r', 0, '\n', 0, 'b', 0}},
		{"\xff", []byte{0xFD, 0xFF}},                                 // invalid UTF-8: U+FFFD
		{"\xed\xa0\x80", []byte{0xFD, 0xFF, 0xFD, 0xFF, 0xFD, 0xFF}}, // an encoded surrogate is three bad bytes
		{"\U0010FFFF", []byte{0xFF, 0xDB, 0xFF, 0xDF}},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, UTF16LE(tc.in), "%q", tc.in)
	}
	assert.Equal(t, RegValue{Type: RegSZ, Data: []byte{'o', 0, 'k', 0, 0, 0}}, StringValue(RegSZ, "ok"))
}

// FuzzUTF16LE: the one-pass encoder gives the bytes of the standard
// library's rune-by-rune encoding, with one allocation.
func FuzzUTF16LE(f *testing.F) {
	for _, s := range []string{"", "A", "é€", "😀", "\xff\xfe", "\xed\xa0\x80", "a\x00b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u := utf16.Encode([]rune(s))
		want := make([]byte, 0, 2*len(u))
		for _, c := range u {
			want = append(want, byte(c), byte(c>>8))
		}
		assert.Equal(t, want, UTF16LE(s))
		assert.Equal(t, append(want, 0, 0), StringValue(RegSZ, s).Data)
	})
}
