package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInitialSize(t *testing.T) {
	for _, tc := range []struct {
		name string
		area fyne.Size
		ok   bool
		want fyne.Size
	}{
		{"unknown screen", fyne.Size{}, false, fyne.NewSize(1024, 700)},
		{"1024x768 with a taskbar", fyne.NewSize(1024, 728), true, fyne.NewSize(1008, 664)},
		{"full HD", fyne.NewSize(1920, 1040), true, fyne.NewSize(1240, 760)},
		{"800x600", fyne.NewSize(800, 560), true, fyne.NewSize(800, 600)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := initialSize(tc.area, tc.ok)
			assert.Equal(t, tc.want, got)
			if tc.ok && tc.area.Width > minWindow.Width {
				assert.LessOrEqual(t, got.Width, tc.area.Width, "never wider than the screen")
				assert.LessOrEqual(t, got.Height, tc.area.Height, "never taller than the screen")
			}
		})
	}
}

// The window's content fits 800x600 with the menu bar, and at 1024x768 the
// results stack so that the detail pane stays on screen; wide, they stand
// side by side.
func TestWindowFitsSmallScreens(t *testing.T) {
	h := newHarness(t)
	h.open()
	min := h.m.win.Content().MinSize()
	assert.LessOrEqual(t, min.Width, minWindow.Width-windowFrame.Width, "minimum width")
	assert.LessOrEqual(t, min.Height, minWindow.Height-windowFrame.Height, "minimum height")

	h.m.win.Resize(fallbackSize)
	h.m.tabs.Select(h.m.resultsTab)
	assert.False(t, h.m.results.split.Horizontal, "stacked at 1024 wide")
	canvas := h.m.win.Canvas().Size()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(h.m.results.detailPane)
	size := h.m.results.detailPane.Size()
	assert.Greater(t, size.Width, float32(200), "the detail has room")
	assert.LessOrEqual(t, pos.X+size.Width, canvas.Width+1, "the detail pane is on screen")
	assert.LessOrEqual(t, pos.Y+size.Height, canvas.Height+1)

	// The filters show their labels in full.
	full := fyne.MeasureText(allCapabilities, theme.TextSize(), fyne.TextStyle{}).Width
	assert.GreaterOrEqual(t, h.m.results.capability.Size().Width, full)

	h.m.win.Resize(fyne.NewSize(1400, 800))
	assert.True(t, h.m.results.split.Horizontal, "side by side when wide")
}

func TestShortTitle(t *testing.T) {
	for _, tc := range []struct{ title, want string }{
		{"Ensure 'Minimum password length' is set to '14 or more character(s)'", "Minimum password length"},
		{"Ensure 'Deny log on locally' to include 'Guests'", "Deny log on locally"},
		{"Configure 'Accounts: Rename administrator account'", "Accounts: Rename administrator account"},
		{"Ensure 'Prevent users from sharing files within their profile.' is set to 'Enabled'", "Prevent users from sharing files within their profile."},
		{"Set 'NetBIOS node type' to 'P-node' (Ensure NetBT Parameter 'NodeType' is set to '0x2 (2)')", "NetBIOS node type"},
		{"Ensure 'EMET 5.52' or higher is installed", "Ensure 'EMET 5.52' or higher is installed"},
		{"MS17-010 (EternalBlue, WannaCry) is patched", "MS17-010 (EternalBlue, WannaCry) is patched"},
	} {
		assert.Equal(t, tc.want, ShortTitle(tc.title), tc.title)
	}
}

// The section filter names sections; the list shows the setting's name,
// the detail the whole title.
func TestSectionNamesAndShortTitles(t *testing.T) {
	h := newHarness(t)
	h.open()
	opts := h.m.results.section.Options
	for _, want := range []string{"2.2 User rights", "17 Audit policy", "18.9 Windows components"} {
		assert.Contains(t, opts, want)
	}
	h.m.results.section.SetSelected("17 Audit policy")
	require.NotEmpty(t, h.m.results.rows)
	for _, r := range h.m.results.rows {
		assert.Equal(t, "17", Section(r.ID))
	}
	row := newResultRow(nil)
	row.set(h.m.results.rows[0], "")
	assert.NotContains(t, row.title.Text, "Ensure '")
	h.m.results.list.Select(0)
	assert.Contains(t, h.m.results.detailTitle.Text, h.m.results.rows[0].Title)
}
