package gui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"medharden/checks"
)

// contrastTheme is Fyne's theme with the colours medharden writes text in
// (labels marked danger, warning or success: BLOCKED, MANUAL, CHANGE, the
// trade-off, the rehearsal banner) dark enough on a light background and
// light enough on a dark one for 4.5:1 contrast, the usual minimum for
// text. Fyne's own are 1.5:1 (green) and 2.2:1 (orange) on white. The
// primary blue is darkened too, for the white words on the main buttons.
type contrastTheme struct{ fyne.Theme }

var textColors = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		theme.ColorNameError:   rgb(0xb3, 0x26, 0x1e),
		theme.ColorNameWarning: rgb(0x8a, 0x4b, 0x00),
		theme.ColorNameSuccess: rgb(0x17, 0x5e, 0x2b),
		theme.ColorNamePrimary: rgb(0x15, 0x65, 0xc0),
	},
	theme.VariantDark: {
		theme.ColorNameError:   rgb(0xff, 0x6b, 0x6b),
		theme.ColorNameWarning: rgb(0xff, 0xa7, 0x26),
		theme.ColorNameSuccess: rgb(0x6f, 0xcf, 0x73),
		theme.ColorNamePrimary: rgb(0x15, 0x65, 0xc0),
	},
}

// statusColors draw the statuses in the list, the chart and the legend:
// red, purple, green, blue and grey, so that ERROR does not blend into FAIL
// or PASS for a red-green colour-blind reader; every status is also
// written as a word next to its colour.
var statusColors = map[fyne.ThemeVariant]map[checks.Status]color.Color{
	theme.VariantLight: {
		checks.Fail: rgb(0xb3, 0x26, 0x1e), checks.Error: rgb(0x7b, 0x32, 0x94), checks.Pass: rgb(0x17, 0x5e, 0x2b),
		checks.Waived: rgb(0x1a, 0x55, 0x90), checks.NotApplicable: rgb(0x55, 0x55, 0x55),
	},
	theme.VariantDark: {
		checks.Fail: rgb(0xff, 0x6b, 0x6b), checks.Error: rgb(0xc3, 0x9b, 0xd3), checks.Pass: rgb(0x6f, 0xcf, 0x73),
		checks.Waived: rgb(0x74, 0xa9, 0xe0), checks.NotApplicable: rgb(0xa0, 0xa0, 0xa0),
	},
}

func rgb(r, g, b uint8) color.NRGBA { return color.NRGBA{R: r, G: g, B: b, A: 0xff} }

func (t contrastTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := textColors[v][n]; ok {
		return c
	}
	return t.Theme.Color(n, v)
}

// withContrast wraps a theme once.
func withContrast(th fyne.Theme) fyne.Theme {
	if _, ok := th.(contrastTheme); ok {
		return th
	}
	return contrastTheme{th}
}

// statusColor is the colour of a status for the current theme variant.
func statusColor(s checks.Status) color.Color {
	v := fyne.CurrentApp().Settings().ThemeVariant()
	if v != theme.VariantDark {
		v = theme.VariantLight
	}
	if c, ok := statusColors[v][s]; ok {
		return c
	}
	return statusColors[v][checks.NotApplicable]
}

// contrast is the WCAG 2 contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is the WCAG 2 relative luminance of a colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// over is c drawn over an opaque background (a selection's translucent
// colour over the list).
func over(c, bg color.Color) color.Color {
	r, g, b, a := c.RGBA()
	br, bgg, bb, _ := bg.RGBA()
	mix := func(x, y uint32) uint8 { return uint8((x + y*(0xffff-a)/0xffff) >> 8) }
	return color.NRGBA{R: mix(r, br), G: mix(g, bgg), B: mix(b, bb), A: 0xff}
}
