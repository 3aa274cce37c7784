package winfmt

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"medharden/checks"
)

// regMaxHexChars is where regedit wraps hex data (see WriteReg).
const regMaxHexChars = 77

// WriteReg writes f as regedit does: REGEDIT5, UTF-16LE with BOM, CRLF.
// f.Version is ignored (REGEDIT5 holds every value exactly). REG_SZ data
// that a quoted string cannot carry (no terminating NUL, inner NULs, line
// breaks, odd length) is written as hex(1) so that nothing is lost, and a
// REG_DWORD that is not 4 bytes as hex(4). ParseReg reads back the same
// keys and values.
func WriteReg(w io.Writer, f *RegFile) error {
	var b strings.Builder
	b.WriteString(regHeader5 + "\r\n\r\n")
	for ki := range f.Keys {
		k := &f.Keys[ki]
		if err := checkRegKey(k); err != nil {
			return err
		}
		b.WriteByte('[')
		if k.Delete {
			b.WriteByte('-')
		}
		b.WriteString(k.Path)
		b.WriteString("]\r\n")
		for vi := range k.Values {
			if err := writeRegValue(&b, &k.Values[vi]); err != nil {
				return fmt.Errorf("key %q: %w", k.Path, err)
			}
		}
		b.WriteString("\r\n")
	}
	_, err := w.Write(UTF16File(b.String()))
	return err
}

func checkRegKey(k *RegKey) error {
	switch {
	case k.Path == "":
		return errors.New("winfmt: empty registry key path")
	case !utf8.ValidString(k.Path) || strings.ContainsAny(k.Path, "\r\n"):
		return fmt.Errorf("winfmt: key path %q cannot be written to a .reg file", k.Path)
	case !k.Delete && k.Path[0] == '-':
		// "[-X]" would read back as a deletion.
		return fmt.Errorf("winfmt: key path %q starts with '-'", k.Path)
	}
	return nil
}

func writeRegValue(b *strings.Builder, e *RegEntry) error {
	if !utf8.ValidString(e.Name) || strings.ContainsAny(e.Name, "\r\n") {
		return fmt.Errorf("winfmt: value name %q cannot be written to a .reg file", e.Name)
	}
	var lineLen int
	if e.Name == "" {
		b.WriteString("@=")
		lineLen = 1 // regedit counts "@=" as 1 when wrapping
	} else {
		start := b.Len()
		b.WriteByte('"')
		writeRegEscaped(b, e.Name)
		b.WriteString(`"=`)
		lineLen = utf16Len(b.String()[start:])
	}
	if e.Delete {
		b.WriteString("-\r\n")
		return nil
	}
	v := e.Value
	if v.Type == checks.RegSZ {
		if s, ok := cleanSZ(v.Data); ok {
			b.WriteByte('"')
			writeRegEscaped(b, s)
			b.WriteString("\"\r\n")
			return nil
		}
	}
	if v.Type == checks.RegDWORD && len(v.Data) == 4 {
		n, _ := v.Uint64()
		fmt.Fprintf(b, "dword:%08x\r\n", n)
		return nil
	}
	prefix := "hex:"
	if v.Type != checks.RegBinary {
		prefix = "hex(" + strconv.FormatUint(uint64(v.Type), 16) + "):"
	}
	b.WriteString(prefix)
	lineLen += len(prefix)
	// Same wrapping as regedit: after each "xx," add 3; at 77 or more
	// break with ",\" and indent the next line by two spaces.
	const digits = "0123456789abcdef"
	for i, c := range v.Data {
		b.WriteByte(digits[c>>4])
		b.WriteByte(digits[c&15])
		if i == len(v.Data)-1 {
			break
		}
		b.WriteByte(',')
		lineLen += 3
		if lineLen >= regMaxHexChars {
			b.WriteString("\\\r\n  ")
			lineLen = 2
		}
	}
	b.WriteString("\r\n")
	return nil
}

func writeRegEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' || c == '"' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n++
		}
		n++
	}
	return n
}

// cleanSZ returns the text of REG_SZ data when a quoted string written to
// a .reg file reads back as exactly the same bytes.
func cleanSZ(d []byte) (string, bool) {
	if len(d) < 2 || len(d)%2 != 0 || d[len(d)-1] != 0 || d[len(d)-2] != 0 {
		return "", false
	}
	n := len(d)/2 - 1
	var sb strings.Builder
	sb.Grow(n)
	for i := 0; i < n; i++ {
		u := rune(d[2*i]) | rune(d[2*i+1])<<8
		switch {
		case u == 0 || u == '\r' || u == '\n':
			return "", false
		case utf16.IsSurrogate(u):
			if u >= 0xDC00 || i+1 >= n {
				return "", false
			}
			u2 := rune(d[2*i+2]) | rune(d[2*i+3])<<8
			if u2 < 0xDC00 || u2 >= 0xE000 {
				return "", false
			}
			sb.WriteRune(utf16.DecodeRune(u, u2))
			i++
		default:
			sb.WriteRune(u)
		}
	}
	return sb.String(), true
}
