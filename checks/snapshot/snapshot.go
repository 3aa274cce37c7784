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
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// ErrNotSnapshot: the folder holds none of the collector's files.
var ErrNotSnapshot = errors.New("not a medharden snapshot")

// Host answers the checks' questions from a snapshot folder. Writes go to an
// in-memory overlay (see overlay.go), never to the files.
type Host struct {
	dir      string
	abs      string // dir as an absolute path, for the identity
	log      collectLog
	secedit  *winfmt.INF
	auditpol *winfmt.Table
	// auditRows is auditpol.csv's first row for each subcategory GUID,
	// in AuditPolicy's spelling: the checks look up some sixty of them.
	auditRows map[string]int
	wmic      map[string]*winfmt.Table
	reg       regIndex
	overlay   overlay
	tasks     []checks.ScheduledTask // schtasks.csv, nil when not collected
}

var _ checks.Host = (*Host)(nil)

// Open parses a snapshot folder.
func Open(dir string) (*Host, error) {
	return openFolder(dir, func(in *inputs) (*Host, error) {
		if err := in.checkTotal(); err != nil {
			return nil, err
		}
		return open(dir, in)
	})
}

// identityClasses are the wmic classes that say which device a snapshot
// is and how it is networked: what inventory merge links snapshots by
// (BIOS serial, then MAC, then host name).
var identityClasses = map[string]bool{"os": true, "computersystem": true, "bios": true, "nicconfig": true}

// OpenIdentity reads only what says which device a snapshot is and when
// it was collected: collect.log and wmic\os, computersystem, bios and
// nicconfig.csv, parsed and checked as Open does. It is for choosing among
// many snapshots of a share, where a full Open of each would cost as much
// as the audits; every other question reports the data not collected, so
// an audit always needs Open.
func OpenIdentity(dir string) (*Host, error) {
	return openFolder(dir, func(in *inputs) (*Host, error) {
		h := &Host{dir: dir, wmic: map[string]*winfmt.Table{}, reg: newRegIndex()}
		if err := h.loadLog(in); err != nil {
			return nil, err
		}
		n, err := h.loadWMIC(in, identityClasses)
		if err != nil {
			return nil, err
		}
		// A folder with neither file tells no identity: it is not a
		// snapshot, as Open would say (a GPO backup beside the snapshots).
		if !h.log.read && n == 0 {
			return nil, fmt.Errorf("open snapshot %s: %w: no collect.log or wmic identity files", dir, ErrNotSnapshot)
		}
		return h, nil
	})
}

// openFolder checks that dir is a folder and reads it with read.
func openFolder(dir string, read func(in *inputs) (*Host, error)) (*Host, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("open snapshot: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("open snapshot %s: %w: not a folder", dir, ErrNotSnapshot)
	}
	h, err := read(&inputs{dir: dir})
	if err != nil {
		return nil, err
	}
	// A rollback may run from another folder: the identity keeps the
	// folder's absolute path.
	if h.abs, err = filepath.Abs(dir); err != nil {
		h.abs = dir
	}
	return h, nil
}

// source hands out a snapshot's files: inputs reads them from disk; the
// fuzz test serves them from memory.
type source interface {
	// read returns the file rel; ok is false when it does not exist.
	read(rel string, limit int64) (b []byte, ok bool, err error)
	// list returns the names in the subfolder rel that end in ext.
	list(rel, ext string) (names []string, ok bool, err error)
	modTime(rel string) (time.Time, error)
}

// open parses every file of the snapshot in dir.
func open(dir string, in source) (*Host, error) {
	h := &Host{dir: dir, wmic: map[string]*winfmt.Table{}, reg: newRegIndex()}
	found := 0
	if err := h.loadLog(in); err != nil {
		return nil, err
	}
	if h.log.read {
		found++
	}
	if b, ok, err := in.read("secedit.inf", maxSeceditSize); err != nil {
		return nil, err
	} else if ok {
		found++
		path := filepath.Join(dir, "secedit.inf")
		if h.secedit, err = winfmt.ParseINF(path, b); err != nil {
			return nil, err
		}
		if err := seceditComplete(path, h.secedit); err != nil {
			return nil, err
		}
	}
	if b, ok, err := in.read("auditpol.csv", maxAuditpolSize); err != nil {
		return nil, err
	} else if ok {
		found++
		if h.auditpol, err = winfmt.ParseCSV(filepath.Join(dir, "auditpol.csv"), b); err != nil {
			return nil, err
		}
		if err := requireColumns(h.auditpol, "Subcategory GUID", "Setting Value"); err != nil {
			return nil, err
		}
		if err := noConflictingRows(h.auditpol, "Subcategory GUID"); err != nil {
			return nil, err
		}
		h.auditRows = make(map[string]int, len(h.auditpol.Rows))
		for i, r := range h.auditpol.Rows {
			k := auditGUID(h.auditpol.Get(r, "Subcategory GUID"))
			if _, dup := h.auditRows[k]; !dup {
				h.auditRows[k] = i
			}
		}
	}
	n, err := h.loadWMIC(in, nil)
	if err != nil {
		return nil, err
	}
	found += n
	n, err = h.loadReg(in)
	if err != nil {
		return nil, err
	}
	found += n
	// After wmic and collect.log: a schtasks.csv in another language is
	// read by the layout of its Windows version.
	if err := h.loadTasks(in); err != nil {
		return nil, err
	}
	if found == 0 {
		return nil, fmt.Errorf("open snapshot %s: %w: no collect.log, secedit.inf, auditpol.csv, reg\\*.reg or wmic\\*.csv", dir, ErrNotSnapshot)
	}
	if h.secedit == nil && len(h.reg.roots) == 0 {
		return nil, fmt.Errorf("open snapshot %s: %w: neither secedit.inf nor any reg\\*.reg export is present", dir, ErrNotSnapshot)
	}
	return h, nil
}

// seceditRequired are the sections `secedit /export /areas SECURITYPOLICY
// USER_RIGHTS` writes on every Windows, [Version] last. A file without one
// of them is damaged or cut short: reading it would turn "not read" into
// "not set" ("No One" for a user right). [Event Audit] and [Registry
// Values] are written too, but security templates made by hand or by
// Group Policy may leave them out: when they are missing, the checks that
// need them report `error`.
var seceditRequired = []string{"Unicode", "System Access", "Privilege Rights", "Version"}

// seceditComplete refuses a secedit.inf that is damaged. Group Policy
// templates (GptTmpl.inf) and security templates are read as well: their other sections, entry-only lines included, are kept and not
// judged. Whatever the producer, [Version] must carry a template
// signature, and every [Registry Values] entry must read as secedit would
// apply it, so a damaged value is found at open with its line.
func seceditComplete(path string, f *winfmt.INF) error {
	for _, s := range seceditRequired {
		if f.Section(s) == nil {
			return &winfmt.ParseError{File: path, Msg: "has no [" + s + "] section; secedit /export always writes [Unicode], [System Access], [Privilege Rights] and [Version], so the file is damaged or cut short"}
		}
	}
	v := f.Section("Version")
	sig, _ := f.Get("Version", "signature")
	switch strings.ToUpper(strings.Trim(sig, `" `)) {
	case "$CHICAGO$", "$WINDOWS NT$":
	default:
		return &winfmt.ParseError{File: path, Line: v.Line, Msg: `[Version] has no signature "$CHICAGO$" or "$WINDOWS NT$", so the file is not a security template`}
	}
	if rv := f.Section("Registry Values"); rv != nil {
		for _, e := range rv.Entries {
			if _, err := winfmt.ParseRegistryValue(e.Key, e.Value); err != nil {
				return &winfmt.ParseError{File: path, Line: e.Line, Msg: "[Registry Values] " + err.Error()}
			}
		}
	}
	return nil
}

// Identity says the host is a snapshot: its folder (absolute) and the
// collector's start time as it logged it, if known.
func (h *Host) Identity() checks.Identity {
	dir := h.abs
	if dir == "" {
		dir = h.dir
	}
	return checks.Identity{Origin: checks.Snapshot, Dir: dir, CollectedAt: h.log.start}
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
	"group":             {"Domain", "Name", "SID"},
	"sysaccount":        {"Domain", "Name", "SID"},
}

// wmicAlwaysHasRows are the classes every Windows has instances of: wmic
// always writes their header and at least one row, so a file without them
// is damaged. qfe, nicconfig and encryptablevolume may be empty ("No
// Instance(s) Available").
var wmicAlwaysHasRows = map[string]bool{"os": true, "computersystem": true, "bios": true, "useraccount": true, "service": true, "group": true}

// wmicKey is the column that identifies a row: two rows with the same key
// and different fields are an error, whichever a reader would take.
var wmicKey = map[string]string{"useraccount": "SID", "service": "Name"}

// alwaysServices are services that Windows XP SP3 and 7 cannot run
// without (WMI itself answered the query, so Winmgmt is there): a
// service.csv without them is cut short or not wmic's.
var alwaysServices = []string{"Eventlog", "PlugPlay", "RpcSs", "SamSs", "Winmgmt"}

// loadWMIC parses the wmic\*.csv files, of the classes in only (all when
// nil), and returns how many it read.
func (h *Host) loadWMIC(in source, only map[string]bool) (int, error) {
	names, _, err := in.list("wmic", ".csv")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		class := strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name)))
		if only != nil && !only[class] {
			continue
		}
		n++
		b, _, err := in.read(filepath.Join("wmic", name), maxWMICSize)
		if err != nil {
			return 0, err
		}
		path := filepath.Join(h.dir, "wmic", name)
		parse := winfmt.ParseCSV
		if class == "groupuser" {
			parse = parseGroupUser // references hold commas wmic does not quote
		}
		t, err := parse(path, b)
		if err != nil {
			return 0, err
		}
		if err := wmicComplete(class, t); err != nil {
			return 0, err
		}
		h.wmic[class] = t
	}
	return n, nil
}

// wmicComplete checks a wmic class file against what wmic always writes.
func wmicComplete(class string, t *winfmt.Table) error {
	if len(t.Header) == 0 {
		if wmicAlwaysHasRows[class] {
			return &winfmt.ParseError{File: t.File, Msg: "has no CSV header; wmic always writes one for this class, so the file is damaged or empty"}
		}
		return nil
	}
	if cols, known := wmicColumns[class]; known {
		if err := requireColumns(t, cols...); err != nil {
			return err
		}
	}
	if wmicAlwaysHasRows[class] && len(t.Rows) == 0 {
		return &winfmt.ParseError{File: t.File, Msg: "has a header but no rows; every Windows has instances of this class, so the file is cut short"}
	}
	if key, ok := wmicKey[class]; ok {
		if err := noConflictingRows(t, key); err != nil {
			return err
		}
	}
	switch class {
	case "useraccount":
		// The built-in accounts can be renamed and disabled, never deleted:
		// find them by RID, not by name.
		for _, rid := range []string{"500", "501"} {
			if !hasRow(t, "SID", func(v string) bool {
				v = strings.ToUpper(v)
				return strings.HasPrefix(v, "S-1-5-21-") && strings.HasSuffix(v, "-"+rid)
			}) {
				return &winfmt.ParseError{File: t.File, Msg: "has no account with RID " + rid + " (the built-in Administrator is 500, Guest 501; every Windows has both), so the file is damaged or not the local accounts"}
			}
		}
	case "service":
		for _, name := range alwaysServices {
			if !hasRow(t, "Name", func(v string) bool { return strings.EqualFold(v, name) }) {
				return &winfmt.ParseError{File: t.File, Msg: "does not list the " + name + " service, which every Windows XP and 7 has, so the file is damaged or cut short"}
			}
		}
	}
	return nil
}

func hasRow(t *winfmt.Table, col string, match func(string) bool) bool {
	for _, r := range t.Rows {
		if match(strings.TrimSpace(t.Get(r, col))) {
			return true
		}
	}
	return false
}

// noConflictingRows refuses two rows with the same key (case-insensitive)
// and different fields. Identical repeats are harmless.
func noConflictingRows(t *winfmt.Table, col string) error {
	i := t.Col(col)
	if i < 0 {
		return nil
	}
	first := make(map[string]winfmt.Row, len(t.Rows))
	for _, r := range t.Rows {
		k := strings.ToUpper(strings.Trim(strings.TrimSpace(r.Fields[i]), "{}"))
		if k == "" {
			continue
		}
		f, dup := first[k]
		if !dup {
			first[k] = r
			continue
		}
		if !sameFields(f.Fields, r.Fields) {
			return &winfmt.ParseError{File: t.File, Line: r.Line, Msg: fmt.Sprintf("%s %s appears again with different fields (first on line %d)", col, strconv.Quote(strings.TrimSpace(r.Fields[i])), f.Line)}
		}
	}
	return nil
}

func sameFields(a, b []string) bool {
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
		info.Language, _ = strconv.Atoi(strings.TrimSpace(t.Get(r, "OSLanguage")))
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
	if h.secedit.Section(section) == nil {
		return "", fmt.Errorf("%w: secedit.inf has no [%s] section", checks.ErrNotCollected, section)
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
	t := h.auditpol
	i, ok := h.auditRows[auditGUID(guid)]
	if !ok {
		return checks.AuditFlags{}, checks.ErrAbsent
	}
	r := t.Rows[i]
	n, err := strconv.Atoi(strings.TrimSpace(t.Get(r, "Setting Value")))
	if err != nil || n < 0 || n > 3 {
		return checks.AuditFlags{}, &winfmt.ParseError{File: t.File, Line: r.Line, Msg: "Setting Value must be 0, 1, 2 or 3"}
	}
	return checks.AuditFlags{Success: n&1 != 0, Failure: n&2 != 0}, nil
}

// auditGUID is a subcategory GUID as AuditPolicy compares it.
func auditGUID(s string) string { return strings.ToLower(strings.Trim(s, "{} ")) }

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
	col := t.Col("Name") // once, not per row: every service check scans the table
	for _, r := range t.Rows {
		if strings.EqualFold(strings.TrimSpace(winfmt.Field(r, col)), name) {
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
	// absentKeys are keys the collector proved do not exist (absent=
	// lines). A failed reg export alone proves nothing: reg.exe returns 1
	// for every failure, so its key is "not collected".
	absentKeys []string
	// hives are the userhive= lines: per SID, how the collector read the
	// person's hive (see userhive.go).
	hives map[string]string
	read  bool // collect.log was there
}

// loadLog parses collect.log, when there is one.
func (h *Host) loadLog(in source) error {
	b, ok, err := in.read("collect.log", maxLogSize)
	if err != nil || !ok {
		return err
	}
	h.log, err = parseCollectLog(filepath.Join(h.dir, "collect.log"), b)
	return err
}

func parseCollectLog(path string, b []byte) (collectLog, error) {
	l := collectLog{read: true}
	text, err := winfmt.DecodeText(path, b)
	if err != nil {
		return l, err
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "start="):
			l.start = strings.TrimSpace(strings.TrimPrefix(line, "start="))
		case strings.HasPrefix(line, "absent="):
			if key := strings.TrimSpace(line[len("absent="):]); key != "" {
				l.absentKeys = append(l.absentKeys, key)
			}
		case strings.HasPrefix(line, "userhive="):
			l.addHive(line[len("userhive="):])
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
	return l, nil
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
