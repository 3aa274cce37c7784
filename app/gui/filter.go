package gui

import (
	"sort"
	"strconv"
	"strings"

	"medharden/checks"
)

// Filter selects results; an empty field matches everything.
type Filter struct {
	Status     checks.Status
	Capability string
	Section    string
	// Text matches, without case, the id, title, expected and actual
	// values, reason and source.
	Text string
}

// Match tells whether r passes the filter.
func (f Filter) Match(r checks.Result) bool {
	if f.Status != "" && r.Status != f.Status {
		return false
	}
	if f.Capability != "" && !hasString(r.Capabilities, f.Capability) {
		return false
	}
	if f.Section != "" && Section(r.ID) != f.Section {
		return false
	}
	if t := strings.TrimSpace(f.Text); t != "" {
		t = strings.ToLower(t)
		for _, s := range []string{r.ID, r.Title, r.Expected, r.Words, r.Actual, r.Reason, r.Source} {
			if strings.Contains(strings.ToLower(s), t) {
				return true
			}
		}
		return false
	}
	return true
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// splitSections are CIS sections so large (Local Policies, Administrative
// Templates) that the filter offers their subsections instead.
var splitSections = map[string]bool{"2": true, "18": true}

// Section is the benchmark section of a check id: "1.1.4" -> "1",
// "2.3.17.7" -> "2.3", "18.9.47.4.1" -> "18.9", "MH-PATCH-1" -> "MH",
// "STIG:V-1112" -> "STIG".
func Section(id string) string {
	switch {
	case strings.HasPrefix(id, "MH-"):
		return "MH"
	case strings.HasPrefix(id, "STIG:"):
		return "STIG"
	}
	parts := strings.Split(id, ".")
	if splitSections[parts[0]] && len(parts) > 2 {
		return parts[0] + "." + parts[1]
	}
	return parts[0]
}

// Sections lists the distinct sections of the results, numbers in benchmark
// order, then MH and STIG.
func Sections(results []checks.Result) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range results {
		s := Section(r.ID)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return sectionLess(out[i], out[j]) })
	return out
}

// sectionLess orders dotted numbers numerically and puts words after them.
func sectionLess(a, b string) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		switch {
		case ea == nil && eb == nil:
			if na != nb {
				return na < nb
			}
		case ea == nil:
			return true
		case eb == nil:
			return false
		default:
			if pa[i] != pb[i] {
				return pa[i] < pb[i]
			}
		}
	}
	return len(pa) < len(pb)
}
