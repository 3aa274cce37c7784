package remediate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/snapshot"
)

// faultMode says what happens at the k-th write.
type faultMode int

const (
	failWrite   faultMode = iota // the write returns an error, nothing changes
	crashBefore                  // the process dies before the write
	crashAfter                   // the process dies right after the write
)

func (m faultMode) String() string {
	return [...]string{"fail", "crash before write", "crash after write"}[m]
}

var errCrash = errors.New("simulated crash")

// faultyHost is the snapshot host with a writer that fails or "crashes"
// (panics, so that no code after the write runs) at write number k.
type faultyHost struct {
	*snapshot.Host
	k, n int
	mode faultMode
}

func (f *faultyHost) write(do func() error) error {
	f.n++
	if f.n != f.k {
		return do()
	}
	switch f.mode {
	case failWrite:
		return fmt.Errorf("%w: write %d refused", checks.ErrAccessDenied, f.n)
	case crashBefore:
		panic(errCrash)
	}
	if err := do(); err != nil {
		return err
	}
	panic(errCrash)
}

func (f *faultyHost) SetRegValue(ctx context.Context, key, name string, v checks.RegValue) error {
	return f.write(func() error { return f.Host.SetRegValue(ctx, key, name, v) })
}
func (f *faultyHost) DeleteRegValue(ctx context.Context, key, name string) error {
	return f.write(func() error { return f.Host.DeleteRegValue(ctx, key, name) })
}
func (f *faultyHost) SetSecPolicy(ctx context.Context, section, name, value string) error {
	return f.write(func() error { return f.Host.SetSecPolicy(ctx, section, name, value) })
}
func (f *faultyHost) ClearSecPolicy(ctx context.Context, section, name string) error {
	return f.write(func() error { return f.Host.ClearSecPolicy(ctx, section, name) })
}
func (f *faultyHost) SetUserRight(ctx context.Context, right string, sids []string) error {
	return f.write(func() error { return f.Host.SetUserRight(ctx, right, sids) })
}
func (f *faultyHost) SetAuditPolicy(ctx context.Context, guid string, a checks.AuditFlags) error {
	return f.write(func() error { return f.Host.SetAuditPolicy(ctx, guid, a) })
}
func (f *faultyHost) SetServiceStart(ctx context.Context, name string, st checks.StartType) error {
	return f.write(func() error { return f.Host.SetServiceStart(ctx, name, st) })
}
func (f *faultyHost) SetAccountDisabled(ctx context.Context, sid string, d bool) error {
	return f.write(func() error { return f.Host.SetAccountDisabled(ctx, sid, d) })
}
func (f *faultyHost) RenameAccount(ctx context.Context, sid, name string) error {
	return f.write(func() error { return f.Host.RenameAccount(ctx, sid, name) })
}

// crashes runs fn and reports whether it died of a simulated crash.
func crashes(fn func()) (crashed bool) {
	defer func() {
		if r := recover(); r != nil {
			if r != errCrash {
				panic(r)
			}
			crashed = true
		}
	}()
	fn()
	return false
}

// A fault at every step k of an apply, followed by recovery, gives the
// original state for every k: a failed write is rolled back at once; a crash
// leaves an open journal that Pending finds and Rollback (or Resume, then
// Rollback) resolves.
func TestFaultAtEveryStep(t *testing.T) {
	ctx := context.Background()
	dir := writeFixture(t, fixtureOpts{session: consoleTech})
	cat, prof := testCatalog(t), profileFor(t, false)
	n := len(plan(t, openSnap(t, dir), cat, prof, "failed", nil).Changes())
	require.Greater(t, n, 10)

	for _, mode := range []faultMode{failWrite, crashBefore, crashAfter} {
		for k := 1; k <= n; k++ {
			for _, recovery := range []string{"rollback", "resume"} {
				if mode == failWrite && recovery == "resume" {
					continue
				}
				mode, k, recovery := mode, k, recovery
				t.Run(fmt.Sprintf("%s/k=%d/%s", mode, k, recovery), func(t *testing.T) {
					t.Parallel()
					fh := &faultyHost{Host: openSnap(t, dir), k: k, mode: mode}
					want := settingsOf(t, fh, cat, prof)
					p := plan(t, fh, cat, prof, "failed", nil)
					root := t.TempDir()
					var out *Outcome
					var err error
					crashed := crashes(func() { out, err = Apply(ctx, fh, p, Options{Root: root}) })

					if mode == failWrite {
						require.False(t, crashed)
						require.ErrorIs(t, err, ErrApplyFailed)
						assert.True(t, out.RolledBack)
						assert.Contains(t, err.Error(), "nothing is changed")
						assert.Equal(t, want, settingsOf(t, fh, cat, prof))
						pend, perr := Pending(root)
						require.NoError(t, perr)
						assert.Empty(t, pend, "a rolled-back failure closes the journal")
						return
					}

					// Next start: the interrupted run is found.
					require.True(t, crashed)
					fh.k = 0 // the next process does not fail
					pend, err := Pending(root)
					require.NoError(t, err)
					require.Len(t, pend, 1)
					id := pend[0].ID
					if recovery == "resume" {
						res, err := Resume(ctx, fh, id, Options{Root: root, Catalog: cat})
						require.NoError(t, err)
						assert.Empty(t, res.Verify.NotTaken)
						assert.Empty(t, res.Verify.Failing())
						assert.Len(t, res.Changed, n)
						pend, _ = Pending(root)
						assert.Empty(t, pend)
					}
					rb, err := Rollback(ctx, fh, id, Options{Root: root, Catalog: cat})
					require.NoError(t, err)
					assert.False(t, rb.Already)
					assert.Equal(t, want, settingsOf(t, fh, cat, prof))
					pend, err = Pending(root)
					require.NoError(t, err)
					assert.Empty(t, pend)
				})
			}
		}
	}
}

// A crash during the rollback itself leaves the run pending; rolling back
// again finishes the job.
func TestCrashDuringRollback(t *testing.T) {
	ctx := context.Background()
	dir := writeFixture(t, fixtureOpts{session: consoleTech})
	cat, prof := testCatalog(t), profileFor(t, false)
	n := len(plan(t, openSnap(t, dir), cat, prof, "failed", nil).Changes())
	for k := 1; k <= n; k++ {
		for _, mode := range []faultMode{crashBefore, crashAfter} {
			mode, k := mode, k
			t.Run(fmt.Sprintf("%s/k=%d", mode, k), func(t *testing.T) {
				t.Parallel()
				fh := &faultyHost{Host: openSnap(t, dir)}
				want := settingsOf(t, fh, cat, prof)
				root := t.TempDir()
				out, err := Apply(ctx, fh, plan(t, fh, cat, prof, "failed", nil), Options{Root: root})
				require.NoError(t, err)
				fh.n, fh.k, fh.mode = 0, k, mode
				require.True(t, crashes(func() { _, _ = Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat}) }))
				fh.k = 0
				pend, err := Pending(root)
				require.NoError(t, err)
				require.Len(t, pend, 1)
				_, err = Resume(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
				assert.Error(t, err, "an interrupted rollback cannot be resumed as an apply")
				_, err = Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
				require.NoError(t, err)
				assert.Equal(t, want, settingsOf(t, fh, cat, prof))
			})
		}
	}
}

// A journal whose last line was cut short by a power cut is read up to the
// last complete record and repaired before new records are appended.
func TestTornJournal(t *testing.T) {
	ctx := context.Background()
	dir := writeFixture(t, fixtureOpts{session: consoleTech})
	cat, prof := testCatalog(t), profileFor(t, false)
	fh := &faultyHost{Host: openSnap(t, dir), k: 3, mode: crashAfter}
	want := settingsOf(t, fh, cat, prof)
	root := t.TempDir()
	require.True(t, crashes(func() { _, _ = Apply(ctx, fh, plan(t, fh, cat, prof, "failed", nil), Options{Root: root}) }))
	fh.k = 0
	pend, err := Pending(root)
	require.NoError(t, err)
	require.Len(t, pend, 1)
	jpath := filepath.Join(pend[0].Dir, journalFile)
	f, err := os.OpenFile(jpath, os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"seq":99,"op":"appl`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	pend, err = Pending(root)
	require.NoError(t, err)
	require.Len(t, pend, 1, "a torn last line does not hide the interrupted run")
	_, err = Rollback(ctx, fh, pend[0].ID, Options{Root: root, Catalog: cat})
	require.NoError(t, err)
	assert.Equal(t, want, settingsOf(t, fh, cat, prof))
	r, err := OpenRun(root, pend[0].ID)
	require.NoError(t, err)
	recs, _, err := readJournal(jpath, r.key, r.ID)
	require.NoError(t, err, "the journal reads cleanly after the repair")
	assert.Equal(t, opEnd, recs[len(recs)-1].Op)
}

// Resume makes again a confirmed step whose setting no longer holds the
// target (changed by someone between the crash and the resume).
func TestResumeRedoesStepsThatNoLongerHold(t *testing.T) {
	ctx := context.Background()
	cat, prof := testCatalog(t), profileFor(t, false)
	fh := &faultyHost{Host: openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech})), k: 5, mode: crashBefore}
	p := plan(t, fh, cat, prof, "failed", nil)
	root := t.TempDir()
	require.True(t, crashes(func() { _, _ = Apply(ctx, fh, p, Options{Root: root}) }))
	fh.k = 0
	first := p.Changes()[0]
	require.NoError(t, restoreSetting(ctx, fh, first.Setting, first.Before))
	pend, err := Pending(root)
	require.NoError(t, err)
	require.Len(t, pend, 1)
	out, err := Resume(ctx, fh, pend[0].ID, Options{Root: root, Catalog: cat})
	require.NoError(t, err)
	assert.True(t, out.Verify.OK(), "%+v", out.Verify.NotTaken)
	got, err := ReadSetting(ctx, fh, first.Setting)
	require.NoError(t, err)
	assert.True(t, got.Equal(first.Setting.Kind, State{Exists: true, Value: *first.Target}))
}
