package snapshot

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

const (
	icuVendorDir = "ICU-CS01-20261118-093000"
	pumpXPDir    = "PUMPSRV-XP-20261119-084500"
	icuSID       = "S-1-5-21-1808340291-2837045102-3907411862"
	pumpSID      = "S-1-5-21-1417001333-1004336348-725345543"
)

func sampleDir(name string) string {
	return filepath.Join("..", "..", "testdata", "snapshots", name)
}

// userResults returns the results of one check, one per person, in order.
func userResults(rep checks.Report, id string) []checks.Result {
	var out []checks.Result
	for _, r := range rep.Results {
		if r.ID == id {
			out = append(out, r)
		}
	}
	return out
}

// The screen-lock checks report for the auto-logon operator of ICU-CS01,
// first, from the operator's own hive (HKU\<SID>), not from the hive of the
// administrator who ran the collector.
func TestScreenLockReportsForAutoLogonOperator(t *testing.T) {
	_, rep := auditFolder(t, sampleDir(icuVendorDir))
	operator := icuSID + "-1000"
	tests := []struct {
		id     string
		status checks.Status
		actual string
	}{
		{"19.1.3.1", checks.Pass, `"1"`},
		{"19.1.3.2", checks.Fail, "not configured"},
		{"19.1.3.3", checks.Fail, `"0"`},
		{"19.1.3.4", checks.Fail, `"3600"`},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			rs := userResults(rep, tc.id)
			require.Len(t, rs, 4, "operator, Administrator, svcvendor, nurse")
			var names []string
			for _, r := range rs {
				require.NotNil(t, r.User)
				names = append(names, r.User.Name)
			}
			assert.Equal(t, []string{"operator", "Administrator", "svcvendor", "nurse"}, names, "the auto-logon operator first")
			op := rs[0]
			assert.Equal(t, operator, op.User.SID)
			assert.Equal(t, tc.status, op.Status, op.Reason)
			assert.Equal(t, tc.actual, op.Actual)
			assert.True(t, strings.HasPrefix(op.Source, `HKU\`+operator+`\Software\Policies`), op.Source)
			admin := rs[1]
			assert.Equal(t, checks.Fail, admin.Status, "the collecting administrator has no screen saver policy")
			assert.Equal(t, "not configured", admin.Actual)
		})
	}
}

// PUMPSRV-XP: the collecting Administrator's hive was loaded and exported
// from HKU\<SID>; biomed's was loaded from NTUSER.DAT as
// HKU\medharden-collect-<SID>. Both read as the person's own hive.
func TestLoadedAndUnloadedHivesXP(t *testing.T) {
	h, rep := auditFolder(t, sampleDir(pumpXPDir))
	rs := userResults(rep, "STIG:V-1122") // screen saver password protected
	require.Len(t, rs, 2)
	sids := map[string]bool{}
	for _, r := range rs {
		require.NotNil(t, r.User)
		sids[r.User.SID] = true
		assert.NotEqual(t, checks.Error, r.Status, "%s: %s", r.User, r.Reason)
	}
	assert.Equal(t, map[string]bool{pumpSID + "-500": true, pumpSID + "-1003": true}, sids)

	ctx := context.Background()
	for _, sid := range []string{pumpSID + "-500", pumpSID + "-1003"} {
		ok, err := h.RegKeyExists(ctx, `HKU\`+sid+`\Software\Policies\Microsoft`)
		require.NoError(t, err, sid)
		assert.True(t, ok, sid)
	}
	assert.Equal(t, "file", h.log.hives[pumpSID+"-1003"])
	assert.Equal(t, "loaded", h.log.hives[pumpSID+"-500"])
	_, err := h.RegValue(ctx, `HKU\MEDHARDEN-COLLECT-`+pumpSID+`-1003\Software\Policies\Microsoft`, "x")
	assert.ErrorIs(t, err, checks.ErrNotCollected, "the collector's load name is not a hive of its own")
}

// An older snapshot (collector 1.2.0: no per-user exports, no userhive=
// lines) still audits: the collecting user's HKCU export counts for that
// person; everyone else's per-user checks are `error` "not collected". A
// hive the collector could not load says so.
func TestOlderSnapshotWithoutUserHives(t *testing.T) {
	dir := t.TempDir()
	src := sampleDir(icuVendorDir)
	require.NoError(t, copyFiltered(src, dir, func(rel string) bool {
		return !strings.HasPrefix(filepath.Base(rel), "user-")
	}))
	logPath := filepath.Join(dir, "collect.log")
	b, err := os.ReadFile(logPath)
	require.NoError(t, err)
	var kept []string
	for _, line := range strings.Split(string(b), "\r\n") {
		if strings.HasPrefix(line, "userhive=") {
			continue
		}
		kept = append(kept, line)
	}
	require.NoError(t, os.WriteFile(logPath, []byte(strings.Join(kept, "\r\n")), 0o644))

	_, rep := auditFolder(t, dir)
	rs := userResults(rep, "19.1.3.3")
	require.Len(t, rs, 4)
	for _, r := range rs {
		if r.User.Name == "Administrator" {
			assert.Equal(t, checks.Fail, r.Status, "reg\\hkcu-policies.reg is the collecting user's hive: %s", r.Reason)
			assert.Equal(t, "not configured", r.Actual)
			continue
		}
		assert.Equal(t, checks.Error, r.Status, r.User.Name)
		assert.Contains(t, r.Reason, "not collected")
		assert.Contains(t, r.Reason, "no userhive="+r.User.SID, r.User.Name)
	}

	// The collector could not load nurse's hive; or a running medharden
	// unloaded it while the collector exported it (collector 1.4.0): the
	// absent= lines of those exports prove nothing.
	nurse := icuSID + "-1003"
	for _, tail := range []string{
		"userhive=" + nurse + " failed\r\n",
		"absent=HKU\\medharden-live-" + nurse + "\\Software\\Policies\r\nuserhive=" + nurse + " failed (medharden unloaded the hive during the export)\r\n",
	} {
		require.NoError(t, os.WriteFile(logPath, []byte(strings.Join(kept, "\r\n")+"\r\n"+tail), 0o644))
		_, rep = auditFolder(t, dir)
		seen := false
		for _, r := range userResults(rep, "19.1.3.3") {
			if r.User.SID == nurse {
				seen = true
				assert.Equal(t, checks.Error, r.Status, tail)
				assert.Contains(t, r.Reason, "could not read the hive of "+nurse, tail)
			}
		}
		assert.True(t, seen, tail)
	}
}

// The names a profile's hive is loaded under, by the collector 1.3.0
// (medharden-), the collector 1.4.0 (medharden-collect-) and a running
// medharden (medharden-live-), all read as the person's own HKU\<SID>, so
// that snapshots of every version read alike.
func TestUserPath(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`HKU\MEDHARDEN-S-1-5-21-1-2-3-1003\SOFTWARE\POLICIES`, `HKU\S-1-5-21-1-2-3-1003\SOFTWARE\POLICIES`},
		{`HKU\MEDHARDEN-COLLECT-S-1-5-21-1-2-3-1003\CONTROL PANEL\DESKTOP`, `HKU\S-1-5-21-1-2-3-1003\CONTROL PANEL\DESKTOP`},
		{`HKU\MEDHARDEN-LIVE-S-1-5-21-1-2-3-1003`, `HKU\S-1-5-21-1-2-3-1003`},
		{`HKU\S-1-5-21-1-2-3-1003\SOFTWARE`, `HKU\S-1-5-21-1-2-3-1003\SOFTWARE`},
		{`HKU\MEDHARDEN-OTHER-S-1-5-21-1-2-3-1003`, `HKU\MEDHARDEN-OTHER-S-1-5-21-1-2-3-1003`},
		{`HKLM\SOFTWARE\MEDHARDEN-S-1`, `HKLM\SOFTWARE\MEDHARDEN-S-1`},
	} {
		assert.Equal(t, tc.want, userPath(tc.in), tc.in)
	}
}

// copyFiltered copies the files of src that keep says to keep, with their
// modification times (the reader orders reg exports by them).
func copyFiltered(src, dst string, keep func(rel string) bool) error {
	return filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !keep(rel) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			return err
		}
		return os.Chtimes(target, info.ModTime(), info.ModTime())
	})
}
