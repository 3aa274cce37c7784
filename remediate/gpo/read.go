package gpo

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// Security template sections whose keys are security-policy settings, as
// secedit exports them ([System Access] on every system, the rest where a
// template sets them).
var secpolSections = map[string]bool{
	"system access": true, "event audit": true, "kerberos policy": true,
	"system log": true, "security log": true, "application log": true,
}

// Sections that carry no setting of their own.
var infFrame = map[string]bool{"unicode": true, "version": true, "profile description": true, "strings": true}

var guidPattern = regexp.MustCompile(`^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$`)

func at(name string, line int) string { return name + ":" + strconv.Itoa(line) }

// addINF reads a security template (GptTmpl.inf).
func (b *Baseline) addINF(name string, data []byte) error {
	f, err := winfmt.ParseINF(name, data)
	if err != nil {
		return err
	}
	for _, sec := range f.Sections {
		low := strings.ToLower(sec.Name)
		switch {
		case infFrame[low]:
		case secpolSections[low]:
			for _, e := range sec.Entries {
				a := checks.Address{Kind: checks.KindSecPol, Key: canonicalSection(sec.Name), Name: e.Key}
				if err := b.add(Setting{a, checks.Value{Text: e.Value}, at(name, e.Line)}); err != nil {
					return err
				}
			}
		case low == "privilege rights":
			for _, e := range sec.Entries {
				a := checks.Address{Kind: checks.KindRight, Name: e.Key}
				if err := b.add(Setting{a, checks.Value{SIDs: winfmt.SplitRights(e.Value)}, at(name, e.Line)}); err != nil {
					return err
				}
			}
		case low == "registry values":
			for _, e := range sec.Entries {
				key, value, ok := splitRegPath(e.Key)
				if !ok {
					return &winfmt.ParseError{File: name, Line: e.Line, Msg: fmt.Sprintf("registry value %q does not start with MACHINE\\ or USER\\ and name a value", e.Key)}
				}
				if key == "" {
					b.skip("%s: %s (a user setting; only computer settings are judged)", at(name, e.Line), e.Key)
					continue
				}
				v, err := winfmt.ParseRegistryValue(e.Key, e.Value)
				if err != nil {
					return &winfmt.ParseError{File: name, Line: e.Line, Msg: err.Error()}
				}
				if err := b.addReg(key, value, v, at(name, e.Line)); err != nil {
					return err
				}
			}
		case low == "service general setting":
			for _, l := range sec.Lines {
				if len(l.Fields) < 2 {
					return &winfmt.ParseError{File: name, Line: l.Line, Msg: `a service line is "name",start,"security descriptor"`}
				}
				st, ok := checks.ParseStartType(l.Fields[1])
				if !ok || strings.TrimSpace(l.Fields[0]) == "" {
					return &winfmt.ParseError{File: name, Line: l.Line, Msg: fmt.Sprintf("service %q: start type %q is not 2 (automatic), 3 (manual) or 4 (disabled)", l.Fields[0], l.Fields[1])}
				}
				a := checks.Address{Kind: checks.KindService, Name: strings.TrimSpace(l.Fields[0])}
				if err := b.add(Setting{a, checks.Value{Start: &st}, at(name, l.Line)}); err != nil {
					return err
				}
			}
			for _, e := range sec.Entries {
				return &winfmt.ParseError{File: name, Line: e.Line, Msg: `a service line is "name",start,"security descriptor", not key = value`}
			}
		default:
			b.skip("%s: [%s] (%d entries; medharden has no setting of this kind)", at(name, sec.Line), sec.Name, len(sec.Entries)+len(sec.Lines))
		}
	}
	return nil
}

// canonicalSection spells a section as secedit exports it, which is how
// the catalog names it.
func canonicalSection(s string) string {
	for _, c := range []string{"System Access", "Event Audit", "Kerberos Policy", "System Log", "Security Log", "Application Log"} {
		if strings.EqualFold(s, c) {
			return c
		}
	}
	return s
}

// splitRegPath splits a [Registry Values] key (MACHINE\path\value) into
// HKLM\path and the value name; key is "" for a USER\ setting.
func splitRegPath(p string) (key, value string, ok bool) {
	i := strings.LastIndexByte(p, '\\')
	j := strings.IndexByte(p, '\\')
	if i <= j || j < 0 {
		return "", "", false
	}
	root, path, value := strings.ToUpper(p[:j]), p[j+1:i], p[i+1:]
	switch root {
	case "MACHINE":
		return `HKLM\` + path, value, true
	case "USER":
		return "", value, true
	}
	return "", "", false
}

// addReg records a computer registry value; one that holds a password is
// listed, not judged, so it never reaches a report.
func (b *Baseline) addReg(key, value string, v checks.RegValue, src string) error {
	if strings.Contains(strings.ToLower(value), "password") && (v.Type == checks.RegSZ || v.Type == checks.RegExpandSZ) {
		b.skip("%s: %s\\%s (holds a password; not judged)", src, key, value)
		return nil
	}
	a := checks.Address{Kind: checks.KindRegistry, Key: key, Name: value}
	return b.add(Setting{a, checks.RegSetting(v), src})
}

// addPol reads a computer registry.pol: every record sets HKLM\key.
func (b *Baseline) addPol(name string, data []byte) error {
	f, err := winfmt.ParsePol(name, data)
	if err != nil {
		return err
	}
	for _, r := range f.Records {
		src := name + "@" + strconv.Itoa(r.Offset)
		if kind, _ := r.Directive(); kind != winfmt.PolSet {
			b.skip("%s: %s\\%s (a registry.pol instruction, not a value)", src, r.Key, r.Name)
			continue
		}
		if err := b.addReg(`HKLM\`+r.Key, r.Name, r.Value, src); err != nil {
			return err
		}
	}
	return nil
}

// skipUserPol lists a user registry.pol's records: they apply to whoever
// logs on, which no single setting of the device says.
func (b *Baseline) skipUserPol(name string, data []byte) error {
	f, err := winfmt.ParsePol(name, data)
	if err != nil {
		return err
	}
	if len(f.Records) > 0 {
		b.skip("%s: %d user settings (only computer settings are judged)", name, len(f.Records))
	}
	return nil
}

// addLGPO reads LGPO text: Computer records are computer settings.
func (b *Baseline) addLGPO(name string, data []byte) error {
	entries, err := winfmt.ParseLGPO(name, data)
	if err != nil {
		return err
	}
	users := 0
	for _, e := range entries {
		src := at(name, e.Line)
		r := e.Record
		switch {
		case e.Scope != "Computer":
			users++
		case func() bool { k, _ := r.Directive(); return k != winfmt.PolSet }():
			b.skip("%s: %s\\%s (an LGPO instruction, not a value)", src, r.Key, r.Name)
		default:
			if err := b.addReg(`HKLM\`+r.Key, r.Name, r.Value, src); err != nil {
				return err
			}
		}
	}
	if users > 0 {
		b.skip("%s: %d user settings (only computer settings are judged)", name, users)
	}
	return nil
}

// addAudit reads an advanced audit policy (audit.csv, as auditpol /backup
// and the Group Policy editor write it).
func (b *Baseline) addAudit(name string, data []byte) error {
	t, err := winfmt.ParseCSV(name, data)
	if err != nil {
		return err
	}
	if len(t.Header) == 0 {
		return nil
	}
	for _, col := range []string{"Subcategory", "Subcategory GUID", "Setting Value"} {
		if t.Col(col) < 0 {
			return &winfmt.ParseError{File: name, Line: 1, Msg: "no " + col + " column (an audit.csv starts Machine Name,Policy Target,Subcategory,Subcategory GUID,...)"}
		}
	}
	for _, r := range t.Rows {
		guid := strings.TrimSpace(t.Get(r, "Subcategory GUID"))
		if guid == "" {
			// Global options (Option:CrashOnAuditFail) and resource SACLs
			// have no subcategory.
			b.skip("%s: %s (an audit option, not a subcategory)", at(name, r.Line), t.Get(r, "Subcategory"))
			continue
		}
		if !guidPattern.MatchString(guid) {
			return &winfmt.ParseError{File: name, Line: r.Line, Msg: fmt.Sprintf("subcategory GUID %q is not a {GUID}", guid)}
		}
		n, err := strconv.Atoi(strings.TrimSpace(t.Get(r, "Setting Value")))
		if err != nil || n < 0 || n > 3 {
			return &winfmt.ParseError{File: name, Line: r.Line, Msg: "Setting Value must be 0, 1, 2 or 3"}
		}
		a := checks.Address{Kind: checks.KindAudit, Name: strings.ToLower(guid), Label: strings.TrimSpace(t.Get(r, "Subcategory"))}
		f := checks.AuditFlags{Success: n&1 != 0, Failure: n&2 != 0}
		if err := b.add(Setting{a, checks.Value{Audit: &f}, at(name, r.Line)}); err != nil {
			return err
		}
	}
	return nil
}
