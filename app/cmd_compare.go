package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"medharden/app/workflow"
)

var compareFormats = []string{"text", "json", "html"}

// runCompare: `compare` is the record of a hardening visit.
func runCompare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var before, after, profile, tailoring, format, out string
	fl := newFlagSet("compare", stderr)
	fl.StringVar(&before, "before", "", "snapshot `folder` collected before the visit (required)")
	fl.StringVar(&after, "after", "", "snapshot `folder` of the same device collected after the visit (required)")
	fl.StringVar(&profile, "profile", "", "profile: "+profileNames()+" (default: chosen from the Windows version)")
	fl.StringVar(&tailoring, "tailoring", "", "tailoring `file` (YAML): waivers, profile, value overrides")
	fl.StringVar(&format, "format", "text", "output format: "+strings.Join(compareFormats, ", "))
	fl.StringVar(&out, "out", "", "write to `file` instead of standard output")
	setUsage(fl, stderr, "Usage: medharden compare --before DIR --after DIR [--profile P] [--tailoring FILE] [--format text|json|html] [--out FILE]\n\n"+
		"Audits both snapshots of one device (same BIOS serial, else host name) and lists the settings\n"+
		"that changed, the findings closed, those that remain and why, and new findings.\n\n",
		"Exit codes: 0 nothing remains open (only waived findings) and no new finding,\n"+
			"1 findings remain or regressed, 2 usage or input error (snapshots of two devices), 3 internal error")
	if help, err := parseOptions("compare", fl, args); help || err != nil {
		return err
	}
	if before == "" || after == "" {
		return usagef("compare: --before and --after are both required")
	}
	if format != "text" && format != "json" && format != "html" {
		return usagef("compare: unknown format %q; use one of %s", format, strings.Join(compareFormats, ", "))
	}
	if err := checkOut(out); err != nil {
		return err
	}
	s, err := newSession("", profile, tailoring, stderr)
	if err != nil {
		return err
	}
	c, err := s.Compare(ctx, before, after)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch format {
	case "json":
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		err = enc.Encode(c)
	case "html":
		err = compareTmpl.Execute(&buf, c)
	default:
		writeCompareText(&buf, c)
	}
	if err != nil {
		return fmt.Errorf("write %s comparison: %w", format, err)
	}
	if out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return err
		}
	} else if err := workflow.WriteFile(out, buf.Bytes()); err != nil {
		return err
	}
	if c.Open() {
		return findingsError{fmt.Sprintf("%d findings remain, %d new", len(c.Remaining), len(c.Regressions))}
	}
	return nil
}

func writeCompareText(w io.Writer, c workflow.Comparison) {
	fmt.Fprintf(w, "Hardening visit of %s (serial %s), profile %s\n", c.After.Host, orNone(c.After.Serial), c.Profile)
	if c.Tailoring != "" {
		fmt.Fprintf(w, "Tailoring: %s\n", c.Tailoring)
	}
	fmt.Fprintf(w, "Before: %s, collected %s: %d failed, %d errors\n", c.Before.Folder, orNone(c.Before.CollectedAt), c.Before.Summary.Fail, c.Before.Summary.Error)
	fmt.Fprintf(w, "After:  %s, collected %s: %d failed, %d errors\n\n", c.After.Folder, orNone(c.After.CollectedAt), c.After.Summary.Fail, c.After.Summary.Error)
	fmt.Fprintf(w, "Settings changed: %d\n", len(c.Changed))
	for _, d := range c.Changed {
		fmt.Fprintf(w, "  %-10s %s: %s -> %s (checks %s)\n", d.Change, d.Setting, orNone(d.Baseline), orNone(d.Now), strings.Join(d.Checks, ", "))
	}
	fmt.Fprintf(w, "\nFindings closed: %d\n", len(c.Closed))
	for _, f := range c.Closed {
		fmt.Fprintf(w, "  %-12s %s -> %s  %s%s\n", f.ID, f.Before, f.After, f.Title, forUser(f))
	}
	fmt.Fprintf(w, "\nFindings remaining: %d\n", len(c.Remaining))
	for _, f := range c.Remaining {
		fmt.Fprintf(w, "  %-12s %s%s\n               %s: %s\n", f.ID, f.Title, forUser(f), f.Why, f.Reason)
	}
	fmt.Fprintf(w, "\nNew findings: %d\n", len(c.Regressions))
	for _, f := range c.Regressions {
		fmt.Fprintf(w, "  %-12s %s -> %s  %s%s\n               %s: %s\n", f.ID, orNone(f.Before), f.After, f.Title, forUser(f), f.Why, f.Reason)
	}
}

func forUser(f workflow.Finding) string {
	if f.User == "" {
		return ""
	}
	return " (" + f.User + ")"
}

// compareTmpl is a self-contained page; html/template escapes every value.
var compareTmpl = template.Must(template.New("compare").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Hardening visit of {{.After.Host}}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:2em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}th{background:#eee}</style></head><body>
<h1>Hardening visit of {{.After.Host}}</h1>
<p>BIOS serial {{.After.Serial}}; profile {{.Profile}}{{if .Tailoring}}; tailoring {{.Tailoring}}{{end}}.</p>
<p>Before: {{.Before.Folder}} ({{.Before.CollectedAt}}): {{.Before.Summary.Fail}} failed, {{.Before.Summary.Error}} errors.<br>
After: {{.After.Folder}} ({{.After.CollectedAt}}): {{.After.Summary.Fail}} failed, {{.After.Summary.Error}} errors.</p>
<h2>Findings remaining ({{len .Remaining}})</h2>
<table><tr><th>Check</th><th>Title</th><th>Why</th><th>Reason</th></tr>
{{range .Remaining}}<tr><td>{{.ID}}</td><td>{{.Title}}{{if .User}} ({{.User}}){{end}}</td><td>{{.Why}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>
<h2>New findings ({{len .Regressions}})</h2>
<table><tr><th>Check</th><th>Title</th><th>Before</th><th>After</th><th>Reason</th></tr>
{{range .Regressions}}<tr><td>{{.ID}}</td><td>{{.Title}}{{if .User}} ({{.User}}){{end}}</td><td>{{.Before}}</td><td>{{.After}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>
<h2>Findings closed ({{len .Closed}})</h2>
<table><tr><th>Check</th><th>Title</th><th>Before</th><th>After</th></tr>
{{range .Closed}}<tr><td>{{.ID}}</td><td>{{.Title}}{{if .User}} ({{.User}}){{end}}</td><td>{{.Before}}</td><td>{{.After}}</td></tr>
{{end}}</table>
<h2>Settings changed ({{len .Changed}})</h2>
<table><tr><th>Change</th><th>Setting</th><th>Before</th><th>After</th><th>Checks</th></tr>
{{range .Changed}}<tr><td>{{.Change}}</td><td>{{.Setting}}</td><td>{{.Baseline}}</td><td>{{.Now}}</td><td>{{range $i, $c := .Checks}}{{if $i}}, {{end}}{{$c}}{{end}}</td></tr>
{{end}}</table>
</body></html>
`))
