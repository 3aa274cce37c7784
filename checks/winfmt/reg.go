package winfmt

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"medharden/checks"
)

const (
	regHeader5 = "Windows Registry Editor Version 5.00"
	regHeader4 = "REGEDIT4"
)

// RegFile is a parsed .reg file.
type RegFile struct {
	Version int // 4 (REGEDIT4, ANSI) or 5 (UTF-16LE)
	Keys    []RegKey
	// As ParseReg computed them: NormalizeKey of each key, and the
	// upper-case name of every value in file order, key i's from first[i].
	norm  []string
	first []int
	upper []string
}

// NormalizedKey is NormalizeKey(f.Keys[i].Path), computed once.
func (f *RegFile) NormalizedKey(i int) string {
	if i < len(f.norm) && len(f.norm) == len(f.Keys) {
		return f.norm[i]
	}
	return NormalizeKey(f.Keys[i].Path)
}

// UpperName is strings.ToUpper(f.Keys[i].Values[j].Name), computed once.
func (f *RegFile) UpperName(i, j int) string {
	if len(f.first) == len(f.Keys) {
		end := len(f.upper)
		if i+1 < len(f.first) {
			end = f.first[i+1]
		}
		if end-f.first[i] == len(f.Keys[i].Values) {
			return f.upper[f.first[i]+j]
		}
	}
	return strings.ToUpper(f.Keys[i].Values[j].Name)
}

// RegKey is one [KEY] or [-KEY] block, in file order. The same key may
// appear more than once. A value set twice in one file with different data
// is an error: regedit's import lets the later line win, but no export
// writes a value twice, so the file has been edited and a verdict must not
// rest on which line a reader takes. Repeats with equal data are kept.
type RegKey struct {
	Path   string // as written, e.g. HKEY_LOCAL_MACHINE\SYSTEM\...
	Delete bool   // [-KEY]
	Line   int
	Values []RegEntry
}

// RegEntry is one value line. Value.Data holds the bytes the registry
// stores, whatever the file version.
type RegEntry struct {
	Name   string // "" for the default value (@)
	Delete bool   // "name"=-
	Value  checks.RegValue
	Line   int
}

// ParseReg parses a REGEDIT5 or REGEDIT4 export.
func ParseReg(name string, b []byte) (*RegFile, error) {
	if len(b) == 0 {
		return nil, perr(name, 0, "empty file")
	}
	text, err := DecodeText(name, b)
	if err != nil {
		return nil, err
	}
	p := regParser{name: name, ls: lineReader{s: text}}
	hdr, _, _ := p.ls.next()
	f := &RegFile{}
	switch trimRightWS(hdr) {
	case regHeader5:
		f.Version = 5
	case regHeader4:
		f.Version = 4
	default:
		return nil, perr(name, 1, "not a registry export (first line must be "+
			"\""+regHeader5+"\" or \""+regHeader4+"\")")
	}
	p.version = f.Version
	// seen finds a value set twice: normalized key NUL upper-case name ->
	// where its first setting is. The id is built in one reused buffer, so
	// looking it up copies nothing; only a new id is stored as a string.
	seen := make(map[string]regRef, strings.Count(text, "\n")/2+1)
	// Sized from the lines that start a key or a value (a few more may be
	// indented): the keys and the values of all keys, in one array each.
	nkeys := strings.Count(text, "\n[") + 1
	nvals := strings.Count(text, "\n\"") + strings.Count(text, "\n@") + 1
	f.Keys = make([]RegKey, 0, nkeys)
	f.norm = make([]string, 0, nkeys)
	f.first = make([]int, 0, nkeys)
	f.upper = make([]string, 0, nvals)
	vals := make([]RegEntry, 0, nvals) // not yet used by a key
	deleted := map[string]int{}        // normalized key -> line of its last [-KEY]
	var nk string                      // the current key, normalized once per [key] line
	var id []byte
	for {
		line, n, ok := p.ls.next()
		if !ok {
			break
		}
		s := trimLeftWS(line)
		if s == "" {
			continue
		}
		switch s[0] {
		case ';', '#':
			continue
		case '[':
			s = trimRightWS(s)
			if len(s) < 2 || s[len(s)-1] != ']' {
				return nil, perr(name, n, "key name without closing ']'")
			}
			k := RegKey{Path: s[1 : len(s)-1], Line: n}
			if strings.HasPrefix(k.Path, "-") {
				k.Delete = true
				k.Path = k.Path[1:]
			}
			if k.Path == "" {
				return nil, perr(name, n, "empty key name")
			}
			nk = NormalizeKey(k.Path)
			if k.Delete {
				deleted[nk] = n
			}
			vals = endValues(f, vals)
			k.Values = vals[:0:cap(vals)]
			f.Keys = append(f.Keys, k)
			f.norm = append(f.norm, nk)
			f.first = append(f.first, len(f.upper))
		case '"', '@':
			if len(f.Keys) == 0 {
				return nil, perr(name, n, "value before the first [key] line")
			}
			e, err := p.value(s, n)
			if err != nil {
				return nil, err
			}
			ki := len(f.Keys) - 1
			k := &f.Keys[ki]
			id = appendUpper(append(append(id[:0], nk...), 0), e.Name)
			ref, dup := seen[string(id)]
			var first *RegEntry
			if dup {
				first = &f.Keys[ref.key].Values[ref.value]
				if deletedSince(deleted, nk, first.Line) {
					dup = false
				}
			}
			ids := ref.id // the stored id when there is one: no copy
			if ids == "" {
				ids = string(id)
			}
			switch {
			case e.Delete:
				delete(seen, ids)
			case !dup:
				seen[ids] = regRef{ki, len(k.Values), ids}
			case !sameRegValue(*first, e):
				return nil, perr(name, n, "value "+displayName(e.Name)+" is set again with different data (first on line "+strconv.Itoa(first.Line)+")")
			}
			k.Values = append(k.Values, e)
			f.upper = append(f.upper, ids[len(nk)+1:])
		default:
			return nil, perr(name, n, "unexpected line (not a [key], value or comment)")
		}
	}
	endValues(f, nil)
	return f, nil
}

// endValues closes the last key's values, which were appended in place in
// free, and returns what is left of free. Their capacity is cut to their
// length, so that an append by a caller copies them.
func endValues(f *RegFile, free []RegEntry) []RegEntry {
	if len(f.Keys) == 0 {
		return free
	}
	k := &f.Keys[len(f.Keys)-1]
	m := len(k.Values)
	if m == 0 {
		k.Values = nil
		return free
	}
	k.Values = k.Values[:m:m]
	if m > cap(free) {
		return nil // they outgrew free and moved: later keys grow their own
	}
	return free[m:m]
}

// regRef is where a value line is in a RegFile (Keys[key].Values[value])
// and its id.
type regRef struct {
	key, value int
	id         string
}

// appendUpper appends s upper-cased as strings.ToUpper does.
func appendUpper(b []byte, s string) []byte {
	if isASCII(s) {
		return appendUpperASCII(b, s)
	}
	return append(b, strings.ToUpper(s)...)
}

// deletedSince tells whether [-KEY] for key or a key above it came after
// line: setting a value again after that is a new value, not a repeat.
func deletedSince(deleted map[string]int, key string, line int) bool {
	if len(deleted) == 0 {
		return false
	}
	for {
		if d, ok := deleted[key]; ok && d > line {
			return true
		}
		i := strings.LastIndexByte(key, '\\')
		if i < 0 {
			return false
		}
		key = key[:i]
	}
}

func sameRegValue(a, b RegEntry) bool {
	return a.Value.Type == b.Value.Type && bytes.Equal(a.Value.Data, b.Value.Data)
}

func displayName(n string) string {
	if n == "" {
		return "@ (default)"
	}
	return strconv.Quote(n)
}

type regParser struct {
	name    string
	version int
	ls      lineReader
}

func (p *regParser) value(s string, line int) (RegEntry, error) {
	e := RegEntry{Line: line}
	var rest string
	if s[0] == '@' {
		rest = s[1:]
	} else {
		nm, r, ok := unquoteReg(s)
		if !ok {
			return e, perr(p.name, line, "value name without closing quote")
		}
		e.Name, rest = nm, r
	}
	rest = trimLeftWS(rest)
	if rest == "" || rest[0] != '=' {
		return e, perr(p.name, line, "missing '=' after value name")
	}
	rest = trimLeftWS(rest[1:])
	switch {
	case rest == "" || rest[0] == ';':
		return e, perr(p.name, line, "missing value data after '='")
	case rest[0] == '"':
		str, r, ok := unquoteReg(rest)
		if !ok {
			return e, perr(p.name, line, "string value without closing quote")
		}
		if !endOK(r) {
			return e, perr(p.name, line, "unexpected text after string value")
		}
		e.Value = checks.StringValue(checks.RegSZ, str)
	case rest[0] == '-':
		if !endOK(rest[1:]) {
			return e, perr(p.name, line, "unexpected text after '-'")
		}
		e.Delete = true
	case hasPrefixFold(rest, "dword:"):
		v, ok, msg := parseDword(rest[len("dword:"):])
		if !ok {
			return e, perr(p.name, line, msg)
		}
		e.Value = checks.DWORDValue(v)
	case hasPrefixFold(rest, "hex"):
		typ, r, ok := hexType(rest[len("hex"):])
		if !ok {
			return e, perr(p.name, line, "bad value type (want hex: or hex(N):)")
		}
		data, err := p.hexData(r, line)
		if err != nil {
			return e, err
		}
		if p.version == 4 && (typ == checks.RegExpandSZ || typ == checks.RegMultiSZ) {
			// REGEDIT4 writes these strings in the ANSI code page.
			data = ansiToUTF16(data)
		}
		e.Value = checks.RegValue{Type: typ, Data: data}
	default:
		return e, perr(p.name, line, "unknown value type (want \"string\", dword:, hex: or -)")
	}
	return e, nil
}

// endOK tells whether only blanks or a ;comment follow a value.
func endOK(s string) bool {
	s = trimLeftWS(s)
	return s == "" || s[0] == ';'
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// unquoteReg reads a "..." string at the start of s (s[0] is '"'). Only \\
// and \" are escapes; any other backslash is kept, as regedit does.
func unquoteReg(s string) (val, rest string, ok bool) {
	i := 1
	for i < len(s) && s[i] != '"' && s[i] != '\\' {
		i++
	}
	if i >= len(s) {
		return "", "", false
	}
	if s[i] == '"' {
		return s[1:i], s[i+1:], true
	}
	var sb strings.Builder
	sb.Grow(len(s))
	sb.WriteString(s[1:i])
	for i < len(s) {
		c := s[i]
		switch c {
		case '"':
			return sb.String(), s[i+1:], true
		case '\\':
			if i+1 >= len(s) {
				return "", "", false
			}
			n := s[i+1]
			if n != '\\' && n != '"' {
				sb.WriteByte('\\')
			}
			sb.WriteByte(n)
			i += 2
		default:
			sb.WriteByte(c)
			i++
		}
	}
	return "", "", false
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// parseHex32 reads 1 to 8 hex digits at the start of s and returns how many
// it used; more than 8 digits is an error, not a silent overflow.
func parseHex32(s string) (v uint32, n int, ok bool) {
	for n < len(s) {
		d, isHex := hexVal(s[n])
		if !isHex {
			break
		}
		if n == 8 {
			return 0, n, false
		}
		v = v<<4 | uint32(d)
		n++
	}
	return v, n, n > 0
}

func parseDword(s string) (uint32, bool, string) {
	s = trimLeftWS(s)
	v, n, ok := parseHex32(s)
	if !ok {
		if n == 8 {
			return 0, false, "dword value has more than 8 hex digits"
		}
		return 0, false, "bad dword value (want 1 to 8 hex digits)"
	}
	if !endOK(s[n:]) {
		return 0, false, "bad dword value (want 1 to 8 hex digits)"
	}
	return v, true, ""
}

// hexType reads what follows "hex": ":" (REG_BINARY) or "(N):".
func hexType(s string) (uint32, string, bool) {
	if s != "" && s[0] == ':' {
		return checks.RegBinary, s[1:], true
	}
	if s == "" || s[0] != '(' {
		return 0, "", false
	}
	v, n, ok := parseHex32(s[1:])
	if !ok || len(s) < n+3 || s[1+n] != ')' || s[2+n] != ':' {
		return 0, "", false
	}
	return v, s[n+3:], true
}

// hexData reads comma-separated hex bytes; a trailing backslash continues
// them on the next line. Errors name the line where the value starts.
func (p *regParser) hexData(cur string, line int) ([]byte, error) {
	data := make([]byte, 0, len(cur)/3+1)
	i := 0
	for {
		for i < len(cur) && isSpace(cur[i]) {
			i++
		}
		if i == len(cur) || cur[i] == ';' {
			return data, nil
		}
		if cur[i] == '\\' {
			if trimLeftWS(cur[i+1:]) != "" {
				return nil, perr(p.name, line, "unexpected text after '\\' line continuation")
			}
			next, _, ok := p.ls.next()
			if !ok {
				return data, nil
			}
			cur, i = next, 0
			if trimLeftWS(cur) == "" {
				return data, nil
			}
			continue
		}
		hi, ok := hexVal(cur[i])
		if !ok {
			return nil, p.badHex(line)
		}
		v, j := hi, i+1
		if j < len(cur) {
			if lo, ok := hexVal(cur[j]); ok {
				v = hi<<4 | lo
				j++
				if j < len(cur) {
					if _, ok := hexVal(cur[j]); ok {
						return nil, p.badHex(line)
					}
				}
			}
		}
		data = append(data, v)
		i = j
		for i < len(cur) && isSpace(cur[i]) {
			i++
		}
		if i < len(cur) {
			switch cur[i] {
			case ',':
				i++
			case '\\', ';':
			default:
				return nil, p.badHex(line)
			}
		}
	}
}

// badHex is the error for malformed hex data. It says where, never what:
// value data may be a stored password.
func (p *regParser) badHex(line int) error {
	return perr(p.name, line, "bad hex byte in value data (want two hex digits per byte, separated by commas)")
}

func ansiToUTF16(b []byte) []byte {
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		r := cp1252[c]
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}

// NormalizeKey gives a key path one spelling for case-insensitive lookup:
// the root abbreviated (HKLM, HKCU, HKU, HKCR, HKCC; secedit's MACHINE is
// HKLM), no trailing backslash, upper case. It runs for every key of every
// export and every lookup, so ASCII paths (nearly all) take one allocation
// and none when already normalized.
func NormalizeKey(path string) string {
	p := strings.TrimRight(path, `\`)
	root, rest := p, ""
	if i := strings.IndexByte(p, '\\'); i >= 0 {
		root, rest = p[:i], p[i:]
	}
	if !isASCII(root) || !isASCII(rest) {
		return strings.ToUpper(rootAbbrev(strings.ToUpper(root), root) + rest)
	}
	abbr := rootAbbrev(strings.ToUpper(root), root) // no copy when root is upper case
	if abbr == root && !hasLowerASCII(p) {
		return p
	}
	var b strings.Builder
	b.Grow(len(abbr) + len(rest))
	writeUpperASCII(&b, abbr)
	writeUpperASCII(&b, rest)
	return b.String()
}

// rootAbbrev is the short name of an upper-cased root, else root itself.
func rootAbbrev(upper, root string) string {
	switch upper {
	case "HKEY_LOCAL_MACHINE", "MACHINE":
		return "HKLM"
	case "HKEY_CURRENT_USER":
		return "HKCU"
	case "HKEY_USERS":
		return "HKU"
	case "HKEY_CLASSES_ROOT":
		return "HKCR"
	case "HKEY_CURRENT_CONFIG":
		return "HKCC"
	}
	return root
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func hasLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			return true
		}
	}
	return false
}

// writeUpperASCII writes ASCII s upper-cased.
func writeUpperASCII(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
	}
}

// appendUpperASCII appends ASCII s upper-cased.
func appendUpperASCII(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}
