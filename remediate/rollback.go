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
	// Restored lists the settings that hold their value from before the
	// run again (written, or found so), in the order it was done.
	Restored []Saved
	// RemovedKeys are registry keys the run had created, deleted again;
	// KeptKeys are such keys left in place because something else now
	// lives in them.
	RemovedKeys []string
	KeptKeys    []string
	// Already is set when the run had been rolled back before; nothing
	// was written, since twice must be the same as once.
	Already bool
}

// Rollback restores every setting of a run to its value before the run, in
// reverse order: values that did not exist are deleted, policy keys that
// were not defined are cleared, registry keys the run created are deleted
// when empty. A setting that already holds its old value is not written,
// so steps that never started cost nothing, and a journal cut short cannot
// leave a change in place. A backup or journal that does not match its
// HMAC, or that comes from another system, is refused unless opt.Force is
// set; a run outside the runs folder, or naming a setting no fix of the
// catalog writes, always.
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
	for i := range r.Backup.Settings {
		steps = append(steps, i)
	}
	j, err := openJournal(filepath.Join(r.Dir, journalFile), r.key, lastSeq(r.Journal), r.lastMAC)
	if err != nil {
		return nil, err
	}
	defer j.close()
	why := "requested"
	switch r.State {
	case StateInterrupted:
		why = "recovery of an interrupted run"
	case StateDamaged:
		why = "forced: the journal did not verify and was set aside"
	}
	res, err := undo(ctx, h, r.Backup, j, steps, why, StateRolledBack)
	for _, i := range res.restored {
		out.Restored = append(out.Restored, r.Backup.Settings[i])
	}
	out.RemovedKeys, out.KeptKeys = res.removed, res.kept
	return out, err
}

// undone is what undo did: the steps that hold their old value again, the
// keys removed and kept.
type undone struct {
	restored      []int
	removed, kept []string
}

// undo restores the given steps in reverse order, checks that each reads
// back as before, deletes the registry keys they created if empty, and
// closes the journal with state. On any failure the journal stays open (the
// run remains pending) and the error lists them.
func undo(ctx context.Context, h checks.HostWriter, b *Backup, j *journal, steps []int, why string, state RunState) (undone, error) {
	var res undone
	order := append([]int(nil), steps...)
	sort.Sort(sort.Reverse(sort.IntSlice(order)))
	if err := j.add(Record{Op: opRollback, Detail: why}); err != nil {
		return res, err
	}
	var failures []string
	var created []string
	for _, i := range order {
		s := b.Settings[i]
		created = append(created, s.CreatedKeys...)
		if cur, err := ReadSetting(ctx, h, s.Setting); err == nil && (cur.Equal(s.Setting.Kind, s.Before) || auditUnset(s, cur)) {
			res.restored = append(res.restored, i) // never changed, or already put back
			continue
		}
		if err := j.add(Record{Op: opRestore, Step: intp(i), Check: s.CheckID, Setting: &b.Settings[i].Setting, Value: &b.Settings[i].Before}); err != nil {
			return res, err
		}
		if err := restoreSetting(ctx, h, s.Setting, s.Before); err != nil {
			failures = append(failures, fmt.Sprintf("%s (%s): %v", s.Setting, s.CheckID, err))
			j.add(Record{Op: opFailed, Step: intp(i), Error: err.Error()})
			continue
		}
		got, err := ReadSetting(ctx, h, s.Setting)
		if err == nil && !got.Equal(s.Setting.Kind, s.Before) && !auditUnset(s, got) {
			err = fmt.Errorf("reads back as %s, expected %s", got.Show(s.Setting.Kind), s.Before.Show(s.Setting.Kind))
		}
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s (%s): %v", s.Setting, s.CheckID, err))
			j.add(Record{Op: opFailed, Step: intp(i), Error: err.Error()})
			continue
		}
		if err := j.add(Record{Op: opRestored, Step: intp(i)}); err != nil {
			return res, err
		}
		res.restored = append(res.restored, i)
	}
	if len(failures) == 0 {
		// Deepest first, so that a key emptied by removing its subkeys
		// goes too.
		for _, k := range deepestFirst(created) {
			gone, err := h.DeleteEmptyRegKey(ctx, k)
			switch {
			case err != nil:
				failures = append(failures, fmt.Sprintf("remove key %s: %v", k, err))
			case gone:
				res.removed = append(res.removed, k)
				if err := j.add(Record{Op: opKeyRemoved, Detail: k}); err != nil {
					return res, err
				}
			default:
				if ok, err := h.RegKeyExists(ctx, k); err == nil && ok {
					res.kept = append(res.kept, k)
				}
			}
		}
	}
	if len(failures) > 0 {
		return res, fmt.Errorf("%w: %s (journal: %s stays open; run the rollback again as administrator)", ErrRollbackFailed, strings.Join(failures, "; "), j.path)
	}
	return res, j.add(Record{Op: opEnd, State: state})
}

// deepestFirst orders keys so that a subkey comes before its parent, once
// each (compared as Windows does).
func deepestFirst(keys []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, k := range keys {
		if id := strings.ToUpper(normalizeKey(k)); !seen[id] {
			seen[id] = true
			out = append(out, k)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return strings.Count(out[a], `\`) > strings.Count(out[b], `\`) })
	return out
}

// auditUnset accepts "No Auditing" for a subcategory that was not listed:
// Windows has no way to remove it from the policy.
func auditUnset(s Saved, got State) bool {
	return s.Setting.Kind == KindAudit && !s.Before.Exists && got.Exists && got.Value.Audit != nil && *got.Value.Audit == (checks.AuditFlags{})
}
