package report

import (
	"bytes"
	"crypto/sha256"
	_ "embed" // for the template and script below
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"

	"medharden/assets"
	"medharden/checks"
)

//go:embed page.html.tmpl
var pageSource string

//go:embed report.html.tmpl
var htmlSource string

//go:embed report.js
var htmlScript string

var htmlTemplate = pageTemplate("report.html.tmpl", htmlSource)

// pageTemplate parses a document's template with the shared page skeleton.
func pageTemplate(name, source string) *template.Template {
	return template.Must(template.Must(template.New(name).Parse(pageSource)).Parse(source))
}

// htmlCSP allows only the inline style and the one script we ship, so even
// if a snapshot value slipped past escaping it could not run or call out.
var htmlCSP = pageCSP(htmlScript)

// pageCSP is a document's Content-Security-Policy: inline style, and the
// one script given by its hash ("" for a document without script).
func pageCSP(script string) string {
	scripts := ""
	if script != "" {
		sum := sha256.Sum256([]byte(script))
		scripts = "script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; "
	}
	return "default-src 'none'; style-src 'unsafe-inline'; " + scripts + "base-uri 'none'; form-action 'none'"
}

type htmlData struct {
	Title, Host, Profile, Verdict string
	Rehearsal, RehearsalNote      string // the mark of a rehearsed state, or ""
	Tool, Version, Started        string
	Findings                      bool
	CapColumns                    int
	CSP                           string
	Script                        template.JS
	HostRows                      []htmlKV
	Statuses                      []htmlStatus
	CapRows                       []htmlCapRow
	Total                         htmlCapRow
	Results                       []htmlResult
	// Findings first, then the other checks as a compact table.
	Failed, Others []htmlResult
	Tailoring      string       // the tailoring file, or ""
	Waivers        []htmlResult // the waived checks, with who approved them and until when
}

type htmlKV struct{ Label, Value string }

type htmlStatus struct {
	Value, Label, Class string
}

type htmlCapRow struct {
	Code, Name string
	Count      int
	Cells      []int
	Bars       []htmlBar
}

type htmlBar struct {
	Class, Title string
	Style        template.CSS
}

type htmlResult struct {
	checks.Result
	Label, Class string
	CapList      string // space-separated codes for the filter script
	Caps         []htmlKV
	checks.Guidance
}

// statusClass maps a status to a CSS class from a fixed set; the raw
// status string never becomes a class name.
func statusClass(s checks.Status) string {
	switch s {
	case checks.Pass:
		return "pass"
	case checks.Fail:
		return "fail"
	case checks.Error:
		return "error"
	case checks.NotApplicable:
		return "na"
	case checks.Waived:
		return "waived"
	}
	return "unknown"
}

// WriteHTML writes one self-contained HTML file: inline CSS and script, no
// external assets, so it can be copied off a device and opened offline.
// Without script every row is visible; the script only adds filters.
func WriteHTML(w io.Writer, r checks.Report) error {
	sum := summarize(r)
	host := strings.TrimSpace(r.Host.Hostname)
	if host == "" {
		host = "unknown host"
	}
	d := htmlData{
		Host:      host,
		Profile:   r.Profile,
		Verdict:   verdict(sum.Counts),
		Tool:      r.Tool,
		Version:   r.Version,
		Started:   r.Started,
		Findings:  sum.Fail+sum.Error > 0,
		Tailoring: r.Tailoring,
		CSP:       htmlCSP,
		// code, name, one per status, total, bar
		CapColumns: len(checks.Statuses) + 4,
		Script:     template.JS(htmlScript),
	}
	if d.Tool == "" {
		d.Tool = "medharden"
	}
	d.Title = d.Tool + " audit - " + host
	if r.Profile != "" {
		d.Title += " - " + r.Profile
	}
	if r.Rehearsal {
		d.Title = RehearsalMark + " - " + d.Title
		d.Rehearsal, d.RehearsalNote = RehearsalMark, rehearsalNote
	}
	dom := ""
	if r.Host.Domain != "" {
		dom = "workgroup " + r.Host.Domain
		if r.Host.PartOfDomain {
			dom = "domain " + r.Host.Domain
		}
	}
	for _, kv := range []htmlKV{
		{"Computer name", r.Host.Hostname},
		{"Domain or workgroup", dom},
		{"Operating system", r.Host.Caption},
		{"Service pack", r.Host.ServicePack},
		{"Version", r.Host.Version},
		{"Architecture", r.Host.Architecture},
		{"Profile", r.Profile},
		{"Read from", r.Host.Source},
		{"Collected", r.Host.CollectedAt},
		{"Audit started", r.Started},
	} {
		if kv.Value != "" {
			d.HostRows = append(d.HostRows, kv)
		}
	}
	for _, n := range r.Notes {
		d.HostRows = append(d.HostRows, htmlKV{"Note", n})
	}
	for _, s := range checks.Statuses {
		d.Statuses = append(d.Statuses, htmlStatus{Value: string(s), Label: statusWord(s), Class: statusClass(s)})
	}
	for _, cs := range sum.Capabilities {
		d.CapRows = append(d.CapRows, capRow(cs.Code, capabilityName(cs.Code), cs.Counts))
	}
	d.Total = capRow("", "All checks", sum.Counts)
	cat, err := checks.Builtin()
	if err != nil {
		return err
	}
	// The critical exposures (MS17-010, BlueKeep, ...) head the findings.
	for _, res := range assets.CriticalFirst(r.Results) {
		hr := htmlResult{
			Result:  res,
			Label:   res.Status.Label(),
			Class:   statusClass(res.Status),
			CapList: strings.Join(res.Capabilities, " "),
		}
		for _, c := range res.Capabilities {
			hr.Caps = append(hr.Caps, htmlKV{Label: c, Value: capabilityName(c)})
		}
		d.Results = append(d.Results, hr)
		switch res.Status {
		case checks.Fail, checks.Error:
			hr.Guidance = guidance(cat, res)
			d.Failed = append(d.Failed, hr)
		case checks.Waived:
			d.Waivers = append(d.Waivers, hr)
			d.Others = append(d.Others, hr)
		default:
			d.Others = append(d.Others, hr)
		}
	}

	var b bytes.Buffer
	if err := htmlTemplate.Execute(&b, d); err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}

func capRow(code, name string, c checks.Counts) htmlCapRow {
	row := htmlCapRow{Code: code, Name: name, Count: c.Total}
	for _, s := range checks.Statuses {
		n := c.Of(s)
		row.Cells = append(row.Cells, n)
		if n == 0 || c.Total == 0 {
			continue
		}
		// Rounded down to 0.1 % so the segments never add up to more than
		// the bar and wrap onto a second line.
		pct := float64(n*1000/c.Total) / 10
		row.Bars = append(row.Bars, htmlBar{
			Class: statusClass(s),
			Title: fmt.Sprintf("%d %s", n, statusWord(s)),
			Style: template.CSS(fmt.Sprintf("width:%.1f%%", pct)),
		})
	}
	return row
}

// guidance is the catalog's rationale, fix and trade-off for a result, as
// the window's detail pane shows them; none for a result outside the
// catalog (an inventory exposure, whose reason says what to do). A check
// judged against a tailoring file's value is fixed to that value.
func guidance(cat *checks.Catalog, res checks.Result) checks.Guidance {
	ch, ok := cat.Get(res.ID)
	if !ok {
		return checks.Guidance{}
	}
	if res.Override != nil && ch.Fix.Value != nil {
		ch.Fix.Value = &checks.Literal{Text: res.Override.Value}
	}
	return ch.Guidance()
}
