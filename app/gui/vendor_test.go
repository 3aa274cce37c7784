package gui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
	"medharden/checks"
)

func vendorResults(rep checks.Report) int {
	n := 0
	for _, r := range rep.Results {
		if strings.HasPrefix(r.ID, "MH-GPO-") {
			n++
		}
	}
	return n
}

// The Start screen judges the open target against a vendor baseline, a
// GPO backup folder or an LGPO file, through the workflow as the command
// line's audit --baseline does; a bad one is an error that keeps the
// baseline in force; Remove audits without it.
func TestVendorBaselineFlow(t *testing.T) {
	h := newHarness(t)
	h.open()
	before, _ := h.m.s.Report()
	require.Zero(t, vendorResults(before))
	assert.Equal(t, noVendor, h.m.start.vendor.Text)

	gpoDir := filepath.Join("..", "..", "testdata", "snapshots", "GPO-ICU-CS01-vendor-baseline")
	h.folder = gpoDir
	h.tap(h.m.start.chooseVendor)
	h.noErrors()
	rep, _ := h.m.s.Report()
	assert.Equal(t, 17, vendorResults(rep))
	assert.Len(t, rep.Results, len(before.Results)+17)
	assert.Equal(t, before.Profile+" + baseline ICU-CS01 vendor baseline 2.4", rep.Profile)
	assert.Contains(t, h.m.start.vendor.Text, "ICU-CS01 vendor baseline 2.4: 17 settings")
	assert.Contains(t, h.m.start.target.Text, "+ baseline ICU-CS01 vendor baseline 2.4")
	assert.Contains(t, h.m.reports.cli.Text, " --baseline "+gpoDir)
	listed := false
	for _, r := range h.m.results.rows {
		listed = listed || strings.HasPrefix(r.ID, "MH-GPO-")
	}
	assert.True(t, listed, "the baseline's checks are on the Results screen")

	// The same report as the workflow's audit with the baseline, which the
	// command line's audit --baseline is.
	wf := workflow.New(workflow.Config{Tool: AppName, Version: "0.1.0"})
	require.NoError(t, wf.SetVendorBaseline(gpoDir))
	cli, err := wf.Load(context.Background(), sampleDir)
	require.NoError(t, err)
	cli.Started, rep.Started = "", ""
	assert.Equal(t, cli, rep)

	// A folder that is no baseline: an error, the baseline stays.
	h.folder = t.TempDir()
	h.tap(h.m.start.chooseVendor)
	require.Len(t, h.errs, 1)
	assert.Contains(t, h.errs[0].Error(), "not a GPO backup")
	assert.Contains(t, h.m.start.vendor.Text, "17 settings")
	h.errs = nil

	// An LGPO text file.
	h.file = filepath.Join(t.TempDir(), "vendor.txt")
	require.NoError(t, os.WriteFile(h.file, []byte("Computer\r\nSoftware\\Policies\\Microsoft\\Windows NT\\Terminal Services\r\nfDenyTSConnections\r\nDWORD:1\r\n\r\n"+
		"Computer\r\nSystem\\CurrentControlSet\\Control\\Lsa\r\nLmCompatibilityLevel\r\nDWORD:5\r\n"), 0o600))
	h.tap(h.m.start.chooseVendorFile)
	h.noErrors()
	rep, _ = h.m.s.Report()
	assert.Equal(t, 2, vendorResults(rep))
	assert.Equal(t, before.Profile+" + baseline vendor.txt", rep.Profile)

	test.Tap(h.m.start.clearVendor)
	h.wait()
	h.noErrors()
	rep, _ = h.m.s.Report()
	assert.Zero(t, vendorResults(rep))
	assert.Len(t, rep.Results, len(before.Results))
	assert.Equal(t, noVendor, h.m.start.vendor.Text)
	assert.NotContains(t, h.m.reports.cli.Text, "--baseline")
}
