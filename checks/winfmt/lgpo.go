package winfmt

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"medharden/checks"
)

// LGPO text is what `LGPO.exe /parse` prints for a registry.pol and what
// `LGPO.exe /t` applies. Lines starting with ';' are comments; each record
// is four lines:
//
//	Computer                 (or User, or User:NAME; any case)
//	Software\Policies\...    key, without root
//	ValueName                ("*" with DELETEALLVALUES)
//	DWORD:1                  action
//
// Actions read here: DWORD:n and QWORD:n (decimal), SZ:text, EXSZ:text,
// MULTISZ:a\0b (items separated by the two characters \0), DELETE and
// DELETEALLVALUES. A record becomes the registry.pol record Windows would
// hold: DELETE is "**del.NAME", DELETEALLVALUES "**delvals.", both with the
// data " " (REG_SZ), as the Group Policy editor writes them.

// LGPOEntry is one LGPO text record.
type LGPOEntry struct {
	Scope  string // "Computer", "User" or "User:NAME"
	Record PolRecord
	Line   int // line of the scope
}

var lgpoDeleteData = checks.StringValue(checks.RegSZ, " ")

// ParseLGPO parses LGPO text. Errors name the file and line.
func ParseLGPO(name string, b []byte) ([]LGPOEntry, error) {
	if len(b) > MaxPolSize {
		return nil, perr(name, 0, "larger than "+strconv.Itoa(MaxPolSize>>20)+" MiB, far more than any LGPO text")
	}
	text, err := DecodeText(name, b)
	if err != nil {
		return nil, err
	}
	ls := lineReader{s: text}
	var out []LGPOEntry
	for {
		line, n, ok := ls.next()
		if !ok {
			break
		}
		s := trimWS(line)
		if s == "" || s[0] == ';' {
			continue
		}
		e := LGPOEntry{Line: n}
		switch {
		case strings.EqualFold(s, "Computer"):
			e.Scope = "Computer"
		case strings.EqualFold(s, "User"):
			e.Scope = "User"
		case hasPrefixFold(s, "User:") && len(s) > len("User:"):
			e.Scope = "User:" + s[len("User:"):]
		default:
			return nil, perr(name, n, "expected Computer, User or User:NAME to start a record")
		}
		var fields [3]string
		for i, what := range []string{"a registry key", "a value name", "an action"} {
			l, ln, ok := ls.next()
			if !ok {
				return nil, perr(name, e.Line, "record ends before "+what+" (each record is four lines)")
			}
			fields[i] = l
			n = ln
		}
		e.Record.Key = trimWS(fields[0])
		if e.Record.Key == "" || e.Record.Key[0] == ';' {
			return nil, perr(name, e.Line+1, "expected a registry key, found an empty line or a comment")
		}
		if msg := lgpoAction(&e.Record, fields[1], fields[2]); msg != "" {
			return nil, perr(name, n, msg)
		}
		out = append(out, e)
	}
	return out, nil
}

// lgpoAction fills r from the value name and action lines. String data is
// taken exactly as written; numbers and keywords may have blanks around.
func lgpoAction(r *PolRecord, valueName, act string) string {
	typ, arg, hasArg := trimWS(act), "", false
	if i := strings.IndexByte(act, ':'); i >= 0 {
		typ, arg, hasArg = trimWS(act[:i]), act[i+1:], true
	}
	typ = strings.ToUpper(typ)
	r.Name = valueName
	if strings.HasPrefix(valueName, "**") && typ != "DELETE" {
		return "value name starts with \"**\", which Group Policy reads as an instruction"
	}
	switch typ {
	case "DWORD", "QWORD", "SZ", "EXSZ", "MULTISZ":
		if !hasArg {
			return typ + " needs ':' and its data"
		}
	}
	switch typ {
	case "DELETE":
		if hasArg {
			return "DELETE takes no data"
		}
		r.Name = PolDelete + valueName
		r.Value = lgpoDeleteData
	case "DELETEALLVALUES":
		if hasArg {
			return "DELETEALLVALUES takes no data"
		}
		if trimWS(valueName) != "*" {
			return "DELETEALLVALUES needs \"*\" as its value name"
		}
		r.Name = PolDeleteAll
		r.Value = lgpoDeleteData
	case "DWORD":
		v, err := strconv.ParseUint(trimWS(arg), 10, 32)
		if err != nil {
			return "DWORD needs a decimal number from 0 to 4294967295"
		}
		r.Value = checks.DWORDValue(uint32(v))
	case "QWORD":
		v, err := strconv.ParseUint(trimWS(arg), 10, 64)
		if err != nil {
			return "QWORD needs a decimal number from 0 to 18446744073709551615"
		}
		r.Value = checks.RegValue{Type: checks.RegQWORD, Data: make([]byte, 8)}
		for i := 0; i < 8; i++ {
			r.Value.Data[i] = byte(v >> (8 * i))
		}
	case "SZ":
		r.Value = checks.StringValue(checks.RegSZ, arg)
	case "EXSZ":
		r.Value = checks.StringValue(checks.RegExpandSZ, arg)
	case "MULTISZ":
		items := strings.Split(arg, `\0`)
		for _, it := range items {
			if it == "" {
				return "MULTISZ has an empty item (items are separated by \\0 and cannot be empty)"
			}
		}
		r.Value = checks.MultiStringValue(items)
	default:
		return "unknown action (want DWORD:, QWORD:, SZ:, EXSZ:, MULTISZ:, DELETE or DELETEALLVALUES)"
	}
	return ""
}

// WriteLGPO writes entries as LGPO text (CRLF, a blank line after each
// record). A record LGPO text cannot carry (binary data, directives other
// than **del. and **delvals., strings with NULs or line breaks) is refused
// with an error, so ParseLGPO reads back the same entries.
func WriteLGPO(w io.Writer, entries []LGPOEntry) error {
	var b strings.Builder
	for i := range entries {
		e := &entries[i]
		act, name, err := lgpoWriteAction(&e.Record)
		if err == nil {
			err = checkLGPOLines(e.Scope, e.Record.Key, name)
		}
		if err != nil {
			return fmt.Errorf("winfmt: LGPO record %d (%q %q): %w", i+1, e.Record.Key, e.Record.Name, err)
		}
		b.WriteString(e.Scope + "\r\n" + e.Record.Key + "\r\n" + name + "\r\n" + act + "\r\n\r\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func checkLGPOLines(scope, key, name string) error {
	if scope != "Computer" && scope != "User" && !(strings.HasPrefix(scope, "User:") && len(scope) > 5) {
		return fmt.Errorf("scope %q (want Computer, User or User:NAME)", scope)
	}
	for _, s := range []string{scope, key, name} {
		if !lgpoLineOK(s) {
			return fmt.Errorf("%q cannot be one line of LGPO text", s)
		}
	}
	switch {
	case trimWS(key) != key || key == "" || key[0] == ';':
		return fmt.Errorf("key %q cannot be written (empty, blanks around it or a leading ';')", key)
	case trimWS(scope) != scope:
		return fmt.Errorf("scope %q has blanks around it", scope)
	}
	return nil
}

func lgpoLineOK(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsAny(s, "\r\n\x00")
}

func lgpoWriteAction(r *PolRecord) (act, name string, err error) {
	kind, vn := r.Directive()
	v := r.Value
	switch kind {
	case PolDelete, PolDeleteAll:
		if v.Type != lgpoDeleteData.Type || string(v.Data) != string(lgpoDeleteData.Data) || r.Name != kind+vn {
			return "", "", errors.New("delete record with data other than \" \"")
		}
		if kind == PolDeleteAll {
			return "DELETEALLVALUES", "*", nil
		}
		return "DELETE", vn, nil
	case PolSet:
		if strings.HasPrefix(vn, "**") {
			return "", "", errors.New("value name starts with \"**\"")
		}
	default:
		return "", "", errors.New("LGPO text has no form for " + kind)
	}
	if u, ok := v.Uint64(); ok {
		if v.Type == checks.RegDWORD {
			return "DWORD:" + strconv.FormatUint(u, 10), vn, nil
		}
		return "QWORD:" + strconv.FormatUint(u, 10), vn, nil
	}
	switch v.Type {
	case checks.RegSZ, checks.RegExpandSZ:
		s := v.String()
		if string(checks.StringValue(v.Type, s).Data) != string(v.Data) || !lgpoLineOK(s) {
			return "", "", errors.New("string data LGPO text cannot carry exactly")
		}
		if v.Type == checks.RegSZ {
			return "SZ:" + s, vn, nil
		}
		return "EXSZ:" + s, vn, nil
	case checks.RegMultiSZ:
		items := v.Strings()
		for _, it := range items {
			if strings.Contains(it, `\0`) || !lgpoLineOK(it) {
				return "", "", errors.New("multi-string item LGPO text cannot carry")
			}
		}
		if len(items) == 0 || string(checks.MultiStringValue(items).Data) != string(v.Data) {
			return "", "", errors.New("multi-string data LGPO text cannot carry exactly")
		}
		return "MULTISZ:" + strings.Join(items, `\0`), vn, nil
	}
	return "", "", errors.New("LGPO text has no form for registry type " + strconv.FormatUint(uint64(v.Type), 10))
}
