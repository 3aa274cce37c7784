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
	"medharden/app/session"
	"medharden/checks"
	"medharden/checks/snapshot/collector"
	"medharden/remediate"
)

// AppName is the product name shown in titles and dialogs.
const AppName = "medharden"

// State is what the window shows, in plain Go types so that it is tested
// without Fyne. Every decision is made by session, checks and remediate;
// State only keeps the current target, report and plan together.
//
// Long operations (Load, Audit, NewPlan, Apply, Rollback) run on a worker
// goroutine while the UI thread reads; the mutex guards the fields, and the
// window lets only one long operation run at a time.
type State struct {
	// Version is shown in the title and written into reports and backups.
	Version string
	// Root holds the remediation runs of this computer; "" means
	// remediate.DefaultRoot().
	Root string

	mu        sync.RWMutex
	target    session.Target
	opened    bool
	profile   string // chosen by the user; "" picks the OS default
	tailoring *remediate.Tailoring
	catalog   *checks.Catalog // tailored
	rep       checks.Report
	audited   bool
	plan      *remediate.Plan
	picked    map[string]bool // checks chosen one by one for a plan
	snapRoot  string          // runs of snapshot targets (in-memory changes) live here
}

// NewState returns an empty state for the given version.
func NewState(version string) *State { return &State{Version: version} }

// Opened tells whether a target is open.
func (s *State) Opened() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.opened
}

// IsSnapshot tells whether the target is a snapshot folder, whose changes
// go to an in-memory overlay and never to a real system.
func (s *State) IsSnapshot() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.opened && s.target.Source != "live"
}

// Source is "live" or the snapshot folder.
func (s *State) Source() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.target.Source
}

// Report returns the current report and whether there is one.
func (s *State) Report() (checks.Report, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rep, s.audited
}

// Title is the window title: product, version, host and target kind.
func (s *State) Title() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t := AppName + " " + s.Version
	if !s.opened {
		return t
	}
	host := s.rep.Host.Hostname
	if host == "" {
		host = "(unknown host)"
	}
	kind := "this computer"
	if s.target.Source != "live" {
		kind = "snapshot"
	}
	return fmt.Sprintf("%s — %s (%s)", t, host, kind)
}

// Profiles lists the profiles a user can choose.
func (s *State) Profiles() []checks.Profile { return checks.Profiles }

// SetProfile chooses the profile for the next audit; "" means the default
// for the target's Windows version.
func (s *State) SetProfile(name string) error {
	if name != "" {
		if _, ok := checks.FindProfile(name); !ok {
			return session.ErrUsage{Msg: fmt.Sprintf("unknown profile %q; use one of %s", name, session.ProfileNames())}
		}
	}
	s.mu.Lock()
	s.profile = name
	s.mu.Unlock()
	return nil
}

// Profile is the profile of the current report, or the chosen one.
func (s *State) Profile() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.audited {
		return s.rep.Profile
	}
	return s.profile
}

// SetTailoring loads a tailoring file (waivers, overrides, do-not-touch);
// "" removes it. It takes effect at the next audit.
func (s *State) SetTailoring(path string) error {
	if path == "" {
		s.mu.Lock()
		s.tailoring, s.catalog = nil, nil
		s.mu.Unlock()
		return nil
	}
	t, err := remediate.LoadTailoring(path)
	if err != nil {
		return err
	}
	cat, err := builtinTailored(t)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.tailoring, s.catalog = t, cat
	if t.Profile != "" {
		s.profile = t.Profile
	}
	s.mu.Unlock()
	return nil
}

// Tailoring is the loaded tailoring file's path, or "".
func (s *State) Tailoring() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.tailoring == nil {
		return ""
	}
	return s.tailoring.File
}

func builtinTailored(t *remediate.Tailoring) (*checks.Catalog, error) {
	cat, err := checks.Builtin()
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	return t.Tailor(cat)
}

// Load opens a snapshot folder (or this computer when dir is "") and
// audits it with the chosen profile; a profile for another Windows
// version falls back to the default of the target's.
func (s *State) Load(ctx context.Context, dir string) error {
	t, err := session.Open(dir)
	if err != nil {
		if dir == "" {
			return err
		}
		return fmt.Errorf("open snapshot %s: %w", dir, err)
	}
	s.mu.RLock()
	profile := s.profile
	s.mu.RUnlock()
	if profile != "" {
		if p, ok := checks.FindProfile(profile); ok {
			if info, err := t.Host.OS(ctx); err == nil && info.Family() != p.OS {
				profile = ""
			}
		}
	}
	rep, err := s.audit(ctx, t, profile)
	if err != nil {
		return err
	}
	s.mu.Lock()
	old := s.snapRoot
	s.target, s.opened = t, true
	s.profile = profile
	s.rep, s.audited = rep, true
	s.plan = nil
	s.picked = nil
	s.snapRoot = ""
	s.mu.Unlock()
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// Audit audits the open target again (after a profile or tailoring change,
// an apply or a rollback).
func (s *State) Audit(ctx context.Context) error {
	s.mu.RLock()
	t, opened, profile := s.target, s.opened, s.profile
	s.mu.RUnlock()
	if !opened {
		return errors.New("no target is open: choose this computer or a snapshot folder first")
	}
	rep, err := s.audit(ctx, t, profile)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.rep, s.audited = rep, true
	s.plan = nil
	s.mu.Unlock()
	return nil
}

// audit runs the shared session audit, with the tailoring's waivers and
// its tailored catalog (value overrides), as the CLI does.
func (s *State) audit(ctx context.Context, t session.Target, profile string) (checks.Report, error) {
	s.mu.RLock()
	tl, cat := s.tailoring, s.catalog
	s.mu.RUnlock()
	o := session.AuditOptions{Profile: profile, Version: s.Version}
	if tl != nil {
		o.Waive, o.Declared = tl.Waive, tl.Declared()
		if len(tl.Overrides) > 0 {
			o.Catalog = cat
		}
	}
	rep, err := session.Audit(ctx, t, o)
	tl.Mark(&rep)
	return rep, err
}

// Filter returns the results that match f, in report order.
func (s *State) Filter(f Filter) []checks.Result {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []checks.Result
	for _, r := range s.rep.Results {
		if f.Match(r) {
			out = append(out, r)
		}
	}
	return out
}

// Sections lists the sections present in the report, in benchmark order.
func (s *State) Sections() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return Sections(s.rep.Results)
}

// Result returns one result of the current report.
func (s *State) Result(id string) (checks.Result, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, r := range s.rep.Results {
		if r.ID == id {
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
	s.mu.RLock()
	cat := s.catalog
	s.mu.RUnlock()
	if cat == nil {
		var err error
		if cat, err = checks.Builtin(); err != nil {
			cat = nil
		}
	}
	return NewDetail(r, cat), true
}

// NewPlan computes what remediating sel would change; nothing is written.
func (s *State) NewPlan(ctx context.Context, sel remediate.Selection) (*remediate.Plan, error) {
	s.mu.RLock()
	t, rep, audited, tl, cat := s.target, s.rep, s.audited, s.tailoring, s.catalog
	s.mu.RUnlock()
	if !audited {
		return nil, errors.New("audit a target before planning changes")
	}
	if cat == nil {
		var err error
		if cat, err = checks.Builtin(); err != nil {
			return nil, fmt.Errorf("load catalog: %w", err)
		}
	}
	p, err := remediate.NewPlan(ctx, t.Host, cat, rep, sel, tl)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.plan = p
	s.mu.Unlock()
	return p, nil
}

// Pick adds or removes a check from the ones chosen one by one.
func (s *State) Pick(id string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
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
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for _, r := range s.rep.Results {
		if s.picked[r.ID] {
			out = append(out, r.ID)
		}
	}
	return out
}

// Fixable lists the results a plan can act on: failures and errors.
func (s *State) Fixable() []checks.Result {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []checks.Result
	for _, r := range s.rep.Results {
		if r.Status == checks.Fail || r.Status == checks.Error {
			out = append(out, r)
		}
	}
	return out
}

// Selection builds the remediation selection: mode "failed", "capability"
// (with a code) or "ids" (the picked checks).
func (s *State) Selection(mode, capability string) (remediate.Selection, error) {
	switch mode {
	case "failed", "":
		return remediate.Selection{Mode: "failed"}, nil
	case "capability":
		if _, ok := checks.Capabilities[capability]; !ok {
			return remediate.Selection{}, errors.New("choose a capability")
		}
		return remediate.Selection{Mode: "capability", Capability: capability}, nil
	case "ids":
		ids := s.PickedIDs()
		if len(ids) == 0 {
			return remediate.Selection{}, errors.New("tick at least one check in the list")
		}
		return remediate.Selection{Mode: "ids", IDs: ids}, nil
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
// the system's folder for this computer, and a folder of this session for a
// snapshot, whose changes live only in memory and end with the program.
func (s *State) RunsRoot() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.opened {
		return "", errors.New("no target is open")
	}
	if s.target.Source == "live" {
		if s.Root != "" {
			return s.Root, nil
		}
		return remediate.DefaultRoot(), nil
	}
	if s.snapRoot == "" {
		d, err := os.MkdirTemp("", "medharden-snapshot-runs-")
		if err != nil {
			return "", fmt.Errorf("create a folder for the snapshot's backups: %w", err)
		}
		s.snapRoot = d
	}
	return s.snapRoot, nil
}

func (s *State) options(root string) remediate.Options {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return remediate.Options{Root: root, Tool: AppName, Version: s.Version, Catalog: s.catalog}
}

func (s *State) writer() (checks.HostWriter, error) {
	s.mu.RLock()
	h := s.target.Host
	s.mu.RUnlock()
	w, ok := h.(checks.HostWriter)
	if !ok {
		return nil, errors.New("this target cannot be changed by this version of medharden")
	}
	return w, nil
}

// Progress reports done of total steps.
type Progress func(done, total int)

// Apply makes the plan's changes (with backup, journal and verify), then
// audits again. progress may be nil. Cancelling ctx stops before the next
// change and rolls back what was made.
func (s *State) Apply(ctx context.Context, p *remediate.Plan, progress Progress) (*remediate.Outcome, error) {
	if p == nil {
		return nil, errors.New("make a plan first")
	}
	w, err := s.writer()
	if err != nil {
		return nil, err
	}
	root, err := s.RunsRoot()
	if err != nil {
		return nil, err
	}
	total := len(p.Changes())
	out, err := remediate.Apply(ctx, countWrites(w, total, progress), p, s.options(root))
	if aerr := s.Audit(context.Background()); aerr != nil && err == nil {
		err = fmt.Errorf("changes made; auditing again failed: %w", aerr)
	}
	return out, err
}

// Backups lists the runs of the current target, newest first.
func (s *State) Backups() ([]*remediate.Run, error) {
	root, err := s.RunsRoot()
	if err != nil {
		return nil, err
	}
	return remediate.ListBackups(root)
}

// Rollback restores a run's settings to what they were before it, then
// audits again.
func (s *State) Rollback(ctx context.Context, run *remediate.Run, progress Progress) (*remediate.RollbackOutcome, error) {
	if run == nil {
		return nil, errors.New("choose a backup first")
	}
	w, err := s.writer()
	if err != nil {
		return nil, err
	}
	root, err := s.RunsRoot()
	if err != nil {
		return nil, err
	}
	total := 0
	if run.Backup != nil {
		total = len(run.Backup.Settings)
	}
	out, err := remediate.Rollback(ctx, countWrites(w, total, progress), run.ID, s.options(root))
	if aerr := s.Audit(context.Background()); aerr != nil && err == nil {
		err = fmt.Errorf("rolled back; auditing again failed: %w", aerr)
	}
	return out, err
}

// SaveReport writes the current report in a format of app/report to path,
// through a temporary file so that a failure never leaves half a report.
func (s *State) SaveReport(path, format string) error {
	rep, ok := s.Report()
	if !ok {
		return errors.New("there is no report yet: open a target first")
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, format, rep); err != nil {
		return fmt.Errorf("write %s report: %w", format, err)
	}
	return session.WriteFile(path, buf.Bytes())
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

// Close removes the session's snapshot runs: their changes lived only in
// memory and are gone with the program.
func (s *State) Close() {
	s.mu.Lock()
	d := s.snapRoot
	s.snapRoot = ""
	s.mu.Unlock()
	if d != "" {
		os.RemoveAll(d)
	}
}
