package remediate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"medharden/checks"
)

// ErrApplyFailed: a change could not be made; the run was rolled back.
var ErrApplyFailed = errors.New("remediation failed")

// ErrStalePlan: the host changed between planning and applying.
var ErrStalePlan = errors.New("the system changed since the plan was made")

// Options tune apply, resume and rollback.
type Options struct {
	// Root holds the run folders; "" means DefaultRoot().
	Root    string
	Tool    string
	Version string
	// User is recorded in the backup; "" means the current user.
	User string
	// Catalog, already tailored, is used to re-evaluate touched checks
	// after a resume; Apply uses the checks its plan was made from.
	Catalog *checks.Catalog
	// Force accepts a backup whose SHA-256 does not match or that was
	// taken on another system (rollback and resume only).
	Force bool
}

func (o Options) root() string {
	if o.Root == "" {
		return DefaultRoot()
	}
	return o.Root
}

// Outcome is what an apply or a resume did.
type Outcome struct {
	Run     string
	Dir     string
	Journal string
	// Changed lists the settings that were changed, in order.
	Changed []Saved
	// Failed is the step that could not be made (then RolledBack is set).
	Failed     *Saved
	FailErr    error
	RolledBack bool
	Verify     Verification
}

// Verification is the re-read after apply: every touched setting must
// read back as planned, and every touched check should now pass.
type Verification struct {
	// NotTaken are settings that read back differently from the target.
	NotTaken []Mismatch `json:"not_taken,omitempty"`
	// Results are the touched checks re-evaluated through the Host.
	Results []checks.Result `json:"results,omitempty"`
}

// Mismatch is a setting that did not take.
type Mismatch struct {
	CheckID string  `json:"check"`
	Setting Address `json:"setting"`
	Want    State   `json:"want"`
	Got     State   `json:"got"`
	Err     string  `json:"error,omitempty"`
}

// Failing returns the re-evaluated checks that still do not pass.
func (v Verification) Failing() []checks.Result {
	var out []checks.Result
	for _, r := range v.Results {
		if r.Status != checks.Pass {
			out = append(out, r)
		}
	}
	return out
}

// OK tells whether every change took and every touched check passes.
func (v Verification) OK() bool { return len(v.NotTaken) == 0 && len(v.Failing()) == 0 }

// Apply makes the plan's changes: it takes the backup, then for each step
// writes the journal record, changes the setting and confirms it. When a
// change fails (or ctx is cancelled) the changes made so far are rolled
// back, so the host is as before; the error wraps ErrApplyFailed. A crash
// leaves an open journal that Pending finds at the next start.
func Apply(ctx context.Context, h checks.HostWriter, p *Plan, opt Options) (*Outcome, error) {
	changes := p.Changes()
	if len(changes) == 0 {
		return &Outcome{}, nil
	}
	root := opt.root()
	if pend, err := Pending(root); err != nil {
		return nil, err
	} else if len(pend) > 0 {
		return nil, fmt.Errorf("%w: run %s (in %s); roll it back or resume it first", ErrPending, pend[0].ID, pend[0].Dir)
	}
	id, err := Identify(ctx, h)
	if err != nil {
		return nil, err
	}
	if !sameHost(id, p.Host) {
		return nil, fmt.Errorf("%w: the plan is for %s, this is %s", ErrOtherHost, p.Host, id)
	}
	b := &Backup{
		Format: backupFormat, Created: now().UTC().Format("2006-01-02T15:04:05Z"),
		Tool: opt.Tool, Version: opt.Version, User: opt.User, Host: id, Profile: p.Profile, Plan: p,
	}
	if b.User == "" {
		b.User = CurrentUser()
	}
	// The backup holds what is there now, read again just before the
	// first write; a plan that no longer matches is refused.
	for _, s := range changes {
		cur, err := ReadSetting(ctx, h, s.Setting)
		if err != nil {
			return nil, fmt.Errorf("back up %s (%s): %w; nothing was changed", s.Setting, s.CheckID, err)
		}
		if !cur.Equal(s.Setting.Kind, s.Before) {
			return nil, fmt.Errorf("%w: %s (%s) was %s when planned and is %s now; make a new plan (nothing was changed)",
				ErrStalePlan, s.Setting, s.CheckID, s.Before.Show(s.Setting.Kind), cur.Show(s.Setting.Kind))
		}
		saved := Saved{CheckID: s.CheckID, Setting: s.Setting, Before: cur, Target: *s.Target}
		if s.Setting.Kind == KindRegistry && !cur.Exists {
			saved.CreatedKeys = missingKeys(ctx, h, s.Setting.Key)
		}
		b.Settings = append(b.Settings, saved)
	}
	runID, dir, err := newRunDir(root, id.Hostname)
	if err != nil {
		return nil, err
	}
	if err := checkRoot(root); err != nil {
		return nil, fmt.Errorf("%w; nothing was changed", err)
	}
	key, err := loadKey(root, true)
	if err != nil {
		return nil, fmt.Errorf("%w; nothing was changed", err)
	}
	b.ID = runID
	sum, err := writeBackup(dir, b, key)
	if err != nil {
		return nil, fmt.Errorf("%w; nothing was changed", err)
	}
	out := &Outcome{Run: runID, Dir: dir, Journal: filepath.Join(dir, journalFile)}
	j, err := openJournal(out.Journal, key, 0, runID)
	if err != nil {
		return out, fmt.Errorf("%w; nothing was changed", err)
	}
	defer j.close()
	if err := j.add(Record{Op: opBegin, SHA256: sum, Steps: len(b.Settings)}); err != nil {
		return out, fmt.Errorf("%w; nothing was changed", err)
	}
	checksByID := p.checks
	if checksByID == nil {
		checksByID = catalogChecks(opt.Catalog, b.Settings)
	}
	return out, run(ctx, h, b, j, map[int]bool{}, checksByID, out)
}

// run applies the steps not yet applied, verifies and closes the journal.
func run(ctx context.Context, h checks.HostWriter, b *Backup, j *journal, done map[int]bool, byID map[string]checks.Check, out *Outcome) error {
	var started []int
	for i, s := range b.Settings {
		if !done[i] {
			continue
		}
		started = append(started, i)
		// A confirmed step that no longer holds its target (changed by
		// someone since, or a snapshot's in-memory copy that did not
		// survive the process) is made again.
		if cur, err := ReadSetting(ctx, h, s.Setting); err != nil || !cur.Equal(s.Setting.Kind, State{Exists: true, Value: s.Target}) {
			done[i] = false
		}
	}
	for i, s := range b.Settings {
		if done[i] {
			out.Changed = append(out.Changed, s)
			continue
		}
		err := ctx.Err()
		if err == nil {
			err = j.add(Record{Op: opApply, Step: intp(i), Check: s.CheckID, Setting: &b.Settings[i].Setting, Value: &State{Exists: true, Value: s.Target}})
			if err == nil {
				if !contains(started, i) {
					started = append(started, i)
				}
				err = writeSetting(ctx, h, s.Setting, s.Target)
				if err != nil {
					err = fmt.Errorf("set %s: %w", s.Setting, err)
					j.add(Record{Op: opFailed, Step: intp(i), Error: err.Error()})
				} else {
					err = j.add(Record{Op: opApplied, Step: intp(i)})
				}
			}
		}
		if err != nil {
			failed := s
			out.Failed, out.FailErr = &failed, err
			_, rerr := undo(context.Background(), h, b, j, started, "step "+s.CheckID+" failed: "+err.Error(), StateFailedReverted)
			if rerr != nil {
				return fmt.Errorf("%w: %s %s: %v; rolling back also failed: %v (journal: %s; run 'medharden rollback %s' as administrator)",
					ErrApplyFailed, s.CheckID, s.Setting, err, rerr, out.Journal, b.ID)
			}
			out.RolledBack = true
			return fmt.Errorf("%w: %s: %v; the changes made before it were rolled back, so nothing is changed (journal: %s)",
				ErrApplyFailed, s.CheckID, err, out.Journal)
		}
		out.Changed = append(out.Changed, s)
	}
	out.Verify = verify(ctx, h, b.Settings, byID)
	for i, s := range b.Settings {
		if m := findMismatch(out.Verify, s); m != nil {
			if err := j.add(Record{Op: opNotTaken, Step: intp(i), Detail: "reads back as " + m.Got.Show(s.Setting.Kind) + m.Err}); err != nil {
				return err
			}
			continue
		}
		if err := j.add(Record{Op: opVerified, Step: intp(i)}); err != nil {
			return err
		}
	}
	state := StateApplied
	if !out.Verify.OK() {
		state = StateVerifyFailed
	}
	return j.add(Record{Op: opEnd, State: state})
}

// missingKeys lists the keys that writing a value under key creates, from
// the highest missing one down to key. Top-level keys (HKLM\SOFTWARE) always
// exist; a key whose existence cannot be told ends the list, so that only
// keys known to be new are ever deleted again.
func missingKeys(ctx context.Context, w checks.Writer, key string) []string {
	var out []string
	for k := strings.TrimRight(key, `\`); strings.Count(k, `\`) >= 2; k = k[:strings.LastIndexByte(k, '\\')] {
		ok, err := w.RegKeyExists(ctx, k)
		if err != nil || ok {
			break
		}
		out = append([]string{k}, out...)
	}
	return out
}

func contains(list []int, i int) bool {
	for _, x := range list {
		if x == i {
			return true
		}
	}
	return false
}

func findMismatch(v Verification, s Saved) *Mismatch {
	for i := range v.NotTaken {
		if SettingID(v.NotTaken[i].Setting) == SettingID(s.Setting) && v.NotTaken[i].CheckID == s.CheckID {
			return &v.NotTaken[i]
		}
	}
	return nil
}

// verify re-reads every touched setting and re-evaluates the touched checks.
func verify(ctx context.Context, h checks.Host, settings []Saved, byID map[string]checks.Check) Verification {
	var v Verification
	seen := map[string]bool{}
	for _, s := range settings {
		want := State{Exists: true, Value: s.Target}
		got, err := ReadSetting(ctx, h, s.Setting)
		if err != nil || !got.Equal(s.Setting.Kind, want) {
			m := Mismatch{CheckID: s.CheckID, Setting: s.Setting, Want: want, Got: got}
			if err != nil {
				m.Err = " (" + err.Error() + ")"
			}
			v.NotTaken = append(v.NotTaken, m)
		}
		ch, ok := byID[s.CheckID]
		sid, perUser := checks.HiveUser(s.Setting.Key)
		if !ok || seen[s.CheckID+"|"+sid] {
			continue
		}
		seen[s.CheckID+"|"+sid] = true
		if perUser && s.Setting.Kind == KindRegistry && ch.UserScope() {
			v.Results = append(v.Results, checks.EvaluateUser(ctx, h, ch, checks.User{Name: s.Setting.Label, SID: sid}))
			continue
		}
		v.Results = append(v.Results, checks.Evaluate(ctx, h, ch))
	}
	return v
}

func catalogChecks(cat *checks.Catalog, settings []Saved) map[string]checks.Check {
	out := map[string]checks.Check{}
	if cat == nil {
		return out
	}
	for _, s := range settings {
		if ch, ok := cat.Get(s.CheckID); ok {
			out[s.CheckID] = ch
		}
	}
	return out
}

// Resume continues an interrupted apply: steps confirmed in the journal
// are kept, the one that may have been under way is made again (setting a
// value twice is the same as once), the rest follow, then verify.
func Resume(ctx context.Context, h checks.HostWriter, idOrPath string, opt Options) (*Outcome, error) {
	r, err := openChecked(ctx, h, idOrPath, opt)
	if err != nil {
		return nil, err
	}
	if r.State != StateInterrupted {
		return nil, fmt.Errorf("run %s is %s, not interrupted: there is nothing to resume", r.ID, r.State)
	}
	sum := summarize(r.Journal)
	if sum.rollingBk {
		return nil, fmt.Errorf("run %s was interrupted while rolling back; finish with 'medharden rollback %s'", r.ID, r.ID)
	}
	out := &Outcome{Run: r.ID, Dir: r.Dir, Journal: filepath.Join(r.Dir, journalFile)}
	j, err := openJournal(out.Journal, r.key, lastSeq(r.Journal), r.lastMAC)
	if err != nil {
		return out, err
	}
	defer j.close()
	if err := j.add(Record{Op: opResume}); err != nil {
		return out, err
	}
	byID := catalogChecks(opt.Catalog, r.Backup.Settings)
	return out, run(ctx, h, r.Backup, j, sum.applied, byID, out)
}

func lastSeq(recs []Record) int {
	if len(recs) == 0 {
		return 0
	}
	return recs[len(recs)-1].Seq
}

// openChecked opens a run and refuses a tampered backup or one from another
// system unless forced, and always one outside the runs folder or naming a
// setting no fix of the catalog writes. It checks everything before
// anything is written.
func openChecked(ctx context.Context, h checks.Host, idOrPath string, opt Options) (*Run, error) {
	r, err := OpenRun(opt.root(), idOrPath)
	if r != nil {
		cat := opt.Catalog
		if cat == nil {
			var cerr error
			if cat, cerr = checks.Builtin(); cerr != nil {
				return nil, cerr
			}
		}
		var dev *checks.Device
		person := func(sid string) bool {
			if dev == nil {
				dev = checks.BuildDevice(ctx, h, checks.Declared{})
			}
			return dev.HasUser(sid)
		}
		if err := checkSettings(cat, r.Backup, filepath.Join(r.Dir, backupFile), person); err != nil {
			return nil, err
		}
	}
	if err != nil && (r == nil || !opt.Force || !errors.Is(err, ErrTampered)) {
		if r != nil && errors.Is(err, ErrTampered) {
			return nil, fmt.Errorf("%w; refusing to use it (--force uses it anyway)", err)
		}
		return nil, err
	}
	id, err := Identify(ctx, h)
	if err != nil {
		return nil, err
	}
	if !sameHost(id, r.Backup.Host) && !opt.Force {
		return nil, fmt.Errorf("%w: run %s was taken on %s, this is %s; refusing (--force restores it anyway)", ErrOtherHost, r.ID, r.Backup.Host, id)
	}
	if r.key, err = loadKey(opt.root(), true); err != nil {
		return nil, err
	}
	if r.State == StateDamaged {
		// Forced: the journal cannot be trusted. It is kept aside and a
		// new one is begun.
		if err := setAside(r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// setAside renames a journal that does not verify, so that the records a
// forced rollback writes start a chain of their own.
func setAside(r *Run) error {
	if !r.hasJournal {
		return nil
	}
	from := filepath.Join(r.Dir, journalFile)
	to := fmt.Sprintf("%s.damaged-%s", from, now().UTC().Format("20060102-150405"))
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("set the damaged journal aside: %w", err)
	}
	r.Journal, r.lastMAC, r.hasJournal = nil, r.ID, false
	return nil
}

func sameHost(a, b Identity) bool {
	return strings.EqualFold(a.Hostname, b.Hostname) && a.Source == b.Source
}
