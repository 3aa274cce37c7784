package gui

import (
	"regexp"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// The window opens at defaultSize, or smaller when the screen's work area
// is smaller; fallbackSize when the work area is unknown. minWindow is the
// smallest size its content needs (a central station at 800x600 included).
var (
	defaultSize  = fyne.NewSize(1240, 760)
	fallbackSize = fyne.NewSize(1024, 700)
	minWindow    = fyne.NewSize(800, 600)
)

// windowFrame is what the title bar, borders and the menu bar take
// around the content.
var windowFrame = fyne.NewSize(16, 64)

// initialSize is the size the window opens at: never larger than the
// screen's work area (in Fyne's units; ok false when unknown), at least
// minWindow.
func initialSize(area fyne.Size, ok bool) fyne.Size {
	if !ok || area.Width <= 0 || area.Height <= 0 {
		return fallbackSize
	}
	w := area.Width - windowFrame.Width
	h := area.Height - windowFrame.Height
	if w > defaultSize.Width {
		w = defaultSize.Width
	}
	if h > defaultSize.Height {
		h = defaultSize.Height
	}
	if w < minWindow.Width {
		w = minWindow.Width
	}
	if h < minWindow.Height {
		h = minWindow.Height
	}
	return fyne.NewSize(w, h)
}

// SizeVar names the size the window opens at ("1920x1080") where the
// screen's size is unknown (Linux and BSD: Fyne cannot tell it there); on
// Windows the work area decides.
const SizeVar = "MEDHARDEN_WINDOW_SIZE"

// openSize is the size the window opens at: initialSize when the work
// area is known, else the size asked for (at least minWindow), else
// fallbackSize.
func openSize(area fyne.Size, known bool, asked string) fyne.Size {
	if known {
		return initialSize(area, true)
	}
	w, h, ok := parseSize(asked)
	if !ok {
		return fallbackSize
	}
	if w < minWindow.Width {
		w = minWindow.Width
	}
	if h < minWindow.Height {
		h = minWindow.Height
	}
	return fyne.NewSize(w, h)
}

// parseSize reads "WIDTHxHEIGHT".
func parseSize(s string) (w, h float32, ok bool) {
	parts := strings.Split(strings.ToLower(strings.TrimSpace(s)), "x")
	if len(parts) != 2 {
		return 0, 0, false
	}
	x, err1 := strconv.ParseUint(parts[0], 10, 16)
	y, err2 := strconv.ParseUint(parts[1], 10, 16)
	if err1 != nil || err2 != nil || x == 0 || y == 0 {
		return 0, 0, false
	}
	return float32(x), float32(y), true
}

// newAdaptiveSplit is a split that stands side by side from breakpoint
// wide and stacks the two panes below it, so that a pane never leaves the
// screen on a narrow one. Its minimum is the stacked one.
func newAdaptiveSplit(a, b fyne.CanvasObject, offset float64, breakpoint float32) (*container.Split, *fyne.Container) {
	s := container.NewHSplit(a, b)
	s.Offset = offset
	return s, container.New(adaptive{s, breakpoint}, s)
}

type adaptive struct {
	split      *container.Split
	breakpoint float32
}

func (a adaptive) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	wide := size.Width >= a.breakpoint
	if a.split.Horizontal != wide {
		a.split.Horizontal = wide
		a.split.Refresh()
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (a adaptive) MinSize([]fyne.CanvasObject) fyne.Size {
	l, t := a.split.Leading.MinSize(), a.split.Trailing.MinSize()
	w := l.Width
	if t.Width > w {
		w = t.Width
	}
	return fyne.NewSize(w, l.Height+t.Height)
}

// cisTitle is a CIS title: the setting's name in quotes, then the value
// the benchmark wants.
var cisTitle = regexp.MustCompile(`^(?:(?:Ensure|Configure) '(.+?)'(?: (?:is set to|to include|is configured to) .*)?|Set '(.+?)' to .*)$`)

// ShortTitle is the part of a title that tells checks apart: the setting's
// name of a CIS title ("Ensure 'Minimum password length' is set to '14 or
// more character(s)'" -> "Minimum password length"); other titles as they
// are. The list shows it; the detail shows the full title.
func ShortTitle(title string) string {
	if m := cisTitle.FindStringSubmatch(strings.TrimSpace(title)); m != nil {
		return m[1] + m[2]
	}
	return title
}

// sectionNames name the benchmark's sections (CIS Microsoft Windows 7
// v3.x) and medharden's own, for the section filter.
var sectionNames = map[string]string{
	"1": "Account policies", "2.2": "User rights", "2.3": "Security options",
	"5": "System services", "9": "Windows Firewall", "17": "Audit policy",
	"18.1": "Control Panel", "18.2": "LAPS", "18.3": "MS security guide",
	"18.4": "MSS (legacy)", "18.5": "Network", "18.6": "Printers",
	"18.8": "System", "18.9": "Windows components", "19": "User settings",
	"MH": "medharden device checks", "STIG": "DISA STIG",
}

// SectionLabel is a section as the filter lists it: "17 Audit policy".
func SectionLabel(sec string) string {
	if n, ok := sectionNames[sec]; ok {
		return sec + " " + n
	}
	return sec
}
