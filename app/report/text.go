package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"medharden/checks"
)

// textWidth keeps every line readable in an 100-column console or RDP window.
const textWidth = 100

// WriteText writes a plain-ASCII report for a terminal: header, a table per
// 80001-2-2 capability, totals, then every failure and error with expected
// and actual values and the reason.
func WriteText(w io.Writer, r checks.Report) error {
	var b bytes.Buffer
	sum := summarize(r)

	tool := oneLine(r.Tool)
	if tool == "" {
		tool = "medharden"
	}
	if r.Rehearsal {
		b.WriteString(RehearsalMark + "\n")
	}
	writeWrapped(&b, "", oneLine(strings.TrimSpace(tool+" "+r.Version))+" - security settings audit")
	b.WriteString(strings.Repeat("=", textWidth) + "\n")
	if r.Rehearsal {
		writeWrapped(&b, "", rehearsalNote)
		b.WriteString("\n")
	}
	field := func(label, value string) {
		if value != "" {
			writeWrapped(&b, fmt.Sprintf("%-10s", label+":"), value)
		}
	}
	field("Host", hostLine(r.Host.OSInfo))
	field("System", osLine(r.Host.OSInfo))
	field("Profile", oneLine(r.Profile))
	source := oneLine(r.Host.Source)
	if r.Host.CollectedAt != "" {
		source += " (collected " + oneLine(r.Host.CollectedAt) + ")"
	}
	field("Source", source)
	field("Started", oneLine(r.Started))
	for _, n := range r.Notes {
		field("Note", clean(n))
	}
	b.WriteString("\n")
	writeWrapped(&b, "", verdict(sum.Counts))
	b.WriteString("\n")

	b.WriteString("RESULTS BY SECURITY CAPABILITY (IEC/TR 80001-2-2)\n")
	row := func(code, name string, c []string) {
		fmt.Fprintf(&b, "%-4s  %-53s", code, name)
		for _, v := range c {
			fmt.Fprintf(&b, " %6s", v)
		}
		b.WriteString("\n")
	}
	heads := make([]string, len(checks.Statuses))
	for i, s := range checks.Statuses {
		heads[i] = statusWord(s)
	}
	row("Code", "Capability", heads)
	dashes := []string{}
	for range heads {
		dashes = append(dashes, "------")
	}
	row("----", strings.Repeat("-", 53), dashes)
	if len(sum.Capabilities) == 0 {
		b.WriteString("(no results)\n")
	}
	for _, cs := range sum.Capabilities {
		row(truncate(oneLine(cs.Code), 4), truncate(capabilityName(cs.Code), 53), countCells(cs.Counts))
	}
	row("----", strings.Repeat("-", 53), dashes)
	row("", fmt.Sprintf("All checks (%d)", sum.Total), countCells(sum.Counts))
	writeWrapped(&b, "", "A check can protect several capabilities, so the rows above add up to more than "+
		"the total. Fail: the setting differs from the benchmark. Error: the setting could not be "+
		"read. N/A: does not apply to this system. Waived: a documented, accepted exception.")
	b.WriteString("\n")

	list := findings(r)
	fmt.Fprintf(&b, "FINDINGS: FAILED CHECKS AND CHECKS THAT COULD NOT BE READ (%d)\n", len(list))
	if len(list) == 0 {
		b.WriteString("None.\n")
	}
	const indent = "       "
	for _, res := range list {
		b.WriteString("\n")
		head := oneLine(res.ID) + "  " + oneLine(res.Title)
		if res.Level != "" {
			head += " [" + oneLine(res.Level) + "]"
		}
		writeWrapped(&b, fmt.Sprintf("%-7s", res.Status.Label()), head)
		if res.User != nil {
			writeWrapped(&b, indent+"Settings of:  ", clean(res.User.String()))
		}
		caps := "(none)"
		if len(res.Capabilities) > 0 {
			caps = oneLine(strings.Join(res.Capabilities, ", "))
		}
		writeWrapped(&b, indent+"Capabilities: ", caps)
		writeWrapped(&b, indent+"Expected:     ", orEmpty(clean(res.ExpectedText())))
		writeWrapped(&b, indent+"Actual:       ", orEmpty(clean(res.Actual)))
		if res.Reason != "" {
			writeWrapped(&b, indent+"Reason:       ", clean(res.Reason))
		}
		if res.Source != "" {
			writeWrapped(&b, indent+"Read from:    ", clean(res.Source))
		}
		if res.Override != nil {
			writeWrapped(&b, indent+"Tailored:     ", overrideText(*res.Override))
		}
	}
	if list := tailored(r); len(list) > 0 {
		fmt.Fprintf(&b, "\nTAILORED: CHECKS JUDGED AGAINST A TAILORING FILE'S VALUE, NOT THE BENCHMARK'S (%d)\n", len(list))
		for _, res := range list {
			writeWrapped(&b, fmt.Sprintf("%-7s", res.Status.Label()), oneLine(res.ID)+"  "+oneLine(res.Title))
			writeWrapped(&b, indent+"Tailored:     ", overrideText(*res.Override))
		}
	}
	if list := compensated(r); len(list) > 0 {
		fmt.Fprintf(&b, "\nLEGACY DEVICE: FINDINGS ACCEPTED WITH COMPENSATING CONTROLS (%d)\n", len(list))
		for _, res := range list {
			writeWrapped(&b, fmt.Sprintf("%-7s", res.Status.Label()), oneLine(res.ID)+"  "+oneLine(res.Title))
			writeWrapped(&b, indent+"Finding:      ", clean(res.Reason))
			writeWrapped(&b, indent+"Compensating: ", clean(res.Compensating.String()))
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

func statusWord(s checks.Status) string {
	if s == checks.NotApplicable {
		return "N/A"
	}
	l := s.Label()
	return l[:1] + strings.ToLower(l[1:])
}

func countCells(c checks.Counts) []string {
	out := make([]string, len(checks.Statuses))
	for i, s := range checks.Statuses {
		out[i] = fmt.Sprint(c.Of(s))
	}
	return out
}

func hostLine(o checks.OSInfo) string {
	s := oneLine(o.Hostname)
	switch {
	case o.PartOfDomain && o.Domain != "":
		s += " (domain " + oneLine(o.Domain) + ")"
	case o.Domain != "":
		s += " (workgroup " + oneLine(o.Domain) + ")"
	}
	return strings.TrimSpace(s)
}

func osLine(o checks.OSInfo) string {
	var parts []string
	for _, p := range []string{o.Caption, o.ServicePack, o.Version, o.Architecture} {
		if p = oneLine(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

func orEmpty(s string) string {
	if s == "" {
		return "(empty)"
	}
	return s
}

// clean makes an untrusted value safe to print on a terminal (Sanitize);
// line breaks are kept and tabs become spaces.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return Sanitize(strings.ReplaceAll(s, "\t", " "))
}

// oneLine is clean for values that belong on a single line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(clean(s)), " ")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-3]) + "..."
}

// writeWrapped writes prefix and text wrapped to textWidth; continuation
// lines are indented to the width of the prefix so values line up.
func writeWrapped(b *bytes.Buffer, prefix, text string) {
	pad := strings.Repeat(" ", utf8.RuneCountInString(prefix))
	lines := wrap(text, textWidth-len(pad))
	for i, l := range lines {
		if i == 0 {
			b.WriteString(prefix)
		} else if l != "" {
			b.WriteString(pad)
		}
		b.WriteString(l)
		b.WriteString("\n")
	}
}

// wrap splits text into lines of at most width runes, breaking at spaces
// or after , ; \ / so that SID lists and registry paths break sensibly.
func wrap(text string, width int) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		r := []rune(strings.TrimRight(para, " "))
		if len(r) == 0 {
			out = append(out, "")
			continue
		}
		for len(r) > width {
			cut, skip := width, 0
			for i := width; i > width/2; i-- {
				if r[i] == ' ' {
					cut, skip = i, 1
					break
				}
				if strings.ContainsRune(",;\\/", r[i-1]) {
					cut = i
					break
				}
			}
			out = append(out, strings.TrimRight(string(r[:cut]), " "))
			r = r[cut+skip:]
			for len(r) > 0 && r[0] == ' ' {
				r = r[1:]
			}
		}
		if len(r) > 0 {
			out = append(out, string(r))
		}
	}
	return out
}
