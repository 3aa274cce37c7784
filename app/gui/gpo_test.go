package gui

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
)

// gpoOfFailed is the GPO backup the command line's session writes for the
// sample's failed checks, to compare the window's with.
func gpoOfFailed(t *testing.T) *workflow.GPOBackup {
	t.Helper()
	ctx := context.Background()
	s := workflow.New(workflow.Config{Version: "test", Runs: t.TempDir()})
	t.Cleanup(s.Close)
	_, err := s.Load(ctx, sampleDir)
	require.NoError(t, err)
	sel, err := workflow.ParseSelection("failed")
	require.NoError(t, err)
	p, err := s.Plan(ctx, sel)
	require.NoError(t, err)
	b, err := s.WriteGPO(p, filepath.Join(t.TempDir(), "gpo"), false)
	require.NoError(t, err)
	return b
}

// The plan is written as a GPO backup from the window, with the same call
// as 'remediate --gpo', into a folder named after the host; the window
// says where and lists what Group Policy cannot carry. A folder that
// holds files is replaced only when confirmed.
func TestGPOBackupFlow(t *testing.T) {
	h := newHarness(t)
	h.open()
	assert.True(t, h.m.rem.gpo.Disabled(), "no plan yet")
	h.tap(h.m.rem.preview)
	h.noErrors()
	require.False(t, h.m.rem.gpo.Disabled())
	h.folder = t.TempDir()
	h.tap(h.m.rem.gpo)
	h.noErrors()

	dir := filepath.Join(h.folder, "ICU-CS01-medharden-gpo")
	assert.FileExists(t, filepath.Join(dir, "README.txt"))
	want := gpoOfFailed(t)
	read := workflow.New(workflow.Config{Version: "test"})
	require.NoError(t, read.SetVendorBaseline(dir), "what was written reads as a vendor baseline")
	assert.Len(t, read.VendorBaseline().Settings, len(want.Carried), "the backup holds the plan's changes")
	require.NotEmpty(t, want.NotCarried, "the sample's plan has changes Group Policy cannot carry")

	text := h.m.rem.verify.Text
	assert.Contains(t, text, "Wrote the Group Policy backup to "+dir)
	assert.Contains(t, text, fmt.Sprintf("%d settings carried", len(want.Carried)))
	assert.Contains(t, text, fmt.Sprintf("Group Policy cannot carry %d changes", len(want.NotCarried)))
	for _, s := range want.NotCarried {
		assert.Contains(t, text, s)
	}
	assert.Contains(t, text, "LGPO.exe /g "+dir)
	assert.Contains(t, h.m.status.Text, dir)

	h.tap(h.m.rem.gpo)
	h.noErrors()
	require.NotEmpty(t, h.asked)
	assert.Contains(t, h.asked[len(h.asked)-1], "Replace the GPO backup?")
	assert.FileExists(t, filepath.Join(dir, "README.txt"), "replaced when confirmed")
}

// A plan made after a rehearsal on the snapshot's in-memory copy measures
// its changes against the rehearsed values: the window refuses to write
// it as a GPO backup, as it refuses the offline pack, and writes nothing.
func TestGPOBackupRefusedAfterRehearsal(t *testing.T) {
	h := newHarness(t)
	h.open()
	h.tap(h.m.rem.preview)
	h.tap(h.m.rem.apply)
	h.noErrors()
	require.True(t, h.m.s.Rehearsed())
	h.tap(h.m.rem.preview)
	h.noErrors()
	require.NotNil(t, h.m.s.Plan())
	h.folder = t.TempDir()

	for _, b := range []struct {
		name   string
		tap    func()
		folder string
	}{
		{"GPO backup", func() { h.tap(h.m.rem.gpo) }, "ICU-CS01-medharden-gpo"},
		{"offline pack", func() { h.tap(h.m.rem.pack) }, "ICU-CS01-medharden-pack"},
	} {
		h.errs = nil
		b.tap()
		require.Len(t, h.errs, 1, b.name)
		assert.Contains(t, h.errs[0].Error(), "rehearsed state", b.name)
		assert.NoDirExists(t, filepath.Join(h.folder, b.folder), b.name)
	}
	assert.NotContains(t, h.m.rem.verify.Text, "Wrote the Group Policy backup")
}
