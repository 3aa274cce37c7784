package report

import (
	"fmt"
	"io"
	"strings"

	"medharden/checks"
)

var writers = []struct {
	name  string
	write func(io.Writer, checks.Report) error
}{
	{"text", WriteText},
	{"json", WriteJSON},
	{"csv", WriteCSV},
	{"html", WriteHTML},
}

// Formats lists the report formats Write accepts.
func Formats() []string {
	out := make([]string, len(writers))
	for i, w := range writers {
		out[i] = w.name
	}
	return out
}

// Write writes r to w in the named format.
func Write(w io.Writer, format string, r checks.Report) error {
	f := strings.ToLower(strings.TrimSpace(format))
	for _, wr := range writers {
		if wr.name == f {
			return wr.write(w, r)
		}
	}
	return fmt.Errorf("unknown report format %q: use one of %s", format, strings.Join(Formats(), ", "))
}

// capabilityName gives the MDS2 name of a code; a code outside the standard
// list is still shown rather than dropped.
func capabilityName(code string) string {
	if n, ok := checks.Capabilities[code]; ok {
		return n
	}
	return "(not an 80001-2-2 capability)"
}

// summarize recomputes the summary from the results, so that the tables in
// human-facing formats always agree with the rows printed below them.
func summarize(r checks.Report) checks.Summary {
	return checks.Summarize(r.Results)
}

// findings are the results that need someone's attention, failures first.
func findings(r checks.Report) []checks.Result {
	var out []checks.Result
	for _, s := range []checks.Status{checks.Fail, checks.Error} {
		for _, res := range r.Results {
			if res.Status == s {
				out = append(out, res)
			}
		}
	}
	return out
}

// verdict is a one-line, plain-language conclusion.
func verdict(c checks.Counts) string {
	switch {
	case c.Total == 0:
		return "No checks were run."
	case c.Fail == 0 && c.Error == 0:
		return fmt.Sprintf("No findings: all %d checks passed, do not apply or are waived.", c.Total)
	}
	return fmt.Sprintf("%d of %d checks need attention: %d failed, %d could not be checked.",
		c.Fail+c.Error, c.Total, c.Fail, c.Error)
}

// tailored are the results judged against a tailoring file's value.
func tailored(r checks.Report) []checks.Result {
	var out []checks.Result
	for _, res := range r.Results {
		if res.Override != nil {
			out = append(out, res)
		}
	}
	return out
}

// compensated are the findings a legacy-device waiver accepts with
// compensating controls.
func compensated(r checks.Report) []checks.Result {
	var out []checks.Result
	for _, res := range r.Results {
		if res.Compensating != nil {
			out = append(out, res)
		}
	}
	return out
}

// overrideText is the mark a report shows on a check judged against a
// tailoring file's value: the title and expectation above it are then
// not the benchmark's.
func overrideText(o checks.Override) string {
	return clean(o.String()) + " instead of the benchmark's value"
}
