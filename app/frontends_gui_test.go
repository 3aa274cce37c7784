//go:build windows || gui

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/gui"
	"medharden/checks"
	"medharden/remediate"
)

// The command line and the window are adapters over one workflow: for the
// same computer, tailoring and selection they make the same report, the
// same plan, and the same event-log records of an apply and its rollback.
func TestCLIAndWindowAgree(t *testing.T) {
	ctx := context.Background()
	tl := filepath.Join(t.TempDir(), "site.yaml")
	require.NoError(t, os.WriteFile(tl, []byte("waivers:\n  - {id: \"1.1.4\", justification: vendor PIN login, approver: IT, expires: "+
		time.Now().AddDate(1, 0, 0).Format("2006-01-02")+"}\noverrides:\n  \"1.2.2\": 5\n"), 0o644))

	// The command line, on this computer (a snapshot posing as one).
	asLive(t, sample(win7Vendor))
	cliLog := withEvents(t)
	cliRuns := filepath.Join(t.TempDir(), "runs")
	code, out, stderr := runCLI("audit", "--format", "json", "--tailoring", tl)
	require.Equal(t, 1, code, stderr)
	var cliRep checks.Report
	require.NoError(t, json.Unmarshal([]byte(out), &cliRep))
	code, out, stderr = runCLI("plan", "--format", "json", "--runs", cliRuns, "--tailoring", tl)
	require.Equal(t, 0, code, stderr)
	var cliPlan remediate.Plan
	require.NoError(t, json.Unmarshal([]byte(out), &cliPlan))
	code, out, stderr = runCLI("apply", "--yes", "--runs", cliRuns, "--tailoring", tl)
	require.Equal(t, 0, code, stderr)
	cliRun := runLine.FindStringSubmatch(out)[1]
	code, _, stderr = runCLI("rollback", cliRun, "--runs", cliRuns)
	require.Equal(t, 0, code, stderr)

	// The window, on a fresh copy of the same computer.
	asLive(t, sample(win7Vendor))
	s := gui.NewState(version)
	s.Root = filepath.Join(t.TempDir(), "runs")
	winLog := &fakeLog{}
	s.Events = winLog
	t.Cleanup(s.Close)
	require.NoError(t, s.SetTailoring(tl))
	require.NoError(t, s.Load(ctx, ""))
	winRep, ok := s.Report()
	require.True(t, ok)
	sel, err := s.Selection("failed", "")
	require.NoError(t, err)
	winPlan, err := s.NewPlan(ctx, sel)
	require.NoError(t, err)
	applied, err := s.Apply(ctx, winPlan, nil)
	require.NoError(t, err)
	runs, err := s.Backups()
	require.NoError(t, err)
	require.NotEmpty(t, runs)
	_, err = s.Rollback(ctx, runs[0], nil)
	require.NoError(t, err)

	// Only the times differ.
	cliRep.Started, winRep.Started = "", ""
	assert.Equal(t, asJSON(t, cliRep), asJSON(t, winRep), "the same report")
	assert.NotEmpty(t, winRep.Results)
	winCopy := *winPlan
	cliPlan.Created, winCopy.Created = "", ""
	assert.Equal(t, asJSON(t, &cliPlan), asJSON(t, &winCopy), "the same plan")
	assert.NotContains(t, asJSON(t, &winCopy), "not in the catalog")

	norm := func(records []string, run, dir string) []string {
		var out []string
		for _, r := range records {
			out = append(out, strings.ReplaceAll(strings.ReplaceAll(r, dir, "<dir>"), run, "<run>"))
		}
		return out
	}
	require.Len(t, cliLog.records, 2, "apply and rollback")
	assert.Equal(t, norm(cliLog.records, cliRun, filepath.Join(cliRuns, cliRun)),
		norm(winLog.records, applied.Run, applied.Dir), "the same event-log records")
	assert.Contains(t, winLog.records[0], "medharden "+version+", technician account ")
}

func asJSON(t *testing.T, v interface{}) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	require.NoError(t, err)
	return string(b)
}
