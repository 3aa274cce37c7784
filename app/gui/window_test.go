package gui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// harness is a window on Fyne's test driver whose dialogs answer
// themselves: folder and file choices come from the test, confirmations are
// accepted, errors are collected.
type harness struct {
	t      *testing.T
	m      *mainWindow
	errs   []error
	folder string
	file   string
	asked  []string
	ui     chan uiCall
}

// uiCall is a function a task hands to the UI thread, which in tests is the
// test's goroutine (see wait).
type uiCall struct {
	f    func()
	done chan struct{}
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	s := NewState("0.1.0")
	s.Root = t.TempDir()
	t.Cleanup(s.Close)
	return harnessOn(t, s)
}

// harnessOn is a harness on a state the test prepared.
func harnessOn(t *testing.T, s *State) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	h := &harness{t: t, m: newMainWindow(a, s), folder: sampleDir, ui: make(chan uiCall, 4096)}
	h.m.do = func(f func()) {
		c := uiCall{f, make(chan struct{})}
		h.ui <- c
		<-c.done
	}
	h.m.post = func(f func()) { h.ui <- uiCall{f: f} }
	h.m.showError = func(err error) { h.errs = append(h.errs, err) }
	h.m.showInfo = func(string, string) {}
	h.m.confirm = func(title, msg string, ok func()) {
		h.asked = append(h.asked, title+": "+msg)
		ok()
	}
	h.m.openFolder = func(_ string, cb func(string)) { cb(h.folder) }
	h.m.openFile = func(_ string, _ []string, cb func(string)) { cb(h.file) }
	h.m.saveFile = func(_, _ string, _ []string, cb func(string)) { cb(h.file) }
	h.m.win.Resize(fyne.NewSize(1240, 760))
	t.Cleanup(h.m.win.Close)
	return h
}

// tap presses a button and waits for the task it started.
func (h *harness) tap(b fyne.Tappable) {
	h.t.Helper()
	test.Tap(b)
	h.wait()
}

// wait runs the tasks' UI functions here, as the UI thread would, until
// every task is done.
func (h *harness) wait() {
	done := make(chan struct{})
	go func() {
		h.m.wait()
		close(done)
	}()
	for {
		select {
		case c := <-h.ui:
			c.f()
			if c.done != nil {
				close(c.done)
			}
		case <-done:
			for {
				select {
				case c := <-h.ui:
					c.f()
				default:
					return
				}
			}
		}
	}
}

func (h *harness) noErrors() {
	h.t.Helper()
	require.Empty(h.t, h.errs)
}

func (h *harness) open() {
	h.t.Helper()
	h.tap(h.m.start.snapshot)
	h.noErrors()
}

func (h *harness) failCount() int {
	rep, _ := h.m.s.Report()
	return rep.Summary.Fail
}

func TestWindowStartsEmpty(t *testing.T) {
	h := newHarness(t)
	assert.Equal(t, "medharden 0.1.0", h.m.win.Title())
	assert.True(t, h.m.rem.preview.Disabled())
	assert.True(t, h.m.reports.html.Disabled())
	assert.Equal(t, 7, len(h.m.tabs.Items))
	if !liveSupported() {
		assert.True(t, h.m.start.live.Disabled(), "this computer is Windows only")
	}
}

func TestLoadSnapshotFlow(t *testing.T) {
	h := newHarness(t)
	h.open()
	assert.Equal(t, "medharden 0.1.0 — ICU-CS01 (snapshot)", h.m.win.Title())
	assert.Equal(t, h.m.attentionTab, h.m.tabs.Selected(), "what needs attention is shown after loading")
	require.NotEmpty(t, h.m.attention.rows)
	assert.Equal(t, "MH-CRED-1", h.m.attention.rows[0].ID, "the most urgent first")
	assert.Equal(t, "MH-EXP-MS17-010", h.m.attention.rows[1].ID)
	rep, _ := h.m.s.Report()
	listed := map[string]bool{}
	for _, r := range h.m.results.rows {
		listed[r.ID] = true
		if l, ok := h.m.s.Linked(r.ID); ok {
			listed[l.ID] = true
		}
	}
	for _, r := range rep.Results {
		assert.True(t, listed[r.ID], "%s is listed, in its own row or folded into an exposure's", r.ID)
	}
	assert.Equal(t, len(rep.Summary.Capabilities), len(h.m.results.chart.Objects), "a bar per capability")
	assert.Contains(t, h.m.results.counts.Text, "FAIL")
	assert.Contains(t, h.m.start.target.Text, "ICU-CS01")
	assert.Equal(t, "cis-win7-l1 — CIS Windows 7 Level 1", h.m.start.profile.Selected)
	assert.False(t, h.m.rem.preview.Disabled())
	assert.Contains(t, h.m.reports.cli.Text, "--snapshot")

	h.folder = filepath.Join(t.TempDir(), "not-a-snapshot")
	h.tap(h.m.start.snapshot)
	require.Len(t, h.errs, 1, "a bad folder is an error dialog")
	assert.Contains(t, h.errs[0].Error(), "not-a-snapshot")
	assert.Equal(t, "medharden 0.1.0 — ICU-CS01 (snapshot)", h.m.win.Title(), "the open target stays")
}

func TestFilterFlow(t *testing.T) {
	h := newHarness(t)
	h.open()
	v := &h.m.results
	for _, tc := range []struct {
		name  string
		set   func()
		check func(r checks.Result) bool
	}{
		{"status", func() { v.status.SetSelected("FAIL") }, func(r checks.Result) bool { return r.Status == checks.Fail }},
		{"capability", func() { v.capability.SetSelectedIndex(indexOf(v.capCodes, "ALOF")) }, func(r checks.Result) bool { return hasString(r.Capabilities, "ALOF") }},
		{"section", func() { v.section.SetSelected("2.3 Security options") }, func(r checks.Result) bool { return Section(r.ID) == "2.3" }},
		{"text", func() { test.Type(v.search, "lockout") }, func(r checks.Result) bool {
			return strings.Contains(strings.ToLower(r.ID+r.Title+r.Expected+r.Actual+r.Reason+r.Source), "lockout")
		}},
		{"chart button", func() { test.Tap(h.chartButton("PAUT")) }, func(r checks.Result) bool { return hasString(r.Capabilities, "PAUT") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			test.Tap(v.clear)
			all := len(v.rows)
			tc.set()
			require.NotEmpty(t, v.rows)
			assert.Less(t, len(v.rows), all)
			for _, r := range v.rows {
				assert.True(t, tc.check(r), r.ID)
			}
			assert.True(t, strings.HasPrefix(v.shown.Text, strconv.Itoa(len(v.rows))+" of "), v.shown.Text)
		})
	}
	test.Tap(v.clear)
	test.Type(v.search, "no check says this")
	assert.Empty(t, v.rows)
	h.noErrors()
}

func (h *harness) chartButton(code string) *widget.Button {
	for _, row := range h.m.results.chart.Objects {
		var found *widget.Button
		walk(row, func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Button); ok && b.Text == code {
				found = b
			}
		})
		if found != nil {
			return found
		}
	}
	h.t.Fatalf("no chart row for %s", code)
	return nil
}

func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	if c, ok := o.(*fyne.Container); ok {
		for _, x := range c.Objects {
			walk(x, fn)
		}
	}
}

func TestSelectDetailFlow(t *testing.T) {
	h := newHarness(t)
	h.open()
	v := &h.m.results
	test.Type(v.search, "1.2.1")
	i := -1
	for k, r := range v.rows {
		if r.ID == "1.2.1" {
			i = k
		}
	}
	require.GreaterOrEqual(t, i, 0)
	v.list.Select(i)
	assert.Contains(t, v.detailTitle.Text, "1.2.1")
	text := labelsText(v.detail)
	for _, want := range []string{"Rationale", "Expected", "Actual", "Remediation", "Emergency access and usability trade-off",
		"PAUT — Person authentication: Ability to configure the device to authenticate users."} {
		assert.Contains(t, text, want)
	}
	// Filtering keeps the selection while it is shown; when it is filtered
	// out the first check left is shown, never a blank pane.
	v.status.SetSelected("FAIL")
	assert.Equal(t, "1.2.1", v.selected)
	v.search.SetText("")
	v.status.SetSelected("PASS")
	require.NotEmpty(t, v.rows)
	assert.Equal(t, v.rows[0].ID, v.selected)
	assert.Contains(t, v.detailTitle.Text, v.rows[0].ID)
	assert.NotEmpty(t, labelsText(v.detail))
	v.search.SetText("no check has this text")
	assert.Equal(t, "", v.selected)
	assert.Equal(t, "No check matches the filters.", v.detailTitle.Text)
}

// A new plan highlights no row while it says "Choose a step".
func TestPlanShowsNoStaleHighlight(t *testing.T) {
	h := newHarness(t)
	h.open()
	h.tap(h.m.rem.preview)
	h.noErrors()
	h.m.rem.plan.Select(0)
	h.tap(h.m.rem.preview)
	h.noErrors()
	assert.Equal(t, "Choose a step to read it in full.", h.m.rem.step.Text)
	selected := false
	h.m.rem.plan.OnSelected = func(widget.ListItemID) { selected = true }
	h.m.rem.plan.Select(0) // selecting the row again fires only if it was not selected
	assert.True(t, selected, "no row was left selected")
}

// The chart's counts are never clipped, errors included.
func TestChartCountsFit(t *testing.T) {
	h := newHarness(t)
	c := checks.CapabilitySummary{Code: "AUTH"}
	c.Fail, c.Error, c.Pass, c.Total = 123, 45, 67, 300
	row := h.m.chartRow(c)
	row.Resize(fyne.NewSize(300, row.MinSize().Height))
	found := 0
	walk(row, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "error") {
			found++
			assert.GreaterOrEqual(t, l.Size().Width, l.MinSize().Width, l.Text)
		}
	})
	assert.Equal(t, 1, found)
}

func labelsText(c *fyne.Container) string {
	var b strings.Builder
	walk(c, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	})
	return b.String()
}

func TestRemediateFlow(t *testing.T) {
	for _, tc := range []struct {
		name   string
		choose func(h *harness)
	}{
		{"all failed", func(h *harness) { h.m.rem.mode.SetSelected(modeFailed) }},
		{"capability", func(h *harness) {
			h.m.rem.mode.SetSelected(modeCapability)
			assert.False(t, h.m.rem.capability.Disabled())
			h.m.rem.capability.SetSelectedIndex(indexOf(h.m.rem.capCodes, "ALOF"))
		}},
		{"single checks", func(h *harness) {
			h.m.s.Pick("1.1.4", true)
			h.m.s.Pick("2.3.7.3", true)
			h.m.rem.mode.SetSelected(modeIDs)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.open()
			failed := h.failCount()
			h.m.tabs.Select(h.m.remediateTab)
			assert.Contains(t, h.m.rem.target.Text, "in-memory copy", "the UI says a snapshot is changed in memory")
			assert.True(t, h.m.rem.apply.Disabled(), "nothing to apply before a preview")
			tc.choose(h)
			h.tap(h.m.rem.preview)
			h.noErrors()
			p := h.m.s.Plan()
			require.NotNil(t, p)
			require.NotEmpty(t, p.Changes())
			assert.Len(t, h.m.rem.rows, len(p.Steps))
			last := h.m.rem.rows[len(h.m.rem.rows)-1]
			assert.Equal(t, "change", last.Kind, "changes come after refusals and manual steps")
			assert.NotEmpty(t, last.Before)
			assert.NotEmpty(t, last.After)
			h.m.rem.plan.Select(len(h.m.rem.rows) - 1)
			assert.Contains(t, h.m.rem.step.Text, last.ID)
			assert.Contains(t, h.m.rem.step.Text, "→")
			assert.Contains(t, h.m.rem.summary.Text, "in-memory copy")
			assert.False(t, h.m.rem.apply.Disabled())

			h.tap(h.m.rem.apply)
			h.noErrors()
			require.Len(t, h.asked, 1)
			assert.Contains(t, h.asked[0], "in-memory copy")
			assert.Equal(t, 1.0, h.m.rem.progress.Value)
			assert.Contains(t, h.m.rem.verify.Text, "Verify:")
			assert.Less(t, h.failCount(), failed)
			assert.True(t, h.m.rem.apply.Disabled(), "the plan was used")

			// Backups: the run is listed, its details shown, and rolled back.
			h.m.tabs.Select(h.m.backupsTab)
			require.Len(t, h.m.backups.runs, 1)
			assert.True(t, h.m.backups.rollback.Disabled(), "nothing chosen yet")
			h.m.backups.list.Select(0)
			assert.Contains(t, h.m.backups.detail.Text, "settings (rollback restores them in reverse order)")
			assert.False(t, h.m.backups.rollback.Disabled())
			h.tap(h.m.backups.rollback)
			h.noErrors()
			require.Len(t, h.asked, 2)
			assert.Contains(t, h.asked[1], "Roll back run")
			assert.Equal(t, failed, h.failCount(), "rolled back")
			assert.Contains(t, h.m.backups.result.Text, "rolled back")
			assert.Equal(t, 1.0, h.m.backups.progress.Value)
			assert.True(t, h.m.backups.rollback.Disabled(), "a rolled back run has nothing left")
		})
	}
}

func TestApplyCancelFlow(t *testing.T) {
	h := newHarness(t)
	h.open()
	failed := h.failCount()
	h.tap(h.m.rem.preview)
	h.noErrors()
	h.m.confirm = func(_, _ string, ok func()) {
		ok()
		assert.True(t, h.m.isBusy())
		assert.True(t, h.m.cancelBtn.Visible(), "a running task can be cancelled")
		assert.True(t, h.m.rem.preview.Disabled(), "actions wait for the task")
		h.m.cancelJob()
	}
	h.tap(h.m.rem.apply)
	require.Len(t, h.errs, 1)
	assert.Contains(t, h.errs[0].Error(), "context canceled")
	assert.Contains(t, h.m.rem.verify.Text, "rolled back")
	assert.Equal(t, failed, h.failCount(), "nothing is left changed")
	assert.False(t, h.m.cancelBtn.Visible())
	assert.False(t, h.m.rem.preview.Disabled())
}

func TestRemediateNeedsAChoice(t *testing.T) {
	h := newHarness(t)
	h.open()
	h.m.rem.mode.SetSelected(modeIDs)
	h.tap(h.m.rem.preview)
	require.Len(t, h.errs, 1)
	assert.Contains(t, h.errs[0].Error(), "tick at least one check")
	h.errs = nil
	h.m.rem.mode.SetSelected(modeCapability)
	h.tap(h.m.rem.preview)
	require.Len(t, h.errs, 1)
	assert.Contains(t, h.errs[0].Error(), "choose a capability")
}

func TestReportsFlow(t *testing.T) {
	h := newHarness(t)
	h.tap(h.m.reports.html)
	h.open()
	dir := t.TempDir()
	for _, tc := range []struct {
		button *widget.Button
		file   string
		want   string
	}{
		{h.m.reports.html, "ICU-CS01.html", "<html"},
		{h.m.reports.json, "ICU-CS01.json", `"profile": "cis-win7-l1"`},
		{h.m.reports.csv, "ICU-CS01.csv", "1.1.1"},
		{h.m.reports.html, "typed-as.csv", "1.1.1"}, // the extension wins
	} {
		h.file = filepath.Join(dir, tc.file)
		h.tap(tc.button)
		h.noErrors()
		b, err := os.ReadFile(h.file)
		require.NoError(t, err)
		assert.Contains(t, string(b), tc.want, tc.file)
		assert.Contains(t, h.m.reports.result.Text, h.file)
	}

	// Ctrl+S saves the HTML report.
	h.file = filepath.Join(dir, "shortcut.html")
	h.shortcut(fyne.KeyS)
	h.wait()
	_, err := os.Stat(h.file)
	require.NoError(t, err)

	// The collector goes to a folder; a different version asks first.
	h.folder = filepath.Join(dir, "usb")
	h.tap(h.m.reports.collector)
	h.noErrors()
	script := filepath.Join(h.folder, "medharden-collect.cmd")
	require.FileExists(t, script)
	require.NoError(t, os.WriteFile(script, []byte("echo old\r\n"), 0o644))
	h.tap(h.m.reports.collector)
	h.wait()
	h.noErrors()
	require.NotEmpty(t, h.asked)
	assert.Contains(t, h.asked[len(h.asked)-1], "Replace the collector?")
	assert.False(t, CollectorDiffers(h.folder))
}

func (h *harness) shortcut(k fyne.KeyName) {
	sc := &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
	h.m.win.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
}

func TestShortcuts(t *testing.T) {
	h := newHarness(t)
	h.shortcut(fyne.KeyO)
	h.wait()
	h.noErrors()
	assert.True(t, h.m.s.Opened(), "Ctrl+O opens a snapshot")
	h.m.tabs.Select(h.m.startTab)
	h.shortcut(fyne.KeyF)
	assert.Equal(t, h.m.resultsTab, h.m.tabs.Selected())
	assert.Equal(t, h.m.results.search, h.m.win.Canvas().Focused(), "Ctrl+F focuses the filter")
	menu := h.m.win.MainMenu()
	require.NotNil(t, menu)
	assert.Equal(t, "File", menu.Items[0].Label)
}

func TestKeyboardTabOrder(t *testing.T) {
	h := newHarness(t)
	h.open()
	c := h.m.win.Canvas()
	h.m.tabs.Select(h.m.resultsTab)
	c.Focus(h.m.results.search)
	var order []fyne.Focusable
	for i := 0; i < 5; i++ {
		order = append(order, c.Focused())
		test.FocusNext(c)
	}
	assert.Equal(t, []fyne.Focusable{h.m.results.search, h.m.results.clear, h.m.results.status, h.m.results.capability, h.m.results.section}, order,
		"Tab walks the filters in reading order: the search line, then the three filters under it")
}

func TestProfileAndTailoringFlow(t *testing.T) {
	h := newHarness(t)
	h.open()
	h.m.start.profile.SetSelected("cis-win7-l2 — CIS Windows 7 Level 1 + Level 2")
	h.wait()
	h.noErrors()
	assert.Equal(t, "cis-win7-l2", h.m.s.Profile())

	h.file = filepath.Join(t.TempDir(), "site.yaml")
	require.NoError(t, os.WriteFile(h.file, []byte(tailoring), 0o644))
	// The tailoring names another profile than the one chosen: refused, as
	// on the command line, never silently replaced.
	h.tap(h.m.start.chooseTailor)
	require.Len(t, h.errs, 1)
	assert.Contains(t, h.errs[0].Error(), "site.yaml:1")
	assert.Contains(t, h.m.start.tailoring.Text, "No tailoring file")
	assert.Equal(t, "cis-win7-l2", h.m.s.Profile())
	h.errs = nil

	h.m.start.profile.SetSelected(autoProfile)
	h.wait()
	h.tap(h.m.start.chooseTailor)
	h.noErrors()
	assert.Equal(t, h.file, h.m.start.tailoring.Text)
	assert.Equal(t, "cis-win7-l1", h.m.s.Profile(), "the tailoring names its profile")
	r, _ := h.m.s.Result("1.1.4")
	assert.Equal(t, checks.Waived, r.Status)
	h.tap(h.m.start.clearTailor)
	assert.Contains(t, h.m.start.tailoring.Text, "No tailoring file")
}

func TestAssetsFlow(t *testing.T) {
	h := newHarness(t)
	snap := filepath.Join(t.TempDir(), "ICU-CS01-20261118-093000")
	require.NoError(t, copyDir(sampleDir, snap))
	h.folder = snap
	h.open()
	h.m.tabs.Select(h.m.assetsTab)
	h.wait()
	h.noErrors()
	v := h.m.assets
	require.True(t, v.loaded)
	assert.Contains(t, v.identity.Text, "ICU-CS01")
	assert.NotContains(t, h.m.status.Text, "Reading the inventory", "the status bar says the work is done")

	test.Type(v.entries["asset_tag"], "bad tag!")
	assert.Error(t, v.entries["asset_tag"].Validate(), "the entry shows the error as it is typed")
	test.Tap(v.save)
	require.Len(t, h.errs, 1)
	assert.Contains(t, v.errors.Text, "Asset tag:")
	assert.True(t, v.errors.Visible())
	h.errs = nil

	v.entries["asset_tag"].SetText("ICU-0042")
	v.crit.SetSelected("life-critical")
	assert.NotContains(t, v.path.Text, "Saved in", "nothing is saved yet")

	// The inventory export's folder is where the fields are proposed.
	out := t.TempDir()
	h.file = filepath.Join(out, "inv.csv")
	h.tap(v.exports[1])
	h.noErrors()
	b, err := os.ReadFile(h.file)
	require.NoError(t, err)
	assert.Contains(t, string(b), "ICU-0042")

	var suggested string
	h.m.saveFile = func(_, name string, _ []string, cb func(string)) {
		suggested = name
		cb(h.file)
	}
	// Inside the snapshot folder: refused, nothing written, no "Saved in".
	h.file = filepath.Join(snap, "asset-fields.json")
	test.Tap(v.save)
	require.Len(t, h.errs, 1)
	assert.Contains(t, h.errs[0].Error(), "inside the snapshot folder")
	assert.NoFileExists(t, h.file)
	assert.NotContains(t, v.path.Text, "Saved in")
	assert.Equal(t, filepath.Join(out, "ICU-CS01-asset-fields.json"), suggested)
	h.errs = nil

	h.file = suggested
	test.Tap(v.save)
	h.noErrors()
	assert.False(t, v.errors.Visible())
	b, err = os.ReadFile(h.file)
	require.NoError(t, err)
	assert.Contains(t, string(b), "ICU-0042")
	assert.Equal(t, "Saved in "+h.file, v.path.Text)
	assert.NotContains(t, h.m.status.Text, "Reading the inventory", "the status bar says the work is done")
}

// Ctrl+Tab and Ctrl+Page Down go to the next tab, with Shift or Page Up to
// the previous one; arrows in a list change the selection and the detail.
func TestKeyboardTabsAndArrows(t *testing.T) {
	h := newHarness(t)
	h.open()
	c := h.m.win.Canvas().(fyne.Shortcutable)
	ctrl := fyne.KeyModifierControl
	h.m.tabs.Select(h.m.startTab)
	for _, tc := range []struct {
		key  fyne.KeyName
		mod  fyne.KeyModifier
		want *container.TabItem
	}{
		{fyne.KeyTab, ctrl, h.m.attentionTab},
		{fyne.KeyPageDown, ctrl, h.m.resultsTab},
		{fyne.KeyTab, ctrl | fyne.KeyModifierShift, h.m.attentionTab},
		{fyne.KeyPageUp, ctrl, h.m.startTab},
		{fyne.KeyPageUp, ctrl, h.m.assetsTab}, // wraps around
	} {
		c.TypedShortcut(&desktop.CustomShortcut{KeyName: tc.key, Modifier: tc.mod})
		h.wait()
		assert.Equal(t, tc.want.Text, h.m.tabs.Selected().Text, "%s %d", tc.key, tc.mod)
	}

	h.m.tabs.Select(h.m.resultsTab)
	v := &h.m.results
	require.Greater(t, len(v.rows), 2)
	v.list.Select(0)
	h.m.win.Canvas().Focus(v.list)
	v.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	assert.Equal(t, v.rows[1].ID, v.selected)
	assert.Contains(t, v.detailTitle.Text, v.rows[1].ID)
	v.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	assert.Equal(t, v.rows[0].ID, v.selected)
	assert.Contains(t, v.detailTitle.Text, v.rows[0].ID)
	v.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	assert.Equal(t, v.rows[0].ID, v.selected, "the first row stays")
}

// The detail pane reads: result, what it means, the fix and its trade-off,
// then the technical record; headings are not smaller than the text.
func TestDetailPaneOrder(t *testing.T) {
	h := newHarness(t)
	h.open()
	v := &h.m.results
	test.Type(v.search, "1.2.1")
	require.NotEmpty(t, v.rows)
	v.list.Select(0)
	pos := map[string]int{}
	for i, o := range v.detail.Objects {
		if l, ok := o.(*widget.Label); ok && l.TextStyle.Bold {
			pos[l.Text] = i
			assert.NotEqual(t, theme.SizeNameCaptionText, l.SizeName, l.Text)
		}
	}
	order := []string{"Result", "Rationale", "Remediation", "Emergency access and usability trade-off", "Expected", "Actual"}
	for i := 1; i < len(order); i++ {
		assert.Less(t, pos[order[i-1]], pos[order[i]], "%s before %s", order[i-1], order[i])
	}
}

// The offline pack is written from the window, with the same function as
// 'remediate --pack', into a folder named after the host; the window says
// where. A folder that holds files is replaced only when confirmed.
func TestOfflinePackFlow(t *testing.T) {
	h := newHarness(t)
	h.open()
	assert.True(t, h.m.rem.pack.Disabled(), "no plan yet")
	h.tap(h.m.rem.preview)
	h.noErrors()
	require.False(t, h.m.rem.pack.Disabled())
	h.folder = t.TempDir()
	h.tap(h.m.rem.pack)
	h.noErrors()
	dir := filepath.Join(h.folder, "ICU-CS01-medharden-pack")
	for _, f := range []string{"apply.cmd", "undo.cmd", "README.txt"} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
	assert.Contains(t, h.m.rem.verify.Text, "Wrote the offline pack to "+dir)
	assert.Contains(t, h.m.status.Text, dir)

	h.tap(h.m.rem.pack)
	h.noErrors()
	require.NotEmpty(t, h.asked)
	assert.Contains(t, h.asked[len(h.asked)-1], "Replace the pack?")
}

// On XP, where many checks are skipped, the plan's notes scroll in a few
// lines and the plan list keeps room for several rows at 1024x700.
func TestPlanKeepsRoom(t *testing.T) {
	h := newHarness(t)
	h.folder = filepath.Join(filepath.Dir(sampleDir), "PUMPSRV-XP-20261119-084500")
	h.open()
	h.m.win.Resize(fallbackSize)
	h.m.tabs.Select(h.m.remediateTab)
	h.tap(h.m.rem.preview)
	h.noErrors()
	require.NotEmpty(t, PlanNotes(h.m.s.Plan()), "the XP plan has notes")
	// As many skipped checks as a narrower selection gives on XP.
	var many []string
	for i := 0; i < 12; i++ {
		many = append(many, "Skipped 18.9."+strconv.Itoa(i)+": the setting does not exist on Windows XP")
	}
	h.m.rem.notes.SetText(strings.Join(many, "\n"))
	h.m.win.Resize(fallbackSize.AddWidthHeight(0, 1))
	row := newPlanRow().MinSize().Height
	assert.GreaterOrEqual(t, h.m.rem.plan.Size().Height, 3*row, "room for three plan rows at least")
}

// A user-scope check has one row per person; choosing a row shows that
// person's result, and a filter change keeps that person's row.
func TestPerPersonRowsShowTheirOwnDetail(t *testing.T) {
	h := newHarness(t)
	h.open()
	v := &h.m.results
	var rows []int
	for k, r := range v.rows {
		if r.User != nil {
			if len(rows) == 0 || v.rows[rows[0]].ID == r.ID {
				rows = append(rows, k)
			}
		}
	}
	require.GreaterOrEqual(t, len(rows), 2, "a user-scope check judged for two people")
	people := map[string]bool{}
	for _, k := range rows {
		r := v.rows[k]
		v.list.Select(k)
		assert.Equal(t, Key(r), v.selected)
		assert.Contains(t, v.detailTitle.Text, "(settings of "+r.User.Name+")")
		people[r.User.Name] = true
	}
	assert.Len(t, people, len(rows), "each row is a different person")
	last := v.rows[rows[len(rows)-1]]
	v.search.SetText(last.ID)
	assert.Equal(t, Key(last), v.selected, "the filter keeps the person's row")
}
