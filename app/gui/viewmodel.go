package gui

import (
	"fmt"
	"strings"

	"medharden/app/workflow"
	"medharden/checks"
	"medharden/remediate"
)

// Part of the detail pane: a heading and its text.
type Part struct {
	Heading string
	Body    string
}

// Parts lays out a detail for the pane, in the order a technician reads
// it: the result, what it means, the fix and its trade-off, then the
// technical record; empty parts are left out.
func (d Detail) Parts() []Part {
	r := d.Result
	var out []Part
	add := func(h, b string) {
		if strings.TrimSpace(b) != "" {
			out = append(out, Part{h, strings.TrimSpace(b)})
		}
	}
	add("Result", r.Status.Label()+"   (level "+r.Level+")")
	add("Rationale", d.Rationale)
	add("Remediation", d.Fix)
	add("Emergency access and usability trade-off", d.Tradeoff)
	add("Expected", r.ExpectedText())
	add("Actual", r.Actual)
	add("Reason", r.Reason)
	add("Source", r.Source)
	add("Setting", d.Setting)
	var caps []string
	for _, c := range d.Capabilities {
		line := c.Code + " — " + c.Name
		if c.Meaning != "" {
			line += ": " + c.Meaning
		}
		caps = append(caps, line)
	}
	add("IEC 80001-2-2 capabilities", strings.Join(caps, "\n"))
	return out
}

// PlanRow is one line of the plan preview.
type PlanRow struct {
	ID    string
	Title string
	// Kind is "change", "blocked" or "manual".
	Kind    string
	Setting string
	Before  string
	After   string
	Note    string // guard and why, the manual action, warnings
}

// PlanRows lays out a plan: what a guard stopped and what needs a person
// first, since they are few and easy to miss among the changes.
func PlanRows(p *remediate.Plan) []PlanRow {
	if p == nil {
		return nil
	}
	var changes, blocked, manual []PlanRow
	for _, s := range p.Steps {
		row := PlanRow{ID: s.CheckID, Title: s.Title}
		if s.Setting.Kind != "" {
			row.Setting, row.Before = s.Setting.String(), s.Before.Show(s.Setting.Kind)
		}
		if s.Target != nil {
			row.After = s.Target.Show(s.Setting.Kind)
		}
		notes := append([]string(nil), s.Warnings...)
		switch {
		case s.Blocked != "":
			row.Kind = "blocked"
			guard := s.Guard
			if guard == "" {
				guard = "safety guard"
			}
			notes = append([]string{"Stopped by " + guard + ": " + s.Blocked}, notes...)
			row.Note = strings.Join(notes, " ")
			blocked = append(blocked, row)
		case s.Manual != "":
			row.Kind = "manual"
			notes = append([]string{"By hand: " + s.Manual}, notes...)
			row.Note = strings.Join(notes, " ")
			manual = append(manual, row)
		default:
			row.Kind = "change"
			row.Note = strings.Join(notes, " ")
			changes = append(changes, row)
		}
	}
	out := append(blocked, manual...)
	return append(out, changes...)
}

// Text is the whole row, for the pane under the list.
func (r PlanRow) Text() string {
	s := r.ID + "  " + r.Title
	if r.Setting != "" {
		s += "\n" + r.Setting + ":  " + r.Before
		if r.After != "" {
			s += "  →  " + r.After
		}
	}
	if r.Note != "" {
		s += "\n" + r.Note
	}
	return s
}

// PlanSummary is the line above the preview.
func PlanSummary(p *remediate.Plan, snapshot bool) string {
	if p == nil {
		return "No plan yet: choose what to fix and press Preview."
	}
	s := fmt.Sprintf("%d changes, %d stopped by a safety guard, %d to do by hand, %d skipped (selection %s, profile %s).",
		len(p.Changes()), len(p.Refused()), len(p.ManualSteps()), len(p.Skipped), p.Selection, p.Profile)
	if snapshot {
		s += " Target: snapshot — changes go to an in-memory copy, never to a computer."
	}
	return s
}

// PlanNotes lists the plan-wide warnings and skipped checks.
func PlanNotes(p *remediate.Plan) []string {
	if p == nil {
		return nil
	}
	var out []string
	if p.RDP && p.RDPReason != "" {
		out = append(out, "Remote Desktop guards are on: "+p.RDPReason)
	}
	if p.SessionNote != "" {
		out = append(out, p.SessionNote)
	}
	out = append(out, p.Warnings...)
	for _, s := range p.Skipped {
		out = append(out, "Skipped "+s.CheckID+": "+s.Reason)
	}
	return out
}

// OutcomeSummary is the verify summary after an apply.
func OutcomeSummary(o *remediate.Outcome, err error) string {
	var b strings.Builder
	if o == nil {
		if err != nil {
			return "Nothing was changed: " + err.Error()
		}
		return "Nothing was changed."
	}
	if o.Run == "" && len(o.Changed) == 0 && err == nil {
		return "The plan had no automatic changes; nothing was changed."
	}
	if err != nil {
		fmt.Fprintf(&b, "Apply stopped: %v\n", err)
		if o.RolledBack {
			b.WriteString("The changes made before the failure were rolled back.\n")
		}
	} else {
		fmt.Fprintf(&b, "Changed %d settings (run %s).\n", len(o.Changed), o.Run)
	}
	v := o.Verify
	if err == nil {
		failing := v.Failing()
		fmt.Fprintf(&b, "Verify: %d of %d touched checks pass; %d settings did not take.\n",
			len(v.Results)-len(failing), len(v.Results), len(v.NotTaken))
		for _, m := range v.NotTaken {
			fmt.Fprintf(&b, "  not taken: %s %s wants %s, reads %s%s\n", m.CheckID, m.Setting, m.Want.Show(m.Setting.Kind), m.Got.Show(m.Setting.Kind), m.Err)
		}
		for _, r := range failing {
			fmt.Fprintf(&b, "  still %s: %s %s (%s)\n", r.Status.Label(), r.ID, r.Title, r.Reason)
		}
	}
	if o.Journal != "" {
		fmt.Fprintf(&b, "Journal: %s", o.Journal)
	}
	return strings.TrimSpace(b.String())
}

// GPOSummary says where the GPO backup of plan p went and what Group
// Policy cannot carry, which has to be changed another way.
func GPOSummary(p *remediate.Plan, b *workflow.GPOBackup) string {
	var out strings.Builder
	fmt.Fprintf(&out, "Wrote the Group Policy backup to %s (backup %s): %d settings carried.\n", b.Dir, b.BackupID, len(b.Carried))
	fmt.Fprintf(&out, "Group Policy cannot carry %d changes; make them another way (an offline pack, or Apply on the device):\n", len(b.NotCarried))
	for _, s := range b.NotCarried {
		fmt.Fprintf(&out, "  %s\n", s)
	}
	fmt.Fprintf(&out, "Not in it either: %d changes stopped by a safety guard, %d steps to do by hand (README.txt lists them).\n", len(p.Refused()), len(p.ManualSteps()))
	out.WriteString("Import it with Group Policy Management (Import Settings) or, on a standalone device, as Administrator: LGPO.exe /g " + b.Dir)
	return out.String()
}

// RollbackSummary says what a rollback did.
func RollbackSummary(o *remediate.RollbackOutcome) string {
	if o == nil {
		return ""
	}
	if o.Already {
		return fmt.Sprintf("Run %s was already rolled back (or never changed anything); nothing was written.", o.Run)
	}
	return fmt.Sprintf("Run %s rolled back: %d settings restored to their previous values.", o.Run, len(o.Restored))
}

// RunLine is a backup's line in the list.
func RunLine(r *remediate.Run) string {
	if r == nil {
		return ""
	}
	n := 0
	if r.Backup != nil {
		n = len(r.Backup.Settings)
	}
	s := fmt.Sprintf("%s  ·  %s  ·  %d settings", r.ID, r.State, n)
	if r.Err != nil {
		s += "  ·  problem: " + r.Err.Error()
	}
	return s
}

// RunDetail is everything about a backup, for the details pane.
func RunDetail(r *remediate.Run) string {
	if r == nil {
		return "Choose a backup."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Run %s — %s\nFolder: %s\n", r.ID, r.State, r.Dir)
	if r.Err != nil {
		fmt.Fprintf(&b, "Problem: %v\n", r.Err)
	}
	if bk := r.Backup; bk != nil {
		fmt.Fprintf(&b, "Created %s by %s with %s %s\nHost: %s\nProfile: %s\nSHA-256: %s\n",
			bk.Created, bk.User, bk.Tool, bk.Version, bk.Host, bk.Profile, r.SHA256)
		fmt.Fprintf(&b, "\n%d settings (rollback restores them in reverse order):\n", len(bk.Settings))
		for _, s := range bk.Settings {
			fmt.Fprintf(&b, "  %s  %s: was %s, set to %s\n", s.CheckID, s.Setting, s.Before.Show(s.Setting.Kind), s.Target.Show(s.Setting.Kind))
		}
	}
	return strings.TrimSpace(b.String())
}

// CanRollback tells whether a run has anything to restore.
func CanRollback(r *remediate.Run) bool {
	if r == nil || r.Backup == nil {
		return false
	}
	switch r.State {
	case remediate.StateRolledBack, remediate.StateFailedReverted, remediate.StateNotStarted:
		return false
	}
	return true
}

// CountsLine is the overall tally, failures first.
func CountsLine(c checks.Counts) string {
	parts := []string{fmt.Sprintf("%d checks", c.Total)}
	for _, s := range checks.Statuses {
		parts = append(parts, fmt.Sprintf("%s %d", s.Label(), c.Of(s)))
	}
	return strings.Join(parts, "   ")
}
