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

	"medharden/app/report"
	"medharden/checks"
	"medharden/checks/snapshot/collector"
)

type reportsView struct {
	html, json, csv *widget.Button
	audited         *widget.Button // the snapshot as collected, after a rehearsal
	collector       *widget.Button
	cli             *widget.Label
	result          *widget.Label
}

func (m *mainWindow) buildReports() fyne.CanvasObject {
	v := &m.reports
	v.html = widget.NewButtonWithIcon("Save HTML report… (Ctrl+S)", theme.DocumentSaveIcon(), func() { m.saveReport("html") })
	v.html.Importance = widget.HighImportance
	v.json = widget.NewButtonWithIcon("Save JSON…", theme.DocumentSaveIcon(), func() { m.saveReport("json") })
	v.csv = widget.NewButtonWithIcon("Save CSV…", theme.DocumentSaveIcon(), func() { m.saveReport("csv") })
	v.audited = widget.NewButtonWithIcon("Save the audit as collected (before the rehearsal)…", theme.DocumentSaveIcon(), m.saveAudited)
	v.audited.Hide()
	v.collector = widget.NewButtonWithIcon("Write collector to a folder…", theme.FolderIcon(), m.chooseCollectorFolder)
	v.cli = widget.NewLabel("")
	v.cli.Wrapping = fyne.TextWrapWord
	v.cli.Selectable = true
	v.cli.TextStyle = fyne.TextStyle{}
	v.result = widget.NewLabel("")
	v.result.Wrapping = fyne.TextWrapWord
	v.result.Selectable = true
	m.actions = append(m.actions, v.collector)

	collNote := widget.NewLabel("The collector (medharden-collect.cmd) uses only tools built into Windows XP SP3 and 7. " +
		"Copy it to a USB stick, run it as administrator on the workstation, and open the folder it writes here.")
	collNote.Wrapping = fyne.TextWrapWord
	bold := fyne.TextStyle{Bold: true}
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		widget.NewLabelWithStyle("Save the report", fyne.TextAlignLeading, bold),
		container.NewHBox(v.html, v.json, v.csv),
		container.NewHBox(v.audited),
		widget.NewSeparator(),
		widget.NewLabelWithStyle("Offline collector", fyne.TextAlignLeading, bold),
		collNote,
		container.NewHBox(v.collector),
		widget.NewSeparator(),
		widget.NewLabelWithStyle("The same from the command line", fyne.TextAlignLeading, bold),
		v.cli,
		widget.NewSeparator(),
		v.result,
	)))
}

func (m *mainWindow) refreshReports() {
	target := ""
	if m.s.IsSnapshot() {
		target = " --snapshot " + quoteArg(m.s.Source())
	}
	profile := ""
	if p := m.s.Profile(); p != "" {
		profile = " --profile " + p
	}
	if b := m.s.session().VendorBaseline(); b != nil {
		profile += " --baseline " + quoteArg(b.Path)
	}
	if m.s.Rehearsed() {
		m.reports.audited.Show()
	} else {
		m.reports.audited.Hide()
	}
	m.reports.cli.SetText(fmt.Sprintf("medharden audit%s%s --format html --out report.html\nmedharden collector --write E:\\", target, profile))
}

func quoteArg(s string) string {
	if strings.ContainsAny(s, " \t") {
		return `"` + s + `"`
	}
	return s
}

// reportName suggests a file name (app/report's, marked for a rehearsal).
func reportName(rep checks.Report, format string) string {
	ext := format
	if format == "text" {
		ext = "txt"
	}
	return report.FileName(rep, ext)
}

func (m *mainWindow) saveReport(format string) {
	if _, ok := m.s.Report(); !ok {
		m.showError(errors.New("there is no report yet: open a snapshot folder or this computer first"))
		return
	}
	rep, _ := m.s.Report()
	title := "Save " + strings.ToUpper(format) + " report"
	if rep.Rehearsal {
		title += " — " + report.RehearsalMark
	}
	m.saveFile(title, reportName(rep, format), []string{"." + format}, func(path string) {
		m.writeReport(path, format, m.s.SaveReport)
	})
}

// saveAudited saves the HTML report of the snapshot as collected, which
// stays the record of the device after a rehearsal.
func (m *mainWindow) saveAudited() {
	rep, ok := m.s.Audited()
	if !ok {
		m.showError(errors.New("there is no report yet: open a snapshot folder or this computer first"))
		return
	}
	m.saveFile("Save the audit as collected", reportName(rep, "html"), []string{".html"}, func(path string) {
		m.writeReport(path, "html", m.s.SaveAudited)
	})
}

// writeReport saves the report; the file name's extension wins over the
// button, so "report.csv" typed into the HTML dialog is CSV.
func (m *mainWindow) writeReport(path, format string, save func(path, format string) error) {
	if f, ok := FormatFor(path); ok {
		format = f
	}
	m.run("Saving "+filepath.Base(path), func(context.Context) error {
		return save(path, format)
	}, func(err error) {
		if err != nil {
			m.showError(fmt.Errorf("save report: %w", err))
			return
		}
		m.reports.result.SetText(fmt.Sprintf("Saved the %s report to %s", strings.ToUpper(format), path))
		m.status.SetText("Saved " + path)
	})
}

func (m *mainWindow) chooseCollectorFolder() {
	m.openFolder("Write the collector into (a USB stick)", func(dir string) { m.writeCollector(dir, false) })
}

func (m *mainWindow) writeCollector(dir string, force bool) {
	var path string
	m.run("Writing the collector", func(context.Context) error {
		if !force && CollectorDiffers(dir) {
			return errCollectorDiffers
		}
		var err error
		path, err = m.s.WriteCollector(dir, force)
		return err
	}, func(err error) {
		if errors.Is(err, errCollectorDiffers) {
			m.confirm("Replace the collector?", fmt.Sprintf("%s already holds a different %s (another version).\n\nReplace it with this version's collector?",
				dir, collector.FileName), func() { m.writeCollector(dir, true) })
			return
		}
		if err != nil {
			m.showError(fmt.Errorf("write collector: %w", err))
			return
		}
		m.reports.result.SetText("Wrote " + path + "\nRun it as administrator on the workstation; it writes a snapshot folder next to itself.")
		m.status.SetText("Wrote " + path)
	})
}
