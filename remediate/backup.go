package remediate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"medharden/checks/outfile"
)

// Errors callers map to messages and exit codes.
var (
	// ErrTampered: a backup or journal does not match its HMAC (changed or
	// damaged), or cannot be checked; --force uses it anyway.
	ErrTampered = errors.New("run folder changed or damaged")
	// ErrOtherHost: a backup was taken on another system.
	ErrOtherHost = errors.New("backup belongs to another system")
	// ErrPending: an earlier run was interrupted and is not resolved.
	ErrPending = errors.New("an earlier remediation run was interrupted")
	// ErrNoRun: no run with that id exists under the root.
	ErrNoRun = errors.New("no such remediation run")
)

// File names inside a run folder.
const (
	backupFile  = "backup.json"
	hashFile    = "backup.json.sha256"
	journalFile = "journal.jsonl"
)

const backupFormat = 1

// Backup is every setting a run changes, as it was before, with the host's
// identity. It is written before the first change and never modified.
type Backup struct {
	Format  int      `json:"format"`
	ID      string   `json:"id"`
	Created string   `json:"created"`
	Tool    string   `json:"tool"`
	Version string   `json:"version"`
	User    string   `json:"user"`
	Host    Identity `json:"host"`
	Profile string   `json:"profile"`
	// Settings are the run's changes in apply order; rollback walks them
	// backwards.
	Settings []Saved `json:"settings"`
	Plan     *Plan   `json:"plan,omitempty"`
}

// Saved is one setting of a backup.
type Saved struct {
	CheckID string  `json:"check"`
	Setting Address `json:"setting"`
	Before  State   `json:"before"`
	Target  Value   `json:"target"`
	// CreatedKeys are the registry keys writing the value creates (from
	// the highest missing one down), deleted again by rollback when empty.
	CreatedKeys []string `json:"created_keys,omitempty"`
}

// Run is a run folder as found on disk.
type Run struct {
	ID      string
	Dir     string
	Backup  *Backup
	SHA256  string
	Journal []Record
	State   RunState
	// Err says why a folder could not be read.
	Err error
	// lastMAC continues the journal's chain under key.
	lastMAC    string
	key        []byte
	hasJournal bool
}

// RunState summarizes a run's journal.
type RunState string

// Run states.
const (
	StateNotStarted     RunState = "not-started" // backup only: nothing was changed
	StateInterrupted    RunState = "interrupted" // the journal is not closed
	StateApplied        RunState = "applied"
	StateVerifyFailed   RunState = "verify-failed"
	StateFailedReverted RunState = "failed-rolled-back"
	StateRolledBack     RunState = "rolled-back"
	StateDamaged        RunState = "damaged"
)

// Pending tells whether the run needs a rollback or a resume.
func (r *Run) Pending() bool { return r.State == StateInterrupted }

// CurrentUser is the account medharden runs as, as backups and event-log
// records name it.
func CurrentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	for _, k := range []string{"USERNAME", "USER"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "unknown"
}

// newRunDir creates root/<id>, restricted to administrators.
func newRunDir(root, host string) (string, string, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return "", "", fmt.Errorf("create %s: %w", root, err)
	}
	if err := restrictDir(root); err != nil {
		return "", "", err
	}
	base := now().UTC().Format("20060102-150405") + "-" + safeName(host)
	for i := 1; ; i++ {
		id := base
		if i > 1 {
			id += "-" + strconv.Itoa(i)
		}
		dir := filepath.Join(root, id)
		err := os.Mkdir(dir, 0o700)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", "", fmt.Errorf("create %s: %w", dir, err)
		}
		if err := restrictDir(dir); err != nil {
			return "", "", err
		}
		if err := outfile.SyncDir(root); err != nil {
			return "", "", err
		}
		return id, dir, nil
	}
}

func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "host"
	}
	return b.String()
}

// writeBackup stores the backup with its SHA-256 and HMAC crash-safely and
// returns the SHA-256.
func writeBackup(dir string, b *Backup, key []byte) (string, error) {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode backup: %w", err)
	}
	data = append(data, '\n')
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	if err := outfile.Write(filepath.Join(dir, backupFile), data, 0o400); err != nil {
		return "", err
	}
	// sha256sum's format, so the file can be checked by hand too.
	if err := outfile.Write(filepath.Join(dir, hashFile), []byte(h+"  "+backupFile+"\n"), 0o400); err != nil {
		return "", err
	}
	if err := outfile.Write(filepath.Join(dir, macFile), []byte(mac(key, data)+"\n"), 0o400); err != nil {
		return "", err
	}
	return h, nil
}

// runDir resolves a run id, or a path naming a folder directly inside the
// runs folder: rollback and resume use nothing else.
func runDir(root, idOrPath string) (string, error) {
	if idOrPath == "" {
		return "", fmt.Errorf("%w: no run named", ErrNoRun)
	}
	id := idOrPath
	if strings.ContainsAny(idOrPath, `/\`) || filepath.IsAbs(idOrPath) {
		parent, rerr := os.Stat(filepath.Dir(filepath.Clean(idOrPath)))
		rst, err := os.Stat(root)
		if rerr != nil || err != nil || !os.SameFile(parent, rst) {
			return "", fmt.Errorf("%w: %s is not in the runs folder %s; rollback and resume use only runs kept there", ErrUntrusted, idOrPath, root)
		}
		id = filepath.Base(filepath.Clean(idOrPath))
	}
	dir := filepath.Join(root, id)
	if id != "." && id != ".." && !strings.HasPrefix(id, ".") {
		if st, err := os.Lstat(dir); err == nil && st.IsDir() {
			if st, err := os.Lstat(filepath.Join(dir, backupFile)); err == nil && st.Mode().IsRegular() {
				return dir, nil
			}
		}
	}
	return "", fmt.Errorf("%w: %q (looked in %s; 'medharden backups' lists them)", ErrNoRun, idOrPath, root)
}

// OpenRun reads a run folder (a run id under root, or that folder's path)
// and checks the backup and the journal against their HMAC. A mismatch is
// ErrTampered; the Run is still returned so that a forced rollback can use
// it. A folder outside root, or a root or key that others may change, is
// ErrUntrusted.
func OpenRun(root, idOrPath string) (*Run, error) {
	if err := checkRoot(root); err != nil {
		return nil, err
	}
	dir, err := runDir(root, idOrPath)
	if err != nil {
		return nil, err
	}
	key, kerr := loadKey(root, false)
	return readRun(dir, key, kerr)
}

func readRun(dir string, key []byte, keyErr error) (*Run, error) {
	r := &Run{ID: filepath.Base(dir), Dir: dir}
	bpath := filepath.Join(dir, backupFile)
	data, err := os.ReadFile(bpath)
	if err != nil {
		return nil, fmt.Errorf("read backup: %w", err)
	}
	var b Backup
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrTampered, bpath, err)
	}
	if b.Format != backupFormat {
		return nil, fmt.Errorf("%s: backup format %d is not known to this version", bpath, b.Format)
	}
	r.Backup = &b
	sum := sha256.Sum256(data)
	r.SHA256 = hex.EncodeToString(sum[:])
	jpath := filepath.Join(dir, journalFile)
	_, serr := os.Lstat(jpath)
	r.hasJournal = serr == nil
	var jerr error
	if keyErr != nil && r.hasJournal {
		r.State, jerr = StateDamaged, fmt.Errorf("%w: %s cannot be checked: %v", ErrTampered, jpath, keyErr)
	} else {
		r.Journal, r.lastMAC, jerr = readJournal(jpath, key, r.ID)
		r.key = key
		r.State = journalState(r.Journal, jerr)
	}
	if jerr != nil && !errors.Is(jerr, fs.ErrNotExist) {
		r.Err = jerr
	}
	if errors.Is(keyErr, ErrUntrusted) {
		return r, keyErr
	}
	if keyErr != nil {
		return r, fmt.Errorf("%w: %s cannot be checked: %v (a run folder from elsewhere, or the key was deleted)", ErrTampered, bpath, keyErr)
	}
	mb, err := os.ReadFile(filepath.Join(dir, macFile))
	if err != nil {
		return r, fmt.Errorf("%w: %s: %v", ErrTampered, filepath.Join(dir, macFile), err)
	}
	if !sameMAC(strings.TrimSpace(string(mb)), mac(key, data)) {
		return r, fmt.Errorf("%w: %s does not match its HMAC in %s: it was changed after it was written, or comes from another machine", ErrTampered, bpath, macFile)
	}
	hb, err := os.ReadFile(filepath.Join(dir, hashFile))
	if err != nil {
		return r, fmt.Errorf("%w: %s: %v", ErrTampered, filepath.Join(dir, hashFile), err)
	}
	want := strings.ToLower(strings.TrimSpace(strings.SplitN(strings.TrimSpace(string(hb)), " ", 2)[0]))
	if want != r.SHA256 {
		return r, fmt.Errorf("%w: %s has SHA-256 %s, %s says %s", ErrTampered, bpath, r.SHA256, hashFile, want)
	}
	if r.Err != nil {
		return r, r.Err
	}
	if len(r.Journal) > 0 && r.Journal[0].Op == opBegin && r.Journal[0].SHA256 != r.SHA256 {
		return r, fmt.Errorf("%w: %s has SHA-256 %s, the journal recorded %s when the run began", ErrTampered, bpath, r.SHA256, r.Journal[0].SHA256)
	}
	if b.ID != r.ID {
		return r, fmt.Errorf("%w: %s says it is run %q, the folder is %q", ErrTampered, bpath, b.ID, r.ID)
	}
	return r, nil
}

// ListBackups lists the runs under root, newest first. A folder that cannot
// be read is listed with its error.
func ListBackups(root string) ([]*Run, error) {
	if err := checkRoot(root); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", root, err)
	}
	var key []byte
	var kerr error
	if len(entries) > 0 {
		key, kerr = loadKey(root, false)
	}
	var out []*Run
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		dir := filepath.Join(root, e.Name())
		if _, err := os.Stat(filepath.Join(dir, backupFile)); err != nil {
			if _, jerr := os.Stat(filepath.Join(dir, journalFile)); jerr == nil {
				out = append(out, &Run{ID: e.Name(), Dir: dir, State: StateDamaged, Err: fmt.Errorf("journal without %s", backupFile)})
			}
			continue // a folder whose backup was never completed changed nothing
		}
		r, err := readRun(dir, key, kerr)
		if r == nil {
			r = &Run{ID: e.Name(), Dir: dir, State: StateDamaged}
		}
		if err != nil {
			r.Err = err
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, nil
}

// Pending returns the runs whose journal was not closed: an apply or a
// rollback that was interrupted by a crash, a kill or a power cut. They
// must be rolled back or resumed before anything else changes the host.
func Pending(root string) ([]*Run, error) {
	runs, err := ListBackups(root)
	if err != nil {
		return nil, err
	}
	var out []*Run
	for _, r := range runs {
		// A journal that does not verify may hide changes: it blocks
		// like an interrupted one.
		if r.Pending() || (r.State == StateDamaged && r.hasJournal) {
			out = append(out, r)
		}
	}
	return out, nil
}

// CreatedTime parses the backup's creation time.
func (b *Backup) CreatedTime() time.Time {
	t, err := time.Parse(time.RFC3339, b.Created)
	if err != nil {
		return time.Time{}
	}
	return t
}
