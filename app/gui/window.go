package gui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"medharden/app/report"
)

// mainWindow keeps the widgets that the handlers and the tests need. It
// shows State and calls its methods; it makes no decision of its own.
type mainWindow struct {
	app fyne.App
	win fyne.Window
	s   *State

	tabs                                           *container.AppTabs
	startTab, resultsTab, remediateTab, backupsTab *container.TabItem
	attentionTab                                   *container.TabItem
	reportsTab, assetsTab                          *container.TabItem

	start     startView
	attention attentionView
	results   resultsView
	rem       remediateView
	backups   backupsView
	reports   reportsView
	assets    *assetsView

	status    *widget.Label
	tips      *tipLayer     // full text of cut titles on hover
	rehearsal *widget.Label // above every tab while a rehearsed state is shown
	busyBar   *widget.ProgressBarInfinite
	cancelBtn *widget.Button

	// actions are disabled while a long task runs.
	actions []fyne.Disableable

	mu     sync.Mutex
	busy   bool
	cancel context.CancelFunc
	jobs   sync.WaitGroup

	// do runs a function on the UI thread and waits, post does not wait;
	// tests replace them to run the functions on the test's goroutine.
	do, post func(func())

	// Dialogs go through these so that tests can answer them.
	showError  func(err error)
	showInfo   func(title, msg string)
	confirm    func(title, msg string, ok func())
	openFolder func(title string, cb func(path string))
	openFile   func(title string, exts []string, cb func(path string))
	saveFile   func(title, name string, exts []string, cb func(path string))
}

func newMainWindow(a fyne.App, s *State) *mainWindow {
	a.Settings().SetTheme(withContrast(a.Settings().Theme()))
	m := &mainWindow{app: a, s: s, win: a.NewWindow(windowTitle(s)), do: fyne.DoAndWait, post: fyne.Do}
	m.showError = func(err error) { dialog.ShowError(err, m.win) }
	m.showInfo = func(title, msg string) { dialog.ShowInformation(title, msg, m.win) }
	m.confirm = func(title, msg string, ok func()) {
		d := dialog.NewConfirm(title, msg, func(yes bool) {
			if yes {
				ok()
			}
		}, m.win)
		d.Show()
	}
	m.tips = newTipLayer()
	m.openFolder = m.folderDialog
	m.openFile = m.fileOpenDialog
	m.saveFile = m.fileSaveDialog

	m.status = widget.NewLabel("Open a snapshot folder (Ctrl+O) or this computer to start.")
	m.status.Truncation = fyne.TextTruncateEllipsis
	m.busyBar = widget.NewProgressBarInfinite()
	m.busyBar.Stop()
	m.busyBar.Hide()
	m.cancelBtn = widget.NewButton("Cancel", m.cancelJob)
	m.cancelBtn.Hide()

	m.startTab = container.NewTabItem("Start", m.buildStart())
	m.attentionTab = container.NewTabItem("Needs attention", m.buildAttention())
	m.resultsTab = container.NewTabItem("Results", m.buildResults())
	m.remediateTab = container.NewTabItem("Remediate", m.buildRemediate())
	m.backupsTab = container.NewTabItem("Backups", m.buildBackups())
	m.reportsTab = container.NewTabItem("Reports", m.buildReports())
	m.tabs = container.NewAppTabs(m.startTab, m.attentionTab, m.resultsTab, m.remediateTab, m.backupsTab, m.reportsTab)
	m.assetsTab = container.NewTabItem("Assets", m.buildAssets())
	m.tabs.Append(m.assetsTab)
	m.tabs.OnSelected = func(t *container.TabItem) {
		m.tips.hide() // its row has left the screen
		switch {
		case !m.s.Opened():
		case t == m.backupsTab:
			m.refreshBackups()
		case t == m.assetsTab && !m.assets.loaded:
			m.loadAssets()
		}
	}

	m.rehearsal = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	m.rehearsal.Importance = widget.DangerImportance
	m.rehearsal.Wrapping = fyne.TextWrapWord
	m.rehearsal.Hide()

	bottom := border(nil, nil, nil, container.NewHBox(m.busyBar, m.cancelBtn), m.status)
	m.win.SetContent(container.NewStack(border(m.rehearsal, bottom, nil, nil, m.tabs), m.tips.layer))
	m.win.SetMainMenu(m.menu())
	m.win.SetCloseIntercept(m.closeWindow)
	m.addShortcuts()
	m.addTabKeys()
	m.addMenuKey()
	area, known := workArea()
	m.win.Resize(openSize(area, known, os.Getenv(SizeVar)))
	m.refreshAll()
	return m
}

func (m *mainWindow) menu() *fyne.MainMenu {
	ctrl := fyne.KeyModifierShortcutDefault
	open := fyne.NewMenuItem("Open snapshot folder…", m.chooseSnapshot)
	open.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: ctrl}
	live := fyne.NewMenuItem("Audit this computer", m.loadLive)
	live.Disabled = !liveSupported()
	save := fyne.NewMenuItem("Save report…", func() { m.saveReport("html") })
	save.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: ctrl}
	coll := fyne.NewMenuItem("Write collector to a folder…", m.chooseCollectorFolder)
	find := fyne.NewMenuItem("Find in results", m.focusFilter)
	find.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl}
	about := fyne.NewMenuItem("About medharden", func() {
		m.showInfo("About "+AppName, fmt.Sprintf("%s %s\nCIS audit and hardening for Windows 7 / XP medical-device workstations.\n\n"+
			"Every action here has a command-line twin, for Remote Desktop sessions without OpenGL:\n"+
			"  medharden audit --format html --out report.html\n  medharden help", AppName, m.s.Version))
	})
	return fyne.NewMainMenu(
		fyne.NewMenu("File", open, live, fyne.NewMenuItemSeparator(), save, coll),
		fyne.NewMenu("View", find),
		fyne.NewMenu("Help", about),
	)
}

// addShortcuts registers the keys on the canvas too: the main menu handles
// them in the real window, the canvas in tests and when there is no menu.
func (m *mainWindow) addShortcuts() {
	ctrl := fyne.KeyModifierShortcutDefault
	c := m.win.Canvas()
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: ctrl}, func(fyne.Shortcut) { m.chooseSnapshot() })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: ctrl}, func(fyne.Shortcut) { m.saveReport("html") })
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: ctrl}, func(fyne.Shortcut) { m.focusFilter() })
}

func liveSupported() bool { return runtime.GOOS == "windows" }

// run starts a long task on a goroutine; done runs on the UI thread. Only
// one task runs at a time, and a panic in the task becomes an error.
func (m *mainWindow) run(what string, work func(ctx context.Context) error, done func(err error)) bool {
	m.mu.Lock()
	if m.busy {
		m.mu.Unlock()
		m.showError(fmt.Errorf("%s: wait until the current task has finished", what))
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.busy, m.cancel = true, cancel
	m.mu.Unlock()
	m.setBusy(what, true)
	m.jobs.Add(1)
	go func() {
		defer m.jobs.Done()
		var err error
		func() {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("%s stopped on an internal error: %v", what, r)
				}
			}()
			err = work(ctx)
		}()
		m.do(func() {
			m.mu.Lock()
			m.busy, m.cancel = false, nil
			m.mu.Unlock()
			cancel()
			m.setBusy("", false)
			done(err)
			// A task whose end says nothing leaves no "…ing" behind.
			if m.status.Text == what+"…" {
				if err != nil {
					m.status.SetText(what + " failed: " + err.Error())
				} else {
					m.status.SetText(what + ": done.")
				}
			}
		})
	}()
	return true
}

// closeWindow asks before closing in the middle of a task: an apply or a
// rollback cut short leaves a run that must be finished at the next start.
func (m *mainWindow) closeWindow() {
	if !m.isBusy() {
		m.win.Close()
		return
	}
	m.confirm("Quit medharden?", "A task is still running. Quitting now stops it; an apply or rollback that is cut short "+
		"is listed in Backups as interrupted and must be rolled back before other changes.", func() {
		m.cancelJob()
		m.win.Close()
	})
}

// wait blocks until the running tasks are done (tests).
func (m *mainWindow) wait() { m.jobs.Wait() }

func (m *mainWindow) cancelJob() {
	m.mu.Lock()
	c := m.cancel
	m.mu.Unlock()
	if c != nil {
		c()
		m.status.SetText("Cancelling…")
	}
}

func (m *mainWindow) setBusy(what string, on bool) {
	for _, a := range m.actions {
		if on {
			a.Disable()
		} else {
			a.Enable()
		}
	}
	if on {
		m.status.SetText(what + "…")
		m.busyBar.Show()
		m.busyBar.Start()
		m.cancelBtn.Show()
		return
	}
	m.busyBar.Stop()
	m.busyBar.Hide()
	m.cancelBtn.Hide()
	m.refreshEnabled()
}

// refreshAll redraws every view from State.
func (m *mainWindow) refreshAll() {
	m.win.SetTitle(windowTitle(m.s))
	if m.s.Rehearsed() {
		m.rehearsal.SetText(report.RehearsalMark + ": every view shows the snapshot after changes to its in-memory copy. " +
			"Reports → \"Save the audit as collected\" keeps the record of the device.")
		m.rehearsal.Show()
	} else {
		m.rehearsal.Hide()
	}
	m.refreshStart()
	m.refreshAttention()
	m.refreshResults()
	m.refreshRemediate()
	m.refreshReports()
	m.refreshEnabled()
}

// refreshEnabled enables what makes sense for the current state.
func (m *mainWindow) refreshEnabled() {
	opened := m.s.Opened()
	for _, b := range []*widget.Button{m.start.audit, m.rem.preview, m.reports.html, m.reports.json, m.reports.csv, m.backups.refresh} {
		if opened {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if !liveSupported() {
		m.start.live.Disable()
	}
	m.refreshApplyEnabled()
	m.refreshRollbackEnabled()
	m.refreshModeEnabled()
}

func (m *mainWindow) focusFilter() {
	m.tabs.Select(m.resultsTab)
	m.win.Canvas().Focus(m.results.search)
}

func (m *mainWindow) folderDialog(title string, cb func(path string)) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			m.showError(err)
			return
		}
		if u != nil {
			cb(uriPath(u))
		}
	}, m.win)
	d.SetTitleText(title)
	d.Resize(dialogSize(m.win))
	d.Show()
}

func (m *mainWindow) fileOpenDialog(title string, exts []string, cb func(path string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			m.showError(err)
			return
		}
		if r != nil {
			p := uriPath(r.URI())
			r.Close()
			cb(p)
		}
	}, m.win)
	d.SetTitleText(title)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	d.Resize(dialogSize(m.win))
	d.Show()
}

func (m *mainWindow) fileSaveDialog(title, name string, exts []string, cb func(path string)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			m.showError(err)
			return
		}
		if w != nil {
			// The dialog created the file; the report replaces it atomically.
			p := uriPath(w.URI())
			w.Close()
			cb(p)
		}
	}, m.win)
	d.SetTitleText(title)
	// A suggestion with a folder opens the dialog there.
	if dir := filepath.Dir(name); dir != "." {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(l)
		}
		name = filepath.Base(name)
	}
	d.SetFileName(name)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	d.Resize(dialogSize(m.win))
	d.Show()
}

func dialogSize(w fyne.Window) fyne.Size {
	s := w.Canvas().Size()
	return fyne.NewSize(s.Width*0.85, s.Height*0.85)
}

func uriPath(u fyne.URI) string { return filepath.FromSlash(u.Path()) }
