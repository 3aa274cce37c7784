package checks

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const mrxsmb10 = `HKLM\SYSTEM\CURRENTCONTROLSET\SERVICES\MRXSMB10\START`

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
		// A driver is never in wmic's service list: without its reg export it
		// is not collected, not "not installed".
		{"driver not collected is error", "18.3.3", &fakeHost{os: win7, missing: map[string]bool{"registry": true}}, Error, "not collected"},
		{"driver disabled passes", "18.3.3", &fakeHost{os: win7, reg: map[string]RegValue{mrxsmb10: DWORDValue(4)}}, Pass, ""},
		{"driver on demand fails", "18.3.3", &fakeHost{os: win7, reg: map[string]RegValue{mrxsmb10: DWORDValue(3)}}, Fail, "is manual, should be disabled"},
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
