package remediate

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// applied makes one completed run on a fresh fixture host.
func applied(t *testing.T, host string) (*faultyHost, string, *Outcome, map[string]string) {
	t.Helper()
	cat, prof := testCatalog(t), profileFor(t, false)
	fh := &faultyHost{Host: openSnap(t, writeFixture(t, fixtureOpts{host: host, session: consoleTech}))}
	want := settingsOf(t, fh, cat, prof)
	root := t.TempDir()
	out, err := Apply(context.Background(), fh, plan(t, fh, cat, prof, "failed", nil), Options{Root: root, Tool: "medharden", Version: "test"})
	require.NoError(t, err)
	return fh, root, out, want
}

func rewrite(t *testing.T, path string, edit func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.Chmod(path, 0o600))
	require.NoError(t, os.WriteFile(path, edit(b), 0o600))
}

func TestTamperedBackupIsRefused(t *testing.T) {
	ctx := context.Background()
	cat, prof := testCatalog(t), profileFor(t, false)
	tests := []struct {
		name   string
		tamper func(t *testing.T, dir string)
	}{
		{"value changed", func(t *testing.T, dir string) {
			rewrite(t, filepath.Join(dir, backupFile), func(b []byte) []byte {
				return bytes.Replace(b, []byte(`"text": "8"`), []byte(`"text": "4"`), 1)
			})
		}},
		{"value changed and hash file updated", func(t *testing.T, dir string) {
			var sum string
			rewrite(t, filepath.Join(dir, backupFile), func(b []byte) []byte {
				b = bytes.Replace(b, []byte(`"text": "8"`), []byte(`"text": "4"`), 1)
				s := sha256.Sum256(b)
				sum = hex.EncodeToString(s[:])
				return b
			})
			rewrite(t, filepath.Join(dir, hashFile), func([]byte) []byte { return []byte(sum + "  backup.json\n") })
		}},
		{"hash file missing", func(t *testing.T, dir string) {
			require.NoError(t, os.Remove(filepath.Join(dir, hashFile)))
		}},
		{"not JSON any more", func(t *testing.T, dir string) {
			rewrite(t, filepath.Join(dir, backupFile), func(b []byte) []byte { return b[:len(b)/2] })
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fh, root, out, want := applied(t, "")
			require.Contains(t, string(mustRead(t, filepath.Join(out.Dir, backupFile))), `"text": "8"`)
			tc.tamper(t, out.Dir)
			changed := settingsOf(t, fh, cat, prof)
			_, err := Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
			require.ErrorIs(t, err, ErrTampered)
			assert.Equal(t, changed, settingsOf(t, fh, cat, prof), "a refused rollback writes nothing")
			_, err = Resume(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
			require.ErrorIs(t, err, ErrTampered)

			if tc.name == "not JSON any more" {
				return // nothing to restore from
			}
			_, err = Rollback(ctx, fh, out.Run, Options{Root: root, Force: true, Catalog: cat})
			require.NoError(t, err)
			got := settingsOf(t, fh, cat, prof)
			if strings.HasPrefix(tc.name, "value changed") {
				assert.Equal(t, "4", got["1.1.4 [System Access] MinimumPasswordLength"], "forced: the tampered value is what is restored")
				got["1.1.4 [System Access] MinimumPasswordLength"] = "8"
			}
			assert.Equal(t, want, got)
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

func TestBackupFromAnotherHostIsRefused(t *testing.T) {
	ctx := context.Background()
	cat, prof := testCatalog(t), profileFor(t, false)
	_, root, out, _ := applied(t, "ICU-CS01")
	other := openSnap(t, writeFixture(t, fixtureOpts{host: "ICU-CS02", session: consoleTech}))
	require.NoError(t, other.SetSecPolicy(ctx, "System Access", "MinimumPasswordLength", "12"))
	before := settingsOf(t, other, cat, prof)
	_, err := Rollback(ctx, other, out.Run, Options{Root: root, Catalog: cat})
	require.ErrorIs(t, err, ErrOtherHost)
	assert.Contains(t, err.Error(), "ICU-CS01")
	assert.Contains(t, err.Error(), "ICU-CS02")
	assert.Equal(t, before, settingsOf(t, other, cat, prof))
	_, err = Rollback(ctx, other, out.Run, Options{Root: root, Force: true, Catalog: cat})
	require.NoError(t, err)
	assert.Equal(t, "8", settingsOf(t, other, cat, prof)["1.1.4 [System Access] MinimumPasswordLength"], "forced: ICU-CS01's values were written")
}

func TestBackupContent(t *testing.T) {
	_, root, out, _ := applied(t, "ICU-CS01")
	r, err := OpenRun(root, out.Run)
	require.NoError(t, err)
	b := r.Backup
	assert.Equal(t, "ICU-CS01", b.Host.Hostname)
	assert.Equal(t, "snapshot", b.Host.Source)
	assert.NotEmpty(t, b.Host.Snapshot)
	assert.Equal(t, "6.1.7601", b.Host.Version)
	assert.Equal(t, "medharden", b.Tool)
	assert.Equal(t, "test", b.Version)
	assert.NotEmpty(t, b.User)
	assert.False(t, b.CreatedTime().IsZero())
	assert.Len(t, b.Settings, len(out.Changed))
	var absent bool
	for _, s := range b.Settings {
		if !s.Before.Exists {
			absent = true
		}
	}
	assert.True(t, absent, "the backup records settings that did not exist")
	assert.Equal(t, StateApplied, r.State)

	sum := sha256.Sum256(mustRead(t, filepath.Join(out.Dir, backupFile)))
	assert.Equal(t, hex.EncodeToString(sum[:])+"  backup.json\n", string(mustRead(t, filepath.Join(out.Dir, hashFile))))
	if runtime.GOOS != "windows" {
		st, err := os.Stat(out.Dir)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o700), st.Mode().Perm(), "only the owner may read backups")
		st, err = os.Stat(filepath.Join(out.Dir, backupFile))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o400), st.Mode().Perm(), "backups are read-only")
	}
	recs, _, err := readJournal(out.Journal, r.key, r.ID)
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	assert.Equal(t, opBegin, recs[0].Op)
	assert.Equal(t, r.SHA256, recs[0].SHA256)
	// Every change is announced before it is confirmed.
	announced := map[int]bool{}
	for _, rec := range recs {
		switch rec.Op {
		case opApply:
			announced[*rec.Step] = true
		case opApplied:
			assert.True(t, announced[*rec.Step], "step %d confirmed before it was announced", *rec.Step)
		}
	}
	for i := 1; i < len(recs); i++ {
		assert.Equal(t, recs[i-1].Seq+1, recs[i].Seq)
	}
}

func TestListBackupsAndPending(t *testing.T) {
	ctx := context.Background()
	fh, root, out, _ := applied(t, "ICU-CS01")
	cat, prof := testCatalog(t), profileFor(t, false)
	runs, err := ListBackups(root)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Equal(t, StateApplied, runs[0].State)
	_, err = Rollback(ctx, fh, out.Run, Options{Root: root, Catalog: cat})
	require.NoError(t, err)

	// A second run that crashes is listed as interrupted and blocks a third.
	fh.n, fh.k, fh.mode = 0, 2, crashBefore
	p := plan(t, fh, cat, prof, "failed", nil)
	require.True(t, crashes(func() { _, _ = Apply(ctx, fh, p, Options{Root: root}) }))
	fh.k = 0
	runs, err = ListBackups(root)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	states := map[RunState]bool{}
	for _, r := range runs {
		states[r.State] = true
	}
	assert.True(t, states[StateRolledBack] && states[StateInterrupted], "%v", states)
	_, err = Apply(ctx, fh, plan(t, fh, cat, prof, "failed", nil), Options{Root: root})
	require.ErrorIs(t, err, ErrPending)

	none, err := ListBackups(filepath.Join(t.TempDir(), "missing"))
	require.NoError(t, err)
	assert.Empty(t, none)
}

// A plan whose "before" values no longer match the host is refused before
// anything is written.
func TestStalePlanIsRefused(t *testing.T) {
	ctx := context.Background()
	cat, prof := testCatalog(t), profileFor(t, false)
	h := openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech}))
	p := plan(t, h, cat, prof, "failed", nil)
	require.NoError(t, h.SetSecPolicy(ctx, "System Access", "MinimumPasswordLength", "10"))
	root := t.TempDir()
	_, err := Apply(ctx, h, p, Options{Root: root})
	require.ErrorIs(t, err, ErrStalePlan)
	runs, err := ListBackups(root)
	require.NoError(t, err)
	assert.Empty(t, runs)
}

func TestCancelledApplyRollsBack(t *testing.T) {
	cat, prof := testCatalog(t), profileFor(t, false)
	h := openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech}))
	want := settingsOf(t, h, cat, prof)
	p := plan(t, h, cat, prof, "failed", nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out, err := Apply(ctx, h, p, Options{Root: t.TempDir()})
	require.ErrorIs(t, err, ErrApplyFailed)
	assert.True(t, out.RolledBack)
	assert.Equal(t, want, settingsOf(t, h, cat, prof))
}
