package remediate

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/winfmt"
)

const (
	icuSample   = "ICU-CS01-20261118-093000"
	icuSID      = "S-1-5-21-1808340291-2837045102-3907411862"
	desktopPol  = `\Software\Policies\Microsoft\Windows\Control Panel\Desktop`
	hkcuDesktop = `HKCU` + desktopPol
)

func builtinProfile(t *testing.T, name string) (*checks.Catalog, checks.Profile) {
	t.Helper()
	cat, err := checks.Builtin()
	require.NoError(t, err)
	p, ok := checks.FindProfile(name)
	require.True(t, ok)
	return cat, p
}

// A user-scope fix changes the hive of each person a result names, and
// nothing else: not HKCU (the collecting administrator's hive) and not
// the hive of anyone else. Rollback restores each hive exactly, deleting
// the values and keys apply created.
func TestPerUserFixChangesOnlyNamedHives(t *testing.T) {
	ctx := context.Background()
	h := openSnap(t, filepath.Join("..", "testdata", "snapshots", icuSample))
	cat, prof := builtinProfile(t, "cis-win7-l1")
	p := plan(t, h, cat, prof, "ids:19.1.3.3", nil)
	people := map[string]string{icuSID + "-1000": "operator", icuSID + "-500": "Administrator", icuSID + "-1001": "svcvendor", icuSID + "-1003": "nurse"}
	require.Len(t, p.Changes(), len(people))
	for i, s := range p.Changes() {
		sid, ok := checks.HiveUser(s.Setting.Key)
		require.True(t, ok, s.Setting.Key)
		assert.Equal(t, `HKU\`+sid+desktopPol, s.Setting.Key)
		assert.Equal(t, people[sid], s.Setting.Label)
		assert.Contains(t, s.Setting.String(), "(settings of "+people[sid]+")")
		if i == 0 {
			assert.Equal(t, "operator", s.Setting.Label, "the auto-logon operator first")
			assert.True(t, s.Before.Exists)
			assert.Equal(t, "0", s.Before.Value.Reg().String())
		}
	}
	_, err := h.RegValue(ctx, hkcuDesktop, "ScreenSaverIsSecure")
	require.ErrorIs(t, err, checks.ErrAbsent)

	root := t.TempDir()
	out, err := Apply(ctx, h, p, Options{Root: root, Tool: "medharden", Version: "test"})
	require.NoError(t, err)
	assert.Empty(t, out.Verify.NotTaken)
	require.Len(t, out.Verify.Results, len(people), "verified for each person")
	for _, r := range out.Verify.Results {
		require.NotNil(t, r.User)
		assert.Equal(t, checks.Pass, r.Status, "%s: %s", r.User, r.Reason)
	}
	for sid := range people {
		v, err := h.RegValue(ctx, `HKU\`+sid+desktopPol, "ScreenSaverIsSecure")
		require.NoError(t, err, sid)
		assert.Equal(t, "1", v.String())
	}
	_, err = h.RegValue(ctx, hkcuDesktop, "ScreenSaverIsSecure")
	assert.ErrorIs(t, err, checks.ErrAbsent, "HKCU is not changed")
	_, err = h.RegValue(ctx, `HKU\`+icuSID+"-501"+desktopPol, "ScreenSaverIsSecure")
	assert.ErrorIs(t, err, checks.ErrNotCollected, "Guest has no profile: its hive is not touched")

	_, err = Rollback(ctx, h, out.Run, Options{Root: root, Catalog: cat})
	require.NoError(t, err)
	for sid := range people {
		v, err := h.RegValue(ctx, `HKU\`+sid+desktopPol, "ScreenSaverIsSecure")
		if sid == icuSID+"-1000" {
			require.NoError(t, err)
			assert.True(t, checks.StringValue(checks.RegSZ, "0").Equal(v), "the operator's value byte for byte")
			continue
		}
		assert.ErrorIs(t, err, checks.ErrAbsent, sid)
		ok, err := h.RegKeyExists(ctx, `HKU\`+sid+`\Software\Policies\Microsoft\Windows`)
		require.NoError(t, err)
		assert.False(t, ok, "%s: the keys apply created are gone", sid)
	}
}

// The guard: HKCU is never written (it is whoever runs medharden), nor the
// hive of an account that is not one of the device's people.
func TestUserHiveGuard(t *testing.T) {
	ctx := context.Background()
	h := openSnap(t, filepath.Join("..", "testdata", "snapshots", icuSample))
	g := newGuards(ctx, h, nil, &Plan{})
	target := regValue(checks.StringValue(checks.RegSZ, "1"))
	tests := []struct {
		key   string
		guard string
		why   string
	}{
		{hkcuDesktop, GuardUserHive, "HKCU, the hive of whoever runs medharden"},
		{`HKU\` + icuSID + "-501" + desktopPol, GuardUserHive, "not one of the device's people"},
		{`HKU\S-1-5-21-9-9-9-1000` + desktopPol, GuardUserHive, "not one of the device's people"},
		{`HKU\` + icuSID + "-1000" + desktopPol, "", ""},
		{`HKU\` + icuSID + "-1003" + desktopPol, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.key, func(t *testing.T) {
			s := Step{CheckID: "19.1.3.3", Setting: Address{Kind: KindRegistry, Key: tc.key, Name: "ScreenSaverIsSecure"}, Target: &target}
			g.check(&s)
			assert.Equal(t, tc.guard, s.Guard, s.Blocked)
			if tc.why != "" {
				assert.Contains(t, s.Blocked, tc.why)
				assert.NotEmpty(t, s.Suggest, "a refused step stays a finding with a suggested waiver")
			}
		})
	}
}

// Rollback's allowlist takes a per-user address only where a catalog fix
// writes the same value in HKCU and the SID is one of the device's people.
func TestBackupPerUserAddresses(t *testing.T) {
	cat, _ := builtinProfile(t, "cis-win7-l1")
	operator := icuSID + "-1000"
	person := func(sid string) bool { return strings.EqualFold(sid, operator) }
	saved := func(key, name string) *Backup {
		return &Backup{Settings: []Saved{{CheckID: "19.1.3.3", Setting: Address{Kind: KindRegistry, Key: key, Name: name}}}}
	}
	tests := []struct {
		name, key, value string
		ok               bool
	}{
		{"the operator's screen lock", `HKU\` + operator + desktopPol, "ScreenSaverIsSecure", true},
		{"spelled HKEY_USERS, lower case", `hkey_users\` + strings.ToLower(operator) + desktopPol, "screensaverissecure", true},
		{"someone who is not a person of the device", `HKU\` + icuSID + "-501" + desktopPol, "ScreenSaverIsSecure", false},
		{"a value no fix writes", `HKU\` + operator + `\Software\Microsoft\Windows\CurrentVersion\Run`, "evil", false},
		{"the default user's hive", `HKU\.DEFAULT` + desktopPol, "ScreenSaverIsSecure", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkSettings(cat, saved(tc.key, tc.value), "backup.json", person)
			if tc.ok {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrUntrusted)
			assert.Contains(t, err.Error(), "backup.json: entry 1")
		})
	}
}

// The XP pack writes each person's hive (HKEY_USERS\<SID>) and stops
// before its first change when one of those hives is not loaded.
func TestPackChecksEachPersonsHiveFirst(t *testing.T) {
	const pumpSID = "S-1-5-21-1417001333-1004336348-725345543"
	h := openSnap(t, filepath.Join("..", "testdata", "snapshots", "PUMPSRV-XP-20261119-084500"))
	cat, prof := builtinProfile(t, "winxp")
	p := plan(t, h, cat, prof, "ids:STIG:V-1122", nil)
	require.Len(t, p.Changes(), 2)
	pk, err := BuildPack(p, PackOptions{Tool: "medharden", Version: "test"})
	require.NoError(t, err)
	for _, script := range []string{"apply.cmd", "undo.cmd"} {
		s := string(pk.Files[script])
		first := strings.Index(s, "reg import")
		require.Positive(t, first, script)
		for _, rid := range []string{"500", "1003"} {
			q := `reg query "HKU\` + pumpSID + "-" + rid + `"`
			i := strings.Index(s, q)
			require.Positive(t, i, "%s checks the hive of %s", script, rid)
			assert.Less(t, i, first, "%s checks before it changes anything", script)
		}
		assert.Contains(t, s, "Nothing was changed.\r\nexit /b 2\r\n:hivesok")
	}
	reg, err := winfmt.DecodeText("apply.reg", pk.Files["apply.reg"])
	require.NoError(t, err)
	assert.Contains(t, reg, `[HKEY_USERS\`+pumpSID+`-1003\Software\Policies\Microsoft\Windows\Control Panel\Desktop]`)
	assert.NotContains(t, reg, "HKEY_CURRENT_USER")
	readme := string(pk.Files["README.txt"])
	assert.Contains(t, readme, "biomed ("+pumpSID+"-1003)")
	assert.Contains(t, readme, "Administrator ("+pumpSID+"-500)")
}
