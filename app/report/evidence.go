package report

import (
	"bytes"
	_ "embed" // for the template below
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"medharden/app/workflow"
	"medharden/checks"
)

//go:embed evidence.html.tmpl
var evidenceSource string

var evidenceTemplate = pageTemplate("evidence.html.tmpl", evidenceSource)

// EvidenceFormats lists the formats WriteEvidence accepts.
func EvidenceFormats() []string { return []string{"html", "json"} }

// WriteEvidence writes the evidence document in the named format.
func WriteEvidence(w io.Writer, format string, ev *workflow.Evidence) error {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "html":
		return WriteEvidenceHTML(w, ev)
	case "json":
		return WriteEvidenceJSON(w, ev)
	}
	return fmt.Errorf("unknown evidence format %q: use html or json", format)
}

// WriteEvidenceJSON writes the document as indented JSON: the data, and
// the manifest whose data_sha256 is that of the data's canonical JSON.
func WriteEvidenceJSON(w io.Writer, ev *workflow.Evidence) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(ev)
}

type evidencePage struct {
	Title, CSP   string
	D            workflow.EvidenceData
	M            workflow.Manifest
	Findings     bool
	Device, Doc  []htmlKV
	Caps         []evidenceCap
	Runs         []evidenceRun
	DataJSON     string
	Statuses     []htmlStatus
	FileCount    int
	TotalCells   []int
	Unverifiable []workflow.RunUnverified
}

type evidenceCap struct {
	workflow.CapabilityEvidence
	Label, Class string
	Cells        []int
	Waivers      []workflow.WaiverEvidence
	Rows         []evidenceCheck
}

type evidenceCheck struct {
	workflow.CheckEvidence
	Label, Class string
	ShowReason   bool
}

type evidenceRun struct {
	workflow.RunEvidence
	Kind string
}

// capLabel is the word and colour of a capability's status.
func capLabel(status string) (string, string) {
	switch status {
	case workflow.CapMet:
		return "MET", "pass"
	case workflow.CapMetExceptions:
		return "MET, WAIVED", "waived"
	case workflow.CapNotMet:
		return "NOT MET", "fail"
	case workflow.CapUndetermined:
		return "NOT DETERMINED", "error"
	case workflow.CapNotAssessed:
		return "NOT ASSESSED", "na"
	}
	return "UNKNOWN", "unknown"
}

// WriteEvidenceHTML writes the document as one self-contained HTML page
// for printing (A4 or Letter) and for the files of an MDS2 annex or an
// 80001-1 risk file. It has no script; its data section, hashed in the
// manifest, is embedded verbatim so the printed figures can be checked.
func WriteEvidenceHTML(w io.Writer, ev *workflow.Evidence) error {
	d := ev.Data
	canon, err := workflow.CanonicalJSON(d)
	if err != nil {
		return err
	}
	p := evidencePage{
		Title: d.Document.Title, CSP: pageCSP(""), D: d, M: ev.Manifest,
		Findings: d.Counts.Fail+d.Counts.Error > 0, DataJSON: string(canon),
		FileCount: len(ev.Manifest.Files), Unverifiable: d.Unverifiable,
	}
	dev := d.Device
	source := "this computer, read directly"
	if dev.Source == "snapshot" {
		source = "collector snapshot " + dev.Snapshot
	}
	for _, kv := range []htmlKV{
		{"Computer name", dev.Hostname}, {"Domain or workgroup", dev.Domain}, {"Operating system", dev.OS},
		{"Service pack", dev.ServicePack}, {"Version", dev.Version}, {"Architecture", dev.Architecture},
		{"Read from", source}, {"Collected at", dev.CollectedAt}, {"Collected by", dev.CollectedBy},
	} {
		if kv.Value != "" {
			p.Device = append(p.Device, kv)
		}
	}
	doc := d.Document
	for _, kv := range []htmlKV{
		{"Written at", doc.GeneratedAt}, {"Written by", doc.GeneratedBy},
		{"Tool", strings.TrimSpace(doc.Tool + " " + doc.Version)}, {"Check catalog", doc.Catalog},
		{"Profile", doc.Profile}, {"Tailoring file", doc.Tailoring},
	} {
		if kv.Value != "" {
			p.Doc = append(p.Doc, kv)
		}
	}
	for _, s := range checks.Statuses {
		p.Statuses = append(p.Statuses, htmlStatus{Value: string(s), Label: statusWord(s), Class: statusClass(s)})
		p.TotalCells = append(p.TotalCells, d.Counts.Of(s))
	}
	for _, c := range d.Capabilities {
		ec := evidenceCap{CapabilityEvidence: c}
		ec.Label, ec.Class = capLabel(c.Status)
		for _, s := range checks.Statuses {
			ec.Cells = append(ec.Cells, c.Counts.Of(s))
		}
		for _, wv := range d.Waivers {
			for _, code := range wv.Capabilities {
				if code == c.Code {
					ec.Waivers = append(ec.Waivers, wv)
				}
			}
		}
		for _, ch := range c.Checks {
			st := checks.Status(ch.Status)
			ec.Rows = append(ec.Rows, evidenceCheck{CheckEvidence: ch, Label: st.Label(), Class: statusClass(st),
				ShowReason: st != checks.Pass})
		}
		p.Caps = append(p.Caps, ec)
	}
	for _, r := range d.Runs {
		kind := "change to the device"
		if r.Rehearsal {
			kind = "rehearsal on a snapshot (the device was not changed)"
		}
		p.Runs = append(p.Runs, evidenceRun{RunEvidence: r, Kind: kind})
	}
	var b bytes.Buffer
	if err := evidenceTemplate.Execute(&b, p); err != nil {
		return err
	}
	_, err = w.Write(b.Bytes())
	return err
}
