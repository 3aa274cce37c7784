package workflow

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"medharden/assets"
	"medharden/checks"
	"medharden/remediate"
	"medharden/remediate/gpo"
)

// Config is what a front end decides once, before any work.
type Config struct {
	// Tool and Version are written into reports, backups and event records.
	Tool    string
	Version string
	// Runs holds the remediation runs of live systems; "" means
	// remediate.DefaultRoot().
	Runs string
	// Rehearsals holds the runs made on snapshot targets, apart from Runs so
	// that a rehearsal (crashed or not) never blocks or mixes with a run on
	// a real system. "" means a temporary folder of this session, removed
	// by Close: the window's choice, since a rehearsal's in-memory changes
	// end with the program. The CLI, whose rollback is another process,
	// keeps them in RehearsalsBeside(Runs).
	Rehearsals string
	// Events receives the record of every live apply, resume and
	// rollback; nil means the Application event log.
	Events EventLog
	// User is the technician's account written into backups and event
	// records; "" means the account running medharden.
	User string
	// Warn hears of what failed without stopping the work (an event
	// record that could not be written); nil ignores it.
	Warn func(error)
}

// Session is one front end's use of the workflow: the chosen profile and
// tailoring, the open target, its audit. It is safe for concurrent use
// (the window audits on a worker while the UI reads).
type Session struct {
	cfg Config

	mu      sync.RWMutex
	profile string // chosen by the user; "" means the tailoring's, else the OS default
	tl      *remediate.Tailoring
	cat     *checks.Catalog // tailored; nil until first needed
	target  Target
	opened  bool
	rep     checks.Report
	rec     *assets.Record // the inventory behind the report's exposures
	audited bool
	tmp     string // this session's temporary rehearsals folder
	// rehearsed is set once changes were applied to a snapshot's in-memory
	// copy: every later audit is of the rehearsed state, marked as such,
	// and before keeps the last audit of the snapshot as collected.
	rehearsed bool
	before    checks.Report
	baseline  *Baseline     // fleet runs compare each device of its model with it
	vendor    *gpo.Baseline // the vendor baseline every audit judges too
	// noCredProbe turns off the logon tests of live audits; probe is the
	// one probe of probeHost, the target it was made for.
	noCredProbe bool
	probe       *checks.CredentialProbe
	probeHost   checks.Host
}

// New returns a session with nothing open.
func New(cfg Config) *Session {
	if cfg.Tool == "" {
		cfg.Tool = "medharden"
	}
	if cfg.Runs == "" {
		cfg.Runs = remediate.DefaultRoot()
	}
	return &Session{cfg: cfg}
}

// Version is the tool version the session writes into reports.
func (s *Session) Version() string { return s.cfg.Version }

// profileFor is the one rule for the profile: one chosen by the user and
// one named in the tailoring file must agree; either alone decides.
func profileFor(chosen string, tl *remediate.Tailoring) (string, error) {
	if tl == nil || tl.Profile == "" {
		return chosen, nil
	}
	if chosen != "" && chosen != tl.Profile {
		return "", Inputf("profile %s differs from the profile %s named in %s:%d", chosen, tl.Profile, tl.File, tl.ProfileLine)
	}
	return tl.Profile, nil
}

// SetProfile chooses the profile for the next audit; "" means the
// tailoring file's, else the default for the target's Windows version;
// NoProfile judges the vendor baseline alone.
func (s *Session) SetProfile(name string) error {
	if name != "" && name != NoProfile {
		if _, ok := checks.FindProfile(name); !ok {
			return Inputf("unknown profile %q; use one of %s", name, ProfileNames())
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := profileFor(name, s.tl); err != nil {
		return err
	}
	s.profile = name
	return nil
}

// Profile is the profile the next audit uses by choice ("" when the OS
// decides).
func (s *Session) Profile() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, err := profileFor(s.profile, s.tl)
	if err != nil {
		return s.profile
	}
	return p
}

// SetTailoring loads a tailoring file (waivers, overrides, do-not-touch
// lists, profile); "" removes it. Errors name the file and line.
func (s *Session) SetTailoring(path string) error {
	if path == "" {
		s.mu.Lock()
		s.tl, s.cat = nil, nil
		s.mu.Unlock()
		return nil
	}
	t, err := remediate.LoadTailoring(path)
	if err != nil {
		return InputError{err}
	}
	base, err := checks.Builtin()
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	cat, err := t.Tailor(base)
	if err != nil {
		return InputError{err}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := profileFor(s.profile, t); err != nil {
		return err
	}
	s.tl, s.cat = t, cat
	return nil
}

// Tailoring is the loaded tailoring file, or nil.
func (s *Session) Tailoring() *remediate.Tailoring {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.tl
}

// Catalog is the built-in catalog with the tailoring's overrides.
func (s *Session) Catalog() (*checks.Catalog, error) {
	s.mu.RLock()
	cat := s.cat
	s.mu.RUnlock()
	if cat != nil {
		return cat, nil
	}
	cat, err := checks.Builtin()
	if err != nil {
		return nil, fmt.Errorf("load catalog: %w", err)
	}
	return cat, nil
}

// Open opens a snapshot folder (or this computer when dir is "") without
// auditing it, for the inventory.
func (s *Session) Open(ctx context.Context, dir string) (Target, error) {
	t, err := Open(ctx, dir)
	if err != nil {
		return t, err
	}
	s.mu.Lock()
	s.target, s.opened = t, true
	s.rep, s.rec, s.audited = checks.Report{}, nil, false
	s.rehearsed, s.before = false, checks.Report{}
	s.mu.Unlock()
	return t, nil
}

// Load opens a snapshot folder (or this computer when dir is "") and
// audits it. The previous target stays open when either step fails.
func (s *Session) Load(ctx context.Context, dir string) (checks.Report, error) {
	t, err := Open(ctx, dir)
	if err != nil {
		return checks.Report{}, err
	}
	rep, rec, err := s.audit(ctx, t)
	if err != nil {
		return rep, err
	}
	s.mu.Lock()
	old := s.tmp
	s.target, s.opened = t, true
	s.rep, s.rec, s.audited = rep, rec, true
	s.rehearsed, s.before = false, rep
	s.tmp = ""
	s.mu.Unlock()
	if old != "" {
		os.RemoveAll(old) // the rehearsals of the previous target ended with it
	}
	return rep, nil
}

// Audit audits the open target again (after a profile or tailoring change,
// an apply or a rollback).
func (s *Session) Audit(ctx context.Context) (checks.Report, error) {
	t, ok := s.Target()
	if !ok {
		return checks.Report{}, errors.New("no target is open: choose this computer or a snapshot folder first")
	}
	rep, rec, err := s.audit(ctx, t)
	if err != nil {
		return rep, err
	}
	s.mu.Lock()
	if s.target.Host == t.Host {
		if s.rehearsed {
			rep.Rehearsal = true
		} else {
			s.before = rep
		}
		s.rep, s.rec, s.audited = rep, rec, true
	}
	s.mu.Unlock()
	return rep, nil
}

// audit is the one audit: the tailored catalog, the profile, the checks
// with the tailoring's waivers, the inventory's exposures beside them
// (waived the same way), the vendor baseline's checks after them (alone
// with NoProfile), and the marks of overrides and expired waivers.
func (s *Session) audit(ctx context.Context, t Target) (checks.Report, *assets.Record, error) {
	cat, err := s.Catalog()
	if err != nil {
		return checks.Report{}, nil, err
	}
	s.mu.RLock()
	tl, chosen, vendor := s.tl, s.profile, s.vendor
	s.mu.RUnlock()
	name, err := profileFor(chosen, tl)
	if err != nil {
		return checks.Report{}, nil, err
	}
	if err := vendorWaivers(tl, vendor); err != nil {
		return checks.Report{}, nil, err
	}
	opt := tl.Options(checks.Options{Tool: s.cfg.Tool, Version: s.cfg.Version, Source: t.ID.Source(), CollectedAt: t.ID.CollectedAt})
	if name == NoProfile {
		if vendor == nil {
			return checks.Report{}, nil, Inputf("profile %s judges a vendor baseline alone: choose the baseline", NoProfile)
		}
		rep, err := vendorAudit(ctx, t, vendor, cat, opt)
		if err != nil {
			return rep, nil, err
		}
		tl.Mark(&rep)
		return rep, nil, nil
	}
	p, err := PickProfile(ctx, t.Host, name)
	if err != nil {
		return checks.Report{}, nil, err
	}
	popt := opt
	popt.Credentials = s.credentialProbe(t)
	rep, err := checks.Audit(ctx, t.Host, cat, p, popt)
	if err != nil {
		return rep, nil, err
	}
	rec := withExposures(ctx, t.Host, &rep, tl)
	if vendor != nil {
		vrep, err := vendorAudit(ctx, t, vendor, cat, opt)
		if err != nil {
			return vrep, nil, err
		}
		rep.Results = append(rep.Results, vrep.Results...)
		rep.Summary = checks.Summarize(rep.Results)
		rep.Profile += " + " + vrep.Profile
	}
	tl.Mark(&rep)
	return rep, rec, nil
}

// withExposures adds the critical legacy exposures of the inventory
// (MS17-010, BlueKeep with RDP on, MS08-067, SMBv1, end of support) beside
// the benchmark's results, so every report shows them.
func withExposures(ctx context.Context, h checks.Host, rep *checks.Report, tl *remediate.Tailoring) *assets.Record {
	if _, ok := h.(checks.InventorySource); !ok {
		return nil
	}
	rec, err := assets.Collect(ctx, h)
	if err != nil {
		return nil // the checks already report what could not be read
	}
	for _, r := range assets.ExposureResults(rec) {
		if r.Status == checks.Fail || r.Status == checks.Error {
			if why, ok := tl.Waive(r.ID); ok {
				r.Status = checks.Waived
				r.Reason = "waived: " + why + " (finding: " + r.Reason + ")"
			}
		}
		rep.Results = append(rep.Results, r)
	}
	rep.Summary = checks.Summarize(rep.Results)
	return &rec
}

// Target is the open target and whether there is one.
func (s *Session) Target() (Target, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.target, s.opened
}

// Report is the last audit of the open target and whether there is one.
func (s *Session) Report() (checks.Report, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rep, s.audited
}

// ExposureChecks maps each exposure of the last audit ("MH-EXP-MS17-010")
// to the catalog check whose update list decided it ("MH-PATCH-1"): the
// same finding, seen from the inventory and from the benchmark.
func (s *Session) ExposureChecks() map[string]string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[string]string{}
	if s.rec == nil {
		return out
	}
	for _, e := range s.rec.Exposures {
		if e.CheckID != "" {
			out["MH-EXP-"+e.ID] = e.CheckID
		}
	}
	return out
}

// Rehearsed tells whether changes were applied to the open snapshot's
// in-memory copy: the reports since then are of the rehearsed state.
func (s *Session) Rehearsed() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rehearsed
}

// Audited is the last audit of the open target before any rehearsal: the
// snapshot as collected, which stays the record of the device.
func (s *Session) Audited() (checks.Report, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.before, s.audited
}

// Close removes the session's temporary rehearsals: their changes lived
// only in memory and are gone with the program.
func (s *Session) Close() {
	s.mu.Lock()
	d := s.tmp
	s.tmp = ""
	s.mu.Unlock()
	if d != "" {
		os.RemoveAll(d)
	}
}
