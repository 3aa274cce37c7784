package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// legacyTailoring copies app/testdata/legacy-icu.yaml with its dates moved
// to a year from today, so the fixture does not expire with the calendar.
func legacyTailoring(t *testing.T, edit func(string) string) string {
	b, err := os.ReadFile(filepath.Join("testdata", "legacy-icu.yaml"))
	require.NoError(t, err)
	s := strings.ReplaceAll(string(b), "2027-06-30", time.Now().AddDate(1, 0, 0).Format("2006-01-02"))
	if edit != nil {
		s = edit(s)
	}
	path := filepath.Join(t.TempDir(), "legacy-icu.yaml")
	require.NoError(t, os.WriteFile(path, []byte(s), 0o644))
	return path
}

// The hardened Windows 7 whose every remaining finding is documented (an
// ordinary waiver, and a legacy-device waiver with compensating controls
// for end of support) reaches exit code 0, and the report shows the
// controls.
func TestLegacyDeviceWithDocumentedWaiversExitsZero(t *testing.T) {
	code, _, stderr := runCLI("audit", "--snapshot", sample(win7Hardened), "--profile", "cis-win7-l1", "--format", "json")
	require.Equal(t, 1, code, "without the tailoring, end of support is a finding: %s", stderr)

	tl := legacyTailoring(t, nil)
	code, out, stderr := runCLI("audit", "--snapshot", sample(win7Hardened), "--tailoring", tl, "--format", "json")
	require.Equal(t, 0, code, stderr)
	var rep checks.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Zero(t, rep.Summary.Fail)
	assert.Zero(t, rep.Summary.Error)
	var eos checks.Result
	for _, r := range rep.Results {
		if r.ID == "MH-EXP-EOS" {
			eos = r
		}
	}
	assert.Equal(t, checks.Waived, eos.Status)
	require.NotNil(t, eos.Compensating)
	assert.Equal(t, "VLAN 112, patient-monitoring network, no route to the internet", eos.Compensating.NetworkSegment)
	assert.Equal(t, tl, eos.Compensating.File)

	code, out, _ = runCLI("audit", "--snapshot", sample(win7Hardened), "--tailoring", tl, "--format", "text")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "LEGACY DEVICE: FINDINGS ACCEPTED WITH COMPENSATING CONTROLS (1)")
	assert.Contains(t, out, "FW-ICU-07: only HL7 tcp/2575")
}

// End of support cannot be waived without its controls: an ordinary waiver
// or a legacy waiver missing a control is an input error (exit 2).
func TestLegacyWaiverWithoutControlsIsRefused(t *testing.T) {
	tests := []struct {
		name string
		edit func(string) string
		want string
	}{
		{"ordinary waiver", func(s string) string {
			i := strings.Index(s, "legacy_waivers:")
			return s[:i] + "  - id: MH-EXP-EOS\n    justification: x\n    approver: y\n    expires: " + time.Now().AddDate(1, 0, 0).Format("2006-01-02") + "\n"
		}, "waive it under legacy_waivers"},
		{"no firewall rule", func(s string) string {
			return strings.Replace(s, "    firewall_rule: \"FW-ICU-07: only HL7 tcp/2575 from 192.0.2.10 to 198.51.100.5\"\n", "", 1)
		}, "needs firewall_rule"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tl := legacyTailoring(t, tc.edit)
			code, out, stderr := runCLI("audit", "--snapshot", sample(win7Hardened), "--tailoring", tl)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, stderr, tl)
			assert.Contains(t, stderr, tc.want)
		})
	}
}
