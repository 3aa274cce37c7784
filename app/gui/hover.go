package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tipLayer shows a cut text in full next to the pointer while the pointer
// rests on it: Fyne 2.7 has no tooltips. It lies above the window's
// content and holds nothing that takes pointer events, so the widgets
// under it keep their clicks and hovering (an overlay or pop-up would take
// them, and the pointer would leave the row it is on).
type tipLayer struct {
	layer *fyne.Container // without layout: the tip is placed by hand
	box   *fyne.Container
	label *widget.Label
}

func newTipLayer() *tipLayer {
	t := &tipLayer{label: widget.NewLabel("")}
	t.label.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameForeground)
	bg.StrokeWidth = 1
	t.box = container.NewStack(bg, t.label)
	t.box.Hide()
	t.layer = container.NewWithoutLayout(t.box)
	return t
}

// show puts text under the pointer (at pos in the window), within the
// window.
func (t *tipLayer) show(text string, pos fyne.Position) {
	if t == nil {
		return
	}
	area := t.layer.Size()
	pad := theme.InnerPadding()
	w := fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{}).Width + 2*pad + 2
	if room := area.Width - 2*pad; area.Width > 0 && w > room {
		w = room
	}
	t.label.SetText(text)
	t.label.Resize(fyne.NewSize(w, 1))
	h := t.label.MinSize().Height
	x, y := pos.X+pad, pos.Y+2*pad
	if x+w > area.Width {
		x = area.Width - w
	}
	if y+h > area.Height {
		y = pos.Y - h - pad
	}
	if x < 0 {
		x = 0
	}
	if y < 0 {
		y = 0
	}
	t.box.Move(fyne.NewPos(x, y))
	t.box.Resize(fyne.NewSize(w, h))
	t.box.Show()
	t.layer.Refresh()
}

func (t *tipLayer) hide() {
	if t != nil {
		t.box.Hide()
	}
}

// Text is the tip on show, "" when none is.
func (t *tipLayer) Text() string {
	if t == nil || !t.box.Visible() {
		return ""
	}
	return t.label.Text
}

// hoverTip gives a widget a tip: text says what to show ("" for none).
type hoverTip struct {
	tips *tipLayer
	text func() string
}

func (h hoverTip) MouseIn(e *desktop.MouseEvent) { h.MouseMoved(e) }

func (h hoverTip) MouseMoved(e *desktop.MouseEvent) {
	if h.tips == nil || h.text == nil {
		return
	}
	if s := h.text(); s != "" {
		h.tips.show(s, e.AbsolutePosition)
		return
	}
	h.tips.hide()
}

func (h hoverTip) MouseOut() { h.tips.hide() }

// hoverSelect is a select that shows its choice in full on hover when the
// choice does not fit.
type hoverSelect struct {
	widget.Select
	tip hoverTip
}

func newHoverSelect(tips *tipLayer, options []string, changed func(string)) *hoverSelect {
	s := &hoverSelect{}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	s.tip = hoverTip{tips, func() string {
		if s.Selected == "" || fits(s.Selected, s.Size().Width-2*theme.InnerPadding()-theme.IconInlineSize()) {
			return ""
		}
		return s.Selected
	}}
	return s
}

func (s *hoverSelect) MouseIn(e *desktop.MouseEvent) {
	s.Select.MouseIn(e)
	s.tip.MouseIn(e)
}

func (s *hoverSelect) MouseMoved(e *desktop.MouseEvent) {
	s.Select.MouseMoved(e)
	s.tip.MouseMoved(e)
}

func (s *hoverSelect) MouseOut() {
	s.Select.MouseOut()
	s.tip.MouseOut()
}

// Tapped hides the tip: the choices open over it.
func (s *hoverSelect) Tapped(e *fyne.PointEvent) {
	s.tip.MouseOut()
	s.Select.Tapped(e)
}

// fits tells whether text shows in full in width.
func fits(text string, width float32) bool {
	return fyne.MeasureText(text, theme.TextSize(), fyne.TextStyle{}).Width <= width
}

// tipBox is content with a tip on hover, for list rows of labels.
type tipBox struct {
	widget.BaseWidget
	content fyne.CanvasObject
	hoverTip
}

func newTipBox(tips *tipLayer, content fyne.CanvasObject, text func() string) *tipBox {
	b := &tipBox{content: content, hoverTip: hoverTip{tips, text}}
	b.ExtendBaseWidget(b)
	return b
}

func (b *tipBox) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(b.content) }

// cutText is the text of the labels that show less than all of it, one
// per line; "" when every label shows its text in full.
func cutText(labels ...*widget.Label) string {
	cut := false
	var lines []string
	for _, l := range labels {
		lines = append(lines, l.Text)
		style := l.TextStyle
		if !cut && fyne.MeasureText(l.Text, theme.TextSize(), style).Width > l.Size().Width-2*theme.InnerPadding() {
			cut = true
		}
	}
	if !cut {
		return ""
	}
	return strings.Join(lines, "\n")
}
