package workflow

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"medharden/assets"
	"medharden/checks"
	"medharden/remediate"
)

// ErrOtherDevice: the two snapshots of a comparison are of different
// devices.
var ErrOtherDevice = errors.New("the snapshots are of different devices")

// CompareSchema names the comparison's JSON format.
const CompareSchema = "medharden-compare/1"

// Why a finding remains after a visit.
const (
	RemainWaived  = "waived"
	RemainRefused = "refused by a guard"
	RemainManual  = "manual step"
	RemainFailing = "still failing"
	RemainGone    = "not audited after" // the check or person is not in the after audit
)

// Finding is one check result of a comparison.
type Finding struct {
	ID           string   `json:"check"`
	User         string   `json:"user,omitempty"`
	Title        string   `json:"title"`
	Capabilities []string `json:"capabilities"`
	Before       string   `json:"before"` // status before the visit; "" when not audited then
	After        string   `json:"after"`
	Actual       string   `json:"actual"` // as found after
	// Why (remaining findings) is one of the Remain* kinds; Reason says
	// more: the waiver with its approver, the guard's refusal, the manual
	// step, the result's reason.
	Why    string `json:"why,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// CompareSide is one snapshot of the comparison.
type CompareSide struct {
	Folder      string         `json:"folder"`
	Host        string         `json:"host"`
	Serial      string         `json:"bios_serial,omitempty"`
	CollectedAt string         `json:"collected_at,omitempty"`
	Summary     checks.Summary `json:"summary"`
}

// Comparison is the record of a hardening visit: the device before and
// after, the settings that changed, the findings closed, remaining and
// new.
type Comparison struct {
	Schema      string      `json:"schema"`
	Tool        string      `json:"tool"`
	Version     string      `json:"version"`
	Profile     string      `json:"profile"`
	Tailoring   string      `json:"tailoring,omitempty"`
	Before      CompareSide `json:"before"`
	After       CompareSide `json:"after"`
	Changed     []Drift     `json:"changed_settings"`
	Closed      []Finding   `json:"closed"`
	Remaining   []Finding   `json:"remaining"`
	Regressions []Finding   `json:"regressions"`
}

// Open tells whether the visit left anything to do: a finding that is
// neither closed nor waived, or a regression.
func (c Comparison) Open() bool {
	if len(c.Regressions) > 0 {
		return true
	}
	for _, f := range c.Remaining {
		if f.Why != RemainWaived {
			return true
		}
	}
	return false
}

// open is a finding to act on.
func open(st checks.Status) bool { return st == checks.Fail || st == checks.Error }

// findingKey identifies a result on both sides: a person by SID, so that
// an account renamed during the visit is the same person.
func findingKey(r checks.Result) string {
	switch {
	case r.User == nil:
		return r.ID
	case r.User.SID != "":
		return r.ID + "\x00" + r.User.SID
	}
	return r.ID + "\x00" + r.User.Name
}

// sameDevice decides whether two records are of one device: by BIOS
// serial when both have one, else by host name (without case, as
// Windows compares them).
func sameDevice(a, b assets.Identity) bool {
	if a.SerialNumber != "" && b.SerialNumber != "" {
		return a.SerialNumber == b.SerialNumber
	}
	return a.Hostname != "" && strings.EqualFold(a.Hostname, b.Hostname)
}

// Compare audits the snapshot folders before and after a hardening visit
// of one device, as Load does, and compares them. Snapshots of two
// devices are refused (an InputError naming both).
func (s *Session) Compare(ctx context.Context, before, after string) (Comparison, error) {
	tb, err := Open(ctx, before)
	if err != nil {
		return Comparison{}, err
	}
	ta, err := Open(ctx, after)
	if err != nil {
		return Comparison{}, err
	}
	idB, idA := identity(ctx, tb), identity(ctx, ta)
	if !sameDevice(idB, idA) {
		return Comparison{}, InputError{fmtDevices(before, idB, after, idA)}
	}
	repB, _, err := s.audit(ctx, tb)
	if err != nil {
		return Comparison{}, err
	}
	repA, recA, err := s.audit(ctx, ta)
	if err != nil {
		return Comparison{}, err
	}
	c := Comparison{Schema: CompareSchema, Tool: s.cfg.Tool, Version: s.cfg.Version, Profile: repA.Profile,
		Before: CompareSide{Folder: tb.ID.Folder, Host: tb.ID.Hostname, Serial: idB.SerialNumber, CollectedAt: tb.ID.CollectedAt, Summary: repB.Summary},
		After:  CompareSide{Folder: ta.ID.Folder, Host: ta.ID.Hostname, Serial: idA.SerialNumber, CollectedAt: ta.ID.CollectedAt, Summary: repA.Summary},
		Closed: []Finding{}, Remaining: []Finding{}, Regressions: []Finding{},
	}
	tl := s.Tailoring()
	if tl != nil {
		c.Tailoring = tl.File
	}
	// The settings, read with the after audit's profile on both sides.
	_, _, _, setB, _, err := s.readSettings(ctx, before, repA.Profile)
	if err != nil {
		return Comparison{}, err
	}
	_, _, _, setA, _, err := s.readSettings(ctx, after, repA.Profile)
	if err != nil {
		return Comparison{}, err
	}
	_, c.Changed = diffSettings(ctx, ta.Host, setB, setA, Added)

	// Why each open finding remains: the plan apply would make now.
	sel, err := ParseSelection("failed")
	if err != nil {
		return Comparison{}, err
	}
	plan, err := s.planFor(ctx, ta, repA, recA, tl, sel)
	if err != nil {
		return Comparison{}, err
	}
	was := make(map[string]checks.Result, len(repB.Results))
	for _, r := range repB.Results {
		was[findingKey(r)] = r
	}
	for _, r := range repA.Results {
		b, ok := was[findingKey(r)]
		delete(was, findingKey(r))
		f := Finding{ID: r.ID, Title: r.Title, Capabilities: r.Capabilities, After: string(r.Status), Actual: r.Actual}
		if r.User != nil {
			f.User = r.User.String()
		}
		if ok {
			f.Before = string(b.Status)
		}
		switch {
		case ok && open(b.Status) && (r.Status == checks.Pass || r.Status == checks.Waived):
			c.Closed = append(c.Closed, f)
		case r.Status == checks.Waived:
			f.Why, f.Reason = RemainWaived, r.Reason
			c.Remaining = append(c.Remaining, f)
		case open(r.Status) && ok && open(b.Status):
			f.Why, f.Reason = whyRemains(plan, r)
			c.Remaining = append(c.Remaining, f)
		case open(r.Status):
			f.Why, f.Reason = whyRemains(plan, r)
			c.Regressions = append(c.Regressions, f)
		}
	}
	// An open finding the after audit no longer has is not closed.
	for _, r := range repB.Results {
		if _, left := was[findingKey(r)]; left && open(r.Status) {
			f := Finding{ID: r.ID, Title: r.Title, Capabilities: r.Capabilities, Before: string(r.Status), Why: RemainGone, Reason: r.Reason}
			if r.User != nil {
				f.User = r.User.String()
			}
			c.Remaining = append(c.Remaining, f)
		}
	}
	return c, nil
}

// whyRemains says why a failing result is still failing, from the plan
// made on the after snapshot.
func whyRemains(p *remediate.Plan, r checks.Result) (string, string) {
	for _, st := range p.Steps {
		if st.CheckID != r.ID {
			continue
		}
		switch {
		case st.Blocked != "":
			return RemainRefused, st.Guard + ": " + st.Blocked
		case st.Manual != "":
			return RemainManual, st.Manual
		}
		return RemainFailing, "apply would change it: " + r.Reason
	}
	for _, sk := range p.Skipped {
		if sk.CheckID == r.ID {
			return RemainFailing, sk.Reason
		}
	}
	return RemainFailing, r.Reason
}

// identity is the device's inventory identity, with the host name of the
// snapshot when the inventory cannot be read.
func identity(ctx context.Context, t Target) assets.Identity {
	id := assets.Identity{Hostname: t.ID.Hostname}
	if rec, err := assets.Collect(ctx, t.Host); err == nil {
		id = rec.Identity
		if id.Hostname == "" {
			id.Hostname = t.ID.Hostname
		}
	}
	return id
}

func fmtDevices(before string, b assets.Identity, after string, a assets.Identity) error {
	name := func(id assets.Identity) string {
		if id.SerialNumber == "" {
			return "host " + id.Hostname
		}
		return "host " + id.Hostname + ", BIOS serial " + id.SerialNumber
	}
	return fmt.Errorf("%w: %s is %s; %s is %s", ErrOtherDevice, before, name(b), after, name(a))
}
