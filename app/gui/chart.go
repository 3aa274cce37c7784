package gui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"medharden/checks"
)

// stackedBar is one horizontal bar of the capability chart: a rectangle per
// status, as wide as its share of the checks.
type stackedBar struct {
	widget.BaseWidget
	counts checks.Counts
}

func newStackedBar(c checks.Counts) *stackedBar {
	b := &stackedBar{counts: c}
	b.ExtendBaseWidget(b)
	return b
}

// SetCounts changes the bar's counts.
func (b *stackedBar) SetCounts(c checks.Counts) {
	b.counts = c
	b.Refresh()
}

func (b *stackedBar) CreateRenderer() fyne.WidgetRenderer {
	r := &barRenderer{bar: b, bg: canvas.NewRectangle(color.Transparent)}
	for range checks.Statuses {
		r.segs = append(r.segs, canvas.NewRectangle(color.Transparent))
	}
	r.Refresh()
	return r
}

type barRenderer struct {
	bar  *stackedBar
	bg   *canvas.Rectangle
	segs []*canvas.Rectangle
}

func (r *barRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	total := r.bar.counts.Total
	x := float32(0)
	for i, s := range checks.Statuses {
		w := float32(0)
		if total > 0 {
			w = size.Width * float32(r.bar.counts.Of(s)) / float32(total)
		}
		r.segs[i].Move(fyne.NewPos(x, 0))
		r.segs[i].Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (r *barRenderer) MinSize() fyne.Size { return fyne.NewSize(80, 14) }

func (r *barRenderer) Refresh() {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	r.bg.FillColor = fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameInputBackground, v)
	r.bg.Refresh()
	for i, s := range checks.Statuses {
		r.segs[i].FillColor = statusColor(s)
		r.segs[i].Refresh()
	}
	r.Layout(r.bar.Size())
}

func (r *barRenderer) Objects() []fyne.CanvasObject {
	out := []fyne.CanvasObject{r.bg}
	for _, s := range r.segs {
		out = append(out, s)
	}
	return out
}

func (r *barRenderer) Destroy() {}

// fixedWidth lays out its objects at a fixed width and their own height.
type fixedWidth float32

func (f fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(float32(f), size.Height))
	}
}

func (f fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		if m := o.MinSize(); m.Height > h {
			h = m.Height
		}
	}
	return fyne.NewSize(float32(f), h)
}

// border is container.NewBorder with the objects in reading order (top,
// left, centre, right, bottom), which is the order Tab walks them in.
func border(top, bottom, left, right fyne.CanvasObject, center ...fyne.CanvasObject) *fyne.Container {
	var objs []fyne.CanvasObject
	for _, o := range []fyne.CanvasObject{top, left} {
		if o != nil {
			objs = append(objs, o)
		}
	}
	objs = append(objs, center...)
	for _, o := range []fyne.CanvasObject{right, bottom} {
		if o != nil {
			objs = append(objs, o)
		}
	}
	return container.New(layout.NewBorderLayout(top, bottom, left, right), objs...)
}
