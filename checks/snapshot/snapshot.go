// Package snapshot is the Host that reads a collector folder: secedit.inf,
// auditpol.csv, reg\*.reg and wmic\*.csv, exactly as Windows wrote them.
//
// Every file is parsed when the folder is opened, so a corrupt file is
// reported once, with its name and line, before any check runs. A file that
// is simply missing is not an error at open: the checks that need it report
// `error` with the reason, and the others still run.
package snapshot

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// ErrNotSnapshot: the folder holds none of the collector's files.
var ErrNotSnapshot = errors.New("not a medharden snapshot")

// Host answers the checks' questions from a snapshot folder. Writes go to an
// in-memory overlay (see overlay.go), never to the files.
type Host struct {
	dir      string
	log      collectLog
	secedit  *winfmt.INF
	auditpol *winfmt.Table
	wmic     map[string]*winfmt.Table
	reg      regIndex
	overlay  overlay
}

var _ checks.Host = (*Host)(nil)

// Open parses a snapshot folder.
func Open(dir string) (*Host, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open snapshot: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("open snapshot %s: %w: not a folder", dir, ErrNotSnapshot)
	}
	h := &Host{dir: dir, wmic: map[string]*winfmt.Table{}, reg: newRegIndex()}
	found := 0

	if b, ok, err := readOptional(dir, "collect.log"); err != nil {
		return nil, err
	} else if ok {
		found++
		h.log = parseCollectLog(b)
	}
	if b, ok, err := readOptional(dir, "secedit.inf"); err != nil {
		return nil, err
	} else if ok {
		found++
		if h.secedit, err = winfmt.ParseINF(filepath.Join(dir, "secedit.inf"), b); err != nil {
			return nil, err
		}
	}
	if b, ok, err := readOptional(dir, "auditpol.csv"); err != nil {
		return nil, err
	} else if ok {
		found++
		if h.auditpol, err = winfmt.ParseCSV(filepath.Join(dir, "auditpol.csv"), b); err != nil {
			return nil, err
		}
		if err := requireColumns(h.auditpol, "Subcategory GUID", "Setting Value"); err != nil {
			return nil, err
		}
	}
	n, err := h.loadWMIC()
	if err != nil {
		return nil, err
	}
	found += n
	n, err = h.loadReg()
	if err != nil {
		return nil, err
	}
	found += n
	if found == 0 {
		return nil, fmt.Errorf("open snapshot %s: %w: no collect.log, secedit.inf, auditpol.csv, reg\\*.reg or wmic\\*.csv", dir, ErrNotSnapshot)
	}
	if h.secedit == nil && len(h.reg.roots) == 0 {
		return nil, fmt.Errorf("open snapshot %s: %w: neither secedit.inf nor any reg\\*.reg export is present", dir, ErrNotSnapshot)
	}
	return h, nil
}

// Dir is the snapshot folder.
func (h *Host) Dir() string { return h.dir }

// CollectedAt is the collector's start time as it logged it, if known.
func (h *Host) CollectedAt() string { return h.log.start }

func readOptional(dir, name string) ([]byte, bool, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", filepath.Join(dir, name), err)
	}
	return b, true, nil
}

func requireColumns(t *winfmt.Table, cols ...string) error {
	for _, c := range cols {
		if t.Col(c) < 0 {
			return &winfmt.ParseError{File: t.File, Line: 1, Msg: "missing column " + strconv.Quote(c)}
		}
	}
	return nil
}

// wmicColumns are the columns each class file must have to be usable.
var wmicColumns = map[string][]string{
	"os":                {"Caption", "Version"},
	"computersystem":    {"Name"},
	"bios":              {"SerialNumber"},
	"qfe":               {"HotFixID"},
	"nicconfig":         {"MACAddress"},
	"useraccount":       {"Name", "SID", "Disabled"},
	"service":           {"Name", "StartMode"},
	"encryptablevolume": {"DriveLetter", "ProtectionStatus"},
}

func (h *Host) loadWMIC() (int, error) {
	dir := filepath.Join(h.dir, "wmic")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", dir, err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.EqualFold(filepath.Ext(name), ".csv") {
			continue
		}
		class := strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name)))
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if err != nil {
			return 0, fmt.Errorf("read %s: %w", path, err)
		}
		t, err := winfmt.ParseCSV(path, b)
		if err != nil {
			return 0, err
		}
		if cols, known := wmicColumns[class]; known && len(t.Header) > 0 {
			if err := requireColumns(t, cols...); err != nil {
				return 0, err
			}
		}
		h.wmic[class] = t
		n++
	}
	return n, nil
}

// table returns a wmic class, or ErrNotCollected naming the file.
func (h *Host) table(class string) (*winfmt.Table, error) {
	t, ok := h.wmic[class]
	if !ok {
		return nil, fmt.Errorf("%w: the snapshot has no wmic\\%s.csv", checks.ErrNotCollected, class)
	}
	return t, nil
}

// OS identifies the system from wmic\os.csv and wmic\computersystem.csv, or
// from the "os=" line of collect.log when wmic is missing.
func (h *Host) OS(ctx context.Context) (checks.OSInfo, error) {
	var info checks.OSInfo
	if t, ok := h.wmic["os"]; ok && len(t.Rows) > 0 {
		r := t.Rows[0]
		info.Caption = strings.TrimSpace(t.Get(r, "Caption"))
		info.Version = strings.TrimSpace(t.Get(r, "Version"))
		info.ServicePack = strings.TrimSpace(t.Get(r, "CSDVersion"))
		info.Architecture = strings.TrimSpace(t.Get(r, "OSArchitecture"))
		info.Hostname = strings.TrimSpace(t.Get(r, "CSName"))
		info.SKU, _ = strconv.Atoi(strings.TrimSpace(t.Get(r, "OperatingSystemSKU")))
	} else if h.log.version != "" {
		info.Version = h.log.version
		info.Caption = h.log.osLine
	}
	if info.Version == "" {
		return info, fmt.Errorf("%w: cannot tell the Windows version: wmic\\os.csv is missing or empty and collect.log has no os= line", ErrNotSnapshot)
	}
	if info.Architecture == "" && strings.HasPrefix(info.Version, "5.") {
		info.Architecture = "32-bit"
	}
	if t, ok := h.wmic["computersystem"]; ok && len(t.Rows) > 0 {
		r := t.Rows[0]
		if info.Hostname == "" {
			info.Hostname = strings.TrimSpace(t.Get(r, "Name"))
		}
		info.PartOfDomain = strings.EqualFold(strings.TrimSpace(t.Get(r, "PartOfDomain")), "TRUE")
		info.Domain = strings.TrimSpace(t.Get(r, "Domain"))
	}
	return info, nil
}

// SecPolicy reads secedit.inf.
func (h *Host) SecPolicy(ctx context.Context, section, name string) (string, error) {
	if v, ok := h.overlay.secpol(section, name); ok {
		return v.value, v.err()
	}
	if h.secedit == nil {
		return "", fmt.Errorf("%w: the snapshot has no secedit.inf", checks.ErrNotCollected)
	}
	v, ok := h.secedit.Get(section, name)
	if !ok {
		return "", checks.ErrAbsent
	}
	return v, nil
}

// UserRight reads [Privilege Rights] and resolves names to SIDs.
func (h *Host) UserRight(ctx context.Context, right string) ([]string, error) {
	if v, ok := h.overlay.rights[strings.ToUpper(right)]; ok {
		return append([]string(nil), v...), nil
	}
	if h.secedit == nil {
		return nil, fmt.Errorf("%w: the snapshot has no secedit.inf", checks.ErrNotCollected)
	}
	v, ok := h.secedit.Get("Privilege Rights", right)
	if !ok {
		return []string{}, nil
	}
	items := winfmt.SplitRights(v)
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, h.resolveSID(it))
	}
	return out, nil
}

// resolveSID turns an account name from secedit into a SID where it can:
// well-known English names, then the local accounts of the snapshot.
// A name it cannot resolve is kept as written, so it shows in the report.
func (h *Host) resolveSID(item string) string {
	if strings.HasPrefix(strings.ToUpper(item), "S-1-") {
		return strings.ToUpper(item)
	}
	if sid, ok := checks.WellKnownSID(item); ok {
		return sid
	}
	name := item
	if i := strings.LastIndexByte(name, '\\'); i >= 0 {
		name = name[i+1:]
	}
	if accts, err := h.Accounts(context.Background()); err == nil {
		for _, a := range accts {
			if strings.EqualFold(a.Name, name) {
				return a.SID
			}
		}
	}
	return item
}

// AuditPolicy reads auditpol.csv by subcategory GUID; the numeric Setting
// Value (0-3) is used, never the localized words.
func (h *Host) AuditPolicy(ctx context.Context, guid string) (checks.AuditFlags, error) {
	if v, ok := h.overlay.audit[strings.ToLower(strings.Trim(guid, "{}"))]; ok {
		return v, nil
	}
	if h.auditpol == nil {
		if info, err := h.OS(ctx); err == nil && info.Family() == "xp" {
			return checks.AuditFlags{}, fmt.Errorf("%w: Windows XP has no advanced audit policy", checks.ErrNotSupported)
		}
		return checks.AuditFlags{}, fmt.Errorf("%w: the snapshot has no auditpol.csv", checks.ErrNotCollected)
	}
	want := strings.ToLower(strings.Trim(guid, "{} "))
	t := h.auditpol
	for _, r := range t.Rows {
		if strings.ToLower(strings.Trim(t.Get(r, "Subcategory GUID"), "{} ")) != want {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(t.Get(r, "Setting Value")))
		if err != nil || n < 0 || n > 3 {
			return checks.AuditFlags{}, &winfmt.ParseError{File: t.File, Line: r.Line, Msg: "Setting Value must be 0, 1, 2 or 3"}
		}
		return checks.AuditFlags{Success: n&1 != 0, Failure: n&2 != 0}, nil
	}
	return checks.AuditFlags{}, checks.ErrAbsent
}

// ServiceStart reads Services\<name>\Start from a reg export when one
// covers it (drivers such as mrxsmb10), otherwise wmic\service.csv.
func (h *Host) ServiceStart(ctx context.Context, name string) (checks.StartType, error) {
	key := `HKLM\SYSTEM\CurrentControlSet\Services\` + name
	v, err := h.RegValue(ctx, key, "Start")
	if err == nil {
		n, ok := v.Uint64()
		if !ok || n > 4 {
			return 0, fmt.Errorf("%s\\Start is not a start type (type %d)", key, v.Type)
		}
		return checks.StartType(n), nil
	}
	if !errors.Is(err, checks.ErrNotCollected) && !errors.Is(err, checks.ErrAbsent) {
		return 0, err
	}
	if errors.Is(err, checks.ErrAbsent) && h.reg.deleted(key) {
		return 0, checks.ErrAbsent
	}
	t, terr := h.table("service")
	if terr != nil {
		if errors.Is(err, checks.ErrAbsent) {
			return 0, checks.ErrAbsent
		}
		return 0, terr
	}
	for _, r := range t.Rows {
		if strings.EqualFold(strings.TrimSpace(t.Get(r, "Name")), name) {
			mode := t.Get(r, "StartMode")
			st, ok := checks.ParseStartType(mode)
			if !ok {
				return 0, &winfmt.ParseError{File: t.File, Line: r.Line, Msg: "unknown StartMode " + strconv.Quote(mode)}
			}
			return st, nil
		}
	}
	return 0, checks.ErrAbsent
}

// Accounts reads wmic\useraccount.csv.
func (h *Host) Accounts(ctx context.Context) ([]checks.Account, error) {
	t, err := h.table("useraccount")
	if err != nil {
		return nil, err
	}
	out := make([]checks.Account, 0, len(t.Rows))
	for _, r := range t.Rows {
		a := checks.Account{
			Name:             strings.TrimSpace(t.Get(r, "Name")),
			SID:              strings.ToUpper(strings.TrimSpace(t.Get(r, "SID"))),
			Disabled:         isTrue(t.Get(r, "Disabled")),
			PasswordRequired: isTrue(t.Get(r, "PasswordRequired")),
			PasswordExpires:  isTrue(t.Get(r, "PasswordExpires")),
			Lockout:          isTrue(t.Get(r, "Lockout")),
		}
		if !strings.HasPrefix(a.SID, "S-1-") {
			return nil, &winfmt.ParseError{File: t.File, Line: r.Line, Msg: "account " + strconv.Quote(a.Name) + " has no SID"}
		}
		out = append(out, h.overlay.account(a))
	}
	return out, nil
}

func isTrue(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "TRUE") }

// Hotfixes reads wmic\qfe.csv.
func (h *Host) Hotfixes(ctx context.Context) ([]checks.Hotfix, error) {
	t, err := h.table("qfe")
	if err != nil {
		return nil, err
	}
	out := make([]checks.Hotfix, 0, len(t.Rows))
	for _, r := range t.Rows {
		id := strings.TrimSpace(t.Get(r, "HotFixID"))
		if id == "" || strings.EqualFold(id, "File 1") {
			continue // XP lists some component updates without an id
		}
		out = append(out, checks.Hotfix{ID: id, InstalledOn: strings.TrimSpace(t.Get(r, "InstalledOn")), Description: strings.TrimSpace(t.Get(r, "Description"))})
	}
	return out, nil
}

// Volumes reads wmic\encryptablevolume.csv. Editions without BitLocker have
// no such WMI namespace, which is "not applicable", not a missing file.
func (h *Host) Volumes(ctx context.Context) ([]checks.Volume, error) {
	t, ok := h.wmic["encryptablevolume"]
	if !ok {
		info, err := h.OS(ctx)
		if err != nil {
			return nil, err
		}
		if !info.HasBitLocker() {
			return nil, fmt.Errorf("%w: %s has no BitLocker drive encryption (only Windows 7 Ultimate and Enterprise do)", checks.ErrNotSupported, describeOS(info))
		}
		return nil, fmt.Errorf("%w: the snapshot has no wmic\\encryptablevolume.csv although %s has BitLocker", checks.ErrNotCollected, describeOS(info))
	}
	out := make([]checks.Volume, 0, len(t.Rows))
	for _, r := range t.Rows {
		st, err := strconv.Atoi(strings.TrimSpace(t.Get(r, "ProtectionStatus")))
		if err != nil {
			return nil, &winfmt.ParseError{File: t.File, Line: r.Line, Msg: "ProtectionStatus is not a number"}
		}
		out = append(out, checks.Volume{DriveLetter: strings.TrimSpace(t.Get(r, "DriveLetter")), ProtectionStatus: st})
	}
	return out, nil
}

func describeOS(info checks.OSInfo) string {
	if info.Caption != "" {
		return strings.TrimSpace(info.Caption)
	}
	return "Windows " + info.Version
}

// collectLog holds what the engine uses from collect.log.
type collectLog struct {
	start   string
	osLine  string
	version string
	session checks.Session
	hasUser bool
	// missingKeys are keys whose reg export failed: reg.exe fails when the
	// key does not exist, so values under them are absent, not uncollected.
	missingKeys []string
}

func parseCollectLog(b []byte) collectLog {
	var l collectLog
	text, err := winfmt.DecodeText("collect.log", b)
	if err != nil {
		return l
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "start="):
			l.start = strings.TrimSpace(strings.TrimPrefix(line, "start="))
		case strings.HasPrefix(line, "rc=") && !strings.HasPrefix(line, "rc=0 ") && !strings.HasPrefix(line, "rc=skipped"):
			if key, ok := failedExport(line); ok {
				l.missingKeys = append(l.missingKeys, key)
			}
		case strings.HasPrefix(line, "user="):
			l.session.UserName, l.hasUser = strings.TrimSpace(line[len("user="):]), true
		case strings.HasPrefix(line, "usersid="):
			l.session.UserSID = strings.ToUpper(strings.TrimSpace(line[len("usersid="):]))
		case strings.HasPrefix(line, "session="):
			// %SESSIONNAME% is "Console" locally and "RDP-Tcp#N" over Remote Desktop.
			l.session.Remote = strings.HasPrefix(strings.ToUpper(strings.TrimSpace(line[len("session="):])), "RDP")
		case strings.HasPrefix(line, "os="):
			l.osLine = strings.TrimSpace(strings.TrimPrefix(line, "os="))
			// "Microsoft Windows [Version 6.1.7601]": the number is not localized.
			if i := strings.LastIndex(l.osLine, " "); i >= 0 {
				v := strings.TrimRight(l.osLine[i+1:], "]")
				if len(v) > 0 && v[0] >= '0' && v[0] <= '9' {
					l.version = v
				}
			}
		}
	}
	return l
}

// failedExport reads `rc=1 cmd=reg export "KEY" ...` and returns KEY.
func failedExport(line string) (string, bool) {
	i := strings.Index(line, " cmd=")
	if i < 0 {
		return "", false
	}
	cmd := strings.TrimSpace(line[i+len(" cmd="):])
	lower := strings.ToLower(cmd)
	if !strings.HasPrefix(lower, "reg export \"") && !strings.HasPrefix(lower, "reg.exe export \"") {
		return "", false
	}
	rest := cmd[strings.IndexByte(cmd, '"')+1:]
	end := strings.IndexByte(rest, '"')
	if end <= 0 {
		return "", false
	}
	return rest[:end], true
}

var _ checks.SessionSource = (*Host)(nil)

// Session is the collector's user and session as collect.log records them
// (lines user=, usersid=, session=).
func (h *Host) Session(ctx context.Context) (checks.Session, error) {
	if !h.log.hasUser {
		return checks.Session{}, fmt.Errorf("%w: collect.log does not record the collecting user", checks.ErrNotCollected)
	}
	return h.log.session, nil
}
