package checks

import "strings"

// Guidance is what a check's catalog entry tells a person: why it matters,
// what remediation does, and its emergency-access or usability cost. The
// window's detail pane and the HTML report both show it.
type Guidance struct {
	Rationale, Fix, Tradeoff string
}

// Guidance returns the check's guidance texts, trimmed.
func (ch Check) Guidance() Guidance {
	return Guidance{
		Rationale: strings.TrimSpace(ch.Rationale),
		Fix:       ch.FixText(),
		Tradeoff:  strings.TrimSpace(ch.Tradeoff),
	}
}

// FixText says what remediation does for the check.
func (ch Check) FixText() string {
	f := ch.Fix
	switch {
	case strings.TrimSpace(f.Manual) != "":
		return "Manual: " + strings.TrimSpace(f.Manual)
	case f.Value != nil:
		s := "Set to " + f.Value.String()
		if f.Type != "" {
			s += " (" + strings.ToUpper(f.Type) + ")"
		}
		if where := ch.Probe.Describe(); where != "" {
			s += " in " + where
		}
		return s
	}
	return "No automatic change: review the setting by hand."
}
