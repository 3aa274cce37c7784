package gui

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAssetsAdvisories: with an advisory folder set, the Assets tab lists
// the advisories that concern the device read (the sample is Windows 7
// SP1 without KB4499175, so the ACME remote desktop advisory affects it).
func TestAssetsAdvisories(t *testing.T) {
	h := newHarness(t)
	advDir := t.TempDir()
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", "csaf", "testdata", "windows.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(advDir, "acme.json"), b, 0o644))

	v := h.m.assets
	v.advFolder.SetText(advDir)
	h.open()
	h.m.tabs.Select(h.m.assetsTab)
	h.wait()
	h.noErrors()
	require.True(t, v.loaded)
	assert.Contains(t, v.advisories.Text, "1 of the 1 advisories read concern this device")
	assert.Contains(t, v.advisories.Text, "AFFECTED  ACME-2026-002")
	assert.Contains(t, v.advisories.Text, "Install KB4499175")

	// A folder without advisories is an error, not "none concerns it".
	h.folder = t.TempDir()
	h.tap(v.advChoose)
	require.Len(t, h.errs, 1)
	assert.Contains(t, v.advisories.Text, "holds no .json advisory")
}
