package checks

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reasons a missing value gets, by how the benchmark's audit reads it.
const (
	accepted   = "not configured, which meets the recommendation"
	meets      = "meets the recommendation"
	equivalent = "is equivalent"
	weaker     = "which the benchmark's audit accepts; Windows uses its default"
	required   = "not configured"
	notInst    = "not installed, which meets the recommendation"
	notInstReq = "not installed"
)

// TestAbsenceAsTheAuditReadsIt pins, for every Windows 7 check whose
// absence was reconciled with Tenable's CIS Windows 7 v3.2.0 audit, the
// verdict when the value (or the service) is missing: CAN_BE_NULL passes,
// a required value fails even where Windows' default is equivalent.
func TestAbsenceAsTheAuditReadsIt(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	tests := []struct {
		id     string
		status Status
		reason string
	}{
		// CAN_BE_NULL, with the Windows default that meets the recommendation.
		{"2.3.1.3", Pass, meets}, {"2.3.2.1", Pass, meets}, {"2.3.2.2", Pass, meets},
		{"2.3.6.2", Pass, meets}, {"2.3.6.6", Pass, meets}, {"2.3.8.2", Pass, meets}, {"2.3.8.3", Pass, meets},
		{"2.3.10.2", Pass, meets}, {"2.3.10.5", Pass, meets}, {"2.3.10.9", Pass, meets},
		{"2.3.11.2", Pass, meets}, {"2.3.11.5", Pass, meets}, {"2.3.11.8", Pass, meets},
		{"2.3.15.1", Pass, meets}, {"2.3.15.2", Pass, meets},
		{"2.3.17.6", Pass, meets}, {"2.3.17.7", Pass, meets}, {"2.3.17.8", Pass, meets}, {"2.3.17.9", Pass, meets},
		{"9.1.1", Pass, meets}, {"9.1.2", Pass, meets}, {"9.1.3", Pass, meets},
		{"9.2.1", Pass, meets}, {"9.2.2", Pass, meets}, {"9.2.3", Pass, meets},
		{"9.3.1", Pass, meets}, {"9.3.2", Pass, meets}, {"9.3.3", Pass, meets},
		{"18.4.1", Pass, meets}, {"18.8.3.1", Pass, meets}, {"18.8.7.2", Pass, meets}, {"18.8.21.4", Pass, meets},
		{"18.8.33.6.3", Pass, meets}, {"18.8.33.6.4", Pass, meets},
		{"18.9.76.14", Pass, meets}, {"18.9.85.2", Pass, meets}, {"18.9.95.2", Pass, meets},
		{"18.9.97.1.1", Pass, meets}, {"18.9.97.1.2", Pass, meets}, {"18.9.97.2.1", Pass, meets}, {"18.9.97.2.3", Pass, meets},
		{"18.9.101.4", Pass, meets}, {"18.9.101.5", Pass, meets}, {"18.9.101.6", Pass, meets},
		// CAN_BE_NULL without a documented Windows default.
		{"2.3.10.7", Pass, accepted}, {"2.3.10.10", Pass, accepted}, {"2.3.10.11", Pass, accepted}, {"2.3.11.3", Pass, accepted},
		// CAN_BE_NULL although Windows' own default is weaker: the audit's
		// verdict, with the real behaviour in the reason.
		{"9.2.4", Pass, weaker}, {"9.3.5", Pass, weaker},
		// Required, Windows default equivalent: CIS-CAT says not configured.
		{"2.3.6.1", Fail, equivalent}, {"2.3.6.3", Fail, equivalent}, {"2.3.6.4", Fail, equivalent},
		{"2.3.6.5", Fail, equivalent}, {"2.3.7.6", Fail, equivalent}, {"2.3.9.1", Fail, equivalent},
		{"2.3.9.4", Fail, equivalent}, {"2.3.10.6", Fail, equivalent}, {"18.4.9", Fail, equivalent}, {"18.4.10", Fail, equivalent},
		// Required, Windows default weaker.
		{"2.3.4.2", Fail, "applies"}, {"2.3.7.5", Fail, "applies"}, {"2.3.7.7", Fail, "applies"}, {"2.3.8.1", Fail, "applies"},
		{"2.3.9.2", Fail, "applies"}, {"2.3.9.3", Fail, "applies"}, {"2.3.9.5", Fail, "applies"},
		{"2.3.10.3", Fail, "applies"}, {"2.3.10.4", Fail, "applies"}, {"2.3.11.7", Fail, "applies"},
		{"2.3.11.9", Fail, "applies"}, {"2.3.11.10", Fail, "applies"},
		{"18.3.4", Fail, "applies"}, {"18.3.5", Fail, "applies"}, {"18.3.7", Fail, "applies"},
		{"18.4.2", Fail, "applies"}, {"18.4.3", Fail, "applies"}, {"18.4.5", Fail, "applies"}, {"18.4.6", Fail, "applies"},
		{"18.4.11", Fail, "applies"}, {"18.4.12", Fail, "applies"}, {"18.5.19.2.1", Fail, "applies"},
		// Services: "Disabled or Not Installed" (Start CAN_BE_NULL) pass when
		// not installed; "Disabled" (Start required) fail.
		{"5.2", Pass, notInst}, {"5.5", Pass, notInst}, {"5.8", Pass, notInst}, {"5.9", Pass, notInst},
		{"5.24", Pass, notInst}, {"5.25", Pass, notInst}, {"5.27", Pass, notInst}, {"5.29", Pass, notInst},
		{"5.30", Pass, notInst}, {"5.33", Pass, notInst}, {"5.34", Pass, notInst}, {"5.35", Pass, notInst}, {"5.38", Pass, notInst},
		{"5.1", Fail, notInstReq}, {"5.3", Fail, notInstReq}, {"5.4", Fail, notInstReq}, {"5.6", Fail, notInstReq},
		{"5.7", Fail, notInstReq}, {"5.10", Fail, notInstReq}, {"5.11", Fail, notInstReq}, {"5.12", Fail, notInstReq},
		{"5.13", Fail, notInstReq}, {"5.14", Fail, notInstReq}, {"5.15", Fail, notInstReq}, {"5.16", Fail, notInstReq},
		{"5.17", Fail, notInstReq}, {"5.18", Fail, notInstReq}, {"5.19", Fail, notInstReq}, {"5.20", Fail, notInstReq},
		{"5.21", Fail, notInstReq}, {"5.22", Fail, notInstReq}, {"5.23", Fail, notInstReq}, {"5.26", Fail, notInstReq},
		{"5.28", Fail, notInstReq}, {"5.31", Fail, notInstReq}, {"5.32", Fail, notInstReq}, {"5.36", Fail, notInstReq},
		{"5.37", Fail, notInstReq},
	}
	empty := &fakeHost{os: win7}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			ch, ok := cat.Get(tc.id)
			require.True(t, ok, tc.id)
			r := Evaluate(context.Background(), empty, ch)
			assert.Equal(t, tc.status, r.Status, r.Reason)
			assert.Contains(t, r.Reason, tc.reason)
		})
	}
}

// TestEveryWindows7DefaultSaysTheAuditVerdict: on Windows 7 a documented
// Windows default never decides the verdict by itself; each such check
// says what the benchmark's audit makes of a missing value.
func TestEveryWindows7DefaultSaysTheAuditVerdict(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	for _, ch := range cat.Checks {
		if !contains(ch.OS, "win7") {
			continue
		}
		if ch.WindowsDefault != nil {
			assert.NotEmpty(t, ch.Absent, "%s has a windows_default but no absent:", ch.ID)
		}
		if ch.Probe.Service != "" {
			assert.NotEmpty(t, ch.Absent, "%s: a service check says what not installed means", ch.ID)
		}
	}
}

// TestAddedRecommendations judges the v3.2.0 recommendations added to the
// Windows 7 catalog, as Tenable's audit of v3.2.0 reads them.
func TestAddedRecommendations(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	const (
		wks  = `HKLM\SYSTEM\CURRENTCONTROLSET\SERVICES\LANMANWORKSTATION\DEPENDONSERVICE`
		laps = `HKLM\SOFTWARE\MICROSOFT\WINDOWS NT\CURRENTVERSION\WINLOGON\GPEXTENSIONS\{D76B9641-3288-4F75-942D-087DE603E3EA}\DLLNAME`
		att  = `HKCU\SOFTWARE\MICROSOFT\WINDOWS\CURRENTVERSION\POLICIES\ATTACHMENTS\`
		msi  = `HKCU\SOFTWARE\POLICIES\MICROSOFT\WINDOWS\INSTALLER\ALWAYSINSTALLELEVATED`
	)
	reg := func(k string, v RegValue) *fakeHost {
		return &fakeHost{os: win7, reg: map[string]RegValue{k: v}}
	}
	tests := []struct {
		name, id string
		host     *fakeHost
		status   Status
		reason   string
	}{
		{"SMBv1 client still a dependency", "18.3.2", reg(wks, MultiStringValue([]string{"Bowser", "MRxSmb10", "MRxSmb20", "NSI"})), Fail, "also contains MRxSmb10"},
		{"SMBv1 client removed", "18.3.2", reg(wks, MultiStringValue([]string{"Bowser", "MRxSmb20", "NSI"})), Pass, ""},
		{"dependencies not readable as set", "18.3.2", reg(wks, MultiStringValue([]string{"Bowser", "NSI"})), Fail, "lacks MRxSmb20"},
		{"LAPS CSE installed", "18.2.1", reg(laps, StringValue(RegSZ, `C:\Program Files\LAPS\CSE\AdmPwd.dll`)), Pass, ""},
		{"LAPS CSE missing", "18.2.1", &fakeHost{os: win7}, Fail, "not configured"},
		{"zone information dropped", "19.7.4.1", reg(att+"SAVEZONEINFORMATION", DWORDValue(1)), Fail, "is 1; it must be 2"},
		{"zone information not configured", "19.7.4.1", &fakeHost{os: win7}, Pass, "Windows default 2 meets"},
		{"antivirus notified", "19.7.4.2", reg(att+"SCANWITHANTIVIRUS", DWORDValue(3)), Pass, ""},
		{"antivirus not configured", "19.7.4.2", &fakeHost{os: win7}, Fail, "not configured"},
		{"profile sharing not configured", "19.7.26.1", &fakeHost{os: win7}, Fail, "not configured"},
		{"user AlwaysInstallElevated on", "19.7.41.1", reg(msi, DWORDValue(1)), Fail, "is 1; it must be 0"},
		{"user AlwaysInstallElevated not configured", "19.7.41.1", &fakeHost{os: win7}, Pass, "Windows default 0 meets"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch, ok := cat.Get(tc.id)
			require.True(t, ok, tc.id)
			assert.Equal(t, "L1", ch.Level)
			r := Evaluate(context.Background(), tc.host, ch)
			assert.Equal(t, tc.status, r.Status, r.Reason)
			assert.Contains(t, r.Reason, tc.reason)
		})
	}
}
