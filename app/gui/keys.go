package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// selectList is a list whose arrow keys change the selection, and so the
// pane that shows it, rather than only a focus mark.
type selectList struct {
	widget.List
	sel widget.ListItemID // -1 when nothing is selected
}

func newSelectList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *selectList {
	l := &selectList{sel: -1}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	l.onSelect(nil, nil)
	return l
}

// onSelect sets what selecting and unselecting a row do.
func (l *selectList) onSelect(selected, unselected func(widget.ListItemID)) {
	l.OnSelected = func(i widget.ListItemID) {
		l.sel = i
		if selected != nil {
			selected(i)
		}
	}
	l.OnUnselected = func(i widget.ListItemID) {
		l.sel = -1
		if unselected != nil {
			unselected(i)
		}
	}
}

// TypedKey moves the selection with Up and Down; other keys are the list's.
func (l *selectList) TypedKey(e *fyne.KeyEvent) {
	next := l.sel
	switch e.Name {
	case fyne.KeyDown:
		next++
	case fyne.KeyUp:
		next--
	case fyne.KeyF10:
		toggleMenu(fyne.CurrentApp().Driver().CanvasForObject(l))
		return
	default:
		l.List.TypedKey(e)
		return
	}
	l.List.TypedKey(e) // the focus mark follows
	if next < 0 || l.Length == nil || next >= l.Length() {
		return
	}
	l.Select(next)
	l.ScrollTo(next)
}

// addTabKeys lets Ctrl+Tab and Ctrl+Page Down go to the next tab,
// Ctrl+Shift+Tab and Ctrl+Page Up to the previous one, as in browsers and
// Windows' property sheets.
func (m *mainWindow) addTabKeys() {
	c := m.win.Canvas()
	step := func(d int) func(fyne.Shortcut) {
		return func(fyne.Shortcut) {
			n := len(m.tabs.Items)
			m.tabs.SelectIndex((m.tabs.SelectedIndex() + d + n) % n)
		}
	}
	ctrl := fyne.KeyModifierControl
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyTab, Modifier: ctrl}, step(1))
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyPageDown, Modifier: ctrl}, step(1))
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyTab, Modifier: ctrl | fyne.KeyModifierShift}, step(-1))
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyPageUp, Modifier: ctrl}, step(-1))
}

// toggleMenu opens the window's first menu, or closes the open one. On
// Windows and Linux Fyne draws the menu bar itself and opens it on Alt
// pressed and released alone; then the arrow keys move through the menus,
// Enter chooses and Escape closes. Its canvas has the call; a canvas
// without one (native menus, the test driver) is left alone. A variable,
// so tests can see it called.
var toggleMenu = func(c fyne.Canvas) {
	if t, ok := c.(interface{ ToggleMenu() }); ok {
		t.ToggleMenu()
	}
}

// addMenuKey makes F10 open the menus too, as in Windows programs, while
// no text field has the focus (a list passes it on, see selectList).
func (m *mainWindow) addMenuKey() {
	c := m.win.Canvas()
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if e.Name == fyne.KeyF10 {
			toggleMenu(c)
		}
	})
}
