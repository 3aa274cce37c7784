package workflow

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"medharden/checks"
	"medharden/remediate"
)

// EventLog receives the record of every change to a live system.
type EventLog interface {
	Write(msg string, failure bool) error
}

// applicationLog is the Windows Application event log (a no-op elsewhere).
type applicationLog struct{}

func (applicationLog) Write(msg string, failure bool) error {
	return remediate.WriteEvent(msg, failure)
}

// Progress reports done of total steps; remediate makes exactly one write
// per step.
type Progress func(done, total int)

// RehearsalsBeside is the rehearsals folder that goes with a runs folder:
// beside it, named after it, so two runs folders never share one.
func RehearsalsBeside(runs string) string {
	runs = filepath.Clean(runs)
	return filepath.Join(filepath.Dir(runs), filepath.Base(runs)+"-rehearsals")
}

// Root is the folder holding the runs of a target: the runs folder for
// this computer, the rehearsals folder for a snapshot.
func (s *Session) Root(id Identity) (string, error) {
	if id.Kind == Live {
		return s.cfg.Runs, nil
	}
	if s.cfg.Rehearsals != "" {
		return s.cfg.Rehearsals, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tmp == "" {
		d, err := os.MkdirTemp("", "medharden-rehearsals-")
		if err != nil {
			return "", fmt.Errorf("create a folder for the snapshot's rehearsals: %w", err)
		}
		s.tmp = d
	}
	return s.tmp, nil
}

// RunsRoot is the open target's runs folder.
func (s *Session) RunsRoot() (string, error) {
	t, ok := s.Target()
	if !ok {
		return "", errors.New("no target is open")
	}
	return s.Root(t.ID)
}

// roots are the runs folder and, when there is one, the rehearsals folder.
func (s *Session) roots() []string {
	out := []string{s.cfg.Runs}
	s.mu.RLock()
	reh := s.cfg.Rehearsals
	if reh == "" {
		reh = s.tmp
	}
	s.mu.RUnlock()
	if reh != "" && filepath.Clean(reh) != filepath.Clean(s.cfg.Runs) {
		out = append(out, reh)
	}
	return out
}

// Pending lists the interrupted runs that block changes to the open
// target: those of its own folder only, so a crashed rehearsal never
// blocks this computer, nor a crashed live run a rehearsal.
func (s *Session) Pending() ([]*remediate.Run, error) {
	root, err := s.RunsRoot()
	if err != nil {
		return nil, err
	}
	return remediate.Pending(root)
}

// Runs lists the runs of the open target's folder, newest first.
func (s *Session) Runs() ([]*remediate.Run, error) {
	root, err := s.RunsRoot()
	if err != nil {
		return nil, err
	}
	return remediate.ListBackups(root)
}

// AllRuns lists the runs of the runs and rehearsals folders, newest first.
func (s *Session) AllRuns() ([]*remediate.Run, error) {
	var all []*remediate.Run
	for _, root := range s.roots() {
		runs, err := remediate.ListBackups(root)
		if err != nil {
			return nil, err
		}
		all = append(all, runs...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID > all[j].ID })
	return all, nil
}

// AllPending lists the interrupted runs of both folders.
func (s *Session) AllPending() ([]*remediate.Run, error) {
	var all []*remediate.Run
	for _, root := range s.roots() {
		runs, err := remediate.Pending(root)
		if err != nil {
			return nil, err
		}
		all = append(all, runs...)
	}
	return all, nil
}

// IsRehearsal tells whether a run was made on a snapshot.
func IsRehearsal(r *remediate.Run) bool {
	return r != nil && r.Backup != nil && r.Backup.Host.Source == "snapshot"
}

// OpenRun finds a run (an id or its folder) in the runs or the rehearsals
// folder and opens the target it belongs to: dir if given (a snapshot
// that moved), else the run's snapshot folder, else this computer. The
// target becomes the open one, not yet audited.
func (s *Session) OpenRun(ctx context.Context, id, dir string) (*remediate.Run, error) {
	var found []*remediate.Run
	var first error
	for i, root := range s.roots() {
		// A run that does not verify is still returned: rollback and
		// resume check it again and refuse it unless forced.
		run, err := remediate.OpenRun(root, id)
		if run == nil {
			if first == nil {
				first = err
			}
			continue
		}
		if i > 0 && !IsRehearsal(run) {
			return nil, Inputf("run %s in the rehearsals folder %s was not made on a snapshot; only the runs folder %s holds runs of real systems", run.ID, root, s.cfg.Runs)
		}
		found = append(found, run)
	}
	switch len(found) {
	case 0:
		return nil, InputError{first}
	case 2:
		// Run ids are unique within a folder only.
		return nil, Inputf("run %s is both in %s and in %s; name its folder", id, found[0].Dir, found[1].Dir)
	}
	r := found[0]
	if dir == "" && IsRehearsal(r) {
		dir = r.Backup.Host.Snapshot
	}
	t, err := Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.target, s.opened = t, true
	s.rep, s.rec, s.audited = checks.Report{}, nil, false
	s.mu.Unlock()
	return r, nil
}

// rootOf is the configured folder a run lives in.
func (s *Session) rootOf(r *remediate.Run) (string, error) {
	for _, root := range s.roots() {
		if filepath.Clean(filepath.Dir(r.Dir)) == filepath.Clean(root) {
			return root, nil
		}
	}
	return "", Inputf("run %s (%s) is in neither the runs folder nor the rehearsals folder", r.ID, r.Dir)
}

// writer is the open target as remediate writes to it, with progress
// counted when asked; the snapshot's identity comes from the typed
// Identity, never from the wrapped host.
func (s *Session) writer(total int, progress Progress) (Target, checks.HostWriter, error) {
	t, ok := s.Target()
	if !ok {
		return t, nil, errors.New("no target is open")
	}
	w, ok := t.Host.(checks.HostWriter)
	if !ok {
		return t, nil, Inputf("this build cannot change this computer's settings; build an offline pack with 'medharden remediate --snapshot DIR --pack OUT'")
	}
	return t, countWrites(w, total, progress), nil
}

func (s *Session) options(root string) (remediate.Options, error) {
	cat, err := s.Catalog()
	if err != nil {
		return remediate.Options{}, err
	}
	return remediate.Options{Root: root, Tool: s.cfg.Tool, Version: s.cfg.Version, User: s.user(), Catalog: cat}, nil
}

// Apply makes the plan's changes on the open target (backup, journal,
// verify) in its runs folder and records a live change in the event log.
// Cancelling ctx stops before the next change and rolls back what was made.
func (s *Session) Apply(ctx context.Context, p *remediate.Plan, progress Progress) (*remediate.Outcome, error) {
	if p == nil {
		return nil, errors.New("make a plan first")
	}
	t, w, err := s.writer(len(p.Changes()), progress)
	if err != nil {
		return nil, err
	}
	root, err := s.Root(t.ID)
	if err != nil {
		return nil, err
	}
	opt, err := s.options(root)
	if err != nil {
		return nil, err
	}
	out, err := remediate.Apply(ctx, w, p, opt)
	if out != nil && out.Run != "" {
		s.markRehearsal(t)
	}
	if t.ID.Kind == Live && out != nil && out.Run != "" {
		s.record(t.ID, remediate.ApplyEvent(out, err), err != nil || !out.Verify.OK())
	}
	return out, err
}

// markRehearsal notes that a snapshot's in-memory copy was changed: its
// audits from now on are of a rehearsed state.
func (s *Session) markRehearsal(t Target) {
	if t.ID.Kind != Snapshot {
		return
	}
	s.mu.Lock()
	if s.target.Host == t.Host {
		s.rehearsed = true
	}
	s.mu.Unlock()
}

// Resume finishes an interrupted run opened with OpenRun.
func (s *Session) Resume(ctx context.Context, r *remediate.Run) (*remediate.Outcome, error) {
	root, err := s.rootOf(r)
	if err != nil {
		return nil, err
	}
	t, w, err := s.writer(0, nil)
	if err != nil {
		return nil, err
	}
	opt, err := s.options(root)
	if err != nil {
		return nil, err
	}
	out, err := remediate.Resume(ctx, w, r.ID, opt)
	if out != nil {
		s.markRehearsal(t)
	}
	if t.ID.Kind == Live && out != nil {
		s.record(t.ID, remediate.ApplyEvent(out, err), err != nil || !out.Verify.OK())
	}
	return out, err
}

// Rollback restores a run's settings to their values before it; force
// accepts a backup that does not verify or comes from another system.
func (s *Session) Rollback(ctx context.Context, r *remediate.Run, force bool, progress Progress) (*remediate.RollbackOutcome, error) {
	if r == nil {
		return nil, errors.New("choose a backup first")
	}
	root, err := s.rootOf(r)
	if err != nil {
		return nil, err
	}
	total := 0
	if r.Backup != nil {
		total = len(r.Backup.Settings)
	}
	t, w, err := s.writer(total, progress)
	if err != nil {
		return nil, err
	}
	out, err := remediate.Rollback(ctx, w, r.Dir, remediate.Options{Root: root, Force: force})
	if t.ID.Kind == Live && out != nil && !out.Already {
		s.record(t.ID, remediate.RollbackEvent(out, err), err != nil)
	}
	return out, err
}

// record writes a live change to the event log: who made it, with which
// version, on which host, then what changed.
func (s *Session) record(id Identity, msg string, failure bool) {
	if err := s.writeEvent(id, msg, failure); err != nil && s.cfg.Warn != nil {
		s.cfg.Warn(err)
	}
}

// writeEvent writes one record to the event log, headed by who, with which
// version and on which host.
func (s *Session) writeEvent(id Identity, msg string, failure bool) error {
	ev := s.cfg.Events
	if ev == nil {
		ev = applicationLog{}
	}
	head := fmt.Sprintf("%s %s, technician account %s, host %s\n", s.cfg.Tool, s.cfg.Version, s.user(), id)
	if err := ev.Write(head+msg, failure); err != nil {
		return fmt.Errorf("could not write the Application event log: %w", err)
	}
	return nil
}

// user is the technician's account.
func (s *Session) user() string {
	if s.cfg.User != "" {
		return s.cfg.User
	}
	return remediate.CurrentUser()
}
