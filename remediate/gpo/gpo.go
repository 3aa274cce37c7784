// Package gpo reads and writes vendor baselines in Group Policy's own
// formats: a GPO backup folder as the Group Policy Management Console
// writes it ({GUID}\Backup.xml, bkupInfo.xml and DomainSysvol\GPO\Machine
// with registry.pol, SecEdit\GptTmpl.inf and Audit\audit.csv), a plain
// folder holding those files, or an LGPO text file. A baseline is a list of
// settings, each a checks.Address with the value the baseline gives it;
// Checks turns them into ordinary checks, Tailoring into the overrides of a
// tailoring file, and Build writes a remediation plan as a GPO backup.
package gpo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"medharden/checks"
	"medharden/checks/infile"
	"medharden/checks/winfmt"
	"medharden/remediate"
)

// MaxFileSize bounds every file of a baseline: real ones are a few KiB.
const MaxFileSize = winfmt.MaxPolSize

// ErrNotBaseline: the path holds none of the files a baseline is made of.
var ErrNotBaseline = errors.New("not a GPO backup, a folder with GptTmpl.inf, registry.pol or audit.csv, or an LGPO text file")

// Setting is one setting a baseline sets, with its value there.
type Setting struct {
	Address checks.Address
	Value   checks.Value
	// Source names the file and line (or byte offset) that set it.
	Source string
}

// Baseline is what a vendor's GPO sets on the computer side.
type Baseline struct {
	// Path is the folder or file read; Name the GPO's display name where
	// the backup records one, else the folder's or file's name.
	Path     string
	Name     string
	Settings []Setting
	// Files are the files read, relative to Path where Path is a folder.
	Files []string
	// Skipped lists what the baseline holds that is not judged: user
	// settings, registry.pol instructions (delete, secure key), security
	// template sections without a setting kind, stored passwords.
	Skipped []string
}

// Load reads a baseline: a GPO backup folder (or the folder holding it),
// a plain folder holding GptTmpl.inf, registry.pol and audit.csv (any of
// them), or one file: a security template (.inf), a computer registry.pol
// (.pol), an audit.csv (.csv) or LGPO text (anything else). Parsing
// is strict: a malformed file is a *winfmt.ParseError naming the file and
// the line or byte offset.
func Load(path string) (*Baseline, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	b := &Baseline{Path: path, Name: filepath.Base(filepath.Clean(path))}
	if !st.IsDir() {
		data, err := readFile(path)
		if err != nil {
			return nil, err
		}
		b.Files = []string{filepath.Base(path)}
		read := (*Baseline).addLGPO
		switch strings.ToLower(filepath.Ext(path)) {
		case ".inf":
			read = (*Baseline).addINF
		case ".pol":
			read = (*Baseline).addPol
		case ".csv":
			read = (*Baseline).addAudit
		}
		if err := read(b, path, data); err != nil {
			return nil, err
		}
		return b, b.finish()
	}
	files, err := locate(path, b)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		full := filepath.Join(path, filepath.FromSlash(f.rel))
		data, err := readFile(full)
		if err != nil {
			return nil, err
		}
		b.Files = append(b.Files, f.rel)
		if err := f.read(b, full, data); err != nil {
			return nil, err
		}
	}
	return b, b.finish()
}

func readFile(path string) ([]byte, error) {
	data, err := infile.Read(path, MaxFileSize)
	if errors.Is(err, infile.ErrNotRegular) {
		return nil, &winfmt.ParseError{File: path, Msg: "not a regular file"}
	}
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, &winfmt.ParseError{File: path, Msg: fmt.Sprintf("larger than %d MiB, far more than any baseline file", MaxFileSize>>20)}
	}
	return data, nil
}

// part is one file of a baseline and how it is read.
type part struct {
	rel  string
	read func(b *Baseline, name string, data []byte) error
}

// Where Group Policy keeps each file below a GPO's Machine folder.
const (
	polPath   = "registry.pol"
	infPath   = "microsoft/windows nt/SecEdit/GptTmpl.inf"
	auditPath = "microsoft/windows nt/Audit/audit.csv"
	machine   = "DomainSysvol/GPO/Machine"
	userPol   = "DomainSysvol/GPO/User/registry.pol"
)

// locate finds a baseline's files in a folder.
func locate(dir string, b *Baseline) ([]part, error) {
	backup, err := findBackup(dir)
	if err != nil {
		return nil, err
	}
	if backup != "" {
		info, err := readBackupInfo(filepath.Join(dir, filepath.FromSlash(backup)))
		if err != nil {
			return nil, err
		}
		if info.DisplayName != "" {
			b.Name = info.DisplayName
		}
		var parts []part
		for _, p := range []part{
			{machine + "/" + infPath, (*Baseline).addINF},
			{machine + "/" + polPath, (*Baseline).addPol},
			{machine + "/" + auditPath, (*Baseline).addAudit},
		} {
			rel, ok := findFold(dir, path2(backup, p.rel))
			if ok {
				parts = append(parts, part{rel, p.read})
			}
		}
		if rel, ok := findFold(dir, path2(backup, userPol)); ok {
			parts = append(parts, part{rel, (*Baseline).skipUserPol})
		}
		if len(parts) == 0 {
			return nil, &winfmt.ParseError{File: filepath.Join(dir, filepath.FromSlash(backup)), Msg: "the GPO backup holds no computer settings (no registry.pol, GptTmpl.inf or audit.csv under " + machine + ")"}
		}
		return parts, nil
	}
	// A plain folder: the files by their GPO names, or the names a
	// baseline download gives them; an LGPO text file beside them.
	var parts []part
	pick := func(read func(*Baseline, string, []byte) error, names ...string) {
		for _, n := range names {
			if rel, ok := findFold(dir, n); ok {
				parts = append(parts, part{rel, read})
				return
			}
		}
	}
	pick((*Baseline).addINF, "GptTmpl.inf", "Machine/"+infPath)
	if len(parts) == 0 {
		if rel, ok := onlyOne(dir, ".inf"); ok {
			parts = append(parts, part{rel, (*Baseline).addINF})
		}
	}
	pick((*Baseline).addPol, "registry.pol", "Machine/registry.pol", "machine_registry.pol")
	n := len(parts)
	pick((*Baseline).addAudit, "audit.csv", "Machine/"+auditPath)
	if len(parts) == n {
		if rel, ok := onlyOne(dir, ".csv"); ok {
			parts = append(parts, part{rel, (*Baseline).addAudit})
		}
	}
	if rel, ok := onlyOne(dir, ".txt"); ok {
		parts = append(parts, part{rel, (*Baseline).addLGPO})
	}
	pick((*Baseline).skipUserPol, "User/registry.pol", "user_registry.pol")
	if len(parts) == 0 {
		return nil, fmt.Errorf("baseline %s: %w", dir, ErrNotBaseline)
	}
	return parts, nil
}

func path2(a, b string) string { return a + "/" + b }

// findBackup returns the folder (relative, slash-separated) of the one GPO
// backup in dir: dir itself when it holds Backup.xml, else its one
// subfolder that does. Several backups are an error: which one to judge
// against must be said.
func findBackup(dir string) (string, error) {
	if _, ok := findFold(dir, "Backup.xml"); ok {
		return ".", nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var found []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, ok := findFold(filepath.Join(dir, e.Name()), "Backup.xml"); ok {
			found = append(found, e.Name())
		}
	}
	switch len(found) {
	case 0:
		return "", nil
	case 1:
		return found[0], nil
	}
	sort.Strings(found)
	return "", &winfmt.ParseError{File: dir, Msg: fmt.Sprintf("holds %d GPO backups (%s); name the folder of one", len(found), strings.Join(found, ", "))}
}

// findFold finds a relative path in dir comparing each part without regard
// to case, as Windows does ("Microsoft" or "microsoft", "SecEdit"). Only
// regular files count.
func findFold(dir, rel string) (string, bool) {
	cur, out := dir, []string{}
	parts := strings.Split(rel, "/")
	for i, p := range parts {
		if p == "." {
			continue
		}
		entries, err := os.ReadDir(cur)
		if err != nil {
			return "", false
		}
		match := ""
		for _, e := range entries {
			if strings.EqualFold(e.Name(), p) {
				match = e.Name()
				break
			}
		}
		if match == "" {
			return "", false
		}
		cur = filepath.Join(cur, match)
		out = append(out, match)
		if i == len(parts)-1 {
			st, err := os.Lstat(cur)
			if err != nil || !st.Mode().IsRegular() {
				return "", false
			}
		}
	}
	return strings.Join(out, "/"), true
}

// onlyOne returns the one regular file in dir ending in ext (README.txt
// aside), if there is exactly one.
func onlyOne(dir, ext string) (string, bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", false
	}
	var found []string
	for _, e := range entries {
		n := e.Name()
		if !e.Type().IsRegular() || !strings.HasSuffix(strings.ToLower(n), ext) || strings.EqualFold(n, "README.txt") {
			continue
		}
		found = append(found, n)
	}
	if len(found) != 1 {
		return "", false
	}
	return found[0], true
}

// finish refuses a baseline without a single setting: judging against it
// would pass anything.
func (b *Baseline) finish() error {
	if len(b.Settings) == 0 {
		return &winfmt.ParseError{File: b.Path, Msg: "the baseline sets no computer setting medharden can judge"}
	}
	return nil
}

// add records a setting. The same setting set twice with the same value
// is kept once; with different values it is an error, since which one
// Windows keeps depends on the order its extensions run.
func (b *Baseline) add(s Setting) error {
	id := remediate.SettingID(s.Address)
	for _, o := range b.Settings {
		if remediate.SettingID(o.Address) != id {
			continue
		}
		if o.Value.Equal(s.Address.Kind, s.Value) {
			return nil
		}
		return &winfmt.ParseError{File: s.Source, Msg: fmt.Sprintf("sets %s to %s, but %s sets it to %s", s.Address, s.Value.Show(s.Address.Kind), o.Source, o.Value.Show(o.Address.Kind))}
	}
	b.Settings = append(b.Settings, s)
	return nil
}

func (b *Baseline) skip(format string, a ...interface{}) {
	b.Skipped = append(b.Skipped, fmt.Sprintf(format, a...))
}
