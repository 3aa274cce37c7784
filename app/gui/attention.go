package gui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"medharden/app/workflow"
	"medharden/assets"
	"medharden/checks"
)

// AttentionRow is a finding as the "Needs attention" view shows it: its
// risk group, what it means for the device and what to do, in a sentence
// each.
type AttentionRow struct {
	// Key is the result's Key: one row per person for a user-scope check.
	ID, Key, Group, Title, Also string
	Status                      checks.Status
	Meaning, Action             string
}

// Head is the row's first line.
func (r AttentionRow) Head() string {
	s := r.Group + " · " + r.Status.Label() + " · " + r.ID + "  " + r.Title
	if r.Also != "" {
		s += "  (also " + r.Also + ")"
	}
	return s
}

// Text is the whole row, for the pane under the list.
func (r AttentionRow) Text() string {
	return r.Head() + "\n\nWhat it means: " + r.Meaning + "\n\nWhat to do: " + r.Action
}

// Attention lists the findings by clinical risk (workflow.Session.Attention)
// with a plain sentence of what each means and what to do.
func (s *State) Attention() []AttentionRow {
	cat, err := s.session().Catalog()
	if err != nil {
		cat = nil
	}
	var out []AttentionRow
	for _, a := range s.session().Attention() {
		r := a.Result
		d := NewDetail(r, cat)
		row := AttentionRow{ID: r.ID, Key: Key(r), Group: a.Group, Title: ShortTitle(r.Title) + settingsOf(r), Also: a.Also, Status: r.Status,
			Meaning: firstSentence(d.Rationale), Action: d.Fix}
		if row.Meaning == "" {
			row.Meaning = firstSentence(r.Title + ": " + r.Actual)
		}
		if Critical(r) || row.Action == "" {
			// An exposure's reason ends with what to do.
			row.Action = r.Reason
			if a := assets.ExposureAction(r); a != "" {
				row.Action = a
			}
		}
		if r.Status == checks.Error {
			row.Meaning = "It could not be checked, so it is not known to be safe: " + r.Reason
		}
		out = append(out, row)
	}
	return out
}

// firstSentence is s up to its first full stop.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

type attentionView struct {
	summary *widget.Label
	list    *selectList
	rows    []AttentionRow
	full    *widget.Label
	open    *widget.Button
}

func (m *mainWindow) buildAttention() fyne.CanvasObject {
	v := &m.attention
	v.summary = widget.NewLabel("Open a target to see what needs attention.")
	v.summary.Wrapping = fyne.TextWrapWord
	v.list = newSelectList(
		func() int { return len(m.attention.rows) },
		func() fyne.CanvasObject {
			head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			body := widget.NewLabel("")
			head.Truncation, body.Truncation = fyne.TextTruncateEllipsis, fyne.TextTruncateEllipsis
			return newTipBox(m.tips, container.New(tightRows{}, head, body), func() string { return cutText(head, body) })
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(m.attention.rows) {
				return
			}
			r := m.attention.rows[i]
			c := o.(*tipBox).content.(*fyne.Container)
			head, body := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
			head.Importance = widget.MediumImportance
			if r.Group == workflow.RiskExposure || r.Group == workflow.RiskCredential {
				head.Importance = widget.DangerImportance
			}
			head.SetText(r.Head())
			body.SetText(r.Meaning + "  What to do: " + r.Action)
		})
	v.full = widget.NewLabel("")
	v.full.Wrapping = fyne.TextWrapWord
	v.full.Selectable = true
	v.open = widget.NewButtonWithIcon("Show in the full list", theme.ListIcon(), m.openInResults)
	v.open.Disable()
	v.list.onSelect(func(i widget.ListItemID) {
		if i < len(m.attention.rows) {
			v.full.SetText(m.attention.rows[i].Text())
			v.open.Enable()
		}
	}, func(widget.ListItemID) { v.open.Disable() })
	full := container.NewVScroll(v.full)
	full.SetMinSize(fyne.NewSize(100, 96))
	return border(v.summary, container.NewVBox(full, container.NewHBox(v.open)), nil, nil, v.list)
}

func (m *mainWindow) refreshAttention() {
	v := &m.attention
	v.rows = m.s.Attention()
	v.list.UnselectAll()
	v.list.Refresh()
	v.full.SetText("")
	v.open.Disable()
	switch {
	case !m.s.Opened():
		v.summary.SetText("Open a target to see what needs attention.")
	case len(v.rows) == 0:
		v.summary.SetText("Nothing needs attention: every check passed, does not apply or is waived.")
	default:
		v.summary.SetText(fmt.Sprintf("%d findings, most urgent first: critical exposures, blank or clear-text passwords, accounts, then the rest by capability. "+
			"Results has the full list and its filters.", len(v.rows)))
	}
}

// openInResults shows the chosen finding in the full list.
func (m *mainWindow) openInResults() {
	i := m.attention.list.sel
	if i < 0 || i >= len(m.attention.rows) {
		return
	}
	key := m.attention.rows[i].Key
	m.clearFilter()
	m.tabs.Select(m.resultsTab)
	for k, r := range m.results.rows {
		if Key(r) == key {
			m.results.list.Select(k)
			m.results.list.ScrollTo(k)
			return
		}
	}
}
