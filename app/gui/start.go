package gui

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"medharden/app/report"
	"medharden/app/workflow"
)

const autoProfile = "Automatic: chosen from the Windows version"

type startView struct {
	live, snapshot *widget.Button
	profile        *widget.Select
	tailoring      *widget.Label
	chooseTailor   *widget.Button
	clearTailor    *widget.Button
	// The vendor baseline judged beside the profile: a GPO backup folder
	// or one file (LGPO text, registry.pol, GptTmpl.inf, audit.csv).
	vendor           *widget.Label
	chooseVendor     *widget.Button
	chooseVendorFile *widget.Button
	clearVendor      *widget.Button
	audit            *widget.Button
	target           *widget.Label
	took             time.Duration
	updating         bool // set while the select is changed from State
}

func (m *mainWindow) buildStart() fyne.CanvasObject {
	v := &m.start
	v.live = widget.NewButton("Audit this computer", m.loadLive)
	v.snapshot = widget.NewButton("Open snapshot folder… (Ctrl+O)", m.chooseSnapshot)
	v.snapshot.Importance = widget.HighImportance
	liveNote := widget.NewLabel("Reads this Windows computer directly (run as administrator to change settings).")
	if !liveSupported() {
		liveNote.SetText("Auditing this computer needs Windows; here, open a snapshot folder written by the collector.")
	}
	liveNote.Wrapping = fyne.TextWrapWord
	snapNote := widget.NewLabel("A folder written by the offline collector (medharden-collect.cmd) on a workstation. " +
		"Changes to a snapshot are made in memory only, to preview and rehearse them.")
	snapNote.Wrapping = fyne.TextWrapWord

	opts := []string{autoProfile}
	for _, p := range m.s.Profiles() {
		opts = append(opts, p.Name+" — "+p.Title)
	}
	v.profile = widget.NewSelect(opts, func(string) { m.profileChanged() })
	v.profile.SetSelectedIndex(0)

	v.tailoring = widget.NewLabel("No tailoring file: the benchmark as published.")
	v.tailoring.Wrapping = fyne.TextWrapWord
	v.chooseTailor = widget.NewButton("Choose tailoring file…", func() {
		m.openFile("Tailoring file", []string{".yaml", ".yml"}, m.setTailoring)
	})
	v.clearTailor = widget.NewButton("Remove", func() { m.setTailoring("") })
	v.vendor = widget.NewLabel(noVendor)
	v.vendor.Wrapping = fyne.TextWrapWord
	v.chooseVendor = widget.NewButton("Judge against a vendor baseline…", func() {
		m.openFolder("Vendor baseline: GPO backup folder", m.setVendorBaseline)
	})
	v.chooseVendorFile = widget.NewButton("LGPO file…", func() {
		m.openFile("Vendor baseline: LGPO text, registry.pol, GptTmpl.inf or audit.csv", []string{".txt", ".pol", ".inf", ".csv"}, m.setVendorBaseline)
	})
	v.clearVendor = widget.NewButton("Remove", func() { m.setVendorBaseline("") })
	v.audit = widget.NewButton("Audit again", m.reaudit)
	v.target = widget.NewLabel("")
	v.target.Wrapping = fyne.TextWrapWord

	m.actions = append(m.actions, v.live, v.snapshot, v.profile, v.chooseTailor, v.clearTailor,
		v.chooseVendor, v.chooseVendorFile, v.clearVendor, v.audit)

	heading := widget.NewLabelWithStyle("What do you want to audit?", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	form := widget.NewForm(
		widget.NewFormItem("Profile", v.profile),
		widget.NewFormItem("Tailoring", border(nil, nil, nil, container.NewHBox(v.chooseTailor, v.clearTailor), v.tailoring)),
		widget.NewFormItem("Vendor baseline", border(nil, nil, nil, container.NewHBox(v.chooseVendor, v.chooseVendorFile, v.clearVendor), v.vendor)),
	)
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		heading,
		border(nil, nil, container.New(fixedWidth(280), v.snapshot), nil, snapNote),
		border(nil, nil, container.New(fixedWidth(280), v.live), nil, liveNote),
		widget.NewSeparator(),
		widget.NewLabelWithStyle("Benchmark", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form,
		container.NewHBox(v.audit),
		widget.NewSeparator(),
		v.target,
	)))
}

func (m *mainWindow) refreshStart() {
	v := &m.start
	if t := m.s.Tailoring(); t != "" {
		v.tailoring.SetText(t)
	} else {
		v.tailoring.SetText("No tailoring file: the benchmark as published.")
	}
	if b := m.s.session().VendorBaseline(); b != nil {
		v.vendor.SetText(fmt.Sprintf("%s: %d settings, judged beside the profile as MH-GPO-1 to MH-GPO-%d (%s).", b.Name, len(b.Settings), len(b.Settings), b.Path))
	} else {
		v.vendor.SetText(noVendor)
	}
	v.updating = true
	v.profile.SetSelectedIndex(m.profileIndex(m.s.Profile()))
	v.updating = false
	rep, ok := m.s.Report()
	if !ok {
		v.target.SetText("Nothing is open yet.")
		return
	}
	kind := "This computer"
	if m.s.IsSnapshot() {
		kind = "Snapshot " + rep.Host.Source
		if rep.Host.CollectedAt != "" {
			kind += " (collected " + rep.Host.CollectedAt + ")"
		}
	}
	v.target.SetText(fmt.Sprintf("%s\n%s: %s %s %s, profile %s.\n%s. Audited in %d ms.",
		kind, rep.Host.Hostname, rep.Host.Caption, rep.Host.ServicePack, rep.Host.Architecture, rep.Profile,
		CountsLine(rep.Summary.Counts), v.took.Milliseconds()))
}

func (m *mainWindow) profileIndex(name string) int {
	for i, p := range m.s.Profiles() {
		if p.Name == name {
			return i + 1
		}
	}
	return 0
}

func (m *mainWindow) selectedProfile() string {
	i := m.start.profile.SelectedIndex()
	if i <= 0 {
		return ""
	}
	return m.s.Profiles()[i-1].Name
}

func (m *mainWindow) profileChanged() {
	if m.start.updating {
		return
	}
	if err := m.s.SetProfile(m.selectedProfile()); err != nil {
		m.showError(err)
		m.refreshStart() // the select shows the profile in force again
		return
	}
	if m.s.Opened() {
		m.showPlan(nil) // SetProfile dropped it
		m.reaudit()
	}
}

func (m *mainWindow) chooseSnapshot() {
	m.openFolder("Open snapshot folder", m.load)
}

// load opens a snapshot folder and audits it.
func (m *mainWindow) load(dir string) {
	m.openTarget("Opening "+dir, dir)
}

func (m *mainWindow) loadLive() {
	if !liveSupported() {
		m.showError(fmt.Errorf("auditing this computer needs Windows; open a snapshot folder instead"))
		return
	}
	m.auditThisComputer()
}

// auditThisComputer opens this computer, asking first when the audit
// would be the first credential probe on it.
func (m *mainWindow) auditThisComputer() {
	wf := m.s.session()
	if !wf.AskBeforeProbe("", m.probeAgreed) {
		m.openTarget("Auditing this computer", "")
		return
	}
	// The first credential probe on a device is the technician's choice;
	// a yes is remembered for the device, a no holds for this window.
	msg := widget.NewLabel("medharden can try a blank password and the vendors' published default passwords on the local accounts of this computer, without ever locking an account (it stops two failures before the lockout threshold).\n\nFailed attempts appear as event 4625 in the Security log; an Application event records the probe first, so the SOC can tell it from an attack.")
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Test passwords on this computer?", "Test passwords", "Audit without", msg, func(yes bool) {
		wf.SetCredentialProbe(yes)
		if yes {
			m.rememberProbe(workflow.ProbeDevice())
		}
		m.openTarget("Auditing this computer", "")
	}, m.win)
	d.Resize(fyne.NewSize(520, 300))
	d.Show()
}

// probeAgreedKey lists the devices where the technician agreed to the
// credential probe.
const probeAgreedKey = "credentialProbeAgreed"

func (m *mainWindow) probeAgreed(device string) bool {
	for _, d := range m.app.Preferences().StringList(probeAgreedKey) {
		if d == device {
			return true
		}
	}
	return false
}

func (m *mainWindow) rememberProbe(device string) {
	if device == "" || m.probeAgreed(device) {
		return
	}
	p := m.app.Preferences()
	p.SetStringList(probeAgreedKey, append(p.StringList(probeAgreedKey), device))
}

func (m *mainWindow) openTarget(what, dir string) {
	m.run(what, func(ctx context.Context) error {
		t0 := time.Now()
		err := m.s.Load(ctx, dir)
		m.start.took = time.Since(t0)
		return err
	}, func(err error) {
		if err != nil {
			m.showError(err)
			m.status.SetText("Could not open: " + err.Error())
			return
		}
		m.assets.loaded = false
		m.afterAudit()
		m.selectFirst()
		m.tabs.Select(m.attentionTab)
		// Opening parses a whole snapshot; hand that garbage back to the
		// OS now rather than at the next GC cycle.
		go debug.FreeOSMemory()
	})
}

func (m *mainWindow) reaudit() {
	m.run("Auditing", func(ctx context.Context) error {
		t0 := time.Now()
		err := m.s.Audit(ctx)
		m.start.took = time.Since(t0)
		return err
	}, func(err error) {
		if err != nil {
			m.showError(fmt.Errorf("audit: %w", err))
			return
		}
		m.afterAudit()
	})
}

func (m *mainWindow) afterAudit() {
	m.refreshAll()
	rep, _ := m.s.Report()
	line := fmt.Sprintf("%s: %s", rep.Host.Hostname, CountsLine(rep.Summary.Counts))
	if rep.Rehearsal {
		line = report.RehearsalMark + " — " + line
	}
	m.status.SetText(line)
}

func (m *mainWindow) setTailoring(path string) {
	if err := m.s.SetTailoring(path); err != nil {
		m.showError(fmt.Errorf("tailoring: %w", err))
		return
	}
	m.refreshStart()
	if m.s.Opened() {
		m.showPlan(nil) // SetTailoring dropped it
		m.reaudit()
	}
}

const noVendor = "No vendor baseline: the benchmark alone."

// setVendorBaseline loads a vendor baseline ("" removes it) and audits the
// open target again with it.
func (m *mainWindow) setVendorBaseline(path string) {
	if err := m.s.session().SetVendorBaseline(path); err != nil {
		m.showError(fmt.Errorf("vendor baseline: %w", err))
		return
	}
	m.s.DropPlan()
	m.refreshStart()
	if m.s.Opened() {
		m.showPlan(nil) // the plan was of the audit without it
		m.reaudit()
	}
}
