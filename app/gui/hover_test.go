package gui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// centre is where a pointer rests on o, in the window.
func centre(o fyne.CanvasObject) fyne.Position {
	p := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	return p.Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2))
}

// visibleRows are the result rows the list shows.
func visibleRows(h *harness) []*resultRow {
	var rows []*resultRow
	walkAll(h.m.win.Content(), func(o fyne.CanvasObject) {
		if r, ok := o.(*resultRow); ok && r.Visible() && r.full != "" && r.Size().Height > 0 {
			rows = append(rows, r)
		}
	})
	return rows
}

// walkAll walks widgets' renderers too, down to the list's rows.
func walkAll(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkAll(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkAll(c, fn)
		}
	}
}

// At 1024 wide the list shows the setting's name; the pointer resting on
// a row shows its full title, leaving the row still clickable; a filter
// whose choice is cut shows it in full.
func TestHoverShowsFullTitle(t *testing.T) {
	h := newHarness(t)
	h.open()
	h.m.win.Resize(fallbackSize)
	c := h.m.win.Canvas()

	// Needs attention: a row whose sentence is cut shows it whole.
	require.Equal(t, h.m.attentionTab, h.m.tabs.Selected())
	var box *tipBox
	walkAll(h.m.win.Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*tipBox); ok && box == nil && b.Visible() && b.text() != "" {
			box = b
		}
	})
	require.NotNil(t, box, "a cut row in Needs attention")
	test.MoveMouse(c, centre(box))
	assert.Contains(t, h.m.tips.Text(), "What to do: ")
	assert.Equal(t, box.text(), h.m.tips.Text())

	h.m.tabs.Select(h.m.resultsTab)
	v := &h.m.results
	v.search.SetText("password")

	rows := visibleRows(h)
	require.NotEmpty(t, rows)
	var row *resultRow
	for _, r := range rows {
		if strings.HasPrefix(r.full, "Ensure") {
			row = r
			break
		}
	}
	require.NotNil(t, row, "a row shows less than the title")
	assert.Empty(t, h.m.tips.Text(), "no tip before hovering")
	at := centre(row.title)
	test.MoveMouse(c, at)
	assert.Equal(t, row.full, h.m.tips.Text(), "the full title on hover")
	assert.NotEqual(t, row.full, row.title.Text, "the list shows the setting's name")
	tip := fyne.CurrentApp().Driver().AbsolutePositionForObject(h.m.tips.box)
	size := h.m.tips.box.Size()
	assert.LessOrEqual(t, tip.X+size.Width, c.Size().Width+1, "the tip stays in the window")
	assert.LessOrEqual(t, tip.Y+size.Height, c.Size().Height+1)

	id := row.id.Text
	test.TapCanvas(c, at)
	assert.Equal(t, id, v.selected, "a click goes through to the row")

	test.MoveMouse(c, centre(v.detailTitle))
	assert.Empty(t, h.m.tips.Text(), "the tip goes when the pointer leaves")

	// A filter too narrow for its choice shows it in full.
	h.m.win.Resize(minWindow)
	long := ""
	for _, o := range v.capability.Options {
		if len(o) > len(long) {
			long = o
		}
	}
	v.capability.SetSelected(long)
	room := v.capability.Size().Width
	require.False(t, fits(long, room), "%q is cut at %v", long, room)
	test.MoveMouse(c, centre(v.capability))
	assert.Equal(t, long, h.m.tips.Text())
	test.MoveMouse(c, centre(v.detailTitle))
	assert.Empty(t, h.m.tips.Text())
}

// F10 opens the menus, as Alt does in Fyne's own menu bar: from the window
// and from a list that has the focus; other keys do not.
func TestF10OpensTheMenus(t *testing.T) {
	var toggled []fyne.Canvas
	old := toggleMenu
	toggleMenu = func(c fyne.Canvas) { toggled = append(toggled, c) }
	t.Cleanup(func() { toggleMenu = old })

	h := newHarness(t)
	h.open()
	c := h.m.win.Canvas()
	c.Unfocus()
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyA})
	assert.Empty(t, toggled)
	c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyF10})
	assert.Equal(t, []fyne.Canvas{c}, toggled, "F10 with nothing focused")

	h.m.tabs.Select(h.m.resultsTab)
	v := &h.m.results
	v.list.Select(0)
	c.Focus(v.list)
	v.list.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF10})
	assert.Len(t, toggled, 2, "F10 on the focused list")
	assert.Equal(t, v.rows[0].ID, v.selected, "F10 does not move the selection")
}

func TestOpenSize(t *testing.T) {
	for _, tc := range []struct {
		name  string
		area  fyne.Size
		known bool
		asked string
		want  fyne.Size
	}{
		{"unknown screen", fyne.Size{}, false, "", fallbackSize},
		{"asked for full HD", fyne.Size{}, false, "1920x1080", fyne.NewSize(1920, 1080)},
		{"asked for 1024x768", fyne.Size{}, false, " 1024X768 ", fyne.NewSize(1024, 768)},
		{"too small", fyne.Size{}, false, "640x480", minWindow},
		{"not a size", fyne.Size{}, false, "big", fallbackSize},
		{"three numbers", fyne.Size{}, false, "1x2x3", fallbackSize},
		{"zero", fyne.Size{}, false, "0x768", fallbackSize},
		{"the work area wins", fyne.NewSize(1024, 728), true, "1920x1080", fyne.NewSize(1008, 664)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, openSize(tc.area, tc.known, tc.asked))
		})
	}
}

// FuzzParseSize reads any MEDHARDEN_WINDOW_SIZE: never a panic, and a
// size it accepts is two positive numbers.
func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"1920x1080", "1024X768", " 800x600 ", "x", "1x2x3", "0x5", "-1x5", "65536x1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, h, ok := parseSize(s)
		if ok {
			assert.Greater(t, w, float32(0))
			assert.Greater(t, h, float32(0))
			assert.Equal(t, fyne.NewSize(w, h).Max(minWindow), openSize(fyne.Size{}, false, s))
		}
	})
}
