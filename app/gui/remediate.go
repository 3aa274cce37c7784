package gui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"medharden/app/workflow"
	"medharden/checks"
	"medharden/remediate"
)

const (
	modeFailed     = "All failed checks"
	modeCapability = "Failed checks of one capability"
	modeIDs        = "The checks ticked below"
)

type remediateView struct {
	target     *widget.Label
	mode       *widget.RadioGroup
	capability *widget.Select
	capCodes   []string
	picks      *widget.List
	fixable    []checks.Result
	preview    *widget.Button

	summary   *widget.Label
	notes     *widget.Label
	notesPane *container.Scroll // at most a few lines high: the plan gets the room
	plan      *selectList
	rows      []PlanRow
	shown     bool          // a plan is on screen
	step      *widget.Label // the selected row in full

	apply    *widget.Button
	pack     *widget.Button // the offline pack of the plan
	gpo      *widget.Button // the plan as a GPO backup
	progress *widget.ProgressBar
	total    int // changes of the run under way, for the progress text
	verify   *widget.Label
}

func (m *mainWindow) buildRemediate() fyne.CanvasObject {
	v := &m.rem
	v.target = widget.NewLabel("")
	v.target.Wrapping = fyne.TextWrapWord
	v.target.Importance = widget.WarningImportance
	v.capability = widget.NewSelect(nil, func(string) { m.selectionChanged() })
	v.capability.PlaceHolder = "Choose a capability"
	v.mode = widget.NewRadioGroup([]string{modeFailed, modeCapability, modeIDs}, func(string) {
		m.refreshModeEnabled()
		m.selectionChanged()
	})
	v.mode.SetSelected(modeFailed)
	v.mode.Required = true
	v.picks = widget.NewList(
		func() int { return len(m.rem.fixable) },
		func() fyne.CanvasObject {
			c := widget.NewCheck("", nil)
			return c
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(m.rem.fixable) {
				return
			}
			r := m.rem.fixable[i]
			c := o.(*widget.Check)
			c.OnChanged = nil
			c.Text = r.Status.Label() + "  " + r.ID + "  " + ShortTitle(r.Title)
			c.SetChecked(m.s.Picked(r.ID))
			id := r.ID
			c.OnChanged = func(on bool) {
				m.s.Pick(id, on)
				m.selectionChanged()
				if on {
					m.rem.mode.SetSelected(modeIDs)
				}
			}
			c.Refresh()
		})
	v.preview = widget.NewButtonWithIcon("Preview plan", theme.SearchIcon(), m.previewPlan)
	v.preview.Importance = widget.HighImportance

	v.summary = widget.NewLabel(PlanSummary(nil, false))
	v.summary.Wrapping = fyne.TextWrapWord
	v.notes = widget.NewLabel("")
	v.notes.Wrapping = fyne.TextWrapWord
	v.notesPane = container.NewVScroll(v.notes)
	v.notesPane.SetMinSize(fyne.NewSize(100, 72))
	v.plan = newSelectList(
		func() int { return len(m.rem.rows) },
		func() fyne.CanvasObject { return newPlanRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(m.rem.rows) {
				o.(*planRow).set(m.rem.rows[i])
			}
		})
	v.plan.onSelect(func(i widget.ListItemID) {
		if i < len(m.rem.rows) {
			m.rem.step.SetText(m.rem.rows[i].Text())
		}
	}, nil)
	v.step = widget.NewLabel("")
	v.step.Wrapping = fyne.TextWrapWord
	v.step.Selectable = true
	v.apply = widget.NewButtonWithIcon("Apply changes…", theme.ConfirmIcon(), m.confirmApply)
	v.apply.Importance = widget.DangerImportance
	v.pack = widget.NewButtonWithIcon("Write offline pack…", theme.FolderNewIcon(), m.choosePackFolder)
	v.gpo = widget.NewButtonWithIcon("Write Group Policy backup…", theme.FolderNewIcon(), m.chooseGPOFolder)
	v.progress = widget.NewProgressBar()
	v.progress.TextFormatter = func() string {
		return fmt.Sprintf("%.0f of %d changes", v.progress.Value*float64(v.total), v.total)
	}
	v.verify = widget.NewLabel("")
	v.verify.Wrapping = fyne.TextWrapWord
	v.verify.Selectable = true

	m.actions = append(m.actions, v.mode, v.capability, v.preview)

	left := border(
		container.NewVBox(
			widget.NewLabelWithStyle("What to fix", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			v.mode, v.capability,
			widget.NewLabel("Failed and error checks:")),
		v.preview, nil, nil, v.picks)
	verify := container.NewVScroll(v.verify)
	verify.SetMinSize(fyne.NewSize(100, 80))
	// The plan's files for other tools stacked beside the text that says
	// what they wrote: beside Apply they would widen the window past 800
	// pixels, on a row of their own take the plan list's third row.
	bottom := container.NewVBox(v.step, border(nil, nil, nil, v.apply, v.progress), border(nil, nil, nil, container.NewVBox(v.pack, v.gpo), verify))
	right := border(
		container.NewVBox(widget.NewLabelWithStyle("Plan: current → target", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.summary, v.notesPane),
		bottom, nil, nil, v.plan)
	// Side by side even at 800 pixels: stacked, the plan would get no room.
	split := container.NewHSplit(left, right)
	split.Offset = 0.33
	return border(v.target, nil, nil, nil, split)
}

func (m *mainWindow) refreshRemediate() {
	v := &m.rem
	switch {
	case !m.s.Opened():
		v.target.SetText("Open a target first.")
	case m.s.IsSnapshot():
		v.target.SetText("Snapshot target: apply changes an in-memory copy of the snapshot, so you can rehearse the plan, verify and roll back. " +
			"No computer and no file of the snapshot is changed, and the changes are gone when medharden closes.")
	default:
		v.target.SetText("This computer: apply changes the settings of this Windows computer. A backup is written first; the Backups tab rolls it back.")
	}
	rep, _ := m.s.Report()
	v.capCodes = nil
	var opts []string
	for _, c := range rep.Summary.Capabilities {
		if c.Fail > 0 {
			v.capCodes = append(v.capCodes, c.Code)
			opts = append(opts, fmt.Sprintf("%s — %s (%d failed)", c.Code, CapabilityInfo(c.Code).Name, c.Fail))
		}
	}
	v.capability.Options = opts
	v.capability.ClearSelected()
	v.fixable = m.s.Fixable()
	v.picks.Refresh()
	m.showPlan(m.s.Plan())
	m.refreshModeEnabled()
}

// selectionChanged drops the plan on screen: it was made for another
// selection, and Apply waits for a fresh preview.
func (m *mainWindow) selectionChanged() {
	if !m.rem.shown {
		return
	}
	m.s.DropPlan()
	m.showPlan(nil)
	m.rem.summary.SetText("The selection changed: press Preview plan for a plan of it.")
}

func (m *mainWindow) refreshModeEnabled() {
	if m.rem.mode.Selected == modeCapability && !m.isBusy() {
		m.rem.capability.Enable()
	} else {
		m.rem.capability.Disable()
	}
}

func (m *mainWindow) isBusy() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.busy
}

func (m *mainWindow) selection() (remediate.Selection, error) {
	v := &m.rem
	switch v.mode.Selected {
	case modeCapability:
		code := ""
		if i := v.capability.SelectedIndex(); i >= 0 && i < len(v.capCodes) {
			code = v.capCodes[i]
		}
		return m.s.Selection("capability", code)
	case modeIDs:
		return m.s.Selection("ids", "")
	}
	return m.s.Selection("failed", "")
}

func (m *mainWindow) previewPlan() {
	sel, err := m.selection()
	if err != nil {
		m.showError(err)
		return
	}
	var p *remediate.Plan
	m.run("Planning "+sel.String(), func(ctx context.Context) error {
		var err error
		p, err = m.s.NewPlan(ctx, sel)
		return err
	}, func(err error) {
		if err != nil {
			m.showError(fmt.Errorf("plan: %w", err))
			return
		}
		m.rem.verify.SetText("")
		m.rem.progress.SetValue(0)
		m.showPlan(p)
		m.status.SetText(PlanSummary(p, false))
	})
}

func (m *mainWindow) showPlan(p *remediate.Plan) {
	v := &m.rem
	v.rows = PlanRows(p)
	v.shown = p != nil
	v.summary.SetText(PlanSummary(p, m.s.IsSnapshot()))
	v.notes.SetText(strings.Join(PlanNotes(p), "\n"))
	v.plan.UnselectAll() // no row stays highlighted over "Choose a step"
	v.step.SetText("Choose a step to read it in full.")
	if p == nil {
		v.step.SetText("")
	} else {
		v.total = len(p.Changes())
		v.progress.Refresh()
	}
	if len(PlanNotes(p)) == 0 {
		v.notesPane.Hide()
	} else {
		v.notesPane.Show()
	}
	v.plan.Refresh()
	m.refreshApplyEnabled()
}

func (m *mainWindow) planChanges() []remediate.Step {
	if p := m.s.Plan(); p != nil {
		return p.Changes()
	}
	return nil
}

func (m *mainWindow) refreshApplyEnabled() {
	if len(m.planChanges()) > 0 && !m.isBusy() {
		m.rem.apply.Enable()
	} else {
		m.rem.apply.Disable()
	}
	for _, b := range []*widget.Button{m.rem.pack, m.rem.gpo} {
		if m.s.Plan() != nil && !m.isBusy() {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// choosePackFolder asks where to put the offline pack; it goes into a
// new folder named after the host there.
func (m *mainWindow) choosePackFolder() {
	if m.s.Plan() == nil {
		m.showError(fmt.Errorf("preview a plan first: the pack holds the plan's changes"))
		return
	}
	m.openFolder("Write the offline pack into (a USB stick)", func(dir string) {
		m.writePack(filepath.Join(dir, m.s.PackFolder()), false)
	})
}

func (m *mainWindow) writePack(dir string, force bool) {
	var pk *remediate.Pack
	m.run("Writing the offline pack", func(context.Context) error {
		var err error
		pk, err = m.s.WritePack(dir, force)
		return err
	}, func(err error) {
		if errors.Is(err, remediate.ErrPackExists) {
			m.confirm("Replace the pack?", dir+" already holds files.\n\nReplace them with this plan's pack?", func() { m.writePack(dir, true) })
			return
		}
		if err != nil {
			m.showError(fmt.Errorf("offline pack: %w", err))
			return
		}
		m.rem.verify.SetText(fmt.Sprintf("Wrote the offline pack to %s\nFiles: %s\n"+
			"On the workstation, as Administrator: apply.cmd; undo.cmd puts back the values the plan found. README.txt lists the steps to do by hand.",
			dir, strings.Join(pk.Order, ", ")))
		m.status.SetText("Wrote the offline pack to " + dir)
	})
}

// chooseGPOFolder asks where to put the GPO backup of the plan; it goes
// into a new folder named after the host there.
func (m *mainWindow) chooseGPOFolder() {
	if m.s.Plan() == nil {
		m.showError(fmt.Errorf("preview a plan first: the GPO backup holds the plan's changes"))
		return
	}
	m.openFolder("Write the Group Policy backup into", func(dir string) {
		m.writeGPO(filepath.Join(dir, m.s.GPOFolder()), false)
	})
}

func (m *mainWindow) writeGPO(dir string, force bool) {
	p := m.s.Plan()
	var b *workflow.GPOBackup
	m.run("Writing the Group Policy backup", func(context.Context) error {
		var err error
		b, err = m.s.WriteGPO(dir, force)
		return err
	}, func(err error) {
		if errors.Is(err, remediate.ErrPackExists) {
			m.confirm("Replace the GPO backup?", dir+" already holds files.\n\nReplace them with this plan's GPO backup?", func() { m.writeGPO(dir, true) })
			return
		}
		if err != nil {
			m.showError(fmt.Errorf("Group Policy backup: %w", err))
			return
		}
		m.rem.verify.SetText(GPOSummary(p, b))
		m.status.SetText("Wrote the Group Policy backup to " + dir)
	})
}

func (m *mainWindow) confirmApply() {
	p := m.s.Plan()
	if p == nil || len(p.Changes()) == 0 {
		m.showError(fmt.Errorf("the plan has no automatic changes; preview a plan first"))
		return
	}
	where := "this computer"
	if m.s.IsSnapshot() {
		where = "the snapshot's in-memory copy (nothing on any computer changes)"
	}
	msg := fmt.Sprintf("Apply %d changes to %s?\n\nA backup of every setting is written first; the Backups tab rolls the run back.", len(p.Changes()), where)
	if n := len(p.Refused()); n > 0 {
		msg += fmt.Sprintf("\n%d changes stopped by a safety guard are left out.", n)
	}
	m.confirm("Apply changes", msg, func() { m.apply(p) })
}

func (m *mainWindow) apply(p *remediate.Plan) {
	v := &m.rem
	v.total = len(p.Changes())
	v.progress.SetValue(0)
	v.verify.SetText("")
	var out *remediate.Outcome
	m.run(fmt.Sprintf("Applying %d changes", len(p.Changes())), func(ctx context.Context) error {
		var err error
		out, err = m.s.Apply(ctx, p, func(done, total int) {
			if total > 0 {
				m.post(func() { v.progress.SetValue(float64(done) / float64(total)) })
			}
		})
		return err
	}, func(err error) {
		if err == nil {
			v.progress.SetValue(1)
		}
		v.verify.SetText(withWarnings(OutcomeSummary(out, err), m.s.TakeWarnings()))
		m.afterAudit()
		if err != nil {
			m.showError(fmt.Errorf("apply: %w", err))
			return
		}
		m.status.SetText(firstLine(OutcomeSummary(out, nil)))
	})
}

// withWarnings adds what failed without stopping the work (an event
// record that could not be written) to a summary.
func withWarnings(summary string, warnings []error) string {
	for _, w := range warnings {
		summary += "\nWarning: " + w.Error()
	}
	return summary
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// planRow is a line of the plan preview: the check, the setting's change,
// and what stopped it or what a person has to do.
type planRow struct {
	widget.BaseWidget
	kind, head, diff *widget.Label
	content          fyne.CanvasObject
}

func newPlanRow() *planRow {
	r := &planRow{
		kind: widget.NewLabelWithStyle("BLOCKED", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		head: widget.NewLabel(""),
		diff: widget.NewLabel(""),
	}
	for _, l := range []*widget.Label{r.head, r.diff} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	r.diff.SizeName = theme.SizeNameCaptionText
	r.content = border(nil, nil, container.New(fixedWidth(84), r.kind), nil,
		container.New(tightRows{}, r.head, r.diff))
	r.ExtendBaseWidget(r)
	return r
}

func (r *planRow) set(p PlanRow) {
	switch p.Kind {
	case "blocked":
		r.kind.SetText("BLOCKED")
		r.kind.Importance = widget.DangerImportance
	case "manual":
		r.kind.SetText("MANUAL")
		r.kind.Importance = widget.WarningImportance
	default:
		r.kind.SetText("CHANGE")
		r.kind.Importance = widget.SuccessImportance
	}
	r.kind.Refresh()
	r.head.SetText(p.ID + "  " + ShortTitle(p.Title))
	var parts []string
	if p.Setting != "" {
		d := p.Setting + ":  " + p.Before
		if p.After != "" {
			d += "  →  " + p.After
		}
		parts = append(parts, d)
	}
	if p.Note != "" {
		parts = append(parts, p.Note)
	}
	diff := strings.Join(parts, "   ")
	r.diff.SetText(diff)
}

// tightRows stacks objects without the theme's padding between them, so
// that a plan row is two lines high rather than three.
type tightRows struct{}

func (tightRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height - theme.Padding()
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h+theme.Padding()))
		y += h
	}
}

func (tightRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		if m.Width > s.Width {
			s.Width = m.Width
		}
		s.Height += m.Height - theme.Padding()
	}
	return fyne.NewSize(s.Width, s.Height+theme.Padding())
}

func (r *planRow) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }
