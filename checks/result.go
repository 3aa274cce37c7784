package checks

import (
	"fmt"
	"sort"
	"strings"
)

// Status of one check, as DESIGN.md's result contract names them.
type Status string

const (
	Pass          Status = "pass"
	Fail          Status = "fail"
	Error         Status = "error"
	NotApplicable Status = "notapplicable"
	Waived        Status = "waived"
)

// Statuses in the order reports show them.
var Statuses = []Status{Fail, Error, Pass, NotApplicable, Waived}

// Result is the outcome of one check with its evidence.
type Result struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Level        string   `json:"level"`
	Status       Status   `json:"status"`
	Capabilities []string `json:"capabilities"`
	Expected     string   `json:"expected"`
	// Words is Expected in plain English ("must be 14 or more characters"),
	// for people; Expected keeps the notation scripts read.
	Words  string `json:"expected_words,omitempty"`
	Actual string `json:"actual"`
	Reason string `json:"reason"`
	// Source names where the value was read (a registry path, a snapshot file).
	Source string `json:"source,omitempty"`
	// User is set on a user-scope check (HKCU): the person whose own hive
	// was judged. Such a check has one result per person, all with its id.
	User *User `json:"user,omitempty"`
	// Override is set when the check was judged against a tailoring file's
	// value instead of the benchmark's.
	Override *Override `json:"override,omitempty"`
	// Compensating is set on a legacy-device waiver: the controls that
	// stand in for a patch that cannot be installed.
	Compensating *Compensating `json:"compensating_controls,omitempty"`
}

// Compensating records the controls a tailoring file documents for an
// end-of-support or unpatched-exposure finding, and where.
type Compensating struct {
	File            string `json:"file"`
	Line            int    `json:"line"`
	NetworkSegment  string `json:"network_segment"`
	FirewallRule    string `json:"firewall_rule"`
	VendorStatement string `json:"vendor_statement"`
	NextReview      string `json:"next_review"`
}

// String is the line reports show.
func (c Compensating) String() string {
	return fmt.Sprintf("network segment: %s; firewall rule: %s; vendor statement: %s; next review %s (%s:%d)",
		c.NetworkSegment, c.FirewallRule, c.VendorStatement, c.NextReview, c.File, c.Line)
}

// Override names the tailoring file and line whose value replaced the
// benchmark's for one check, and the value.
type Override struct {
	File  string `json:"file"`
	Line  int    `json:"line"`
	Value string `json:"value"`
}

// String is the mark reports show: "site.yaml:12 sets 0".
func (o Override) String() string {
	return fmt.Sprintf("%s:%d sets %s", o.File, o.Line, o.Value)
}

// Counts tallies statuses.
type Counts struct {
	Total         int `json:"total"`
	Pass          int `json:"pass"`
	Fail          int `json:"fail"`
	Error         int `json:"error"`
	NotApplicable int `json:"notapplicable"`
	Waived        int `json:"waived"`
}

func (c *Counts) add(s Status) {
	c.Total++
	switch s {
	case Pass:
		c.Pass++
	case Fail:
		c.Fail++
	case Error:
		c.Error++
	case NotApplicable:
		c.NotApplicable++
	case Waived:
		c.Waived++
	}
}

// Of returns the count of one status.
func (c Counts) Of(s Status) int {
	switch s {
	case Pass:
		return c.Pass
	case Fail:
		return c.Fail
	case Error:
		return c.Error
	case NotApplicable:
		return c.NotApplicable
	case Waived:
		return c.Waived
	}
	return 0
}

// CapabilitySummary is one row of the per-capability table.
type CapabilitySummary struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Counts
}

// Summary totals a report, overall and per 80001-2-2 capability.
type Summary struct {
	Counts
	Capabilities []CapabilitySummary `json:"capabilities"`
}

// HostInfo identifies the audited system in a report.
type HostInfo struct {
	OSInfo
	Source      string `json:"source"` // "live" or the snapshot folder
	CollectedAt string `json:"collected_at,omitempty"`
}

// Report is a complete audit: the same value feeds the CLI, the GUI and every
// report format.
type Report struct {
	Tool    string   `json:"tool"`
	Version string   `json:"version"`
	Started string   `json:"started"`
	Host    HostInfo `json:"host"`
	Profile string   `json:"profile"`
	Results []Result `json:"results"`
	Summary Summary  `json:"summary"`
	// Notes are remarks on the audit as a whole, for example a tailoring
	// waiver that has expired, so its check is judged again.
	Notes []string `json:"notes,omitempty"`
	// Rehearsal marks a report of a snapshot after changes were applied to
	// its in-memory copy: the rehearsed state, not the device's.
	Rehearsal bool `json:"rehearsal,omitempty"`
	// Tailoring names the tailoring file the audit used, if any.
	Tailoring string `json:"tailoring,omitempty"`
}

// Summarize computes the summary from the results.
func Summarize(results []Result) Summary {
	var s Summary
	per := map[string]*CapabilitySummary{}
	for _, r := range results {
		s.add(r.Status)
		for _, c := range r.Capabilities {
			cs := per[c]
			if cs == nil {
				cs = &CapabilitySummary{Code: c, Name: Capabilities[c]}
				per[c] = cs
			}
			cs.add(r.Status)
		}
	}
	for _, cs := range per {
		s.Capabilities = append(s.Capabilities, *cs)
	}
	sort.Slice(s.Capabilities, func(i, j int) bool { return s.Capabilities[i].Code < s.Capabilities[j].Code })
	return s
}

// ExitCode maps a report to the documented exit codes: 0 when every check
// passed (or was waived or not applicable), 1 when there are findings
// (fail or error).
func (r Report) ExitCode() int {
	if r.Summary.Fail > 0 || r.Summary.Error > 0 {
		return 1
	}
	return 0
}

// Label is the short word people see for a status in reports and windows.
func (s Status) Label() string {
	switch s {
	case Pass:
		return "PASS"
	case Fail:
		return "FAIL"
	case Error:
		return "ERROR"
	case NotApplicable:
		return "N/A"
	case Waived:
		return "WAIVED"
	}
	return strings.ToUpper(string(s))
}
