package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/report"
)

// After an apply on a snapshot's in-memory copy, the window, the results
// and every report saved say REHEARSAL, with the mark in the suggested
// file name; the audit as collected can still be saved, unmarked.
func TestRehearsalIsMarked(t *testing.T) {
	h := newHarness(t)
	h.open()
	assert.False(t, h.m.rehearsal.Visible())
	var names []string
	h.m.saveFile = func(_, name string, _ []string, cb func(string)) {
		names = append(names, name)
		cb(h.file)
	}
	h.tap(h.m.rem.preview)
	h.tap(h.m.rem.apply)
	h.noErrors()

	assert.True(t, strings.HasPrefix(h.m.win.Title(), report.RehearsalMark), h.m.win.Title())
	assert.True(t, h.m.rehearsal.Visible(), "a banner above every tab")
	assert.Contains(t, h.m.rehearsal.Text, report.RehearsalMark)
	assert.Contains(t, h.m.results.counts.Text, report.RehearsalMark)
	assert.True(t, h.m.reports.audited.Visible())

	dir := t.TempDir()
	for _, format := range []string{"html", "json", "csv"} {
		h.file = filepath.Join(dir, "rehearsed."+format)
		h.m.saveReport(format)
		h.wait()
		h.noErrors()
		b, err := os.ReadFile(h.file)
		require.NoError(t, err)
		if format == "json" {
			assert.Contains(t, string(b), `"rehearsal": true`)
		} else {
			assert.Contains(t, strings.ReplaceAll(string(b), "&#39;", "'"), report.RehearsalMark, format)
		}
		assert.True(t, strings.HasPrefix(names[len(names)-1], "REHEARSAL-NOT-THE-DEVICES-STATE-"), names[len(names)-1])
	}

	h.file = filepath.Join(dir, "as-collected.html")
	h.tap(h.m.reports.audited)
	h.noErrors()
	b, err := os.ReadFile(h.file)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "REHEARSAL")
	assert.NotContains(t, names[len(names)-1], "REHEARSAL")
}
