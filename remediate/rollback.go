package remediate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"medharden/checks"
)

// ErrRollbackFailed: some settings could not be restored; the journal stays
// open so that the next start offers the rollback again.
var ErrRollbackFailed = errors.New("rollback incomplete")

// RollbackOutcome is what a rollback did.
type RollbackOutcome struct {
	Run string
	Dir string
	// Restored lists the settings put back, in the order it was done.
	Restored []Saved
	// Already is set when the run had been rolled back before; nothing
	// was written, since twice must be the same as once.
	Already bool
}

// Rollback restores every setting a run may have changed to its value
// before the run, in reverse order: values that did not exist are deleted,
// policy keys that were not defined are cleared. Steps the journal shows
// were never started are left alone. A backup whose SHA-256 does not match,
// or that comes from another system, is refused unless opt.Force is set.
func Rollback(ctx context.Context, h checks.HostWriter, idOrPath string, opt Options) (*RollbackOutcome, error) {
	r, err := openChecked(ctx, h, idOrPath, opt)
	if err != nil {
		return nil, err
	}
	out := &RollbackOutcome{Run: r.ID, Dir: r.Dir}
	switch r.State {
	case StateRolledBack, StateFailedReverted:
		out.Already = true
		return out, nil
	case StateNotStarted:
		out.Already = true // nothing was ever changed
		return out, nil
	}
	var steps []int
	if r.State == StateDamaged {
		if !opt.Force {
			return nil, fmt.Errorf("run %s: %v; --force restores every setting of the backup", r.ID, r.Err)
		}
		for i := range r.Backup.Settings {
			steps = append(steps, i)
		}
	} else {
		sum := summarize(r.Journal)
		for i := range r.Backup.Settings {
			if sum.started[i] {
				steps = append(steps, i)
			}
		}
	}
	j, err := openJournal(filepath.Join(r.Dir, journalFile), lastSeq(r.Journal))
	if err != nil {
		return nil, err
	}
	defer j.close()
	why := "requested"
	if r.State == StateInterrupted {
		why = "recovery of an interrupted run"
	}
	if err := undo(ctx, h, r.Backup, j, steps, why, StateRolledBack); err != nil {
		return out, err
	}
	sort.Sort(sort.Reverse(sort.IntSlice(steps)))
	for _, i := range steps {
		out.Restored = append(out.Restored, r.Backup.Settings[i])
	}
	return out, nil
}

// undo restores the given steps in reverse order, checks that each reads
// back as before, and closes the journal with state. On any failure the
// journal stays open (the run remains pending) and the error lists them.
func undo(ctx context.Context, h checks.HostWriter, b *Backup, j *journal, steps []int, why string, state RunState) error {
	order := append([]int(nil), steps...)
	sort.Sort(sort.Reverse(sort.IntSlice(order)))
	if err := j.add(Record{Op: opRollback, Detail: why}); err != nil {
		return err
	}
	var failures []string
	for _, i := range order {
		s := b.Settings[i]
		if err := j.add(Record{Op: opRestore, Step: intp(i), Check: s.CheckID, Setting: &b.Settings[i].Setting, Value: &b.Settings[i].Before}); err != nil {
			return err
		}
		if err := restoreSetting(ctx, h, s.Setting, s.Before); err != nil {
			failures = append(failures, fmt.Sprintf("%s (%s): %v", s.Setting, s.CheckID, err))
			j.add(Record{Op: opFailed, Step: intp(i), Error: err.Error()})
			continue
		}
		got, err := ReadSetting(ctx, h, s.Setting)
		if err == nil && !got.equal(s.Setting.Kind, s.Before) && !auditUnset(s, got) {
			err = fmt.Errorf("reads back as %s, expected %s", got.Show(s.Setting.Kind), s.Before.Show(s.Setting.Kind))
		}
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s (%s): %v", s.Setting, s.CheckID, err))
			j.add(Record{Op: opFailed, Step: intp(i), Error: err.Error()})
			continue
		}
		if err := j.add(Record{Op: opRestored, Step: intp(i)}); err != nil {
			return err
		}
	}
	if len(failures) > 0 {
		return fmt.Errorf("%w: %s (journal: %s stays open; run the rollback again as administrator)", ErrRollbackFailed, strings.Join(failures, "; "), j.path)
	}
	return j.add(Record{Op: opEnd, State: state})
}

// auditUnset accepts "No Auditing" for a subcategory that was not listed:
// Windows has no way to remove it from the policy.
func auditUnset(s Saved, got State) bool {
	return s.Setting.Kind == KindAudit && !s.Before.Exists && got.Exists && got.Value.Audit != nil && *got.Value.Audit == (checks.AuditFlags{})
}
