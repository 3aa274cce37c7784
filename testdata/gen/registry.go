package main

import (
	"fmt"
	"sort"
	"strings"
)

// A small in-memory registry: keys with ordered values. Exports walk it the
// way reg.exe does and print regedit's REGEDIT5 text.

type kind int

const (
	regSZ kind = iota
	regExpandSZ
	regBinary
	regDWORD
	regMultiSZ
	regQWORD
)

type value struct {
	name  string // "" is the default value, exported as @
	kind  kind
	str   string   // regSZ, regExpandSZ
	strs  []string // regMultiSZ
	num   uint64   // regDWORD, regQWORD
	bytes []byte   // regBinary
}

func sz(name, s string) value           { return value{name: name, kind: regSZ, str: s} }
func expand(name, s string) value       { return value{name: name, kind: regExpandSZ, str: s} }
func dword(name string, n uint32) value { return value{name: name, kind: regDWORD, num: uint64(n)} }
func qword(name string, n uint64) value { return value{name: name, kind: regQWORD, num: n} }
func multi(name string, items ...string) value {
	return value{name: name, kind: regMultiSZ, strs: items}
}
func binary(name string, b ...byte) value { return value{name: name, kind: regBinary, bytes: b} }

// data is the value's bytes as the registry stores them.
func (v value) data() []byte {
	switch v.kind {
	case regSZ, regExpandSZ:
		return utf16z(v.str)
	case regMultiSZ:
		var b []byte
		for _, s := range v.strs {
			b = append(b, utf16z(s)...)
		}
		return append(b, 0, 0) // an empty list is the two bytes 00,00
	case regDWORD:
		n := uint32(v.num)
		return []byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)}
	case regQWORD:
		b := make([]byte, 8)
		for i := range b {
			b[i] = byte(v.num >> (8 * uint(i)))
		}
		return b
	}
	return v.bytes
}

type key struct {
	path   string // full path with hive name, casing as stored
	values []value
}

type registry struct {
	keys map[string]*key // by upper-cased path
}

func newRegistry() *registry { return &registry{keys: map[string]*key{}} }

func (r *registry) clone() *registry {
	c := newRegistry()
	for p, k := range r.keys {
		nk := &key{path: k.path, values: make([]value, len(k.values))}
		copy(nk.values, k.values)
		for i := range nk.values {
			if nk.values[i].strs != nil {
				nk.values[i].strs = append([]string(nil), nk.values[i].strs...)
			}
		}
		c.keys[p] = nk
	}
	return c
}

// key returns the key at path, creating it and its parents (a key cannot
// exist without its parents, and reg export lists empty keys too).
func (r *registry) key(path string) *key {
	up := strings.ToUpper(path)
	if k, ok := r.keys[up]; ok {
		return k
	}
	if i := strings.LastIndexByte(path, '\\'); i > 0 {
		r.key(path[:i])
	}
	k := &key{path: path}
	r.keys[up] = k
	return k
}

// set writes values into a key. An existing value keeps its position and
// the casing of its name (RegSetValueEx does not rename), as when Group
// Policy overwrites "requiresecuritysignature" with RequireSecuritySignature.
func (r *registry) set(path string, vals ...value) {
	k := r.key(path)
	for _, v := range vals {
		replaced := false
		for i := range k.values {
			if strings.EqualFold(k.values[i].name, v.name) {
				v.name = k.values[i].name
				k.values[i] = v
				replaced = true
				break
			}
		}
		if !replaced {
			k.values = append(k.values, v)
		}
	}
}

// del removes values from a key that exists.
func (r *registry) del(path string, names ...string) {
	k, ok := r.keys[strings.ToUpper(path)]
	if !ok {
		panic("del: no key " + path)
	}
	for _, n := range names {
		for i := range k.values {
			if strings.EqualFold(k.values[i].name, n) {
				k.values = append(k.values[:i], k.values[i+1:]...)
				break
			}
		}
	}
}

// get reads one value.
func (r *registry) get(path, name string) (value, bool) {
	k, ok := r.keys[strings.ToUpper(path)]
	if !ok {
		return value{}, false
	}
	for _, v := range k.values {
		if strings.EqualFold(v.name, name) {
			return v, true
		}
	}
	return value{}, false
}

func (r *registry) exists(path string) bool {
	_, ok := r.keys[strings.ToUpper(path)]
	return ok
}

// subtree lists root and every key under it in the order reg export
// writes them: depth first, subkeys sorted case-insensitively (the
// registry keeps subkeys sorted by their upper-cased names).
func (r *registry) subtree(root string) []*key {
	up := strings.ToUpper(root)
	var out []*key
	for p, k := range r.keys {
		if p == up || strings.HasPrefix(p, up+`\`) {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return keyLess(out[i].path, out[j].path) })
	return out
}

func keyLess(a, b string) bool {
	pa := strings.Split(strings.ToUpper(a), `\`)
	pb := strings.Split(strings.ToUpper(b), `\`)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}

// regedit renders keys as REGEDIT5 text (the encoding is the caller's).
func regedit(keys []*key) string {
	var lines []string
	lines = append(lines, "Windows Registry Editor Version 5.00", "")
	for _, k := range keys {
		lines = append(lines, "["+k.path+"]")
		for _, v := range k.values {
			lines = append(lines, exportValue(v)...)
		}
		lines = append(lines, "")
	}
	return crlf(lines)
}

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// exportValue prints one value, wrapping hex data as regedit does.
func exportValue(v value) []string {
	name := "@="
	if v.name != "" {
		name = quote(v.name) + "="
	}
	switch v.kind {
	case regSZ:
		return []string{name + quote(v.str)}
	case regDWORD:
		return []string{name + fmt.Sprintf("dword:%08x", uint32(v.num))}
	}
	prefix := "hex:"
	switch v.kind {
	case regExpandSZ:
		prefix = "hex(2):"
	case regMultiSZ:
		prefix = "hex(7):"
	case regQWORD:
		prefix = "hex(b):"
	}
	return hexLines(name+prefix, v.data())
}

// hexLines lays bytes out as regedit does: "xx," per byte, and after the
// comma that brings the line to 77 characters or more, a backslash, a line
// break and two spaces of indentation. The last byte has no comma, so a
// line never ends in a dangling continuation.
func hexLines(head string, data []byte) []string {
	const maxHexChars = 77
	var lines []string
	var sb strings.Builder
	sb.WriteString(head)
	lineLen := len(head)
	for i, c := range data {
		fmt.Fprintf(&sb, "%02x", c)
		if i == len(data)-1 {
			break
		}
		sb.WriteByte(',')
		lineLen += 3
		if lineLen >= maxHexChars {
			sb.WriteByte('\\')
			lines = append(lines, sb.String())
			sb.Reset()
			sb.WriteString("  ")
			lineLen = 2
		}
	}
	return append(lines, sb.String())
}
