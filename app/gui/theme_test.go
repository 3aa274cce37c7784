package gui

import (
	"fmt"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/stretchr/testify/assert"

	"medharden/checks"
)

func TestContrastFormula(t *testing.T) {
	white, black := rgb(0xff, 0xff, 0xff), rgb(0, 0, 0)
	assert.InDelta(t, 21.0, contrast(white, black), 0.01)
	assert.InDelta(t, 1.0, contrast(white, white), 0.001)
	// Fyne's own success green and warning orange on white: the problem.
	assert.InDelta(t, 1.5, contrast(rgb(0x43, 0xf4, 0x36), white), 0.1)
	assert.InDelta(t, 2.2, contrast(rgb(0xff, 0x98, 0x00), white), 0.1)
}

// Every colour medharden writes text in reads at 4.5:1 or more against
// what it is written on, in the light and the dark theme: labels marked
// danger, warning or success and the status words on the window's
// background and on a selected row, and the words on coloured buttons.
func TestTextContrast(t *testing.T) {
	th := withContrast(theme.DefaultTheme())
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		bg := th.Color(theme.ColorNameBackground, v)
		grounds := map[string]color.Color{
			"background":   bg,
			"selected row": over(th.Color(theme.ColorNameSelection, v), bg),
		}
		texts := map[string]color.Color{}
		for _, n := range []fyne.ThemeColorName{theme.ColorNameForeground, theme.ColorNameError, theme.ColorNameWarning, theme.ColorNameSuccess} {
			texts[string(n)] = th.Color(n, v)
		}
		for _, s := range checks.Statuses {
			texts["status "+string(s)] = statusColors[v][s]
		}
		for tn, tc := range texts {
			for gn, gc := range grounds {
				r := contrast(tc, gc)
				assert.GreaterOrEqual(t, r, 4.5, fmt.Sprintf("variant %d: %s on %s is %.2f:1", v, tn, gn, r))
			}
		}
		for _, pair := range [][2]fyne.ThemeColorName{
			{theme.ColorNameForegroundOnError, theme.ColorNameError},
			{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
		} {
			r := contrast(th.Color(pair[0], v), th.Color(pair[1], v))
			assert.GreaterOrEqual(t, r, 4.5, fmt.Sprintf("variant %d: %s on %s is %.2f:1", v, pair[0], pair[1], r))
		}
	}
}
