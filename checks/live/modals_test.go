package live

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// NetUserModalsGet results for known policies (documented defaults and
// units: seconds, TIMEQ_FOREVER) next to the [System Access] values secedit
// /export writes for the same policy. Wine's NetUserModals* are stubs, so
// this mapping is tested here only.
var modalsRecordings = []struct {
	name string
	m0   userModals0
	m3   userModals3
	want map[string]string // "" = not exported ("not defined")
}{
	{
		name: "win7 sp1 x64 out of the box",
		m0:   userModals0{MinPasswdLen: 0, MaxPasswdAge: 3628800, MinPasswdAge: 0, ForceLogoff: timeqForever, PasswordHistLen: 0},
		m3:   userModals3{LockoutDuration: 1800, LockoutObservationWindow: 1800, LockoutThreshold: 0},
		want: map[string]string{
			"MinimumPasswordAge": "0", "MaximumPasswordAge": "42", "MinimumPasswordLength": "0",
			"PasswordHistorySize": "0", "ForceLogoffWhenHourExpire": "0", "LockoutBadCount": "0",
			"ResetLockoutCount": "", "LockoutDuration": "",
		},
	},
	{
		name: "win7 sp1 x86 hardened to CIS L1",
		m0:   userModals0{MinPasswdLen: 14, MaxPasswdAge: 60 * 86400, MinPasswdAge: 86400, ForceLogoff: 0, PasswordHistLen: 24},
		m3:   userModals3{LockoutDuration: 900, LockoutObservationWindow: 900, LockoutThreshold: 10},
		want: map[string]string{
			"MinimumPasswordAge": "1", "MaximumPasswordAge": "60", "MinimumPasswordLength": "14",
			"PasswordHistorySize": "24", "ForceLogoffWhenHourExpire": "1", "LockoutBadCount": "10",
			"ResetLockoutCount": "15", "LockoutDuration": "15",
		},
	},
	{
		name: "passwords never expire, locked until an administrator unlocks",
		m0:   userModals0{MinPasswdLen: 8, MaxPasswdAge: timeqForever, MinPasswdAge: 0, ForceLogoff: 3600, PasswordHistLen: 5},
		m3:   userModals3{LockoutDuration: timeqForever, LockoutObservationWindow: 1800, LockoutThreshold: 5},
		want: map[string]string{
			"MaximumPasswordAge": "-1", "ForceLogoffWhenHourExpire": "0",
			"LockoutDuration": "-1", "ResetLockoutCount": "30", "LockoutBadCount": "5",
		},
	},
}

func TestModalsValueMatchesSecedit(t *testing.T) {
	for _, rec := range modalsRecordings {
		t.Run(rec.name, func(t *testing.T) {
			for key, want := range rec.want {
				require.GreaterOrEqual(t, modalsLevel("System Access", key), 0, key)
				got, err := modalsValue(&rec.m0, &rec.m3, key)
				if want == "" {
					assert.True(t, errors.Is(err, checks.ErrAbsent), "%s: want absent, got %q, %v", key, got, err)
					continue
				}
				require.NoError(t, err, key)
				assert.Equal(t, want, got, key)
			}
		})
	}
}

// The out-of-the-box structures give exactly the account-policy lines of a
// default Windows 7 secedit export (testdata/secedit-win7-default.inf).
func TestModalsValueMatchesSeceditExport(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "secedit-win7-default.inf"))
	require.NoError(t, err)
	inf, err := winfmt.ParseINF("secedit-win7-default.inf", b)
	require.NoError(t, err)
	rec := modalsRecordings[0]
	for _, key := range []string{"MinimumPasswordAge", "MaximumPasswordAge", "MinimumPasswordLength",
		"PasswordHistorySize", "ForceLogoffWhenHourExpire", "LockoutBadCount", "ResetLockoutCount", "LockoutDuration"} {
		want, exported := inf.Get("System Access", key)
		got, err := modalsValue(&rec.m0, &rec.m3, key)
		if !exported {
			assert.True(t, errors.Is(err, checks.ErrAbsent), "%s is not in the export, got %q", key, got)
			continue
		}
		require.NoError(t, err, key)
		assert.Equal(t, want, got, key)
	}
}

func TestModalsLevel(t *testing.T) {
	assert.Equal(t, 0, modalsLevel("System Access", "MinimumPasswordLength"))
	assert.Equal(t, 0, modalsLevel("system access", "maximumpasswordage"))
	assert.Equal(t, 3, modalsLevel("System Access", "LockoutBadCount"))
	assert.Equal(t, 3, modalsLevel("System Access", "LockoutDuration"))
	for _, k := range []string{"PasswordComplexity", "ClearTextPassword", "NewAdministratorName",
		"NewGuestName", "EnableAdminAccount", "EnableGuestAccount", "LSAAnonymousNameLookup"} {
		assert.Equal(t, -1, modalsLevel("System Access", k), k)
	}
	assert.Equal(t, -1, modalsLevel("Event Audit", "MinimumPasswordLength"))
}

// Writing a value and reading it back gives what secedit would export.
func TestSetModalsRoundTrip(t *testing.T) {
	cases := []struct{ key, value, back string }{
		{"MinimumPasswordAge", "1", "1"},
		{"MaximumPasswordAge", "60", "60"},
		{"MaximumPasswordAge", "-1", "-1"},
		{"MaximumPasswordAge", "0", "-1"}, // a template's 0 means never
		{"MinimumPasswordLength", "14", "14"},
		{"MinimumPasswordLength", `"14"`, "14"},
		{"PasswordHistorySize", "24", "24"},
		{"ForceLogoffWhenHourExpire", "1", "1"},
		{"ForceLogoffWhenHourExpire", "0", "0"},
		{"LockoutBadCount", "10", "10"},
		{"LockoutDuration", "15", "15"},
		{"LockoutDuration", "0", "-1"},
		{"LockoutDuration", "-1", "-1"},
		{"ResetLockoutCount", "15", "15"},
	}
	for _, c := range cases {
		t.Run(c.key+"="+c.value, func(t *testing.T) {
			m0 := modalsRecordings[0].m0
			m3 := modalsRecordings[0].m3
			m3.LockoutThreshold = 5 // lockout on, so every key is exported
			require.NoError(t, setModals(&m0, &m3, c.key, c.value))
			got, err := modalsValue(&m0, &m3, c.key)
			require.NoError(t, err)
			assert.Equal(t, c.back, got)
		})
	}
}

func TestSetModalsSeconds(t *testing.T) {
	var m0 userModals0
	var m3 userModals3
	require.NoError(t, setModals(&m0, &m3, "MaximumPasswordAge", "60"))
	assert.Equal(t, uint32(5184000), m0.MaxPasswdAge)
	require.NoError(t, setModals(&m0, &m3, "ForceLogoffWhenHourExpire", "0"))
	assert.Equal(t, uint32(timeqForever), m0.ForceLogoff)
	m3.LockoutDuration = timeqForever
	require.NoError(t, setModals(&m0, &m3, "ResetLockoutCount", "30"))
	assert.Equal(t, uint32(1800), m3.LockoutObservationWindow)
	assert.Equal(t, uint32(timeqForever), m3.LockoutDuration, "forever stays forever")
}

// NetUserModalsSet refuses a window longer than the duration; the other
// value moves along so that one-key plans and their rollbacks both apply.
func TestSetModalsKeepsLockoutConsistent(t *testing.T) {
	m0 := userModals0{}
	m3 := userModals3{LockoutDuration: 1800, LockoutObservationWindow: 1800, LockoutThreshold: 5}
	require.NoError(t, setModals(&m0, &m3, "LockoutDuration", "15"))
	assert.Equal(t, userModals3{LockoutDuration: 900, LockoutObservationWindow: 900, LockoutThreshold: 5}, m3)

	require.NoError(t, setModals(&m0, &m3, "ResetLockoutCount", "30"))
	assert.Equal(t, userModals3{LockoutDuration: 1800, LockoutObservationWindow: 1800, LockoutThreshold: 5}, m3)

	require.NoError(t, setModals(&m0, &m3, "ResetLockoutCount", "10"))
	assert.Equal(t, uint32(1800), m3.LockoutDuration, "a shorter window leaves the duration alone")
}

func TestSetModalsRejects(t *testing.T) {
	cases := []struct{ key, value string }{
		{"MinimumPasswordLength", "15"},
		{"MinimumPasswordLength", "-1"},
		{"MinimumPasswordLength", "abc"},
		{"PasswordHistorySize", "25"},
		{"MinimumPasswordAge", "1000"},
		{"MinimumPasswordAge", "-1"},
		{"ForceLogoffWhenHourExpire", "2"},
		{"LockoutBadCount", "1000"},
		{"ResetLockoutCount", "0"},
		{"ResetLockoutCount", "-1"},
		{"LockoutDuration", "100000"},
		{"LockoutDuration", "-2"},
		{"PasswordComplexity", "1"},
	}
	for _, c := range cases {
		var m0 userModals0
		var m3 userModals3
		assert.Error(t, setModals(&m0, &m3, c.key, c.value), "%s=%s", c.key, c.value)
	}
}
