package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/remediate"
)

const gpoSample = "GPO-ICU-CS01-vendor-baseline"

var scmBaseline = filepath.Join("..", "..", "shared", "corpus", "gpo", "scm-server2008r2-member")

func jsonReport(t *testing.T, out string) checks.Report {
	t.Helper()
	var rep checks.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	return rep
}

func TestAuditAgainstBaselineCLI(t *testing.T) {
	code, out, errs := runCLI("audit", "--profile", "none", "--baseline", sample(gpoSample), "--snapshot", sample(win7Hardened), "--format", "json")
	require.Equal(t, exitOK, code, errs)
	rep := jsonReport(t, out)
	assert.Equal(t, "baseline ICU-CS01 vendor baseline 2.4", rep.Profile)
	assert.Len(t, rep.Results, 17)
	assert.Equal(t, 17, rep.Summary.Pass)

	code, out, _ = runCLI("audit", "--profile", "none", "--baseline", sample(gpoSample), "--snapshot", sample(win7Vendor), "--format", "json")
	assert.Equal(t, exitFindings, code)
	assert.Equal(t, 11, jsonReport(t, out).Summary.Fail)

	// Beside the profile: the CIS results and the baseline's, one report.
	code, out, _ = runCLI("audit", "--baseline", sample(gpoSample), "--snapshot", sample(win7Hardened), "--format", "json")
	assert.Equal(t, exitFindings, code)
	rep = jsonReport(t, out)
	assert.True(t, strings.HasPrefix(rep.Profile, "cis-win7-l1 + baseline "), rep.Profile)
	gpo, cis := 0, 0
	for _, r := range rep.Results {
		if strings.HasPrefix(r.ID, "MH-GPO-") {
			gpo++
		} else {
			cis++
		}
	}
	assert.Equal(t, 17, gpo)
	assert.Greater(t, cis, 300)
	assert.Equal(t, len(rep.Results), rep.Summary.Total)

	if _, err := os.Stat(scmBaseline); err == nil {
		code, out, _ = runCLI("audit", "--profile", "none", "--baseline", scmBaseline, "--snapshot", sample(win7Hardened), "--format", "json")
		assert.Equal(t, exitFindings, code)
		assert.Len(t, jsonReport(t, out).Results, 170)
	}
}

func TestAuditBaselineCLIRefuses(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad")
	require.NoError(t, os.MkdirAll(bad, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bad, "audit.csv"), []byte("Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\r\n,System,Logon,{0CCE9215-69AE-11D9-BED3-505054503030},Success,,9\r\n"), 0o600))
	out := filepath.Join(dir, "r.json")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"none without baseline", []string{"audit", "--profile", "none", "--snapshot", sample(win7Hardened)}, "--profile none needs --baseline"},
		{"malformed baseline", []string{"audit", "--baseline", bad, "--snapshot", sample(win7Hardened), "--out", out}, filepath.Join(bad, "audit.csv") + ":2: Setting Value"},
		{"not a baseline", []string{"audit", "--profile", "none", "--baseline", dir, "--snapshot", sample(win7Hardened)}, "not a GPO backup"},
		{"missing baseline", []string{"audit", "--profile", "none", "--baseline", filepath.Join(dir, "nope"), "--snapshot", sample(win7Hardened)}, "nope"},
	}
	for _, tt := range tests {
		tt := tt
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, errs := runCLI(tt.args...)
			assert.Equal(t, exitInput, code)
			assert.Empty(t, stdout)
			assert.Contains(t, errs, tt.want)
			_, err := os.Stat(out)
			assert.True(t, os.IsNotExist(err), "no report written")
		})
	}
}

func TestBaselineImportCLI(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "t.yaml")
	code, stdout, errs := runCLI("baseline", "import", sample(gpoSample), "--out", out)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, stdout, "17 settings; 2 overrides")
	tl, err := remediate.LoadTailoring(out)
	require.NoError(t, err)
	assert.Len(t, tl.Overrides, 2)
	// The file tailors an audit as any tailoring file does.
	code, _, errs = runCLI("audit", "--tailoring", out, "--snapshot", sample(win7Hardened))
	assert.Equal(t, exitFindings, code, errs)

	code, _, errs = runCLI("baseline", "import", sample(gpoSample), "--out", dir)
	assert.Equal(t, exitInput, code)
	assert.Contains(t, errs, dir)
	code, _, _ = runCLI("baseline", "import", "--out", out)
	assert.Equal(t, exitInput, code)
}

func TestRemediateGPOCLI(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "gpo")
	code, stdout, errs := runCLI("remediate", "--snapshot", sample(win7Vendor), "--gpo", out)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, stdout, "146 settings carried")
	readme, err := os.ReadFile(filepath.Join(out, "README.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(readme), "LGPO.exe /g")

	// What was written is a baseline: the vendor sample fails every setting
	// of its own remediation.
	code, stdout, _ = runCLI("audit", "--profile", "none", "--baseline", out, "--snapshot", sample(win7Vendor), "--format", "json")
	assert.Equal(t, exitFindings, code)
	rep := jsonReport(t, stdout)
	assert.Len(t, rep.Results, 146)
	assert.Equal(t, 146, rep.Summary.Fail)

	code, _, errs = runCLI("remediate", "--snapshot", sample(win7Vendor), "--gpo", out)
	assert.Equal(t, exitInput, code)
	assert.Contains(t, errs, "not empty")

	code, _, _ = runCLI("remediate", "--snapshot", sample(win7Vendor))
	assert.Equal(t, exitInput, code)
}

// A waiver may name a baseline's check when the audit judges that
// baseline; without one, the id names nothing and the file is refused.
func TestAuditBaselineWaiverCLI(t *testing.T) {
	code, out, errs := runCLI("audit", "--profile", "none", "--baseline", sample(gpoSample), "--snapshot", sample(win7Vendor), "--format", "json")
	require.Equal(t, exitFindings, code, errs)
	var failed []string
	for _, r := range jsonReport(t, out).Results {
		if r.Status == checks.Fail {
			failed = append(failed, r.ID)
		}
	}
	require.Len(t, failed, 11)

	dir := t.TempDir()
	var yaml strings.Builder
	yaml.WriteString("waivers:\n")
	for _, id := range failed {
		fmt.Fprintf(&yaml, "  - {id: %s, justification: validated by the vendor, approver: IT security, expires: %s}\n", id, time.Now().AddDate(1, 0, 0).Format("2006-01-02"))
	}
	tl := filepath.Join(dir, "site.yaml")
	require.NoError(t, os.WriteFile(tl, []byte(yaml.String()), 0o600))

	code, out, errs = runCLI("audit", "--profile", "none", "--baseline", sample(gpoSample), "--tailoring", tl, "--snapshot", sample(win7Vendor), "--format", "json")
	require.Equal(t, exitOK, code, errs)
	rep := jsonReport(t, out)
	assert.Equal(t, 11, rep.Summary.Waived)
	assert.Equal(t, tl, rep.Tailoring)

	report := filepath.Join(dir, "r.json")
	code, out, errs = runCLI("audit", "--tailoring", tl, "--snapshot", sample(win7Vendor), "--out", report)
	assert.Equal(t, exitInput, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, tl+":2: waiver for "+failed[0])
	_, err := os.Stat(report)
	assert.True(t, os.IsNotExist(err), "no report written")
}

// The evidence document shows the baseline's settings in their
// capabilities' sections.
func TestEvidenceBaselineCLI(t *testing.T) {
	out := filepath.Join(t.TempDir(), "e.json")
	code, _, errs := runCLI("evidence", "--profile", "none", "--baseline", sample(gpoSample), "--snapshot", sample(win7Hardened), "--runs", t.TempDir(), "--out", out)
	require.Equal(t, exitOK, code, errs)
	ev, _ := readEvidence(t, out)
	assert.Equal(t, "baseline ICU-CS01 vendor baseline 2.4", ev.Data.Document.Profile)
	assert.Equal(t, 17, ev.Data.Counts.Pass)
	seen := map[string]bool{}
	for _, c := range ev.Data.Capabilities {
		for _, ch := range c.Checks {
			assert.True(t, strings.HasPrefix(ch.ID, "MH-GPO-"), ch.ID)
			seen[ch.ID] = true
		}
	}
	assert.Len(t, seen, 17, "every setting of the baseline is in a section")

	code, _, errs = runCLI("evidence", "--profile", "none", "--snapshot", sample(win7Hardened), "--out", out+"2")
	assert.Equal(t, exitInput, code)
	assert.Contains(t, errs, "vendor baseline")
}
