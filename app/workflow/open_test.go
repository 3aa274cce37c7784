package workflow

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/assets"
	"medharden/checks"
	"medharden/checks/snapshot"
)

func sample(name string) string { return filepath.Join("..", "..", "testdata", "snapshots", name) }

const (
	win7 = "ICU-CS01-20261118-093000"
	xp   = "PUMPSRV-XP-20261119-084500"
)

// liveLike is a snapshot host that says it is this computer: the seam
// for what only this computer gets (the runs folder, event records).
type liveLike struct {
	*snapshot.Host
}

func (liveLike) Identity() checks.Identity { return checks.Identity{Origin: checks.Live} }

// asLive makes OpenLive return a copy of a snapshot posing as this
// computer, the same host on every call (its changes persist).
func asLive(t *testing.T, dir string) {
	t.Helper()
	h, err := snapshot.Open(dir)
	require.NoError(t, err)
	old := OpenLive
	OpenLive = func() (checks.Host, error) { return liveLike{Host: h}, nil }
	t.Cleanup(func() { OpenLive = old })
}

func TestPickProfile(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		snapshot, name, want, err string
		sentinel                  error
	}{
		{win7, "", "cis-win7-l1", "", nil},
		{xp, "", "winxp", "", nil},
		{win7, "cis-win7-bl", "cis-win7-bl", "", nil},
		{win7, "cis-win10", "", "unknown profile", nil},
		{xp, "cis-win7-l2", "", "is for win7", checks.ErrProfileMismatch},
		{win7, "winxp", "", "is for xp", checks.ErrProfileMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.snapshot+"/"+tc.name, func(t *testing.T) {
			tg, err := Open(ctx, sample(tc.snapshot))
			require.NoError(t, err)
			p, err := PickProfile(ctx, tg.Host, tc.name)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				var ie InputError
				assert.True(t, errors.As(err, &ie))
				if tc.sentinel != nil {
					assert.ErrorIs(t, err, tc.sentinel)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.Name)
		})
	}
}

func TestOpenIdentity(t *testing.T) {
	ctx := context.Background()
	tg, err := Open(ctx, sample(win7))
	require.NoError(t, err)
	assert.Equal(t, Snapshot, tg.ID.Kind)
	assert.True(t, filepath.IsAbs(tg.ID.Folder))
	assert.Equal(t, tg.ID.Folder, tg.ID.Source())
	assert.Equal(t, "ICU-CS01", tg.ID.Hostname)
	assert.Contains(t, tg.ID.OS, "Windows 7")
	assert.Equal(t, "2026-11-18 09:30:00", tg.ID.CollectedAt)

	_, err = Open(ctx, filepath.Join(t.TempDir(), "missing"))
	var ie InputError
	assert.True(t, errors.As(err, &ie), "%v", err)

	asLive(t, sample(win7))
	tg, err = Open(ctx, "")
	require.NoError(t, err)
	assert.Equal(t, Live, tg.ID.Kind)
	assert.Equal(t, "live", tg.ID.Source())
	assert.Empty(t, tg.ID.Folder)
	assert.Equal(t, "ICU-CS01", tg.ID.Hostname)
}

func TestOpenLiveOffWindows(t *testing.T) {
	_, err := Open(context.Background(), "")
	var ie InputError
	require.True(t, errors.As(err, &ie), "%v", err)
}

func TestAuditAndWaive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site.yaml")
	require.NoError(t, os.WriteFile(path, []byte("waivers:\n  - {id: \"1.1.4\", justification: vendor exception, approver: IT, expires: "+
		time.Now().AddDate(1, 0, 0).Format("2006-01-02")+"}\noverrides:\n  \"1.2.2\": 5\n"), 0o644))
	s := New(Config{Version: "test"})
	require.NoError(t, s.SetTailoring(path))
	rep, err := s.Load(context.Background(), sample(win7))
	require.NoError(t, err)
	assert.Equal(t, "cis-win7-l1", rep.Profile)
	got := map[string]checks.Result{}
	for _, r := range rep.Results {
		got[r.ID] = r
	}
	assert.Equal(t, checks.Waived, got["1.1.4"].Status)
	assert.Equal(t, checks.Fail, got["MH-EXP-EOS"].Status, "the exposures are in the report")
	require.NotNil(t, got["1.2.2"].Override, "a check judged against an override is marked")
	assert.Equal(t, path, got["1.2.2"].Override.File)
	assert.Equal(t, 1, rep.Summary.Waived)
}

// A profile for another Windows version, or one that disagrees with the
// tailoring file, is refused, whichever is set first.
func TestProfileRefused(t *testing.T) {
	ctx := context.Background()
	s := New(Config{Version: "test"})
	require.NoError(t, s.SetProfile("cis-win7-l2"))
	_, err := s.Load(ctx, sample(xp))
	require.ErrorIs(t, err, checks.ErrProfileMismatch)
	_, opened := s.Target()
	assert.False(t, opened, "nothing is opened by a refused audit")

	path := filepath.Join(t.TempDir(), "xp.yaml")
	require.NoError(t, os.WriteFile(path, []byte("profile: winxp\n"), 0o644))
	err = s.SetTailoring(path)
	var ie InputError
	require.True(t, errors.As(err, &ie), "%v", err)
	assert.Contains(t, err.Error(), "xp.yaml:1")
	assert.Nil(t, s.Tailoring(), "the refused file is not loaded")

	require.NoError(t, s.SetProfile(""))
	require.NoError(t, s.SetTailoring(path))
	assert.Equal(t, "winxp", s.Profile())
	err = s.SetProfile("cis-win7-l1")
	require.True(t, errors.As(err, &ie), "%v", err)
	assert.Contains(t, err.Error(), "xp.yaml:1")
	rep, err := s.Load(ctx, sample(xp))
	require.NoError(t, err)
	assert.Equal(t, "winxp", rep.Profile)
}

// The technician fields never go into the collected evidence.
func TestSaveFieldsToRefusesTheSnapshotFolder(t *testing.T) {
	dir := t.TempDir()
	snap, err := filepath.Abs(sample(win7))
	require.NoError(t, err)
	s := New(Config{Version: "test"})
	_, err = s.Open(context.Background(), snap)
	require.NoError(t, err)
	f := assets.Fields{AssetTag: "ICU-0042"}
	for _, p := range []string{filepath.Join(snap, "asset-fields.json"), filepath.Join(snap, "sub", "f.json"), snap} {
		err := s.SaveFieldsTo(p, f)
		require.Error(t, err, p)
		var ie InputError
		assert.True(t, errors.As(err, &ie), p)
		assert.Contains(t, err.Error(), "inside the snapshot folder")
	}
	_, err = os.Stat(filepath.Join(snap, "asset-fields.json"))
	assert.True(t, os.IsNotExist(err), "nothing written")
	beside := filepath.Join(dir, "ICU-CS01-fields.json")
	require.NoError(t, s.SaveFieldsTo(beside, f))
	assert.FileExists(t, beside)
	assert.False(t, Inside(filepath.Join(dir, "snap"), filepath.Join(dir, "snap2", "x.json")), "a sibling with a longer name is not inside")
	assert.True(t, Inside(filepath.Join(dir, "snap"), filepath.Join(dir, "snap", "..", "snap", "x.json")))
}
