package checks

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var xpHost = OSInfo{Caption: "Microsoft Windows XP Professional", Version: "5.1.2600"}

// TestBuiltinVerdicts judges chosen built-in checks against small hosts:
// each row is a verdict the catalog once got wrong.
func TestBuiltinVerdicts(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	tests := []struct {
		name, id string
		host     *fakeHost
		status   Status
		reason   string
	}{
		{"xp service not installed passes", "MH-XPSVC-13", &fakeHost{os: xpHost}, Pass, "not installed"},
		{"xp service automatic fails", "MH-XPSVC-13", &fakeHost{os: xpHost, services: map[string]StartType{"SNMP": StartAuto}}, Fail, "should be disabled"},
		{"xp BITS not installed passes", "MH-XPSVC-28", &fakeHost{os: xpHost}, Pass, "not installed"},
		{"lockout -1 passes", "1.2.1", &fakeHost{os: win7, secpol: map[string]string{`System Access\LockoutDuration`: "-1"}}, Pass, ""},
		{"lockout 0 passes", "1.2.1", &fakeHost{os: win7, secpol: map[string]string{`System Access\LockoutDuration`: "0"}}, Pass, ""},
		{"lockout 15 passes", "1.2.1", &fakeHost{os: win7, secpol: map[string]string{`System Access\LockoutDuration`: "15"}}, Pass, ""},
		{"lockout 5 fails", "1.2.1", &fakeHost{os: win7, secpol: map[string]string{`System Access\LockoutDuration`: "5"}}, Fail, "should be 15 or more"},
		{"lockout -2 fails", "1.2.1", &fakeHost{os: win7, secpol: map[string]string{`System Access\LockoutDuration`: "-2"}}, Fail, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch, ok := cat.Get(tc.id)
			require.True(t, ok, tc.id)
			r := Evaluate(context.Background(), tc.host, ch)
			assert.Equal(t, tc.status, r.Status, "%s: %s / %s", tc.id, r.Actual, r.Reason)
			assert.Contains(t, r.Reason, tc.reason)
		})
	}
	for _, ch := range cat.Checks {
		if ch.Probe.Service != "" && contains(ch.OS, "xp") {
			assert.Equal(t, "pass", ch.Absent, "%s: %q says not installed passes", ch.ID, ch.Title)
		}
	}
}
