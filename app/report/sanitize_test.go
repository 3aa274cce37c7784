package report

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ICU-CS01", "ICU-CS01"},
		{"a\tb\nc\r\nd", "a\tb\nc\r\nd"},
		{"\x1b[2J\x1b]0;pwned\x07", `\x1b[2J\x1b]0;pwned\x07`},
		{"over\rwrite", `over\x0dwrite`},
		{"end\r", `end\x0d`},
		{"del\x7f", `del\u007f`},
		{"csi\u009b2J", `csi\u009b2J`},
		{"rtl\u202eexe.txt", `rtl\u202eexe.txt`},
		{"bad\xffbyte", "bad\ufffdbyte"},
		{"Müller Straße 東京", "Müller Straße 東京"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, Sanitize(tc.in))
		})
	}
}

func TestSafeWriterSplitsAndJSON(t *testing.T) {
	in := "host \x1b[2J é\r\n東\u009b\r"
	for cut := 0; cut <= len(in); cut++ {
		var out bytes.Buffer
		w := NewSafeWriter(&out)
		n, err := w.Write([]byte(in[:cut]))
		require.NoError(t, err)
		assert.Equal(t, cut, n)
		_, err = w.Write([]byte(in[cut:]))
		require.NoError(t, err)
		require.NoError(t, w.Flush())
		assert.Equal(t, Sanitize(in), out.String(), "cut at %d", cut)
	}

	// JSON keeps its meaning: what the writer escapes is a JSON escape.
	b, err := json.Marshal(map[string]string{"host": "a\x1b\x7f\u009b\u202eb"})
	require.NoError(t, err)
	var out bytes.Buffer
	w := NewSafeWriter(&out)
	_, err = w.Write(b)
	require.NoError(t, err)
	require.NoError(t, w.Flush())
	var back map[string]string
	require.NoError(t, json.Unmarshal(out.Bytes(), &back), out.String())
	assert.Equal(t, "a\x1b\x7f\u009b\u202eb", back["host"])
	assert.NotContains(t, out.String(), "\x7f")
}

// FuzzSanitize: nothing that can drive a terminal survives, the output is
// valid UTF-8, and SafeWriter gives the same text however the input is cut.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[2J", "a\r\nb\rc", "\u009b1m", "\xe6\x9d", "é\t\n"} {
		f.Add(s, uint8(1))
	}
	f.Fuzz(func(t *testing.T, s string, cut uint8) {
		got := Sanitize(s)
		assert.True(t, utf8.ValidString(got))
		for i, r := range got {
			switch {
			case r == '\r':
				assert.True(t, i+1 < len(got) && got[i+1] == '\n', "lone CR in %q", got)
			case r == '\n' || r == '\t':
			default:
				_, bad := escapeRune(r)
				assert.False(t, bad, "%U in %q", r, got)
			}
		}
		c := int(cut) % (len(s) + 1)
		var out bytes.Buffer
		w := NewSafeWriter(&out)
		_, _ = w.Write([]byte(s[:c]))
		_, _ = w.Write([]byte(s[c:]))
		require.NoError(t, w.Flush())
		assert.Equal(t, got, out.String())
	})
}
