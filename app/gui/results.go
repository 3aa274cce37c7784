package gui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"medharden/app/report"
	"medharden/checks"
)

const (
	allStatuses     = "All statuses"
	allCapabilities = "All capabilities"
	allSections     = "All sections"
)

type resultsView struct {
	counts  *widget.Label
	overall *stackedBar
	chart   *fyne.Container

	status, capability, section *hoverSelect
	search                      *widget.Entry
	clear                       *widget.Button
	shown                       *widget.Label

	list     *selectList
	rows     []checks.Result
	selected string

	detailTitle *widget.Label
	detail      *fyne.Container
	detailPane  *container.Scroll

	capCodes []string // capability select index -> code
	secCodes []string // section select index -> section
	split    *container.Split
	updating bool
}

func (m *mainWindow) buildResults() fyne.CanvasObject {
	v := &m.results
	v.counts = widget.NewLabel("")
	v.counts.Wrapping = fyne.TextWrapWord
	v.overall = newStackedBar(checks.Counts{})
	v.chart = container.NewVBox()

	legend := container.NewHBox()
	for _, s := range checks.Statuses {
		sw := canvas.NewRectangle(statusColor(s))
		sw.SetMinSize(fyne.NewSize(12, 12))
		legend.Add(container.NewCenter(sw))
		legend.Add(widget.NewLabel(s.Label()))
	}
	left := border(
		container.NewVBox(
			widget.NewLabelWithStyle("Summary by IEC 80001-2-2 capability", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			v.counts, v.overall, legend, widget.NewSeparator()),
		nil, nil, nil,
		container.NewVScroll(v.chart))

	statusOpts := []string{allStatuses}
	for _, s := range checks.Statuses {
		statusOpts = append(statusOpts, s.Label())
	}
	v.status = newHoverSelect(m.tips, statusOpts, func(string) { m.applyFilter() })
	v.capability = newHoverSelect(m.tips, []string{allCapabilities}, func(string) { m.applyFilter() })
	v.section = newHoverSelect(m.tips, []string{allSections}, func(string) { m.applyFilter() })
	// A select is as wide as its placeholder: the "All ..." labels in full.
	v.status.PlaceHolder, v.capability.PlaceHolder, v.section.PlaceHolder = allStatuses, allCapabilities, allSections
	v.secCodes = []string{""}
	v.status.SetSelectedIndex(0)
	v.capability.SetSelectedIndex(0)
	v.section.SetSelectedIndex(0)
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder("Search id, title, value, reason… (Ctrl+F)")
	v.search.OnChanged = func(string) { m.applyFilter() }
	v.clear = widget.NewButton("Clear", m.clearFilter)
	v.shown = widget.NewLabel("")

	v.list = newSelectList(
		func() int { return len(m.results.rows) },
		func() fyne.CanvasObject { return newResultRow(m.tips) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(m.results.rows) {
				r := m.results.rows[i]
				linked, _ := m.s.Linked(r.ID)
				o.(*resultRow).set(r, linked.ID)
			}
		})
	v.list.onSelect(func(i widget.ListItemID) {
		if i < len(m.results.rows) {
			m.showDetail(Key(m.results.rows[i]))
		}
	}, nil)

	v.detailTitle = widget.NewLabelWithStyle("Choose a check in the list.", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.detailTitle.Wrapping = fyne.TextWrapWord
	v.detail = container.NewVBox()
	v.detailPane = container.NewVScroll(container.NewVBox(v.detailTitle, v.detail))

	// The search on its own line, the three filters under it: full labels
	// at 800 pixels wide.
	filters := container.NewVBox(
		border(nil, nil, nil, container.NewHBox(v.clear, v.shown), v.search),
		container.NewGridWithColumns(3, v.status, v.capability, v.section))
	_, listAndDetail := newAdaptiveSplit(v.list, v.detailPane, 0.5, 640)
	right := border(filters, nil, nil, nil, listAndDetail)
	var split fyne.CanvasObject
	v.split, split = newAdaptiveSplit(left, right, 0.35, 1100)
	return split
}

// refreshResults rebuilds the summary, the filter choices and the list.
func (m *mainWindow) refreshResults() {
	v := &m.results
	rep, ok := m.s.Report()
	v.chart.RemoveAll()
	if !ok {
		v.counts.SetText("No results yet.")
		v.overall.SetCounts(checks.Counts{})
		m.applyFilter()
		return
	}
	counts := CountsLine(rep.Summary.Counts)
	if rep.Rehearsal {
		counts = report.RehearsalMark + "\n" + counts
	}
	v.counts.SetText(counts)
	v.overall.SetCounts(rep.Summary.Counts)
	for _, c := range rep.Summary.Capabilities {
		m.results.chart.Add(m.chartRow(c))
	}

	v.updating = true
	capOpts := []string{allCapabilities}
	v.capCodes = []string{""}
	for _, c := range rep.Summary.Capabilities {
		capOpts = append(capOpts, c.Code+" — "+CapabilityInfo(c.Code).Name)
		v.capCodes = append(v.capCodes, c.Code)
	}
	keepCap := m.filter().Capability
	v.capability.Options = capOpts
	v.capability.SetSelectedIndex(indexOf(v.capCodes, keepCap))
	keepSec := m.filter().Section
	v.secCodes = append([]string{""}, m.s.Sections()...)
	secs := []string{allSections}
	for _, s := range v.secCodes[1:] {
		secs = append(secs, SectionLabel(s))
	}
	v.section.Options = secs
	v.section.SetSelectedIndex(indexOf(v.secCodes, keepSec))
	v.updating = false
	m.applyFilter()
}

// chartRow is one capability: a button that filters the list by it, its
// name, the stacked bar and the counts.
func (m *mainWindow) chartRow(c checks.CapabilitySummary) fyne.CanvasObject {
	code := c.Code
	btn := widget.NewButton(code, func() { m.filterCapability(code) })
	btn.Importance = widget.LowImportance
	name := widget.NewLabel(CapabilityInfo(code).Name)
	name.Truncation = fyne.TextTruncateEllipsis
	text := fmt.Sprintf("%d fail", c.Fail)
	if c.Error > 0 {
		text += fmt.Sprintf(" · %d error", c.Error)
	}
	counts := widget.NewLabel(text + fmt.Sprintf(" · %d/%d pass", c.Pass, c.Total))
	counts.TextStyle = fyne.TextStyle{}
	counts.SizeName = theme.SizeNameCaptionText
	bar := newStackedBar(c.Counts)
	// The counts stand beside the name at their own width, never clipped;
	// the bar takes the whole line under them.
	return border(nil, nil, container.New(fixedWidth(64), btn), nil,
		container.NewVBox(border(nil, nil, nil, counts, name), bar))
}

func (m *mainWindow) filterCapability(code string) {
	m.results.capability.SetSelectedIndex(indexOf(m.results.capCodes, code))
	m.tabs.Select(m.resultsTab)
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return 0
}

// filter reads the filter widgets.
func (m *mainWindow) filter() Filter {
	v := &m.results
	var f Filter
	if i := v.status.SelectedIndex(); i > 0 {
		f.Status = checks.Statuses[i-1]
	}
	if i := v.capability.SelectedIndex(); i > 0 && i < len(v.capCodes) {
		f.Capability = v.capCodes[i]
	}
	if i := v.section.SelectedIndex(); i > 0 && i < len(v.secCodes) {
		f.Section = v.secCodes[i]
	}
	f.Text = v.search.Text
	return f
}

func (m *mainWindow) applyFilter() {
	v := &m.results
	if v.updating || v.list == nil {
		return
	}
	v.rows = m.s.Rows(m.filter())
	rep, _ := m.s.Report()
	v.shown.SetText(fmt.Sprintf("%d of %d", len(v.rows), len(rep.Results)))
	v.list.UnselectAll()
	v.list.Refresh()
	for i, r := range v.rows {
		if Key(r) == v.selected {
			v.list.Select(i)
			return
		}
	}
	// The check shown is filtered out: show the first one that is left
	// rather than a blank pane, with the list at its top.
	if len(v.rows) > 0 {
		v.list.Select(0)
		v.list.ScrollToTop()
		return
	}
	m.showDetail("")
	v.detailTitle.SetText("No check matches the filters.")
}

// selectFirst shows the first listed check, so the detail pane is never
// empty right after an audit.
func (m *mainWindow) selectFirst() {
	if m.results.selected == "" && len(m.results.rows) > 0 {
		m.results.list.Select(0)
	}
	m.results.list.ScrollToTop()
}

func (m *mainWindow) clearFilter() {
	v := &m.results
	v.updating = true
	v.status.SetSelectedIndex(0)
	v.capability.SetSelectedIndex(0)
	v.section.SetSelectedIndex(0)
	v.search.SetText("")
	v.updating = false
	m.applyFilter()
}

// showDetail fills the detail pane; "" empties it.
func (m *mainWindow) showDetail(id string) {
	v := &m.results
	v.detail.RemoveAll()
	d, ok := m.s.Detail(id)
	if id == "" || !ok {
		v.selected = ""
		v.detailTitle.SetText("Choose a check in the list.")
		return
	}
	v.selected = id
	v.detailTitle.SetText(d.Result.ID + "  " + d.Result.Title + settingsOf(d.Result))
	parts := d.Parts()
	if l, ok := m.s.Linked(id); ok {
		// The same finding as the benchmark's update check sees it.
		same := Part{"The same finding as " + l.ID, l.Status.Label() + "  " + l.Title + "\n" + l.Reason}
		parts = append(parts[:1], append([]Part{same}, parts[1:]...)...)
	}
	for _, p := range parts {
		// Headings bold at the body's size, not smaller than it.
		h := widget.NewLabelWithStyle(p.Heading, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		b := widget.NewLabel(p.Body)
		b.Wrapping = fyne.TextWrapWord
		b.Selectable = true
		if p.Heading == "Emergency access and usability trade-off" {
			b.Importance = widget.WarningImportance
		}
		v.detail.Add(h)
		v.detail.Add(b)
	}
	v.detailPane.ScrollToTop()
}

// resultRow is a line of the results list: status, id, title. Its title
// shows in full on hover when the list shows less of it.
type resultRow struct {
	widget.BaseWidget
	status    *canvas.Text
	id, title *widget.Label
	content   fyne.CanvasObject
	full      string
	hoverTip
}

func newResultRow(tips *tipLayer) *resultRow {
	r := &resultRow{}
	r.hoverTip = hoverTip{tips, func() string {
		if r.full == r.title.Text && fits(r.title.Text, r.title.Size().Width-2*theme.InnerPadding()) {
			return ""
		}
		return r.full
	}}
	r.status = canvas.NewText("WAIVED", theme.Color(theme.ColorNameForeground))
	r.status.TextStyle = fyne.TextStyle{Bold: true}
	r.id = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{})
	r.id.Truncation = fyne.TextTruncateEllipsis // "MH-EXP-CVE-2019-0708" never runs into the title
	r.title = widget.NewLabel("")
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.content = border(nil, nil,
		container.NewHBox(container.New(fixedWidth(64), container.NewCenter(r.status)), container.New(fixedWidth(150), r.id)),
		nil, r.title)
	r.ExtendBaseWidget(r)
	return r
}

// set shows a result; linked is the id of the check folded into its row.
func (r *resultRow) set(res checks.Result, linked string) {
	r.status.Text = res.Status.Label()
	r.status.Color = statusColor(res.Status)
	r.status.Refresh()
	r.id.SetText(res.ID)
	title := ShortTitle(res.Title) + settingsOf(res)
	if linked != "" {
		title += "  (also " + linked + ")"
	}
	if Critical(res) {
		title = "CRITICAL: " + title
		r.title.TextStyle = fyne.TextStyle{Bold: true}
		r.title.Importance = widget.DangerImportance
	} else {
		r.title.TextStyle = fyne.TextStyle{}
		r.title.Importance = widget.MediumImportance
	}
	r.title.SetText(title)
	r.full = res.Title + settingsOf(res)
}

func (r *resultRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

// settingsOf names the person a user-scope result is about.
func settingsOf(r checks.Result) string {
	if r.User == nil || r.User.Name == "" {
		return ""
	}
	return "  (settings of " + r.User.Name + ")"
}
