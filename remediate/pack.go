package remediate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// ErrPackExists: the pack's folder already holds files.
var ErrPackExists = errors.New("the output folder is not empty")

// PackOptions tune WritePack.
type PackOptions struct {
	Tool    string
	Version string
	// Force replaces a non-empty output folder.
	Force bool
}

// Pack is an offline remediation pack's content, file name -> bytes.
type Pack struct {
	Files map[string][]byte
	// Order lists the files in the order README.txt names them.
	Order []string
}

// BuildPack turns a plan into an offline remediation pack for a system the
// Go program cannot run on (Windows XP) or must not run on (a vendor's
// image build): apply.cmd and undo.cmd that use only built-in tools (reg
// import, secedit /configure, sc config, auditpol on Windows 7, net user),
// with apply.reg/undo.reg and apply.inf/undo.inf. undo puts back the
// values the plan found, which for a snapshot are the snapshot's values.
func BuildPack(p *Plan, opt PackOptions) (*Pack, error) {
	xp := strings.HasPrefix(p.Host.Version, "5.")
	changes := p.Changes()
	applyReg, undoReg := &winfmt.RegFile{Version: 5}, &winfmt.RegFile{Version: 5}
	applyINF, undoINF := newINF(), newINF()
	var notDefined []string
	for _, s := range changes {
		a := s.Setting
		switch a.Kind {
		case KindRegistry:
			path, err := regPath(a.Key)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.CheckID, err)
			}
			addRegValue(applyReg, path, winfmt.RegEntry{Name: a.Name, Value: s.Target.Reg()})
			if s.Before.Exists {
				addRegValue(undoReg, path, winfmt.RegEntry{Name: a.Name, Value: s.Before.Value.Reg()})
			} else {
				addRegValue(undoReg, path, winfmt.RegEntry{Name: a.Name, Delete: true})
			}
		case KindSecPol:
			setINF(applyINF, a.Key, a.Name, s.Target.Text)
			if s.Before.Exists {
				setINF(undoINF, a.Key, a.Name, s.Before.Value.Text)
			} else {
				notDefined = append(notDefined, "["+a.Key+"] "+a.Name+" ("+s.CheckID+")")
			}
		case KindRight:
			setINF(applyINF, "Privilege Rights", a.Name, infRights(s.Target.SIDs))
			setINF(undoINF, "Privilege Rights", a.Name, infRights(s.Before.Value.SIDs))
		case KindAudit:
			if xp {
				return nil, fmt.Errorf("%s: Windows XP has no advanced audit policy", s.CheckID)
			}
		}
	}
	applyCmds, undoCmds := packCommands(changes)
	pk := &Pack{Files: map[string][]byte{}}
	add := func(name string, b []byte) {
		pk.Files[name] = b
		pk.Order = append(pk.Order, name)
	}
	hasReg := len(applyReg.Keys) > 0
	hasINF := infEntries(applyINF) > 0
	hasUndoINF := infEntries(undoINF) > 0
	if hasReg {
		var a, u bytes.Buffer
		if err := winfmt.WriteReg(&a, applyReg); err != nil {
			return nil, fmt.Errorf("apply.reg: %w", err)
		}
		if err := winfmt.WriteReg(&u, undoReg); err != nil {
			return nil, fmt.Errorf("undo.reg: %w", err)
		}
		add("apply.reg", a.Bytes())
		add("undo.reg", u.Bytes())
	}
	if hasINF {
		var a bytes.Buffer
		if err := winfmt.WriteINF(&a, finishINF(applyINF)); err != nil {
			return nil, fmt.Errorf("apply.inf: %w", err)
		}
		add("apply.inf", a.Bytes())
	}
	if hasUndoINF {
		var u bytes.Buffer
		if err := winfmt.WriteINF(&u, finishINF(undoINF)); err != nil {
			return nil, fmt.Errorf("undo.inf: %w", err)
		}
		add("undo.inf", u.Bytes())
	}
	add("apply.cmd", crlf(applyScript(p, opt, hasReg, hasINF, applyCmds)))
	add("undo.cmd", crlf(undoScript(p, opt, hasReg, hasUndoINF, undoCmds, notDefined)))
	add("README.txt", crlf(packReadme(p, opt, pk.Order, notDefined, xp)))
	return pk, nil
}

// WritePack builds the pack and writes it into dir: first into a temporary
// folder beside it, then renamed, so a half-written pack never exists.
func WritePack(p *Plan, dir string, opt PackOptions) (*Pack, error) {
	pk, err := BuildPack(p, opt)
	if err != nil {
		return nil, err
	}
	dir = filepath.Clean(dir)
	st, err := os.Stat(dir)
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("pack %s: %w", dir, err)
	case exists && !st.IsDir():
		return nil, fmt.Errorf("pack %s: %w: it is a file", dir, ErrPackExists)
	case exists:
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("pack %s: %w", dir, err)
		}
		if len(entries) > 0 && !opt.Force {
			return nil, fmt.Errorf("pack %s: %w (%d entries); choose another folder or use --force to replace it", dir, ErrPackExists, len(entries))
		}
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("pack %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp)
	for _, name := range pk.Order {
		if err := WriteFileAtomic(filepath.Join(tmp, name), pk.Files[name], false); err != nil {
			return nil, err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("pack %s: %w", dir, err)
	}
	if exists {
		old := tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return nil, fmt.Errorf("pack %s: move the old folder aside: %w", dir, err)
		}
		defer os.RemoveAll(old)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, fmt.Errorf("pack %s: %w", dir, err)
	}
	return pk, syncDir(parent)
}

// packCommands gives the commands for services, audit policy and accounts:
// apply in plan order, undo in reverse. Accounts are named as they are
// called at that point of the script, since a rename changes the name.
func packCommands(changes []Step) (apply, undo []string) {
	names := map[string]string{}
	for _, s := range changes {
		if s.Setting.Kind == KindAccount {
			names[s.Setting.Key] = s.Setting.Label
		}
	}
	cmd := func(a Address, v Value) string {
		switch a.Kind {
		case KindService:
			return scConfig(a.Name, *v.Start)
		case KindAudit:
			return auditpolSet(a.Name, *v.Audit)
		case KindAccount:
			if a.Name == FieldName {
				names[a.Key] = v.Text
				return wmicRename(a.Key, v.Text)
			}
			return netUserActive(names[a.Key], *v.Disabled)
		}
		return ""
	}
	for _, s := range changes {
		if c := cmd(s.Setting, *s.Target); c != "" {
			apply = append(apply, c)
		}
	}
	for i := len(changes) - 1; i >= 0; i-- {
		s := changes[i]
		before := s.Before.Value
		if s.Setting.Kind == KindAudit && !s.Before.Exists {
			before = Value{Audit: &checks.AuditFlags{}} // not listed: not audited
		}
		if c := cmd(s.Setting, before); c != "" {
			undo = append(undo, c)
		}
	}
	return apply, undo
}

func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n"))
}

// regPath spells a key as regedit writes it.
func regPath(key string) (string, error) {
	nk := strings.TrimRight(key, `\`)
	i := strings.IndexByte(nk, '\\')
	if i < 0 {
		return "", fmt.Errorf("registry key %q has no path below its root", key)
	}
	root, rest := strings.ToUpper(nk[:i]), nk[i:]
	switch root {
	case "HKLM", "HKEY_LOCAL_MACHINE", "MACHINE":
		return "HKEY_LOCAL_MACHINE" + rest, nil
	case "HKCU", "HKEY_CURRENT_USER":
		return "HKEY_CURRENT_USER" + rest, nil
	case "HKU", "HKEY_USERS":
		return "HKEY_USERS" + rest, nil
	}
	return "", fmt.Errorf("registry key %q: unknown root", key)
}

func addRegValue(f *winfmt.RegFile, path string, e winfmt.RegEntry) {
	for i := range f.Keys {
		if strings.EqualFold(f.Keys[i].Path, path) {
			f.Keys[i].Values = append(f.Keys[i].Values, e)
			return
		}
	}
	f.Keys = append(f.Keys, winfmt.RegKey{Path: path, Values: []winfmt.RegEntry{e}})
}

func newINF() *winfmt.INF {
	return &winfmt.INF{Sections: []winfmt.INFSection{{Name: "Unicode", Entries: []winfmt.INFEntry{{Key: "Unicode", Value: "yes"}}}}}
}

func setINF(f *winfmt.INF, section, key, value string) {
	sec := f.Section(section)
	if sec == nil {
		f.Sections = append(f.Sections, winfmt.INFSection{Name: section})
		sec = &f.Sections[len(f.Sections)-1]
	}
	for i := range sec.Entries {
		if strings.EqualFold(sec.Entries[i].Key, key) {
			sec.Entries[i].Value = value
			return
		}
	}
	sec.Entries = append(sec.Entries, winfmt.INFEntry{Key: key, Value: value})
}

func infEntries(f *winfmt.INF) int {
	n := 0
	for _, s := range f.Sections {
		if !strings.EqualFold(s.Name, "Unicode") {
			n += len(s.Entries)
		}
	}
	return n
}

// finishINF adds the [Version] section secedit requires.
func finishINF(f *winfmt.INF) *winfmt.INF {
	out := *f
	out.Sections = append(append([]winfmt.INFSection(nil), f.Sections...), winfmt.INFSection{Name: "Version", Entries: []winfmt.INFEntry{
		{Key: "signature", Value: `"$CHICAGO$"`}, {Key: "Revision", Value: "1"},
	}})
	return &out
}

// infRights writes holders as secedit does: SIDs with '*', names as they
// are; no holder is an empty value ("No One").
func infRights(sids []string) string {
	out := make([]string, len(sids))
	for i, s := range sids {
		if strings.HasPrefix(strings.ToUpper(s), "S-1-") {
			out[i] = "*" + s
		} else {
			out[i] = s
		}
	}
	return strings.Join(out, ",")
}

var scStart = map[checks.StartType]string{
	checks.StartBoot: "boot", checks.StartSystem: "system", checks.StartAuto: "auto",
	checks.StartManual: "demand", checks.StartDisabled: "disabled",
}

func scConfig(name string, st checks.StartType) string {
	return fmt.Sprintf("sc config %s start= %s", cmdQuote(name), scStart[st])
}

func auditpolSet(guid string, f checks.AuditFlags) string {
	word := func(b bool) string {
		if b {
			return "enable"
		}
		return "disable"
	}
	return fmt.Sprintf("auditpol /set /subcategory:%s /success:%s /failure:%s", guid, word(f.Success), word(f.Failure))
}

func wmicRename(sid, name string) string {
	return fmt.Sprintf(`wmic useraccount where "SID='%s'" call rename %s`, sid, cmdQuote(name))
}

func netUserActive(name string, disabled bool) string {
	v := "yes"
	if disabled {
		v = "no"
	}
	return fmt.Sprintf("net user %s /active:%s", cmdQuote(name), v)
}

// cmdQuote quotes an argument for cmd.exe; names never hold quotes, and
// '%' is doubled so that cmd does not expand it.
func cmdQuote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `"`, ""), "%", "%%") + `"`
}

func scriptHeader(b *strings.Builder, p *Plan, opt PackOptions, what string) {
	fmt.Fprintf(b, "@echo off\nrem medharden remediation pack: %s\n", what)
	fmt.Fprintf(b, "rem Made for %s, profile %s, by %s %s on %s.\n", p.Host, p.Profile, opt.Tool, opt.Version, p.Created)
	b.WriteString("rem Uses only tools built into Windows XP SP3 and 7. Run as Administrator.\n")
	b.WriteString("rem Give /anyhost to run it on a computer with another name (an image built from the same snapshot).\n")
	b.WriteString("setlocal\ncd /d \"%~dp0\"\n")
	fmt.Fprintf(b, "if /i \"%%~1\"==\"/anyhost\" goto hostok\nif /i not \"%%COMPUTERNAME%%\"==\"%s\" (\n", strings.ReplaceAll(p.Host.Hostname, "%", "%%"))
	fmt.Fprintf(b, "  echo This pack was made for %s; this computer is %%COMPUTERNAME%%. Nothing was changed.\n  exit /b 2\n)\n:hostok\n", p.Host.Hostname)
}

func step(b *strings.Builder, echo, cmd string) {
	fmt.Fprintf(b, "echo %s\n%s\nif errorlevel 1 goto failed\n", echo, cmd)
}

const seceditDB = `"%TEMP%\medharden.sdb"`

func applyScript(p *Plan, opt PackOptions, hasReg, hasINF bool, cmds []string) string {
	var b strings.Builder
	scriptHeader(&b, p, opt, "apply")
	if hasReg {
		step(&b, "Importing registry settings (apply.reg)...", "reg import apply.reg")
	}
	if hasINF {
		fmt.Fprintf(&b, "if exist %s del /q %s\n", seceditDB, seceditDB)
		step(&b, "Applying security policy and user rights (apply.inf)...",
			"secedit /configure /db "+seceditDB+" /cfg apply.inf /areas SECURITYPOLICY USER_RIGHTS /quiet")
	}
	for _, c := range cmds {
		step(&b, c, c)
	}
	b.WriteString("echo Done. undo.cmd returns to the values of the snapshot.\nexit /b 0\n:failed\n")
	b.WriteString("echo A step failed (errorlevel %errorlevel%). Run undo.cmd to return to the values of the snapshot.\nexit /b 1\n")
	return b.String()
}

func undoScript(p *Plan, opt PackOptions, hasReg, hasINF bool, cmds, notDefined []string) string {
	var b strings.Builder
	scriptHeader(&b, p, opt, "undo (restores the values of the snapshot)")
	if len(notDefined) > 0 {
		b.WriteString("rem These security-policy keys were not defined in the snapshot. secedit cannot make a\n")
		b.WriteString("rem key \"not defined\" again, so they keep the value apply.cmd set:\n")
		for _, k := range notDefined {
			b.WriteString("rem   " + k + "\n")
		}
	}
	for _, c := range cmds {
		step(&b, c, c)
	}
	if hasINF {
		fmt.Fprintf(&b, "if exist %s del /q %s\n", seceditDB, seceditDB)
		step(&b, "Restoring security policy and user rights (undo.inf)...",
			"secedit /configure /db "+seceditDB+" /cfg undo.inf /areas SECURITYPOLICY USER_RIGHTS /quiet")
	}
	if hasReg {
		step(&b, "Restoring registry settings (undo.reg)...", "reg import undo.reg")
	}
	b.WriteString("echo Done: the settings are back to the values of the snapshot.\nexit /b 0\n:failed\n")
	b.WriteString("echo A step failed (errorlevel %errorlevel%); the remaining steps were not run.\nexit /b 1\n")
	return b.String()
}

func packReadme(p *Plan, opt PackOptions, files, notDefined []string, xp bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "medharden offline remediation pack\n==================================\n\n")
	fmt.Fprintf(&b, "Made for:  %s\nProfile:   %s\nSelection: %s\nMade on:   %s by %s %s\n", p.Host, p.Profile, p.Selection, p.Created, opt.Tool, opt.Version)
	if p.Tailoring != "" {
		fmt.Fprintf(&b, "Tailoring: %s\n", p.Tailoring)
	}
	b.WriteString("\nFiles: " + strings.Join(files, ", ") + "\n\n")
	b.WriteString("How to use\n----------\n")
	b.WriteString("1. Copy this folder to the workstation and open a command prompt as Administrator.\n")
	b.WriteString("2. Run apply.cmd. It imports apply.reg, applies apply.inf with secedit, and changes\n   service start types")
	if !xp {
		b.WriteString(" and audit policy")
	}
	b.WriteString(" with built-in tools only.\n")
	b.WriteString("3. Restart the workstation, then collect a new snapshot and audit it to verify.\n")
	b.WriteString("4. To return to the values of the snapshot, run undo.cmd.\n\n")
	b.WriteString("Both scripts refuse to run on a computer with another name unless given /anyhost.\n")
	b.WriteString("HKEY_CURRENT_USER values apply to the account that runs the script.\n\n")
	if len(notDefined) > 0 {
		b.WriteString("Limits of undo\n--------------\n")
		b.WriteString("These security-policy keys were \"not defined\" in the snapshot. secedit can set a key\n")
		b.WriteString("but cannot make it \"not defined\" again, so undo.cmd leaves them at the value apply.cmd set:\n")
		for _, k := range notDefined {
			b.WriteString("  " + k + "\n")
		}
		b.WriteString("\n")
	}
	changes := p.Changes()
	fmt.Fprintf(&b, "Changes (%d)\n-----------\n", len(changes))
	for _, s := range changes {
		fmt.Fprintf(&b, "%s %s\n    %s: %s -> %s\n", s.CheckID, s.Title, s.Setting, s.Before.Show(s.Setting.Kind), s.Target.Show(s.Setting.Kind))
		for _, w := range s.Warnings {
			fmt.Fprintf(&b, "    warning: %s\n", w)
		}
	}
	if r := p.Refused(); len(r) > 0 {
		fmt.Fprintf(&b, "\nNot in this pack: refused by a safety guard (%d)\n", len(r))
		for _, s := range r {
			fmt.Fprintf(&b, "%s %s\n    %s: %s\n", s.CheckID, s.Title, s.Guard, s.Blocked)
		}
	}
	if m := p.ManualSteps(); len(m) > 0 {
		fmt.Fprintf(&b, "\nTo do by hand (%d)\n", len(m))
		for _, s := range m {
			fmt.Fprintf(&b, "%s %s\n    %s\n", s.CheckID, s.Title, s.Manual)
		}
	}
	for _, w := range p.Warnings {
		fmt.Fprintf(&b, "\nwarning: %s\n", w)
	}
	return b.String()
}
