package remediate

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"medharden/checks"
)

// WriteText prints the plan for a technician: what changes (old -> new),
// what a safety guard refused and why, what needs a person.
func (p *Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Remediation plan for %s\n", p.Host)
	fmt.Fprintf(&b, "Profile %s, selection %s", p.Profile, p.Selection)
	if p.Tailoring != "" {
		fmt.Fprintf(&b, ", tailoring %s", p.Tailoring)
	}
	b.WriteString("\n")
	if p.Session != nil {
		where := "at the console"
		if p.Session.Remote {
			where = "over Remote Desktop"
		}
		who := p.Session.UserName
		if p.Session.UserSID != "" {
			who += " (" + p.Session.UserSID + ")"
		}
		fmt.Fprintf(&b, "Operator: %s, %s\n", strings.TrimSpace(who), where)
	} else {
		fmt.Fprintf(&b, "Operator: unknown (%s); changes that could lock someone out are refused\n", p.SessionNote)
	}
	if p.RDP {
		fmt.Fprintf(&b, "Remote Desktop guards: on, because %s\n", p.RDPReason)
	}
	writeDevice(&b, p.Device)
	changes, refused, manual := p.Changes(), p.Refused(), p.ManualSteps()
	fmt.Fprintf(&b, "\nChanges (%d):\n", len(changes))
	if len(changes) == 0 {
		b.WriteString("  none\n")
	}
	for i, s := range changes {
		fmt.Fprintf(&b, "  %d. %s %s\n     %s: %s -> %s\n", i+1, s.CheckID, s.Title, s.Setting, s.Before.Show(s.Setting.Kind), s.Target.Show(s.Setting.Kind))
		for _, w := range s.Warnings {
			fmt.Fprintf(&b, "     warning: %s\n", w)
		}
		if s.Tradeoff != "" {
			fmt.Fprintf(&b, "     trade-off: %s\n", s.Tradeoff)
		}
	}
	if len(refused) > 0 {
		fmt.Fprintf(&b, "\nRefused by safety guards (%d):\n", len(refused))
		for _, s := range refused {
			fmt.Fprintf(&b, "  - %s %s\n", s.CheckID, s.Title)
			if s.Target != nil {
				fmt.Fprintf(&b, "     %s: %s -> %s\n", s.Setting, s.Before.Show(s.Setting.Kind), s.Target.Show(s.Setting.Kind))
			}
			fmt.Fprintf(&b, "     refused (%s): %s\n", s.Guard, s.Blocked)
			if s.Suggest != "" {
				fmt.Fprintf(&b, "     the finding stays; to accept it instead, add to the tailoring file:\n       %s\n", strings.ReplaceAll(s.Suggest, "\n", "\n       "))
			}
		}
	}
	if len(manual) > 0 {
		fmt.Fprintf(&b, "\nManual steps (%d):\n", len(manual))
		for _, s := range manual {
			fmt.Fprintf(&b, "  - %s %s\n     %s\n", s.CheckID, s.Title, s.Manual)
		}
	}
	if len(p.Skipped) > 0 {
		fmt.Fprintf(&b, "\nNot changed (%d):\n", len(p.Skipped))
		for _, s := range p.Skipped {
			fmt.Fprintf(&b, "  - %s: %s\n", s.CheckID, s.Reason)
		}
	}
	if len(p.Warnings) > 0 {
		b.WriteString("\nWarnings:\n")
		for _, w := range p.Warnings {
			fmt.Fprintf(&b, "  - %s\n", w)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeDevice lists who and what the guards protect on this device.
func writeDevice(b *strings.Builder, d *checks.Device) {
	if d == nil {
		return
	}
	b.WriteString("Device model (what the safety guards protect):\n")
	for _, p := range d.People {
		fmt.Fprintf(b, "  person %s\n", p.Describe())
	}
	for _, s := range d.Services {
		if !s.BuiltIn {
			fmt.Fprintf(b, "  service %s runs as %s (%s)\n", s.Service, s.StartName, strings.ToLower(s.StartMode))
		}
	}
	for _, t := range d.Tasks {
		if !t.BuiltIn && t.RunAs != "" {
			fmt.Fprintf(b, "  scheduled task %s runs as %s\n", t.Task, t.RunAs)
		}
	}
	fmt.Fprintf(b, "  %d local groups with their members\n", len(d.Groups))
	var parts []string
	for part := range d.Missing {
		parts = append(parts, part)
	}
	sort.Strings(parts)
	for _, part := range parts {
		fmt.Fprintf(b, "  not collected: %s (%s)\n", part, d.Missing[part])
	}
}
