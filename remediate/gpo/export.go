package gpo

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"medharden/checks"
	"medharden/checks/winfmt"
	"medharden/remediate"
)

// Client-side extensions of the settings a backup carries, as GPMC names
// them in Backup.xml and the GPO's machine extension list: [CSE][tool].
const (
	cseRegistry = "{35378EAC-683F-11D2-A89A-00C04FBBCFA2}"
	toolAdmin   = "{D02B1F72-3407-48AE-BA88-E8213C6761F1}"
	cseSecurity = "{827D319E-6EAC-11D2-A4EA-00C04F79F83A}"
	toolSecEdit = "{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}"
	cseAudit    = "{F3CCC681-B74C-4060-9F26-CD84525DCA2A}"
	toolAudit   = "{0F3F3735-573D-9804-99E4-AB2A69BA5FD4}"
)

// ExportOptions name the GPO and the tool that wrote it.
type ExportOptions struct {
	Name    string // the GPO's display name; "" is "medharden <host>"
	Tool    string
	Version string
	// Force replaces a non-empty output folder.
	Force bool
}

// Export is a GPO backup built from a plan: files by slash-separated path
// relative to the output folder.
type Export struct {
	Files map[string][]byte
	Order []string
	// Carried are the plan's changes the GPO holds; NotCarried says, for
	// each other change, why Group Policy cannot hold it.
	Carried    []remediate.Step
	NotCarried []string
	GPOGuid    string
	BackupID   string
}

// Build turns a plan's changes into a GPO backup: computer registry values
// into Machine\registry.pol, security policy and user rights into
// GptTmpl.inf, audit subcategories into audit.csv, with the Backup.xml,
// bkupInfo.xml and manifest.xml the Group Policy Management Console reads
// on import and LGPO.exe /g reads. README.txt lists what Group Policy
// cannot carry, the guards' refusals and the manual steps. Text that would
// not read back as written is ErrUnsafeText.
func Build(p *remediate.Plan, opt ExportOptions) (*Export, error) {
	if opt.Name == "" {
		opt.Name = "medharden " + p.Host.Hostname
	}
	if err := oneLine("GPO name", opt.Name); err != nil {
		return nil, err
	}
	ex := &Export{Files: map[string][]byte{}}
	pol := &winfmt.PolFile{}
	inf := &winfmt.INF{Sections: []winfmt.INFSection{
		{Name: "Unicode", Entries: []winfmt.INFEntry{{Key: "Unicode", Value: "yes"}}},
		{Name: "Version", Entries: []winfmt.INFEntry{{Key: "signature", Value: `"$CHICAGO$"`}, {Key: "Revision", Value: "1"}}},
	}}
	var audit [][]string
	for _, s := range p.Changes() {
		a, v := s.Setting, *s.Target
		why, err := carry(a, v, pol, inf, &audit)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w: %v", s.CheckID, a, remediate.ErrUnsafeText, err)
		}
		if why != "" {
			ex.NotCarried = append(ex.NotCarried, fmt.Sprintf("%s %s -> %s: %s", s.CheckID, a, v.Show(a.Kind), why))
			continue
		}
		ex.Carried = append(ex.Carried, s)
	}
	sum := sha256.New()
	for _, s := range ex.Carried {
		fmt.Fprintf(sum, "%s=%s\n", remediate.SettingID(s.Setting), s.Target.Show(s.Setting.Kind))
	}
	fmt.Fprintf(sum, "%s\n%s\n", p.Host.Hostname, opt.Name)
	digest := sum.Sum(nil)
	ex.GPOGuid, ex.BackupID = guidFrom(digest, "gpo"), guidFrom(digest, "backup")
	root := ex.BackupID + "/"
	var exts []string
	var xmlExts strings.Builder
	ext := func(cse, tool, desc, rel string) {
		exts = append(exts, "["+cse+tool+"]")
		win := strings.ReplaceAll(rel, "/", `\`)
		fmt.Fprintf(&xmlExts, "\t\t<GroupPolicyExtension bkp:ID=\"%s\" bkp:DescName=\"%s\">\r\n\t\t\t<FSObjectFile bkp:Path=\"%%GPO_MACH_FSPATH%%\\%s\" bkp:Location=\"DomainSysvol\\GPO\\Machine\\%s\"/>\r\n\t\t</GroupPolicyExtension>\r\n", cse, desc, win, win)
	}
	if len(pol.Records) > 0 {
		var buf bytes.Buffer
		if err := winfmt.WritePol(&buf, pol); err != nil {
			return nil, fmt.Errorf("registry.pol: %w: %v", remediate.ErrUnsafeText, err)
		}
		ex.add(root+machine+"/"+polPath, buf.Bytes())
		ext(cseRegistry, toolAdmin, "Registry", polPath)
	}
	if len(inf.Sections) > 2 {
		var buf bytes.Buffer
		if err := winfmt.WriteINF(&buf, inf); err != nil {
			return nil, fmt.Errorf("GptTmpl.inf: %w: %v", remediate.ErrUnsafeText, err)
		}
		ex.add(root+machine+"/"+infPath, buf.Bytes())
		ext(cseSecurity, toolSecEdit, "Security", infPath)
	}
	if len(audit) > 0 {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.UseCRLF = true
		rows := append([][]string{{"Machine Name", "Policy Target", "Subcategory", "Subcategory GUID", "Inclusion Setting", "Exclusion Setting", "Setting Value"}}, audit...)
		if err := w.WriteAll(rows); err != nil {
			return nil, fmt.Errorf("audit.csv: %w", err)
		}
		ex.add(root+machine+"/"+auditPath, buf.Bytes())
		ext(cseAudit, toolAudit, "Audit Policy Configuration", auditPath)
	}
	created := p.Created
	if created == "" {
		created = "2000-01-01T00:00:00Z"
	}
	ex.add(root+"Backup.xml", backupXML(ex.GPOGuid, opt.Name, strings.Join(exts, ""), len(ex.Carried), xmlExts.String()))
	inst := backupInstXML(ex.GPOGuid, ex.BackupID, opt.Name, strings.TrimSuffix(created, "Z"))
	ex.add(root+"bkupInfo.xml", []byte(xmlHeader+"<BackupInst xmlns=\""+manifestNS+"\">"+inst+"</BackupInst>\r\n"))
	ex.add("manifest.xml", []byte(xmlHeader+"<Backups xmlns=\""+manifestNS+"\" xmlns:mfst=\""+manifestNS+"\" mfst:version=\"1.0\"><BackupInst>"+inst+"</BackupInst></Backups>\r\n"))
	ex.add("README.txt", crlf(readme(p, opt, ex)))
	// What is written must read back as the same settings.
	if err := ex.verify(); err != nil {
		return nil, fmt.Errorf("%w: %v", remediate.ErrUnsafeText, err)
	}
	return ex, nil
}

func (ex *Export) add(name string, b []byte) {
	ex.Files[name] = b
	ex.Order = append(ex.Order, name)
}

// carry puts one change into the GPO's files, or says why Group Policy
// cannot carry it ("" when it is carried).
func carry(a checks.Address, v checks.Value, pol *winfmt.PolFile, inf *winfmt.INF, audit *[][]string) (string, error) {
	switch a.Kind {
	case checks.KindRegistry:
		key := winfmt.NormalizeKey(a.Key)
		if !strings.HasPrefix(strings.ToUpper(key), `HKLM\`) {
			return "a per-user setting: a GPO's user settings apply to everyone who logs on, not to one person's hive; use 'medharden apply' or the offline pack", nil
		}
		rest := key[len(`HKLM\`):]
		if err := firstErr(oneLine("registry key", rest), oneLine("registry value name", a.Name)); err != nil {
			return "", err
		}
		if strings.HasPrefix(a.Name, "**") {
			return "", fmt.Errorf("value name %q starts with **, which registry.pol reads as an instruction", a.Name)
		}
		pol.Records = append(pol.Records, winfmt.PolRecord{Key: rest, Name: a.Name, Value: v.Reg()})
	case checks.KindSecPol:
		if !secpolSections[strings.ToLower(a.Key)] {
			return "security-policy section [" + a.Key + "] is not one Group Policy's security settings carry", nil
		}
		if err := firstErr(oneLine("security-policy key", a.Name), oneLine("value of "+a.Name, v.Text)); err != nil {
			return "", err
		}
		if inner := strings.TrimSuffix(strings.TrimPrefix(v.Text, `"`), `"`); strings.Contains(inner, `"`) {
			return "", fmt.Errorf("value of %s holds a quote", a.Name)
		}
		remediate.SetINF(inf, canonicalSection(a.Key), a.Name, v.Text)
	case checks.KindRight:
		holders := make([]string, len(v.SIDs))
		for i, s := range v.SIDs {
			switch {
			case strings.HasPrefix(strings.ToUpper(s), "S-1-"):
				holders[i] = "*" + s
			case s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, `,"*`):
				return "", fmt.Errorf("holder %q of %s cannot be written into GptTmpl.inf", s, a.Name)
			default:
				holders[i] = s
			}
		}
		if err := oneLine("user right", a.Name); err != nil {
			return "", err
		}
		remediate.SetINF(inf, "Privilege Rights", a.Name, strings.Join(holders, ","))
	case checks.KindAudit:
		if !guidPattern.MatchString(a.Name) {
			return "", fmt.Errorf("audit subcategory %q is not a {GUID}", a.Name)
		}
		if err := oneLine("audit subcategory name", a.Label); err != nil {
			return "", err
		}
		f := *v.Audit
		n := 0
		if f.Success {
			n |= 1
		}
		if f.Failure {
			n |= 2
		}
		*audit = append(*audit, []string{"", "System", a.Label, strings.ToUpper(a.Name), f.String(), "", fmt.Sprint(n)})
	case checks.KindService:
		word, _ := remediate.SCStart(*v.Start)
		return "a service's start type (Group Policy's System Services would also replace the service's permissions, which medharden does not record): sc config " + a.Name + " start= " + word, nil
	case checks.KindAccount:
		return "a local account's " + a.Name + " (" + a.Label + "): Group Policy renames and disables only the built-in accounts through security policy, and the plan changes this account directly; use 'medharden apply' or the offline pack", nil
	default:
		return "Group Policy has no setting of kind " + string(a.Kind), nil
	}
	return "", nil
}

func oneLine(what, s string) error {
	if !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n\x00") || strings.TrimSpace(s) != s {
		return fmt.Errorf("%s %q is not one line of text without blanks around it", what, s)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// guidFrom makes a stable GUID from a digest: the same plan gives the same
// GPO, so exports can be compared.
func guidFrom(digest []byte, salt string) string {
	h := sha256.Sum256(append([]byte(salt+":"), digest...))
	b := h[:16]
	b[6] = b[6]&0x0f | 0x40 // version 4 layout
	b[8] = b[8]&0x3f | 0x80
	x := strings.ToUpper(hex.EncodeToString(b))
	return "{" + x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32] + "}"
}

const (
	xmlHeader  = "\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	backupNS   = "http://www.microsoft.com/GroupPolicy/GPOOperations"
	manifestNS = "http://www.microsoft.com/GroupPolicy/GPOOperations/Manifest"
)

func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func backupXML(gpoGuid, name, exts string, version int, xmlExts string) []byte {
	var b strings.Builder
	b.WriteString(xmlHeader + "<GroupPolicyBackupScheme bkp:version=\"2.0\" bkp:type=\"GroupPolicyBackupTemplate\" xmlns:bkp=\"" + backupNS + "\" xmlns=\"" + backupNS + "\">\r\n")
	b.WriteString("\t<GroupPolicyObject><SecurityGroups/><FilePaths/><GroupPolicyCoreSettings>")
	b.WriteString("<ID>" + gpoGuid + "</ID><Domain/><SecurityDescriptor/>")
	b.WriteString("<DisplayName>" + xmlText(name) + "</DisplayName><Options>0</Options>")
	fmt.Fprintf(&b, "<UserVersionNumber>0</UserVersionNumber><MachineVersionNumber>%d</MachineVersionNumber>", version+1)
	if exts == "" {
		b.WriteString("<MachineExtensionGuids/>")
	} else {
		b.WriteString("<MachineExtensionGuids>" + exts + "</MachineExtensionGuids>")
	}
	b.WriteString("<UserExtensionGuids/><WMIFilter/></GroupPolicyCoreSettings>\r\n")
	b.WriteString(xmlExts)
	b.WriteString("\t</GroupPolicyObject>\r\n</GroupPolicyBackupScheme>\r\n")
	return []byte(b.String())
}

func backupInstXML(gpoGuid, backupID, name, when string) string {
	return "<GPOGuid>" + gpoGuid + "</GPOGuid><GPODomain/><GPODomainGuid/><GPODomainController/>" +
		"<BackupTime>" + xmlText(when) + "</BackupTime><ID>" + backupID + "</ID><Comment>" + xmlText("written by medharden") + "</Comment>" +
		"<GPODisplayName>" + xmlText(name) + "</GPODisplayName>"
}

func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n"))
}

// readme says what the GPO holds, how to use it, and what it cannot hold.
func readme(p *remediate.Plan, opt ExportOptions, ex *Export) string {
	var b strings.Builder
	line := func(format string, a ...interface{}) { b.WriteString(fmt.Sprintf(format, a...) + "\n") }
	line("GPO backup \"%s\" written by %s %s", oneLineText(opt.Name), opt.Tool, opt.Version)
	line("Plan of %s, profile %s, selection %s, made %s.", oneLineText(p.Host.String()), p.Profile, p.Selection, p.Created)
	line("")
	line("Settings carried: %d (computer registry values in registry.pol, security policy and user rights in", len(ex.Carried))
	line("GptTmpl.inf, advanced audit policy in audit.csv).")
	for _, s := range ex.Carried {
		line("  %s %s -> %s", s.CheckID, oneLineText(s.Setting.String()), oneLineText(s.Target.Show(s.Setting.Kind)))
	}
	line("")
	line("To use it:")
	line("  Domain: Group Policy Management, right-click a GPO, Import Settings, and choose this folder.")
	line("  Standalone device: LGPO.exe /g <this folder>  (as Administrator), then gpupdate /force.")
	line("")
	line("Not carried by Group Policy (%d); make these changes another way:", len(ex.NotCarried))
	for _, s := range ex.NotCarried {
		line("  %s", oneLineText(s))
	}
	ref := p.Refused()
	line("")
	line("Refused by medharden's safety guards (%d), not in this GPO:", len(ref))
	for _, s := range ref {
		line("  %s %s: %s (%s)", s.CheckID, oneLineText(s.Setting.String()), oneLineText(s.Blocked), s.Guard)
	}
	man := p.ManualSteps()
	line("")
	line("Manual steps (%d):", len(man))
	for _, s := range man {
		line("  %s %s: %s", s.CheckID, oneLineText(s.Title), oneLineText(s.Manual))
	}
	return b.String()
}

func oneLineText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

// verify reads the written files back with the baseline reader and
// compares them with the carried changes.
func (ex *Export) verify() error {
	b := &Baseline{}
	for _, name := range ex.Order {
		data := ex.Files[name]
		var err error
		switch {
		case strings.HasSuffix(name, "/"+polPath):
			err = b.addPol(name, data)
		case strings.HasSuffix(name, "/GptTmpl.inf"):
			err = b.addINF(name, data)
		case strings.HasSuffix(name, "/audit.csv"):
			err = b.addAudit(name, data)
		case strings.HasSuffix(name, "/Backup.xml"):
			_, err = ParseBackupXML(name, data)
		case strings.HasSuffix(name, "/bkupInfo.xml"):
			_, err = ParseBkupInfo(name, data)
		}
		if err != nil {
			return err
		}
	}
	return SameSettings(b.Settings, Planned(ex.Carried))
}

// Planned is the settings a plan's steps set, as a baseline lists them.
func Planned(steps []remediate.Step) []Setting {
	out := make([]Setting, 0, len(steps))
	for _, s := range steps {
		out = append(out, Setting{Address: s.Setting, Value: *s.Target, Source: s.CheckID})
	}
	return out
}

// SameSettings compares two lists of settings as sets: each address once,
// with equal values. The error names the first difference.
func SameSettings(got, want []Setting) error {
	index := func(list []Setting) (map[string]Setting, []string) {
		m := map[string]Setting{}
		var ids []string
		for _, s := range list {
			id := remediate.SettingID(s.Address)
			if _, ok := m[id]; !ok {
				ids = append(ids, id)
			}
			m[id] = s
		}
		sort.Strings(ids)
		return m, ids
	}
	g, gids := index(got)
	w, wids := index(want)
	for _, id := range wids {
		ws := w[id]
		gs, ok := g[id]
		if !ok {
			return fmt.Errorf("%s is missing", ws.Address)
		}
		if !gs.Value.Equal(ws.Address.Kind, ws.Value) {
			return fmt.Errorf("%s reads back as %s, not %s", ws.Address, gs.Value.Show(ws.Address.Kind), ws.Value.Show(ws.Address.Kind))
		}
	}
	for _, id := range gids {
		if _, ok := w[id]; !ok {
			return fmt.Errorf("%s was not planned", g[id].Address)
		}
	}
	return nil
}

// ErrExists: the output folder is not empty.
var ErrExists = remediate.ErrPackExists

// Write builds the GPO backup and writes it into dir, which must be new or
// empty (Force replaces it): first into a temporary folder beside it, then
// renamed, so a half-written backup never exists.
func Write(p *remediate.Plan, dir string, opt ExportOptions) (*Export, error) {
	ex, err := Build(p, opt)
	if err != nil {
		return nil, err
	}
	if err := remediate.WriteFolder("GPO backup", dir, ex.Order, ex.Files, 0o644, opt.Force); err != nil {
		return nil, err
	}
	return ex, nil
}
