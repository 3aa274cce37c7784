package gui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"medharden/app/report"
	"medharden/app/workflow"
	"medharden/assets"
	"medharden/checks"
	"medharden/checks/snapshot/collector"
	"medharden/remediate"
)

// AppName is the product name shown in titles and dialogs.
const AppName = "medharden"

// Progress reports done of total steps.
type Progress = workflow.Progress

// State is what the window shows, in plain Go types so that it is tested
// without Fyne. Every decision is made by the workflow (app/workflow), as
// for the command line; State adds what only a window has: the plan on
// screen and the checks ticked one by one.
//
// Long operations (Load, Audit, NewPlan, Apply, Rollback) run on a worker
// goroutine while the UI thread reads; the mutex guards the fields, and the
// window lets only one long operation run at a time.
type State struct {
	// Version is shown in the title and written into reports and backups.
	Version string
	// Root holds the remediation runs of this computer; "" means
	// remediate.DefaultRoot(). Rehearsals on a snapshot are kept in a
	// temporary folder of this window, removed when it closes.
	Root string
	// Events receives the record of every change to this computer; nil
	// means the Application event log.
	Events workflow.EventLog

	once sync.Once
	wf   *workflow.Session

	mu     sync.RWMutex
	plan   *remediate.Plan
	picked map[string]bool // checks chosen one by one for a plan
	// fieldsFile is where the technician saved the fields in this window.
	fieldsFile string
	warnings   []error
}

// NewState returns an empty state for the given version.
func NewState(version string) *State { return &State{Version: version} }

// session is the workflow, started at first use with Version, Root and
// Events as set by then.
func (s *State) session() *workflow.Session {
	s.once.Do(func() {
		s.wf = workflow.New(workflow.Config{
			Tool: AppName, Version: s.Version, Runs: s.Root, Events: s.Events,
			Warn: func(err error) {
				s.mu.Lock()
				s.warnings = append(s.warnings, err)
				s.mu.Unlock()
			},
		})
	})
	return s.wf
}

// releaseHives unloads the people's hives the live host loaded for an
// audit, plan, apply or rollback (apply and rollback end with an audit):
// the window stays open for hours, and a loaded hive keeps its person from
// logging on with their profile. The host loads them again when needed.
func (s *State) releaseHives() {
	t, ok := s.session().Target()
	if !ok {
		return
	}
	if err := checks.ReleaseHives(t.Host); err != nil {
		s.mu.Lock()
		s.warnings = append(s.warnings, err)
		s.mu.Unlock()
	}
}

// TakeWarnings returns, once, what failed without stopping the work (an
// event record that could not be written).
func (s *State) TakeWarnings() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.warnings
	s.warnings = nil
	return w
}

// Opened tells whether a target is open.
func (s *State) Opened() bool {
	_, ok := s.session().Target()
	return ok
}

// IsSnapshot tells whether the target is a snapshot folder, whose changes
// go to an in-memory overlay and never to a real system.
func (s *State) IsSnapshot() bool {
	t, ok := s.session().Target()
	return ok && t.ID.Kind == workflow.Snapshot
}

// Source is "live" or the snapshot folder.
func (s *State) Source() string {
	t, _ := s.session().Target()
	return t.ID.Source()
}

// Report returns the current report and whether there is one.
func (s *State) Report() (checks.Report, bool) { return s.session().Report() }

// Title is the window title: product, version, host and target kind.
func (s *State) Title() string {
	t := AppName + " " + s.Version
	tg, ok := s.session().Target()
	if !ok {
		return t
	}
	host := tg.ID.Hostname
	if host == "" {
		host = "(unknown host)"
	}
	kind := "this computer"
	if tg.ID.Kind == workflow.Snapshot {
		kind = "snapshot"
	}
	t = fmt.Sprintf("%s — %s (%s)", t, host, kind)
	if s.Rehearsed() {
		t = report.RehearsalMark + " — " + t
	}
	return t
}

// Rehearsed tells whether changes were applied to the snapshot's in-memory
// copy: the report on screen is then the rehearsed state, marked in every
// view and every saved report, and Audited keeps the snapshot as collected.
func (s *State) Rehearsed() bool { return s.session().Rehearsed() }

// Audited is the report of the snapshot as collected, before any rehearsal.
func (s *State) Audited() (checks.Report, bool) { return s.session().Audited() }

// Profiles lists the profiles a user can choose.
func (s *State) Profiles() []checks.Profile { return checks.Profiles }

// SetProfile chooses the profile for the next audit; "" means the
// tailoring file's, else the default for the target's Windows version. A
// profile that disagrees with the tailoring file is refused.
func (s *State) SetProfile(name string) error {
	if err := s.session().SetProfile(name); err != nil {
		return err
	}
	s.DropPlan()
	return nil
}

// DropPlan forgets the plan on screen: a change of what to fix, of the
// profile or of the tailoring makes it stale, and only a fresh preview
// may be applied.
func (s *State) DropPlan() {
	s.mu.Lock()
	s.plan = nil
	s.mu.Unlock()
}

// Profile is the profile of the current report, or the chosen one.
func (s *State) Profile() string {
	if rep, ok := s.Report(); ok {
		return rep.Profile
	}
	return s.session().Profile()
}

// SetTailoring loads a tailoring file (waivers, overrides, do-not-touch);
// "" removes it. It takes effect at the next audit.
func (s *State) SetTailoring(path string) error {
	if err := s.session().SetTailoring(path); err != nil {
		return err
	}
	s.DropPlan()
	return nil
}

// Tailoring is the loaded tailoring file's path, or "".
func (s *State) Tailoring() string {
	if t := s.session().Tailoring(); t != nil {
		return t.File
	}
	return ""
}

// Load opens a snapshot folder (or this computer when dir is "") and
// audits it with the chosen profile. A profile for another Windows
// version is refused, as on the command line.
func (s *State) Load(ctx context.Context, dir string) error {
	defer s.releaseHives()
	if _, err := s.session().Load(ctx, dir); err != nil {
		if dir == "" {
			return err
		}
		return fmt.Errorf("open snapshot %s: %w", dir, err)
	}
	s.mu.Lock()
	s.plan, s.picked = nil, nil
	s.mu.Unlock()
	return nil
}

// Audit audits the open target again (after a profile or tailoring change,
// an apply or a rollback).
func (s *State) Audit(ctx context.Context) error {
	defer s.releaseHives()
	if _, err := s.session().Audit(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	s.plan = nil
	s.mu.Unlock()
	return nil
}

// Filter returns the results that match f, in report order.
func (s *State) Filter(f Filter) []checks.Result {
	rep, _ := s.Report()
	var out []checks.Result
	for _, r := range rep.Results {
		if f.Match(r) {
			out = append(out, r)
		}
	}
	return out
}

// Rows are the results list's rows for f: the critical exposures found
// (MS17-010, BlueKeep, ...) first, then the others in report order. The
// update check of a listed exposure is folded into its row (Linked), so
// that one finding is not listed twice.
func (s *State) Rows(f Filter) []checks.Result {
	rep, _ := s.Report()
	links := s.session().ExposureChecks()
	var critical, rest []checks.Result
	shown := map[string]bool{}
	for _, r := range rep.Results {
		if f.Match(r) {
			shown[r.ID] = true
		}
	}
	folded := map[string]bool{}
	for exp, check := range links {
		if shown[exp] {
			folded[check] = true
		}
	}
	for _, r := range rep.Results {
		switch {
		case !f.Match(r) || folded[r.ID]:
		case Critical(r):
			critical = append(critical, r)
		default:
			rest = append(rest, r)
		}
	}
	return append(critical, rest...)
}

// Critical tells whether a result is a critical exposure found on the
// device (or one that could not be ruled out).
func Critical(r checks.Result) bool { return assets.CriticalFinding(r) }

// Linked is the result folded into an exposure's row: the update check
// that found the same thing.
func (s *State) Linked(id string) (checks.Result, bool) {
	check, ok := s.session().ExposureChecks()[id]
	if !ok {
		return checks.Result{}, false
	}
	return s.Result(check)
}

// Sections lists the sections present in the report, in benchmark order.
func (s *State) Sections() []string {
	rep, _ := s.Report()
	return Sections(rep.Results)
}

// Key names one result of the report: its check id and, for a user-scope
// check (judged once per person), the person's SID.
func Key(r checks.Result) string {
	if r.User != nil && r.User.SID != "" {
		return r.ID + "@" + r.User.SID
	}
	return r.ID
}

// Result returns one result of the current report by its Key (a check id
// alone names the first result of that check).
func (s *State) Result(key string) (checks.Result, bool) {
	rep, _ := s.Report()
	for _, r := range rep.Results {
		if Key(r) == key {
			return r, true
		}
	}
	for _, r := range rep.Results {
		if r.ID == key {
			return r, true
		}
	}
	return checks.Result{}, false
}

// Detail explains one result: the check's rationale, fix and trade-off and
// its capabilities with their meanings.
func (s *State) Detail(id string) (Detail, bool) {
	r, ok := s.Result(id)
	if !ok {
		return Detail{}, false
	}
	cat, err := s.session().Catalog()
	if err != nil {
		cat = nil
	}
	return NewDetail(r, cat), true
}

// NewPlan computes what remediating sel would change; nothing is written.
func (s *State) NewPlan(ctx context.Context, sel remediate.Selection) (*remediate.Plan, error) {
	defer s.releaseHives()
	p, err := s.session().Plan(ctx, sel)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.plan = p
	s.mu.Unlock()
	return p, nil
}

// WritePack writes the offline remediation pack of the plan on screen
// into dir (new or empty unless force), as 'medharden remediate --pack'
// does: for Windows XP and vendor images, where medharden does not run.
func (s *State) WritePack(dir string, force bool) (*remediate.Pack, error) {
	return s.session().WritePack(s.Plan(), dir, force)
}

// WriteGPO writes the changes of the plan on screen as a GPO backup into
// dir (new or empty unless force), as 'medharden remediate --gpo' does:
// for Group Policy Management's Import Settings or LGPO.exe /g.
func (s *State) WriteGPO(dir string, force bool) (*workflow.GPOBackup, error) {
	return s.session().WriteGPO(s.Plan(), dir, force)
}

// PackFolder is the folder name proposed for a pack: the host's name.
func (s *State) PackFolder() string { return s.hostFolder("-medharden-pack") }

// GPOFolder is the folder name proposed for a GPO backup.
func (s *State) GPOFolder() string { return s.hostFolder("-medharden-gpo") }

func (s *State) hostFolder(suffix string) string {
	t, _ := s.session().Target()
	host := t.ID.Hostname
	if host == "" {
		host = "device"
	}
	return host + suffix
}

// Pick adds or removes a check from the ones chosen one by one.
func (s *State) Pick(id string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.plan = nil // the selection changed
	if s.picked == nil {
		s.picked = map[string]bool{}
	}
	if on {
		s.picked[id] = true
	} else {
		delete(s.picked, id)
	}
}

// Picked tells whether a check is chosen.
func (s *State) Picked(id string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.picked[id]
}

// PickedIDs lists the chosen checks in report order.
func (s *State) PickedIDs() []string {
	rep, _ := s.Report()
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for _, r := range rep.Results {
		if s.picked[r.ID] {
			out = append(out, r.ID)
		}
	}
	return out
}

// Fixable lists the results a plan can act on: failures and errors.
func (s *State) Fixable() []checks.Result {
	rep, _ := s.Report()
	var out []checks.Result
	for _, r := range rep.Results {
		if r.Status == checks.Fail || r.Status == checks.Error {
			out = append(out, r)
		}
	}
	return out
}

// Selection builds the remediation selection: mode "failed", "capability"
// (with a code) or "ids" (the picked checks), read as the command line's
// --select is.
func (s *State) Selection(mode, capability string) (remediate.Selection, error) {
	switch mode {
	case "failed", "":
		return workflow.ParseSelection("failed")
	case "capability":
		if capability == "" {
			return remediate.Selection{}, errors.New("choose a capability")
		}
		return workflow.ParseSelection("capability:" + capability)
	case "ids":
		ids := s.PickedIDs()
		if len(ids) == 0 {
			return remediate.Selection{}, errors.New("tick at least one check in the list")
		}
		return workflow.ParseSelection("ids:" + strings.Join(ids, ","))
	}
	return remediate.Selection{}, fmt.Errorf("unknown selection %q", mode)
}

// Plan is the last plan made, or nil.
func (s *State) Plan() *remediate.Plan {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.plan
}

// RunsRoot is where this target's runs (backups and journals) are kept:
// the system's folder for this computer, and a folder of this window for a
// snapshot, whose changes live only in memory and end with the program.
func (s *State) RunsRoot() (string, error) { return s.session().RunsRoot() }

// Apply makes the plan's changes (with backup, journal and verify), then
// audits again. progress may be nil. Cancelling ctx stops before the next
// change and rolls back what was made.
func (s *State) Apply(ctx context.Context, p *remediate.Plan, progress Progress) (*remediate.Outcome, error) {
	out, err := s.session().Apply(ctx, p, progress)
	if p == nil || (out == nil && err != nil) {
		return out, err
	}
	if aerr := s.Audit(context.Background()); aerr != nil && err == nil {
		err = fmt.Errorf("changes made; auditing again failed: %w", aerr)
	}
	return out, err
}

// Backups lists the runs of the current target, newest first.
func (s *State) Backups() ([]*remediate.Run, error) { return s.session().Runs() }

// Rollback restores a run's settings to what they were before it, then
// audits again.
func (s *State) Rollback(ctx context.Context, run *remediate.Run, progress Progress) (*remediate.RollbackOutcome, error) {
	out, err := s.session().Rollback(ctx, run, false, progress)
	if run == nil || (out == nil && err != nil) {
		return out, err
	}
	if aerr := s.Audit(context.Background()); aerr != nil && err == nil {
		err = fmt.Errorf("rolled back; auditing again failed: %w", aerr)
	}
	return out, err
}

// SaveReport writes the current report in a format of app/report to path,
// through a temporary file so that a failure never leaves half a report.
// A rehearsed report carries app/report's rehearsal mark.
func (s *State) SaveReport(path, format string) error {
	rep, ok := s.Report()
	return saveReport(rep, ok, path, format)
}

// SaveAudited writes the report of the snapshot as collected, before any
// rehearsal: the record of the device.
func (s *State) SaveAudited(path, format string) error {
	rep, ok := s.Audited()
	return saveReport(rep, ok, path, format)
}

func saveReport(rep checks.Report, ok bool, path, format string) error {
	if !ok {
		return errors.New("there is no report yet: open a target first")
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, format, rep); err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return workflow.WriteFile(path, buf.Bytes())
}

// FormatFor picks the report format from a file name's extension.
func FormatFor(path string) (string, bool) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".html", ".htm":
		return "html", true
	case ".json":
		return "json", true
	case ".csv":
		return "csv", true
	case ".txt":
		return "text", true
	}
	return "", false
}

var errCollectorDiffers = errors.New("a different collector is already in the folder")

// CollectorDiffers tells whether dir already holds a collector script of
// another version, which writing would replace.
func CollectorDiffers(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, collector.FileName))
	return err == nil && !bytes.Equal(b, collector.Script)
}

// WriteCollector writes the offline collector script into dir.
func (s *State) WriteCollector(dir string, force bool) (string, error) {
	return collector.Write(dir, force)
}

// Close removes the window's rehearsals: their changes lived only in
// memory and are gone with the program.
func (s *State) Close() { s.session().Close() }
