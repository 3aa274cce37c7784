package winfmt

import (
	"errors"
	"testing"

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
		{"unpaired high surrogate", []byte{0xFF, 0xFE, 0x3D, 0xD8, 'x', 0}, "\uFFFDx"},
		{"unpaired low surrogate", []byte{0xFF, 0xFE, 0x00, 0xDC}, "\uFFFD"},
		{"high surrogate at end", []byte{0xFF, 0xFE, 'x', 0, 0x3D, 0xD8}, "x\uFFFD"},
		{"bad utf8 after bom", []byte{0xEF, 0xBB, 0xBF, 'a', 0xFF, 'b'}, "a\uFFFDb"},
		{"bom only", []byte{0xFF, 0xFE}, ""},
		{"nul kept", []byte{0xFF, 0xFE, 'a', 0, 0, 0}, "a\x00"},
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
