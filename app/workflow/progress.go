package workflow

import (
	"context"
	"fmt"
	"sync/atomic"

	"medharden/checks"
)

// remediate makes exactly one write per step, so counting the writes that
// pass through the host gives a true progress bar without remediate
// knowing about the UI.
type countingWriter struct {
	checks.HostWriter
	total    int
	done     int32
	progress Progress
}

// The device model is read through the host as well: rollback accepts a
// per-user setting only in the hive of one of the device's people.

func (w *countingWriter) WMI(ctx context.Context, class string) ([]map[string]string, error) {
	if s, ok := w.HostWriter.(checks.InventorySource); ok {
		return s.WMI(ctx, class)
	}
	return nil, fmt.Errorf("%w: this host cannot list WMI classes", checks.ErrNotCollected)
}

func (w *countingWriter) RegSubkeys(ctx context.Context, key string) ([]string, error) {
	if s, ok := w.HostWriter.(checks.InventorySource); ok {
		return s.RegSubkeys(ctx, key)
	}
	return nil, fmt.Errorf("%w: this host cannot list registry keys", checks.ErrNotCollected)
}

func (w *countingWriter) Session(ctx context.Context) (checks.Session, error) {
	if s, ok := w.HostWriter.(checks.SessionSource); ok {
		return s.Session(ctx)
	}
	return checks.Session{}, fmt.Errorf("%w: this host does not know who runs medharden", checks.ErrNotCollected)
}

// countWrites wraps h so that progress hears of every write; with a nil
// progress h is returned as it is.
func countWrites(h checks.HostWriter, total int, progress Progress) checks.HostWriter {
	if progress == nil {
		return h
	}
	// The embedded host keeps its own identity: a snapshot stays that
	// snapshot for remediate.
	return &countingWriter{HostWriter: h, total: total, progress: progress}
}

func (w *countingWriter) step(err error) error {
	n := int(atomic.AddInt32(&w.done, 1))
	if n > w.total {
		n = w.total
	}
	w.progress(n, w.total)
	return err
}

func (w *countingWriter) SetRegValue(ctx context.Context, key, name string, v checks.RegValue) error {
	return w.step(w.HostWriter.SetRegValue(ctx, key, name, v))
}

func (w *countingWriter) DeleteRegValue(ctx context.Context, key, name string) error {
	return w.step(w.HostWriter.DeleteRegValue(ctx, key, name))
}

func (w *countingWriter) SetSecPolicy(ctx context.Context, section, name, value string) error {
	return w.step(w.HostWriter.SetSecPolicy(ctx, section, name, value))
}

func (w *countingWriter) ClearSecPolicy(ctx context.Context, section, name string) error {
	return w.step(w.HostWriter.ClearSecPolicy(ctx, section, name))
}

func (w *countingWriter) SetUserRight(ctx context.Context, right string, sids []string) error {
	return w.step(w.HostWriter.SetUserRight(ctx, right, sids))
}

func (w *countingWriter) SetAuditPolicy(ctx context.Context, guid string, f checks.AuditFlags) error {
	return w.step(w.HostWriter.SetAuditPolicy(ctx, guid, f))
}

func (w *countingWriter) SetServiceStart(ctx context.Context, name string, st checks.StartType) error {
	return w.step(w.HostWriter.SetServiceStart(ctx, name, st))
}

func (w *countingWriter) SetAccountDisabled(ctx context.Context, sid string, disabled bool) error {
	return w.step(w.HostWriter.SetAccountDisabled(ctx, sid, disabled))
}

func (w *countingWriter) RenameAccount(ctx context.Context, sid, name string) error {
	return w.step(w.HostWriter.RenameAccount(ctx, sid, name))
}
