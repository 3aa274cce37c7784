// Package session is what the CLI and the GUI share: open a target (a
// snapshot folder or this computer), choose the profile, audit. Neither
// front end holds policy logic; both call these functions.
package session

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"medharden/assets"
	"medharden/checks"
	"medharden/checks/snapshot"
)

// ErrUsage marks a mistake the user can correct (exit code 2 in the CLI).
type ErrUsage struct{ Msg string }

func (e ErrUsage) Error() string { return e.Msg }

// InputError marks an error caused by what the user gave (a snapshot
// folder that cannot be read, a malformed file): exit code 2 in the CLI.
type InputError struct{ Err error }

func (e InputError) Error() string { return e.Err.Error() }
func (e InputError) Unwrap() error { return e.Err }

// OpenLive opens this computer; it is set by the platform files.
var OpenLive = func() (checks.Host, error) {
	return nil, ErrUsage{"auditing this computer needs Windows; on this system open a snapshot folder written by the collector"}
}

// Target is an opened host and how to describe it.
type Target struct {
	Host        checks.Host
	Source      string // "live" or the snapshot folder's absolute path
	CollectedAt string
}

// Open opens a snapshot folder, or this computer when dir is empty.
func Open(dir string) (Target, error) {
	if dir == "" {
		h, err := OpenLive()
		return Target{Host: h, Source: "live"}, err
	}
	h, err := snapshot.Open(dir)
	if err != nil {
		return Target{}, InputError{err}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	return Target{Host: h, Source: abs, CollectedAt: h.CollectedAt()}, nil
}

// ProfileNames lists the profiles for messages and menus.
func ProfileNames() string {
	names := make([]string, len(checks.Profiles))
	for i, p := range checks.Profiles {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// PickProfile returns the named profile, or the default for the host's OS.
func PickProfile(ctx context.Context, h checks.Host, name string) (checks.Profile, error) {
	if name != "" {
		p, ok := checks.FindProfile(name)
		if !ok {
			return p, ErrUsage{fmt.Sprintf("unknown profile %q; use one of %s", name, ProfileNames())}
		}
		return p, nil
	}
	info, err := h.OS(ctx)
	if err != nil {
		return checks.Profile{}, err
	}
	p, ok := checks.DefaultProfile(info.Family())
	if !ok {
		return p, ErrUsage{fmt.Sprintf("no profile for %q (version %s): medharden covers Windows 7 and XP", info.Caption, info.Version)}
	}
	return p, nil
}

// AuditOptions are the choices of one audit.
type AuditOptions struct {
	Profile string
	Version string
	// Waive, when set, turns matching findings into `waived` (tailoring).
	Waive func(id string) (string, bool)
	// Catalog replaces the built-in catalog (a tailoring's overrides).
	Catalog *checks.Catalog
	// Declared names the tailoring's operators and emergency account:
	// the user-scope checks are judged for them too.
	Declared checks.Declared
}

// Audit runs the profile's checks on the target.
func Audit(ctx context.Context, t Target, o AuditOptions) (checks.Report, error) {
	cat := o.Catalog
	if cat == nil {
		var err error
		if cat, err = checks.Builtin(); err != nil {
			return checks.Report{}, fmt.Errorf("load catalog: %w", err)
		}
	}
	p, err := PickProfile(ctx, t.Host, o.Profile)
	if err != nil {
		return checks.Report{}, err
	}
	rep, err := checks.Audit(ctx, t.Host, cat, p, checks.Options{
		Tool: "medharden", Version: o.Version, Source: t.Source, CollectedAt: t.CollectedAt, Waive: o.Waive,
		Declared: o.Declared,
	})
	if err != nil {
		return rep, err
	}
	return withExposures(ctx, t.Host, rep, o.Waive), nil
}

// withExposures adds the critical legacy exposures of the inventory
// (MS17-010, BlueKeep with RDP on, MS08-067, SMBv1, end of support) beside
// the benchmark's results, so every report shows them.
func withExposures(ctx context.Context, h checks.Host, rep checks.Report, waive func(string) (string, bool)) checks.Report {
	if _, ok := h.(checks.InventorySource); !ok {
		return rep
	}
	rec, err := assets.Collect(ctx, h)
	if err != nil {
		return rep // the checks above already report what could not be read
	}
	for _, r := range assets.ExposureResults(rec) {
		if waive != nil && (r.Status == checks.Fail || r.Status == checks.Error) {
			if why, ok := waive(r.ID); ok {
				r.Status = checks.Waived
				r.Reason = "waived: " + why + " (finding: " + r.Reason + ")"
			}
		}
		rep.Results = append(rep.Results, r)
	}
	rep.Summary = checks.Summarize(rep.Results)
	return rep
}
