package gui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"medharden/remediate"
)

type backupsView struct {
	note     *widget.Label
	refresh  *widget.Button
	list     *selectList
	runs     []*remediate.Run
	selected int
	detail   *widget.Label
	rollback *widget.Button
	progress *widget.ProgressBar
	result   *widget.Label
}

func (m *mainWindow) buildBackups() fyne.CanvasObject {
	v := &m.backups
	v.selected = -1
	v.note = widget.NewLabel("")
	v.note.Wrapping = fyne.TextWrapWord
	v.refresh = widget.NewButtonWithIcon("Refresh", theme.ViewRefreshIcon(), m.refreshBackups)
	v.list = newSelectList(
		func() int { return len(m.backups.runs) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(m.backups.runs) {
				o.(*widget.Label).SetText(RunLine(m.backups.runs[i]))
			}
		})
	v.list.onSelect(func(i widget.ListItemID) {
		m.backups.selected = i
		m.showRun()
	}, func(widget.ListItemID) {
		m.backups.selected = -1
		m.showRun()
	})
	v.detail = widget.NewLabel(RunDetail(nil))
	v.detail.Wrapping = fyne.TextWrapWord
	v.detail.Selectable = true
	v.rollback = widget.NewButtonWithIcon("Roll back…", theme.ContentUndoIcon(), m.confirmRollback)
	v.rollback.Importance = widget.DangerImportance
	v.progress = widget.NewProgressBar()
	v.result = widget.NewLabel("")
	v.result.Wrapping = fyne.TextWrapWord
	m.actions = append(m.actions, v.refresh)

	split := container.NewHSplit(v.list, container.NewVScroll(v.detail))
	split.Offset = 0.4
	return border(
		border(nil, nil, nil, v.refresh, v.note),
		container.NewVBox(border(nil, nil, nil, v.rollback, v.progress), v.result),
		nil, nil, split)
}

// refreshBackups lists the runs of the current target again.
func (m *mainWindow) refreshBackups() {
	v := &m.backups
	if !m.s.Opened() {
		v.note.SetText("Open a target first.")
		return
	}
	runs, err := m.s.Backups()
	if err != nil {
		m.showError(fmt.Errorf("list backups: %w", err))
		return
	}
	root, _ := m.s.RunsRoot()
	note := fmt.Sprintf("%s in %s.", plural(len(runs), "run"), root)
	if m.s.IsSnapshot() {
		note = fmt.Sprintf("%s of this session on the snapshot's in-memory copy (kept in %s until medharden closes).", plural(len(runs), "run"), root)
	}
	for _, r := range runs {
		if r.Pending() {
			note += fmt.Sprintf("\nRun %s was interrupted: roll it back before making other changes.", r.ID)
		}
	}
	v.note.SetText(note)
	keep := ""
	if v.selected >= 0 && v.selected < len(v.runs) {
		keep = v.runs[v.selected].ID
	}
	v.runs = runs
	v.selected = -1
	v.list.UnselectAll()
	v.list.Refresh()
	for i, r := range runs {
		if r.ID == keep {
			v.list.Select(i)
		}
	}
	m.showRun()
}

func (m *mainWindow) selectedRun() *remediate.Run {
	v := &m.backups
	if v.selected >= 0 && v.selected < len(v.runs) {
		return v.runs[v.selected]
	}
	return nil
}

func (m *mainWindow) showRun() {
	m.backups.detail.SetText(RunDetail(m.selectedRun()))
	m.refreshRollbackEnabled()
}

func (m *mainWindow) refreshRollbackEnabled() {
	if CanRollback(m.selectedRun()) && !m.isBusy() {
		m.backups.rollback.Enable()
	} else {
		m.backups.rollback.Disable()
	}
}

func (m *mainWindow) confirmRollback() {
	r := m.selectedRun()
	if !CanRollback(r) {
		m.showError(fmt.Errorf("choose a run that changed something"))
		return
	}
	where := "this computer"
	if m.s.IsSnapshot() {
		where = "the snapshot's in-memory copy"
	}
	msg := fmt.Sprintf("Roll back run %s?\n\n%d settings of %s return to the values they had before the run, in reverse order.",
		r.ID, len(r.Backup.Settings), where)
	m.confirm("Roll back", msg, func() { m.doRollback(r) })
}

func (m *mainWindow) doRollback(r *remediate.Run) {
	v := &m.backups
	v.progress.SetValue(0)
	v.result.SetText("")
	var out *remediate.RollbackOutcome
	m.run("Rolling back "+r.ID, func(ctx context.Context) error {
		var err error
		out, err = m.s.Rollback(ctx, r, func(done, total int) {
			if total > 0 {
				m.post(func() { v.progress.SetValue(float64(done) / float64(total)) })
			}
		})
		return err
	}, func(err error) {
		m.afterAudit()
		m.refreshBackups()
		if err != nil {
			v.result.SetText("Rollback stopped: " + err.Error())
			m.showError(fmt.Errorf("rollback: %w", err))
			return
		}
		v.progress.SetValue(1)
		v.result.SetText(withWarnings(RollbackSummary(out), m.s.TakeWarnings()))
		m.status.SetText(RollbackSummary(out))
	})
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
