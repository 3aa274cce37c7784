package checks

import (
	"testing"

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
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, UTF16LE(tc.in), "%q", tc.in)
	}
	assert.Equal(t, RegValue{Type: RegSZ, Data: []byte{'o', 0, 'k', 0, 0, 0}}, StringValue(RegSZ, "ok"))
}
