package main

import (
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"medharden/app/workflow"
	"medharden/checks"
)

// fleetSummary is what the dashboard's matrix keeps of a device: a few
// counts, whatever the number of checks.
type fleetSummary struct {
	Anchor, Host, Folder, Serial, AssetTag, Profile, Err string
	// Name is the host name, or the folder's name where the host could
	// not be read (a folder that could not be audited).
	Name                  string
	Fail, Error, Critical int
	Caps                  map[string]checks.Status // worst status per capability
}

// worse orders statuses for the matrix: fail, then error, then pass.
func worse(a, b checks.Status) bool {
	rank := func(s checks.Status) int {
		switch s {
		case checks.Fail:
			return 3
		case checks.Error:
			return 2
		case checks.Pass:
			return 1
		}
		return 0
	}
	return rank(a) > rank(b)
}

// htmlFleetWriter writes one self-contained page: the matrix of devices
// by 80001-2-2 capability, worst device first, then a section per device
// with its findings. Sections are spooled to a temporary file as devices
// finish (the matrix needs every device first), so memory holds only the
// summaries.
type htmlFleetWriter struct {
	out   io.Writer
	spool *os.File
	devs  []fleetSummary
}

func newHTMLFleetWriter(w io.Writer) (*htmlFleetWriter, error) {
	f, err := os.CreateTemp("", "medharden-fleet-*.html")
	if err != nil {
		return nil, err
	}
	return &htmlFleetWriter{out: w, spool: f}, nil
}

func (h *htmlFleetWriter) device(d workflow.FleetDevice) error {
	rows := fleetRows(d)
	s := fleetSummary{Anchor: fmt.Sprintf("d%d", len(h.devs)+1), Host: rows[0].Host, Folder: d.Folder,
		Serial: rows[0].BIOSSerial, AssetTag: d.AssetTag, Profile: rows[0].Profile, Caps: map[string]checks.Status{}}
	s.Name = s.Host
	if s.Name == "" {
		s.Name = filepath.Base(d.Folder)
	}
	if d.Err != nil {
		s.Err = d.Err.Error()
	}
	var findings []fleetRow
	for _, r := range rows {
		st := checks.Status(r.Status)
		if r.CheckID == "" {
			continue
		}
		switch st {
		case checks.Fail:
			s.Fail++
			if strings.HasPrefix(r.CheckID, "MH-EXP-") {
				s.Critical++
			}
		case checks.Error:
			s.Error++
		}
		if st == checks.Fail || st == checks.Error {
			findings = append(findings, r)
		}
		for _, c := range r.Capabilities {
			if worse(st, s.Caps[c]) {
				s.Caps[c] = st
			}
		}
	}
	h.devs = append(h.devs, s)
	return fleetSectionTmpl.Execute(h.spool, struct {
		fleetSummary
		Findings []fleetRow
	}{s, findings})
}

func (h *htmlFleetWriter) flush() error {
	devs := h.devs
	sort.SliceStable(devs, func(i, j int) bool {
		a, b := devs[i], devs[j]
		if (a.Err != "") != (b.Err != "") {
			return a.Err != ""
		}
		if a.Critical != b.Critical {
			return a.Critical > b.Critical
		}
		if a.Fail+a.Error != b.Fail+b.Error {
			return a.Fail+a.Error > b.Fail+b.Error
		}
		return a.Name < b.Name
	})
	if err := fleetPageTmpl.Execute(h.out, struct {
		Caps []string
		Devs []fleetSummary
	}{checks.CapabilityCodes(), devs}); err != nil {
		return err
	}
	if _, err := h.spool.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if _, err := io.Copy(h.out, h.spool); err != nil {
		return err
	}
	_, err := io.WriteString(h.out, "</body></html>\n")
	return err
}

func (h *htmlFleetWriter) close() {
	h.spool.Close()
	os.Remove(h.spool.Name())
}

var fleetFuncs = template.FuncMap{
	"capname": func(c string) string { return checks.Capabilities[c] },
	// A mark beside the colour, for readers who cannot tell red from green
	// and for printing in grey.
	"mark": func(s checks.Status) string {
		switch s {
		case checks.Fail:
			return "X"
		case checks.Error:
			return "?"
		}
		return ""
	},
}

var fleetPageTmpl = template.Must(template.New("page").Funcs(fleetFuncs).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>medharden fleet</title>
<style>
body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 5px;font-size:13px}
th.cap{writing-mode:vertical-rl}td.fail{background:#e74c3c}td.error{background:#f39c12}td.pass{background:#2ecc71}td.none{background:#eee}
td.fail,td.error{text-align:center;font-weight:bold}
</style></head><body>
<h1>medharden fleet: {{len .Devs}} devices</h1>
<p>Devices by IEC/TR 80001-2-2 capability, worst device first (folders that could not be audited, then critical exposures, then findings). A cell shows the worst result of the device's checks for that capability.</p>
<table><tr><th>device</th><th>critical exposures</th><th>failed</th><th>errors</th>{{range .Caps}}<th class="cap" title="{{capname .}}">{{.}}</th>{{end}}</tr>
{{range $d := .Devs}}<tr><td><a href="#{{$d.Anchor}}">{{$d.Name}}</a>{{if $d.Err}} (not audited){{end}}</td><td>{{$d.Critical}}</td><td>{{$d.Fail}}</td><td>{{$d.Error}}</td>{{range $.Caps}}{{with index $d.Caps .}}<td class="{{.}}" title="{{.}}">{{mark .}}</td>{{else}}<td class="none"></td>{{end}}{{end}}</tr>
{{end}}</table>
`))

var fleetSectionTmpl = template.Must(template.New("section").Parse(`<section id="{{.Anchor}}"><h2>{{.Name}}</h2>
<p>folder {{.Folder}}; BIOS serial {{.Serial}}; asset tag {{.AssetTag}}; profile {{.Profile}}</p>
{{if .Err}}<p><strong>Not audited:</strong> {{.Err}}</p>{{else}}<p>{{.Fail}} failed, {{.Error}} errors.</p>
{{if .Findings}}<table><tr><th>check</th><th>title</th><th>status</th><th>expected</th><th>actual</th><th>user</th></tr>
{{range .Findings}}<tr><td>{{.CheckID}}</td><td>{{.Title}}</td><td>{{.Status}}</td><td>{{.Expected}}</td><td>{{.Actual}}</td><td>{{.User}}</td></tr>
{{end}}</table>{{end}}{{end}}</section>
`))
