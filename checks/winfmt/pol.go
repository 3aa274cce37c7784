package winfmt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"medharden/checks"
)

// Registry.pol (PReg) is the binary file in which Group Policy keeps its
// registry settings (Machine\registry.pol, User\registry.pol of a GPO). As
// Microsoft documents it ("Registry Policy File Format", [MS-GPREG] 2.2.1):
// the signature "PReg" (the DWORD 0x67655250), the version DWORD 1, then
// records
//
//	[key;value;type;size;data]
//
// where '[' ';' ']' are UTF-16LE characters, key and value are UTF-16LE
// strings ending in a NUL, type and size are little-endian DWORDs and data
// is size bytes. The key has no root: the file's folder (Machine or User)
// gives HKLM or HKCU.
//
// Value names starting with "**" are instructions, kept here as ordinary
// records (name and data as written) so that a file reads and writes back
// byte for byte; Directive tells them apart:
//
//	**del.NAME      delete value NAME
//	**delvals.      delete every value of the key
//	**DeleteValues  delete the values named in data (';'-separated)
//	**DeleteKeys    delete the subkeys named in data (';'-separated)
//	**SecureKey     data 1 or 0: restrict the key's ACL, or not
//	**soft.NAME     set NAME only where it does not exist yet
//
// Windows applies the records in file order, so where a value is set twice
// the later record wins; all records are kept, in order.

// MaxPolSize bounds a registry.pol or LGPO text file, as the snapshot
// bounds its exports: real files are a few KiB, the largest GPOs well
// under 1 MiB.
const MaxPolSize = 64 << 20

const (
	polSignature = "PReg"
	polVersion   = 1
)

// PolFile is a parsed registry.pol.
type PolFile struct {
	Records []PolRecord
}

// PolRecord is one [key;value;type;size;data] record. Value.Data holds the
// data bytes exactly as stored (strings as UTF-16LE with their NULs).
type PolRecord struct {
	Key    string // e.g. Software\Policies\Microsoft\Windows\Installer
	Name   string // value name, "" for the default value
	Value  checks.RegValue
	Offset int // byte offset of the record's '[' (set by ParsePol)
}

// Policy directives carried in value names (see the package text above).
const (
	PolSet          = ""
	PolDelete       = "**del."
	PolDeleteAll    = "**delvals."
	PolDeleteValues = "**DeleteValues"
	PolDeleteKeys   = "**DeleteKeys"
	PolSecureKey    = "**SecureKey"
	PolSoft         = "**soft."
)

// Directive returns what the record does (one of the Pol* constants) and
// the value name it concerns: the NAME of **del.NAME and **soft.NAME, the
// plain name for PolSet, "" for the others. Windows compares the prefixes
// without regard to case.
func (r PolRecord) Directive() (kind, name string) {
	n := r.Name
	for _, k := range []string{PolDeleteAll, PolDelete, PolSoft} {
		if hasPrefixFold(n, k) {
			return k, n[len(k):]
		}
	}
	for _, k := range []string{PolDeleteValues, PolDeleteKeys, PolSecureKey} {
		if strings.EqualFold(n, k) {
			return k, ""
		}
	}
	return PolSet, n
}

// ParsePol parses a registry.pol. It is strict: a wrong signature or
// version, a missing delimiter, a string without its NUL, a size running
// past the end of the file, an unpaired UTF-16 surrogate, string data of
// odd length, a REG_DWORD that is not 4 bytes or a REG_QWORD that is not 8
// are errors naming the file and the record's byte offset. Whatever it
// accepts, WritePol writes back byte for byte.
func ParsePol(name string, b []byte) (*PolFile, error) {
	switch {
	case len(b) > MaxPolSize:
		return nil, perr(name, 0, "larger than "+strconv.Itoa(MaxPolSize>>20)+" MiB, far more than any registry.pol")
	case len(b) < 8:
		return nil, perr(name, 0, "not a registry.pol: shorter than its 8-byte header")
	case string(b[:4]) != polSignature:
		return nil, perr(name, 0, "offset 0: not a registry.pol (the file does not start with the signature \"PReg\")")
	case binary.LittleEndian.Uint32(b[4:8]) != polVersion:
		return nil, perr(name, 0, "offset 4: registry.pol version "+strconv.FormatUint(uint64(binary.LittleEndian.Uint32(b[4:8])), 10)+" (only version 1 exists)")
	}
	p := polParser{name: name, b: b, pos: 8}
	f := &PolFile{}
	for p.pos < len(b) {
		r, err := p.record()
		if err != nil {
			return nil, err
		}
		f.Records = append(f.Records, r)
	}
	return f, nil
}

type polParser struct {
	name  string
	b     []byte
	pos   int
	start int // offset of the current record
}

func (p *polParser) fail(msg string) error {
	return perr(p.name, 0, "record at offset "+strconv.Itoa(p.start)+": "+msg)
}

// char consumes the UTF-16LE character c.
func (p *polParser) char(c byte, what string) error {
	if p.pos+2 > len(p.b) {
		return p.fail("the file ends where " + what + " should be (cut short?)")
	}
	if p.b[p.pos] != c || p.b[p.pos+1] != 0 {
		return p.fail("missing " + what)
	}
	p.pos += 2
	return nil
}

func (p *polParser) dword(what string) (uint32, error) {
	if p.pos+4 > len(p.b) {
		return 0, p.fail("the file ends inside the " + what + " (cut short?)")
	}
	v := binary.LittleEndian.Uint32(p.b[p.pos:])
	p.pos += 4
	return v, nil
}

// str reads a NUL-terminated UTF-16LE string.
func (p *polParser) str(what string) (string, error) {
	var u []uint16
	for {
		if p.pos+2 > len(p.b) {
			return "", p.fail("the " + what + " has no terminating NUL before the end of the file (cut short?)")
		}
		c := uint16(p.b[p.pos]) | uint16(p.b[p.pos+1])<<8
		p.pos += 2
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	if !validUTF16(u) {
		return "", p.fail("the " + what + " is not valid UTF-16 (unpaired surrogate)")
	}
	return string(utf16.Decode(u)), nil
}

func validUTF16(u []uint16) bool {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c < 0xD800 || c >= 0xE000:
		case c < 0xDC00 && i+1 < len(u) && u[i+1] >= 0xDC00 && u[i+1] < 0xE000:
			i++
		default:
			return false
		}
	}
	return true
}

func (p *polParser) record() (PolRecord, error) {
	p.start = p.pos
	r := PolRecord{Offset: p.pos}
	var err error
	if err = p.char('[', "'[' that starts a record"); err != nil {
		return r, err
	}
	if r.Key, err = p.str("key"); err != nil {
		return r, err
	}
	if err = p.char(';', "';' after the key"); err != nil {
		return r, err
	}
	if r.Name, err = p.str("value name"); err != nil {
		return r, err
	}
	if err = p.char(';', "';' after the value name"); err != nil {
		return r, err
	}
	if r.Value.Type, err = p.dword("type"); err != nil {
		return r, err
	}
	if err = p.char(';', "';' after the type"); err != nil {
		return r, err
	}
	size, err := p.dword("size")
	if err != nil {
		return r, err
	}
	if err = p.char(';', "';' after the size"); err != nil {
		return r, err
	}
	if uint64(size) > uint64(len(p.b)-p.pos) {
		return r, p.fail("data size " + strconv.FormatUint(uint64(size), 10) + " runs past the end of the file")
	}
	r.Value.Data = append([]byte{}, p.b[p.pos:p.pos+int(size)]...)
	p.pos += int(size)
	if err = p.char(']', "']' after the data (size and data disagree)"); err != nil {
		return r, err
	}
	if msg := checkPolRecord(&r); msg != "" {
		return r, p.fail(msg)
	}
	return r, nil
}

// checkPolRecord holds the rules ParsePol and WritePol share, so that
// whatever one accepts the other does too.
func checkPolRecord(r *PolRecord) string {
	switch r.Value.Type {
	case checks.RegSZ, checks.RegExpandSZ, checks.RegMultiSZ:
		if len(r.Value.Data)%2 != 0 {
			return "string data of odd length " + strconv.Itoa(len(r.Value.Data)) + " (UTF-16 needs two bytes a character)"
		}
	case checks.RegDWORD:
		if len(r.Value.Data) != 4 {
			return "REG_DWORD data of " + strconv.Itoa(len(r.Value.Data)) + " bytes (want 4)"
		}
	case checks.RegQWORD:
		if len(r.Value.Data) != 8 {
			return "REG_QWORD data of " + strconv.Itoa(len(r.Value.Data)) + " bytes (want 8)"
		}
	}
	if r.Key == "" {
		return "empty key"
	}
	return ""
}

// WritePol writes f as a registry.pol. It refuses a record ParsePol would
// refuse, and key or value names it cannot encode (invalid UTF-8, NUL), so
// ParsePol reads back the same records.
func WritePol(w io.Writer, f *PolFile) error {
	out := make([]byte, 0, 8+64*len(f.Records))
	out = append(out, polSignature...)
	out = binary.LittleEndian.AppendUint32(out, polVersion)
	for i := range f.Records {
		r := &f.Records[i]
		if msg := checkPolRecord(r); msg != "" {
			return fmt.Errorf("winfmt: registry.pol record %d (%q): %s", i+1, r.Key, msg)
		}
		for _, s := range []string{r.Key, r.Name} {
			if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
				return fmt.Errorf("winfmt: registry.pol record %d: key or value name %q is not valid text", i+1, s)
			}
		}
		out = append(out, '[', 0)
		out = append(out, checks.UTF16LE(r.Key)...)
		out = append(out, 0, 0, ';', 0)
		out = append(out, checks.UTF16LE(r.Name)...)
		out = append(out, 0, 0, ';', 0)
		out = binary.LittleEndian.AppendUint32(out, r.Value.Type)
		out = append(out, ';', 0)
		out = binary.LittleEndian.AppendUint32(out, uint32(len(r.Value.Data)))
		out = append(out, ';', 0)
		out = append(out, r.Value.Data...)
		out = append(out, ']', 0)
		if len(out) > MaxPolSize {
			return errors.New("winfmt: registry.pol would be larger than " + strconv.Itoa(MaxPolSize>>20) + " MiB")
		}
	}
	_, err := w.Write(out)
	return err
}
