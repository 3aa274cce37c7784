package workflow

import (
	"context"
	"strings"

	"medharden/checks"
	"medharden/checks/snapshot"
)

// Kind tells this computer from a snapshot folder: the host's own word.
type Kind = checks.Origin

const (
	// Live is this computer: changes are real, journaled in the runs
	// folder and recorded in the Application event log.
	Live = checks.Live
	// Snapshot is a collector folder: changes go to an in-memory copy, a
	// rehearsal kept apart from the runs of real systems.
	Snapshot = checks.Snapshot
)

// Identity says what an opened target is. It is decided once, when the
// target is opened, so nothing downstream has to guess from the host.
type Identity struct {
	Kind     Kind
	Hostname string // "" when the host cannot say
	OS       string // caption and version, "" when the host cannot say
	// Folder is the snapshot folder's absolute path ("" for Live).
	Folder      string
	CollectedAt string
}

// Source is how reports name the target: "live" or the snapshot folder.
func (id Identity) Source() string {
	if id.Kind == Snapshot {
		return id.Folder
	}
	return "live"
}

func (id Identity) String() string {
	h := id.Hostname
	if h == "" {
		h = "(unknown host)"
	}
	if id.Kind == Snapshot {
		return h + ", snapshot " + id.Folder
	}
	return h + ", this computer"
}

// OpenLive opens this computer; the Windows build sets it.
var OpenLive = func() (checks.Host, error) {
	return nil, Inputf("auditing this computer needs Windows; on this system open a snapshot folder written by the collector")
}

// Target is an opened host and its identity.
type Target struct {
	Host checks.Host
	ID   Identity
}

// Open opens a snapshot folder, or this computer when dir is "".
func Open(ctx context.Context, dir string) (Target, error) {
	var h checks.Host
	if dir == "" {
		live, err := OpenLive()
		if err != nil {
			return Target{}, err
		}
		h = live
	} else {
		snap, err := snapshot.Open(dir)
		if err != nil {
			return Target{}, InputError{err}
		}
		h = snap
	}
	hid := h.Identity()
	t := Target{Host: h, ID: Identity{Kind: hid.Origin, Folder: hid.Dir, CollectedAt: hid.CollectedAt}}
	// The audit reports a host that cannot say what it is; the identity
	// then just lacks the name.
	if info, err := t.Host.OS(ctx); err == nil {
		t.ID.Hostname = info.Hostname
		t.ID.OS = strings.TrimSpace(info.Caption + " " + info.Version)
	}
	return t, nil
}

// ProfileNames lists the profiles for messages and menus.
func ProfileNames() string {
	names := make([]string, len(checks.Profiles))
	for i, p := range checks.Profiles {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// PickProfile returns the named profile, or the default for the host's
// Windows version. A named profile for another Windows version is refused
// (checks.ErrProfileMismatch), never replaced.
func PickProfile(ctx context.Context, h checks.Host, name string) (checks.Profile, error) {
	var named checks.Profile
	if name != "" {
		p, ok := checks.FindProfile(name)
		if !ok {
			return p, Inputf("unknown profile %q; use one of %s", name, ProfileNames())
		}
		named = p
	}
	info, err := h.OS(ctx)
	if err != nil {
		return checks.Profile{}, err
	}
	if name != "" {
		p := named
		if fam := info.Family(); fam != p.OS {
			return p, Inputf("%w: profile %s is for %s, host runs %q (version %s)",
				checks.ErrProfileMismatch, p.Name, p.OS, info.Caption, info.Version)
		}
		return p, nil
	}
	p, ok := checks.DefaultProfile(info.Family())
	if !ok {
		return p, Inputf("no profile for %q (version %s): medharden covers Windows 7 and XP", info.Caption, info.Version)
	}
	return p, nil
}
