package winfmt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"medharden/checks"
)

// INF is a security template as secedit /export writes it.
type INF struct {
	Sections []INFSection
}

// INFSection is one [Section]. A section name that appears twice is read
// as one section, as the setup API does. A key that appears twice in a
// section with different values is an error: Windows reads the first
// (GetPrivateProfileString, SetupFindFirstLine), other readers the last,
// and a verdict must not depend on which. Repeats with the same value are
// harmless and kept.
type INFSection struct {
	Name    string
	Line    int
	Entries []INFEntry
}

// INFEntry is one "Key = Value" line, both trimmed; Value keeps any quotes
// as written.
type INFEntry struct {
	Key, Value string
	Line       int
}

// ParseINF parses a secedit security template. Comments are whole lines
// starting with ';'; a ';' inside a value is part of the value.
func ParseINF(name string, b []byte) (*INF, error) {
	if len(b) == 0 {
		return nil, perr(name, 0, "empty file")
	}
	text, err := DecodeText(name, b)
	if err != nil {
		return nil, err
	}
	f := &INF{}
	ls := lineReader{s: text}
	cur := -1
	index := make(map[string]int)     // lower-case name -> section
	seen := make(map[string]INFEntry) // lower-case section NUL lower-case key -> first entry
	for {
		line, n, ok := ls.next()
		if !ok {
			break
		}
		s := trimWS(line)
		if s == "" || s[0] == ';' {
			continue
		}
		if s[0] == '[' {
			if len(s) < 2 || s[len(s)-1] != ']' {
				return nil, perr(name, n, "section name without closing ']'")
			}
			sec := trimWS(s[1 : len(s)-1])
			if sec == "" {
				return nil, perr(name, n, "empty section name")
			}
			i, seen := index[strings.ToLower(sec)]
			if !seen {
				i = len(f.Sections)
				index[strings.ToLower(sec)] = i
				f.Sections = append(f.Sections, INFSection{Name: sec, Line: n})
			}
			cur = i
			continue
		}
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return nil, perr(name, n, "expected [Section], key = value or ;comment")
		}
		if cur < 0 {
			return nil, perr(name, n, "entry before the first [Section]")
		}
		key := trimRightWS(s[:eq])
		if key == "" {
			return nil, perr(name, n, "missing key before '='")
		}
		sec := &f.Sections[cur]
		e := INFEntry{Key: key, Value: trimLeftWS(s[eq+1:]), Line: n}
		id := strings.ToLower(sec.Name) + "\x00" + strings.ToLower(key)
		if first, dup := seen[id]; dup {
			if first.Value != e.Value {
				return nil, perr(name, n, fmt.Sprintf("[%s] %s is set again with a different value (first on line %d)", sec.Name, key, first.Line))
			}
			continue
		}
		seen[id] = e
		sec.Entries = append(sec.Entries, e)
	}
	return f, nil
}

// Section returns the named section (case-insensitive) or nil.
func (f *INF) Section(name string) *INFSection {
	for i := range f.Sections {
		if strings.EqualFold(f.Sections[i].Name, name) {
			return &f.Sections[i]
		}
	}
	return nil
}

// Get returns the value of key in section, both case-insensitive. When a
// key repeats, the first one counts, as secedit reads it.
func (f *INF) Get(section, key string) (string, bool) {
	s := f.Section(section)
	if s == nil {
		return "", false
	}
	for _, e := range s.Entries {
		if strings.EqualFold(e.Key, key) {
			return e.Value, true
		}
	}
	return "", false
}

// infTightSections are the sections secedit writes as "Key=Value"; it
// writes the others as "Key = Value".
var infTightSections = map[string]bool{"unicode": true, "version": true, "registry values": true}

// WriteINF writes f as secedit does: UTF-16LE with BOM, CRLF, no blank
// lines. It refuses text that would read back differently.
func WriteINF(w io.Writer, f *INF) error {
	var b strings.Builder
	for _, s := range f.Sections {
		if s.Name == "" || trimWS(s.Name) != s.Name || !infText(s.Name) {
			return fmt.Errorf("winfmt: section name %q cannot be written to an .inf file", s.Name)
		}
		b.WriteString("[" + s.Name + "]\r\n")
		sep := " = "
		if infTightSections[strings.ToLower(s.Name)] {
			sep = "="
		}
		for _, e := range s.Entries {
			k, v := e.Key, e.Value
			if k == "" || trimWS(k) != k || !infText(k) || strings.IndexByte(k, '=') >= 0 || k[0] == '[' || k[0] == ';' {
				return fmt.Errorf("winfmt: [%s]: key %q cannot be written to an .inf file", s.Name, k)
			}
			if trimWS(v) != v || !infText(v) {
				return fmt.Errorf("winfmt: [%s] %s: value %q cannot be written to an .inf file", s.Name, k, v)
			}
			b.WriteString(k)
			b.WriteString(sep)
			b.WriteString(v)
			b.WriteString("\r\n")
		}
	}
	_, err := w.Write(encodeUTF16File(b.String()))
	return err
}

func infText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsAny(s, "\r\n")
}

// ParseRegistryValue reads a [Registry Values] entry's value, "type,data":
// 1 (REG_SZ) and 2 (REG_EXPAND_SZ) as text, quoted or not; 4 (REG_DWORD)
// as a decimal number; 7 (REG_MULTI_SZ) as comma-separated items (an item
// may be quoted to hold a comma); 3 (REG_BINARY) and 0 (REG_NONE) as hex
// bytes, either comma-separated or run together; 11 (REG_QWORD) decimal.
// Errors name the type, never the data: it may be a stored password.
func ParseRegistryValue(v string) (checks.RegValue, error) {
	i := strings.IndexByte(v, ',')
	if i < 0 {
		return checks.RegValue{}, errors.New("registry value: want type,data")
	}
	t, err := strconv.ParseUint(trimWS(v[:i]), 10, 32)
	if err != nil {
		return checks.RegValue{}, errors.New("registry value: the type is not a number")
	}
	typ, data := uint32(t), v[i+1:]
	switch typ {
	case checks.RegSZ, checks.RegExpandSZ:
		return checks.StringValue(typ, unquoteINF(data)), nil
	case checks.RegDWORD:
		n, err := parseINFNumber(data, 32)
		if err != nil {
			return checks.RegValue{}, errors.New("registry value of type 4: the data is not a 32-bit number")
		}
		return checks.DWORDValue(uint32(n)), nil
	case checks.RegQWORD:
		n, err := parseINFNumber(data, 64)
		if err != nil {
			return checks.RegValue{}, errors.New("registry value of type 11: the data is not a 64-bit number")
		}
		b := make([]byte, 8)
		binary.LittleEndian.PutUint64(b, n)
		return checks.RegValue{Type: typ, Data: b}, nil
	case checks.RegMultiSZ:
		return checks.MultiStringValue(splitINFList(data)), nil
	case checks.RegBinary, checks.RegNone:
		b, err := parseINFHex(data)
		if err != nil {
			return checks.RegValue{}, fmt.Errorf("registry value of type %d: %v", typ, err)
		}
		return checks.RegValue{Type: typ, Data: b}, nil
	}
	return checks.RegValue{}, fmt.Errorf("registry value: unsupported type %d", typ)
}

func unquoteINF(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// parseINFNumber reads a decimal (or 0x hex) number; a negative number is
// taken as its two's complement, since templates sometimes write -1.
func parseINFNumber(s string, bits int) (uint64, error) {
	s = trimWS(unquoteINF(trimWS(s)))
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return strconv.ParseUint(s[2:], 16, bits)
	}
	if strings.HasPrefix(s, "-") {
		n, err := strconv.ParseInt(s, 10, bits)
		if err != nil {
			return 0, err
		}
		if bits == 32 {
			return uint64(uint32(n)), nil
		}
		return uint64(n), nil
	}
	return strconv.ParseUint(s, 10, bits)
}

// splitINFList splits a comma list; an item in double quotes may hold
// commas. An empty list has no items.
func splitINFList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for {
		var item string
		if strings.HasPrefix(s, "\"") {
			if j := strings.IndexByte(s[1:], '"'); j >= 0 && (j+2 == len(s) || s[j+2] == ',') {
				item, s = s[1:j+1], s[j+2:]
				out = append(out, item)
				if s == "" {
					return out
				}
				s = s[1:]
				continue
			}
		}
		j := strings.IndexByte(s, ',')
		if j < 0 {
			return append(out, s)
		}
		out = append(out, s[:j])
		s = s[j+1:]
	}
}

func parseINFHex(s string) ([]byte, error) {
	s = trimWS(s)
	if s == "" {
		return []byte{}, nil
	}
	if strings.IndexByte(s, ',') < 0 && len(s) > 2 {
		// run together: "0a0b0c"
		if len(s)%2 != 0 {
			return nil, errors.New("odd number of hex digits")
		}
		out := make([]byte, 0, len(s)/2)
		for i := 0; i < len(s); i += 2 {
			hi, ok1 := hexVal(s[i])
			lo, ok2 := hexVal(s[i+1])
			if !ok1 || !ok2 {
				return nil, errors.New("bad hex byte")
			}
			out = append(out, hi<<4|lo)
		}
		return out, nil
	}
	parts := strings.Split(s, ",")
	out := make([]byte, 0, len(parts))
	for _, p := range parts {
		p = trimWS(p)
		v, n, ok := parseHex32(p)
		if !ok || n != len(p) || n > 2 {
			return nil, errors.New("bad hex byte")
		}
		out = append(out, byte(v))
	}
	return out, nil
}

// SplitRights splits a [Privilege Rights] value into its holders. SIDs lose
// secedit's '*' prefix; account names that secedit could not turn into a
// SID stay as written. No holder gives an empty, non-nil slice.
func SplitRights(v string) []string {
	out := make([]string, 0, strings.Count(v, ",")+1)
	for _, p := range strings.Split(v, ",") {
		p = trimWS(p)
		p = strings.TrimPrefix(p, "*")
		if len(p) >= 2 && p[0] == '"' && p[len(p)-1] == '"' {
			p = p[1 : len(p)-1]
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}
