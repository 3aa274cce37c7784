package remediate

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"medharden/checks"
	"medharden/checks/outfile"
	"medharden/checks/winfmt"
)

// ErrPackExists: the pack's folder already holds files.
var ErrPackExists = errors.New("the output folder is not empty")

// ErrUnsafeText: a name or value the pack would write into apply.cmd,
// undo.cmd, a .reg or an .inf file cannot be written there so that Windows
// reads exactly it and nothing more. It is an input error (exit 2): the
// text comes from the snapshot, the catalog or the tailoring file.
var ErrUnsafeText = errors.New("cannot be written safely into the pack")

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
			if err := firstErr(plainText("registry key", path), plainText("registry value name", a.Name)); err != nil {
				return nil, fmt.Errorf("%s: %w", s.CheckID, err)
			}
			addRegValue(applyReg, path, winfmt.RegEntry{Name: a.Name, Value: s.Target.Reg()})
			if s.Before.Exists {
				addRegValue(undoReg, path, winfmt.RegEntry{Name: a.Name, Value: s.Before.Value.Reg()})
			} else {
				addRegValue(undoReg, path, winfmt.RegEntry{Name: a.Name, Delete: true})
			}
		case KindSecPol:
			if err := firstErr(plainText("security-policy section", a.Key), plainText("security-policy key", a.Name),
				infValue("target of "+a.Name, s.Target.Text), infValue("snapshot value of "+a.Name, s.Before.Value.Text)); err != nil {
				return nil, fmt.Errorf("%s: %w", s.CheckID, err)
			}
			SetINF(applyINF, a.Key, a.Name, s.Target.Text)
			if s.Before.Exists {
				SetINF(undoINF, a.Key, a.Name, s.Before.Value.Text)
			} else {
				notDefined = append(notDefined, "["+a.Key+"] "+a.Name+" ("+s.CheckID+")")
			}
		case KindRight:
			target, err := infRights(s.Target.SIDs)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.CheckID, err)
			}
			before, err := infRights(s.Before.Value.SIDs)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", s.CheckID, err)
			}
			if err := plainText("user right", a.Name); err != nil {
				return nil, fmt.Errorf("%s: %w", s.CheckID, err)
			}
			SetINF(applyINF, "Privilege Rights", a.Name, target)
			SetINF(undoINF, "Privilege Rights", a.Name, before)
		case KindAudit:
			if xp {
				return nil, fmt.Errorf("%s: Windows XP has no advanced audit policy", s.CheckID)
			}
		}
	}
	applyCmds, undoCmds, err := packCommands(changes)
	if err != nil {
		return nil, err
	}
	host, err := cmdHostName(p.Host.Hostname)
	if err != nil {
		return nil, err
	}
	if err := plainText("snapshot folder", p.Host.Snapshot); err != nil {
		return nil, err
	}
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
			return nil, fmt.Errorf("apply.reg: %w: %v", ErrUnsafeText, err)
		}
		if err := winfmt.WriteReg(&u, undoReg); err != nil {
			return nil, fmt.Errorf("undo.reg: %w: %v", ErrUnsafeText, err)
		}
		add("apply.reg", a.Bytes())
		add("undo.reg", u.Bytes())
	}
	if hasINF {
		var a bytes.Buffer
		if err := winfmt.WriteINF(&a, finishINF(applyINF)); err != nil {
			return nil, fmt.Errorf("apply.inf: %w: %v", ErrUnsafeText, err)
		}
		add("apply.inf", a.Bytes())
	}
	if hasUndoINF {
		var u bytes.Buffer
		if err := winfmt.WriteINF(&u, finishINF(undoINF)); err != nil {
			return nil, fmt.Errorf("undo.inf: %w: %v", ErrUnsafeText, err)
		}
		add("undo.inf", u.Bytes())
	}
	add("apply.cmd", crlf(applyScript(p, opt, host, hasReg, hasINF, applyCmds)))
	add("undo.cmd", crlf(undoScript(p, opt, host, hasReg, hasUndoINF, undoCmds, notDefined)))
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
	if err := WriteFolder("pack", dir, pk.Order, pk.Files, 0o600, opt.Force); err != nil {
		return nil, err
	}
	return pk, nil
}

// WriteFolder writes files (by slash-separated path, in order) into dir,
// which must be new or empty unless force is set: first into a temporary
// folder beside it, then renamed, so a half-written folder never exists.
// what names the folder in errors ("pack", "GPO backup").
func WriteFolder(what, dir string, order []string, files map[string][]byte, perm fs.FileMode, force bool) error {
	dir = filepath.Clean(dir)
	st, err := os.Stat(dir)
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s %s: %w", what, dir, err)
	case exists && !st.IsDir():
		return fmt.Errorf("%s %s: %w: it is a file", what, dir, ErrPackExists)
	case exists:
		entries, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("%s %s: %w", what, dir, err)
		}
		if len(entries) > 0 && !force {
			return fmt.Errorf("%s %s: %w (%d entries); choose another folder or use --force to replace it", what, dir, ErrPackExists, len(entries))
		}
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("%s %s: %w", what, dir, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return fmt.Errorf("%s %s: %w", what, dir, err)
	}
	defer os.RemoveAll(tmp)
	for _, name := range order {
		full := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := outfile.Write(full, files[name], perm); err != nil {
			return err
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("%s %s: %w", what, dir, err)
	}
	if exists {
		old := tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("%s %s: move the old folder aside: %w", what, dir, err)
		}
		defer os.RemoveAll(old)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("%s %s: %w", what, dir, err)
	}
	return outfile.SyncDir(parent)
}

// packCommands gives the commands for services, audit policy and accounts:
// apply in plan order, undo in reverse. Accounts are named as they are
// called at that point of the script, since a rename changes the name.
func packCommands(changes []Step) (apply, undo []string, err error) {
	names := map[string]string{}
	for _, s := range changes {
		if s.Setting.Kind == KindAccount {
			names[s.Setting.Key] = s.Setting.Label
		}
	}
	cmd := func(s Step, v Value) (string, error) {
		a := s.Setting
		var c string
		var err error
		switch a.Kind {
		case KindService:
			c, err = scConfig(a.Name, *v.Start)
		case KindAudit:
			c, err = auditpolSet(a.Name, *v.Audit)
		case KindAccount:
			if a.Name == FieldName {
				names[a.Key] = v.Text
				c, err = wmicRename(a.Key, v.Text)
			} else {
				c, err = netUserActive(names[a.Key], *v.Disabled)
			}
		}
		if err != nil {
			return "", fmt.Errorf("%s: %w", s.CheckID, err)
		}
		return c, nil
	}
	for _, s := range changes {
		c, err := cmd(s, *s.Target)
		if err != nil {
			return nil, nil, err
		}
		if c != "" {
			apply = append(apply, c)
		}
	}
	for i := len(changes) - 1; i >= 0; i-- {
		s := changes[i]
		before := s.Before.Value
		if s.Setting.Kind == KindAudit && !s.Before.Exists {
			before = Value{Audit: &checks.AuditFlags{}} // not listed: not audited
		}
		c, err := cmd(s, before)
		if err != nil {
			return nil, nil, err
		}
		if c != "" {
			undo = append(undo, c)
		}
	}
	return apply, undo, nil
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

// SetINF sets key in section of f, adding the section or the entry where
// missing; keys compare without case, as Windows reads them.
func SetINF(f *winfmt.INF, section, key, value string) {
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
// are; no holder is an empty value ("No One"). A holder that could split
// into two (a comma) or end the line is refused.
func infRights(sids []string) (string, error) {
	out := make([]string, len(sids))
	for i, s := range sids {
		switch {
		case strings.HasPrefix(strings.ToUpper(s), "S-1-"):
			if !sidPattern.MatchString(s) {
				return "", unsafeText("SID", s, "not a SID (S-1-...)")
			}
			out[i] = "*" + s
		case s == "" || strings.TrimSpace(s) != s || strings.ContainsAny(s, `,"*`):
			return "", unsafeText("account in a user right", s, `empty, padded, or holding , " or *`)
		default:
			if err := plainText("account in a user right", s); err != nil {
				return "", err
			}
			out[i] = s
		}
	}
	return strings.Join(out, ","), nil
}

// infValue checks a security-policy value for an .inf line: one line of
// text; a quoted name holds no further quote.
func infValue(what, v string) error {
	if err := plainText(what, v); err != nil {
		return err
	}
	if inner := strings.TrimSuffix(strings.TrimPrefix(v, `"`), `"`); strings.Contains(inner, `"`) {
		return unsafeText(what, v, `a quote inside the value`)
	}
	return nil
}

var (
	sidPattern  = regexp.MustCompile(`^[Ss]-1-[0-9]+(-[0-9]+)*$`)
	guidPattern = regexp.MustCompile(`^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$`)
)

var scStart = map[checks.StartType]string{
	checks.StartBoot: "boot", checks.StartSystem: "system", checks.StartAuto: "auto",
	checks.StartManual: "demand", checks.StartDisabled: "disabled",
}

// SCStart is sc.exe's start= word for a start type; false for an unknown one.
func SCStart(st checks.StartType) (string, bool) {
	w, ok := scStart[st]
	return w, ok
}

func scConfig(name string, st checks.StartType) (string, error) {
	q, err := cmdArg("service name", name)
	if err != nil {
		return "", err
	}
	word, ok := SCStart(st)
	if !ok {
		return "", fmt.Errorf("service %s: unknown start type %d", name, st)
	}
	return fmt.Sprintf("sc config %s start= %s", q, word), nil
}

func auditpolSet(guid string, f checks.AuditFlags) (string, error) {
	if !guidPattern.MatchString(guid) {
		return "", unsafeText("audit subcategory", guid, "not a GUID in braces")
	}
	word := func(b bool) string {
		if b {
			return "enable"
		}
		return "disable"
	}
	return fmt.Sprintf("auditpol /set /subcategory:%s /success:%s /failure:%s", guid, word(f.Success), word(f.Failure)), nil
}

func wmicRename(sid, name string) (string, error) {
	if !sidPattern.MatchString(sid) {
		return "", unsafeText("account SID", sid, "not a SID (S-1-...)")
	}
	q, err := cmdAccount(name)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`wmic useraccount where "SID='%s'" call rename %s`, sid, q), nil
}

func netUserActive(name string, disabled bool) (string, error) {
	q, err := cmdAccount(name)
	if err != nil {
		return "", err
	}
	v := "yes"
	if disabled {
		v = "no"
	}
	return fmt.Sprintf("net user %s /active:%s", q, v), nil
}

// How the pack writes text into apply.cmd and undo.cmd. cmd.exe reads a
// line twice: it expands %...% first (and !...! when delayed expansion is
// on), then splits at & | < > ( ) ^ outside double quotes. So:
//   - the scripts start with "setlocal EnableExtensions DisableDelayedExpansion",
//     which makes '!' plain whatever the registry's default;
//   - untrusted text is written only inside double quotes, never bare in an
//     echo or inside a parenthesised block, so & | < > ( ) ^ are plain;
//   - '%' is doubled, which the first reading turns back into one '%';
//   - what quotes cannot protect is refused (ErrUnsafeText): '"' itself,
//     line breaks and other control characters, and non-ASCII text (cmd
//     reads the script in the OEM code page, where a multi-byte character
//     could swallow the closing quote);
//   - comments (rem) keep only characters that mean nothing to cmd.

// plainText refuses what no pack file can hold: invalid UTF-8, line breaks
// and other control characters (a line break would end a command, a .reg
// entry or an .inf line early and start one of the snapshot's choosing).
func plainText(what, s string) error {
	if !utf8.ValidString(s) {
		return unsafeText(what, s, "not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return unsafeText(what, s, "it holds a line break or another control character")
		}
	}
	return nil
}

func unsafeText(what, s, why string) error {
	return fmt.Errorf("%s %q %w: %s", what, s, ErrUnsafeText, why)
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// cmdArg quotes one argument for cmd.exe (see above).
func cmdArg(what, s string) (string, error) {
	if err := plainText(what, s); err != nil {
		return "", err
	}
	if s == "" {
		return "", unsafeText(what, s, "empty")
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return "", unsafeText(what, s, "a double quote cannot be quoted for cmd.exe")
		case c >= 0x80:
			return "", unsafeText(what, s, "only ASCII text can be written into a .cmd script safely; leave this check out of the pack (--select) and make the change by hand")
		}
	}
	return `"` + strings.ReplaceAll(s, "%", "%%") + `"`, nil
}

// cmdAccount quotes a local account name; Windows itself refuses
// " / \ [ ] : ; | = , + * ? < > in one.
func cmdAccount(name string) (string, error) {
	if strings.ContainsAny(name, `"/\[]:;|=,+*?<>`) {
		return "", unsafeText("account name", name, `Windows account names never hold " / \ [ ] : ; | = , + * ? < >`)
	}
	return cmdArg("account name", name)
}

// cmdHostName checks the snapshot's computer name and spells it for the
// scripts' host test, where it stands inside double quotes with '%'
// doubled. A NetBIOS name holds letters, digits and ! @ # $ % ^ & ' ( ) .
// - _ { } ~ (Windows refuses the rest), so anything else is refused.
func cmdHostName(name string) (string, error) {
	if err := plainText("host name", name); err != nil {
		return "", err
	}
	if name == "" || len(name) > 63 {
		return "", unsafeText("host name", name, "a computer name has 1 to 63 characters")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("!@#$%^&'().-_{}~", c) >= 0) {
			return "", unsafeText("host name", name, "a computer name holds only letters, digits and ! @ # $ % ^ & ' ( ) . - _ { } ~")
		}
	}
	return strings.ReplaceAll(name, "%", "%%"), nil
}

// remText makes text safe for a rem comment: characters that cmd could
// still act on there (%, ^ at a line end, quotes, line breaks) and
// non-ASCII become '_'.
func remText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" .,:;-_+/\\()[]{}@#'~=", r)) {
			return r
		}
		return '_'
	}, s)
}

func scriptHeader(b *strings.Builder, p *Plan, opt PackOptions, host, what string) {
	fmt.Fprintf(b, "@echo off\nrem medharden remediation pack: %s\n", what)
	fmt.Fprintf(b, "rem Made for %s, profile %s, by %s %s on %s.\n", remText(p.Host.String()), remText(p.Profile), remText(opt.Tool), remText(opt.Version), remText(p.Created))
	b.WriteString("rem Uses only tools built into Windows XP SP3 and 7. Run as Administrator.\n")
	b.WriteString("rem Give /anyhost to run it on a computer with another name (an image built from the same snapshot).\n")
	b.WriteString("setlocal EnableExtensions DisableDelayedExpansion\ncd /d \"%~dp0\"\n")
	fmt.Fprintf(b, "if /i \"%%~1\"==\"/anyhost\" goto hostok\nif /i \"%%COMPUTERNAME%%\"==\"%s\" goto hostok\n", host)
	fmt.Fprintf(b, "echo This pack was made for \"%s\"; this computer is \"%%COMPUTERNAME%%\". Nothing was changed.\nexit /b 2\n:hostok\n", host)
}
func step(b *strings.Builder, echo, cmd string) {
	fmt.Fprintf(b, "echo %s\n%s\nif errorlevel 1 goto failed\n", echo, cmd)
}

const seceditDB = `"%TEMP%\medharden.sdb"`

func applyScript(p *Plan, opt PackOptions, host string, hasReg, hasINF bool, cmds []string) string {
	var b strings.Builder
	scriptHeader(&b, p, opt, host, "apply")
	hiveChecks(&b, p)
	if hasReg {
		step(&b, "Importing registry settings from apply.reg...", "reg import apply.reg")
	}
	if hasINF {
		fmt.Fprintf(&b, "if exist %s del /q %s\n", seceditDB, seceditDB)
		step(&b, "Applying security policy and user rights from apply.inf...",
			"secedit /configure /db "+seceditDB+" /cfg apply.inf /areas SECURITYPOLICY USER_RIGHTS /quiet")
	}
	for _, c := range cmds {
		step(&b, c, c)
	}
	b.WriteString("echo Done. undo.cmd returns to the values of the snapshot.\nexit /b 0\n:failed\n")
	b.WriteString("echo A step failed, errorlevel %errorlevel%. Run undo.cmd to return to the values of the snapshot.\nexit /b 1\n")
	return b.String()
}

func undoScript(p *Plan, opt PackOptions, host string, hasReg, hasINF bool, cmds, notDefined []string) string {
	var b strings.Builder
	scriptHeader(&b, p, opt, host, "undo (restores the values of the snapshot)")
	hiveChecks(&b, p)
	if len(notDefined) > 0 {
		b.WriteString("rem These security-policy keys were not defined in the snapshot. secedit cannot make a\n")
		b.WriteString("rem key \"not defined\" again, so they keep the value apply.cmd set:\n")
		for _, k := range notDefined {
			b.WriteString("rem   " + remText(k) + "\n")
		}
	}
	for _, c := range cmds {
		step(&b, c, c)
	}
	if hasINF {
		fmt.Fprintf(&b, "if exist %s del /q %s\n", seceditDB, seceditDB)
		step(&b, "Restoring security policy and user rights from undo.inf...",
			"secedit /configure /db "+seceditDB+" /cfg undo.inf /areas SECURITYPOLICY USER_RIGHTS /quiet")
	}
	if hasReg {
		step(&b, "Restoring registry settings from undo.reg...", "reg import undo.reg")
	}
	b.WriteString("echo Done: the settings are back to the values of the snapshot.\nexit /b 0\n:failed\n")
	b.WriteString("echo A step failed, errorlevel %errorlevel%; the remaining steps were not run.\nexit /b 1\n")
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
	if users := hiveUsers(p); len(users) > 0 {
		b.WriteString("Per-user settings go into the hive of each person named below (HKEY_USERS\\<SID>).\n")
		b.WriteString("Windows has a hive loaded only while its person is logged on (or a service runs as\n")
		b.WriteString("them), so both scripts stop before changing anything when one is not loaded: log on\n")
		b.WriteString("as that person (Fast User Switching), then run the script again as Administrator.\n")
		for _, u := range users {
			b.WriteString("  " + u + "\n")
		}
	}
	b.WriteString("\n")
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
