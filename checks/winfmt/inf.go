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

// INF is a security template as secedit /export writes it, or as Group
// Policy stores one (GptTmpl.inf).
type INF struct {
	Sections []INFSection
}

// INFSection is one [Section]. A section name that appears twice is read
// as one section, as the setup API does. A key that appears twice in a
// section with different values is an error: Windows reads the first
// (GetPrivateProfileString, SetupFindFirstLine), other readers the last,
// and a verdict must not depend on which. Repeats with the same value are
// harmless and kept once.
//
// Lines holds the entry-only lines of sections such as [Service General
// Setting], [Registry Keys] and [File Security] ("name",mode,"SDDL"):
// comma-separated fields without a key. The same rule holds for them, with
// the first field as the key.
type INFSection struct {
	Name    string
	Line    int
	Entries []INFEntry
	Lines   []INFLine
}

// INFEntry is one "Key = Value" line, both trimmed; Value keeps any quotes
// as written.
type INFEntry struct {
	Key, Value string
	Line       int
}

// INFLine is one entry-only line, split into its fields as the setup API
// splits them (see SplitINFFields).
type INFLine struct {
	Fields []string
	Line   int
}

// infKeySections hold only "key = value" lines: a line without '=' there
// is damage (a cut or merged line), never data, since reading past it
// would turn a value into "not defined".
var infKeySections = map[string]bool{
	"unicode": true, "version": true, "system access": true, "event audit": true,
	"privilege rights": true, "registry values": true, "kerberos policy": true,
	"system log": true, "security log": true, "application log": true,
	"group membership": true, "profile description": true, "strings": true,
}

// ParseINF parses a security template: what secedit /export writes and
// what Group Policy stores (every section, entry-only lines included).
// Comments are whole lines starting with ';'; a ';' inside a value is
// part of the value. An '=' inside double quotes does not end a key.
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
	index := make(map[string]int)    // lower-case name -> section
	seenKey := make(map[string]int)  // lower-case section NUL lower-case key -> index of its entry
	seenLine := make(map[string]int) // lower-case section NUL lower-case first field -> index of its line
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
		if cur < 0 {
			return nil, perr(name, n, "entry before the first [Section]")
		}
		sec := &f.Sections[cur]
		lsec := strings.ToLower(sec.Name)
		eq := indexUnquoted(s, '=')
		if eq < 0 {
			if infKeySections[lsec] {
				return nil, perr(name, n, "expected key = value in ["+sec.Name+"]")
			}
			fields, err := SplitINFFields(s)
			if err != nil {
				return nil, perr(name, n, err.Error())
			}
			id := lsec + "\x00" + strings.ToLower(fields[0])
			if first, dup := seenLine[id]; dup {
				prev := sec.Lines[first]
				if !sameStrings(prev.Fields, fields) {
					return nil, perr(name, n, fmt.Sprintf("[%s] %q is set again with different fields (first on line %d)", sec.Name, fields[0], prev.Line))
				}
				continue
			}
			seenLine[id] = len(sec.Lines)
			sec.Lines = append(sec.Lines, INFLine{Fields: fields, Line: n})
			continue
		}
		key := trimRightWS(s[:eq])
		if key == "" {
			return nil, perr(name, n, "missing key before '='")
		}
		e := INFEntry{Key: key, Value: trimLeftWS(s[eq+1:]), Line: n}
		id := lsec + "\x00" + strings.ToLower(key)
		if first, dup := seenKey[id]; dup {
			prev := sec.Entries[first]
			if prev.Value != e.Value {
				return nil, perr(name, n, fmt.Sprintf("[%s] %s is set again with a different value (first on line %d)", sec.Name, key, prev.Line))
			}
			continue
		}
		seenKey[id] = len(sec.Entries)
		sec.Entries = append(sec.Entries, e)
	}
	return f, nil
}

// indexUnquoted is the index of the first c outside double quotes, or -1.
func indexUnquoted(s string, c byte) int {
	in := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			in = !in
		case s[i] == c && !in:
			return i
		}
	}
	return -1
}

// SplitINFFields splits an INF line's text into fields as the setup API
// (SetupGetStringField, SetupGetMultiSzField) does, which is how secedit
// reads every value: fields end at a comma outside double quotes; a
// quoted run, anywhere in a field, is taken literally, commas included,
// with "" standing for one quote; spaces and tabs around a field are
// dropped, those inside quotes kept. So a","b is the one field a,b.
// A quote left open is an error. There is always at least one field.
func SplitINFFields(s string) ([]string, error) {
	var out []string
	var b strings.Builder
	keep := 0 // length of b that trailing-space trimming must not cut into
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' && in && i+1 < len(s) && s[i+1] == '"':
			b.WriteByte('"')
			i++
		case c == '"':
			in = !in
			keep = b.Len()
		case c == ',' && !in:
			out = append(out, trimRightWSFrom(b.String(), keep))
			b.Reset()
			keep = 0
		case isSpace(c) && !in && b.Len() == 0:
			// leading space of a field
		default:
			b.WriteByte(c)
			if in {
				keep = b.Len()
			}
		}
	}
	if in {
		return nil, errors.New("a double quote is not closed")
	}
	return append(out, trimRightWSFrom(b.String(), keep)), nil
}

// trimRightWSFrom trims trailing spaces and tabs, but not below keep.
func trimRightWSFrom(s string, keep int) string {
	i := len(s)
	for i > keep && isSpace(s[i-1]) {
		i--
	}
	return s[:i]
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
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
			if k == "" || trimWS(k) != k || !infText(k) || indexUnquoted(k, '=') >= 0 || strings.Count(k, `"`)%2 != 0 || k[0] == '[' || k[0] == ';' {
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
		for _, l := range s.Lines {
			if len(l.Fields) == 0 {
				return fmt.Errorf("winfmt: [%s]: a line without fields cannot be written", s.Name)
			}
			for i, f := range l.Fields {
				if !infText(f) {
					return fmt.Errorf("winfmt: [%s]: field %q cannot be written to an .inf file", s.Name, f)
				}
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(quoteINFField(f))
			}
			b.WriteString("\r\n")
		}
	}
	_, err := w.Write(UTF16File(b.String()))
	return err
}

// quoteINFField writes a field as secedit does: numbers bare, anything
// else in double quotes with quotes doubled.
func quoteINFField(f string) string {
	if f != "" && strings.Trim(f, "0123456789") == "" {
		return f
	}
	return `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
}

func infText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsAny(s, "\r\n")
}

// legalNoticeText is the one [Registry Values] key secedit treats apart.
const legalNoticeText = `MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\LegalNoticeText`

// ParseRegistryValue reads the [Registry Values] entry key=value as
// secedit applies it to the registry. The value is "type,data", its text
// split into fields as the setup API does (SplitINFFields):
//   - 1 (REG_SZ) and 2 (REG_EXPAND_SZ): the fields joined by commas, so
//     quotes are dropped and a quoted comma stays a comma;
//   - 7 (REG_MULTI_SZ): one item per field. Secedit keeps an item's
//     commas only for LegalNoticeText, which Group Policy writes with a
//     comma escaped as "," and which secedit stores as REG_SZ, its items
//     joined by CRLF (one per line of the logon notice); that is what this
//     returns for that key. Elsewhere secedit splits items at every comma,
//     quoted or not, and so does this;
//   - 4 (REG_DWORD) and 11 (REG_QWORD): a decimal (or 0x hex) number;
//   - 3 (REG_BINARY) and 0 (REG_NONE): hex bytes, either comma-separated
//     or run together.
//
// Errors name the type, never the data: it may be a stored password.
func ParseRegistryValue(key, v string) (checks.RegValue, error) {
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
	case checks.RegSZ, checks.RegExpandSZ, checks.RegMultiSZ:
		fields, err := SplitINFFields(data)
		if err != nil {
			return checks.RegValue{}, fmt.Errorf("registry value of type %d: %v", typ, err)
		}
		if typ != checks.RegMultiSZ {
			return checks.StringValue(typ, strings.Join(fields, ",")), nil
		}
		if strings.EqualFold(trimWS(key), legalNoticeText) {
			return checks.StringValue(checks.RegSZ, strings.Join(fields, "\r\n")), nil
		}
		if len(fields) == 1 && fields[0] == "" {
			return checks.MultiStringValue(nil), nil // "7," is the empty list
		}
		return checks.MultiStringValue(strings.Split(strings.Join(fields, ","), ",")), nil
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
