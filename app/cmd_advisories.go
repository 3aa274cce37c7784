package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"medharden/app/workflow"
	"medharden/assets"
	"medharden/assets/csaf"
	"medharden/checks/outfile"
)

const advisoriesExitHelp = `Exit codes:
  0  no device is affected or possibly affected
  1  at least one device is affected, or possibly affected (a product whose version or
     Windows could not be decided, or under investigation: check it by hand)
  2  usage or input error: an inventory file or an advisory is malformed (the message
     names the file and the line or JSON path); nothing written
  3  internal error`

var advisoryFormats = []string{"text", "json", "csv", "html"}

func runAdvisories(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "match" {
		return usagef("advisories: use \"advisories match --inventory RECORDS... ADVISORY...\"")
	}
	var (
		inv         stringList
		format, out string
	)
	fl := newFlagSet("advisories match", stderr)
	fl.Var(&inv, "inventory", "inventory `records`: a JSON record file, a folder of them, or the merged CSV (repeatable)")
	fl.StringVar(&format, "format", "text", "output format: "+strings.Join(advisoryFormats, ", "))
	fl.StringVar(&out, "out", "", "write to `file` instead of standard output")
	setUsage(fl, stderr, "Usage: medharden advisories match --inventory RECORDS [--inventory ...] [--format text|json|csv|html] [--out FILE] ADVISORY...\n\n"+
		"Matches CSAF 2.0 advisories (files or folders of *.json) against the inventory: a device is a\n"+
		"product when the vendor matches its clinical make (or a program's publisher) and the product\n"+
		"name its clinical model (or a program's name); the clinical device_version (or the program's\n"+
		"version) is compared with the advisory's versions. Windows products match the installed\n"+
		"Windows, service pack and KBs. Each owner or department gets a text for clinical staff and\n"+
		"one for technical staff.\n\n",
		advisoriesExitHelp)
	files, help, err := parseFlags(fl, args[1:])
	if help || err != nil {
		return err
	}
	if len(inv) == 0 {
		return usagef("advisories match: --inventory is required")
	}
	if len(files) == 0 {
		return usagef("advisories match: no advisory given")
	}
	if !contains(advisoryFormats, format) {
		return usagef("advisories match: unknown format %q; use one of %s", format, strings.Join(advisoryFormats, ", "))
	}
	if err := checkOut(out); err != nil {
		return err
	}
	devices, err := readInventory(inv)
	if err != nil {
		return err
	}
	advs, err := readAdvisories(files)
	if err != nil {
		return err
	}
	res := advisoryResult{Findings: csaf.Summarize(csaf.MatchAll(devices, advs)), Unmatched: csaf.UnmatchedDevices(devices),
		Devices: len(devices), Advisories: len(advs)}
	res.Notices = csaf.Notices(res.Findings)
	var buf bytes.Buffer
	switch format {
	case "json":
		err = writeFindingsJSON(&buf, res)
	case "csv":
		err = writeFindingsCSV(&buf, res)
	case "html":
		err = advisoriesTmpl.Execute(&buf, res)
	default:
		writeFindingsText(&buf, res)
	}
	if err != nil {
		return err
	}
	if out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return err
		}
	} else if err := workflow.WriteFile(out, buf.Bytes()); err != nil {
		return err
	}
	if n := res.count(csaf.StatusAffected) + res.count(csaf.StatusPossiblyAffected); n > 0 {
		return findingsError{fmt.Sprintf("%d device and advisory pairs affected or possibly affected", n)}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// readInventory reads JSON records (merged into devices, as inventory
// merge does) and merged CSV files.
func readInventory(args []string) ([]csaf.Device, error) {
	paths, err := expandInputs(args)
	if err != nil {
		return nil, err
	}
	var inputs []assets.Input
	var devices []csaf.Device
	for _, p := range paths {
		if strings.EqualFold(filepath.Ext(p), ".csv") {
			ds, err := readInventoryCSV(p)
			if err != nil {
				return nil, err
			}
			devices = append(devices, ds...)
			continue
		}
		ins, errs := assets.ReadFile(p)
		if len(errs) > 0 {
			return nil, usageError{errs[0]}
		}
		inputs = append(inputs, ins...)
	}
	if len(inputs) > 0 {
		for _, d := range assets.Merge(inputs, assets.MergeOptions{}).Devices {
			devices = append(devices, csaf.DeviceOf(d))
		}
	}
	if len(devices) == 0 {
		return nil, usagef("advisories match: no device in the inventory given")
	}
	return devices, nil
}

// readInventoryCSV reads the merged CSV by column name (assets/COLUMNS.md).
// Older CSVs without the hotfixes, software and device_version columns are
// read too: those devices match by what is there.
func readInventoryCSV(path string) ([]csaf.Device, error) {
	if st, err := os.Stat(path); err != nil {
		return nil, err
	} else if !st.Mode().IsRegular() {
		return nil, usagef("%s: not a regular file", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))))
	rows, err := r.ReadAll()
	if err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	if len(rows) == 0 {
		return nil, usagef("%s: empty file: expected the inventory CSV header", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, need := range []string{"device_key", "hostname", "device_make", "device_model"} {
		if _, ok := col[need]; !ok {
			return nil, usagef("%s line 1: column %q missing: not a medharden inventory CSV", path, need)
		}
	}
	get := func(row []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(row) {
			return ""
		}
		return strings.TrimPrefix(row[i], "'") // undo the formula guard
	}
	var out []csaf.Device
	for n, row := range rows[1:] {
		d := csaf.Device{Key: get(row, "device_key"), Hostname: get(row, "hostname"), AssetTag: get(row, "asset_tag"),
			Make: get(row, "device_make"), Model: get(row, "device_model"), Owner: get(row, "owner"),
			Department: get(row, "department"), Location: get(row, "location"), Criticality: get(row, "criticality"),
			Version: get(row, "device_version"), OS: get(row, "os_name"), ServicePack: get(row, "os_service_pack"),
			Hotfixes: splitList(get(row, "hotfixes")), Software: softwareList(get(row, "software")),
			Source: path + " line " + strconv.Itoa(n+2)}
		if d.Key == "" {
			return nil, usagef("%s line %d: device_key is empty", path, n+2)
		}
		out = append(out, d)
	}
	return out, nil
}

func readAdvisories(args []string) ([]*csaf.Advisory, error) {
	paths, err := expandInputs(args)
	if err != nil {
		return nil, err
	}
	var advs []*csaf.Advisory
	for _, p := range paths {
		a, err := csaf.ReadFile(p)
		if err != nil {
			return nil, usageError{err}
		}
		advs = append(advs, a)
	}
	return advs, nil
}

// splitList undoes the CSV's list joining (";").
func splitList(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return strings.Split(s, ";")
}

// softwareList reads the software column: "Name (version)" entries.
func softwareList(s string) []assets.Software {
	var out []assets.Software
	for _, p := range splitList(s) {
		sw := assets.Software{Name: p}
		if i := strings.LastIndex(p, " ("); i > 0 && strings.HasSuffix(p, ")") {
			sw.Name, sw.Version = p[:i], p[i+2:len(p)-1]
		}
		out = append(out, sw)
	}
	return out
}

// advisoryResult is what every format shows.
type advisoryResult struct {
	Findings   []csaf.Finding   `json:"matches"`
	Unmatched  []csaf.Unmatched `json:"unmatched_devices"`
	Notices    []csaf.Notice    `json:"notices"`
	Devices    int              `json:"-"`
	Advisories int              `json:"-"`
}

func (r advisoryResult) count(status string) int {
	n := 0
	for _, f := range r.Findings {
		if f.Status == status {
			n++
		}
	}
	return n
}

// byAdvisory groups findings for the text and HTML pages, most urgent first.
func (r advisoryResult) ByAdvisory() []advisoryGroup {
	var out []advisoryGroup
	rank := map[string]int{csaf.StatusAffected: 0, csaf.StatusPossiblyAffected: 1, csaf.StatusFixed: 2, csaf.StatusNotAffected: 3}
	for _, f := range r.Findings {
		if len(out) == 0 || out[len(out)-1].ID != f.Advisory {
			out = append(out, advisoryGroup{ID: f.Advisory, Title: f.Title, File: f.File})
		}
		g := &out[len(out)-1]
		g.Findings = append(g.Findings, f)
	}
	for i := range out {
		fs := out[i].Findings
		sort.SliceStable(fs, func(a, b int) bool { return rank[fs[a].Status] < rank[fs[b].Status] })
		for _, n := range r.Notices {
			if n.Advisory == out[i].ID {
				out[i].Notices = append(out[i].Notices, n)
			}
		}
	}
	return out
}

type advisoryGroup struct {
	ID, Title, File string
	Findings        []csaf.Finding
	Notices         []csaf.Notice
}

func writeFindingsJSON(w io.Writer, r advisoryResult) error {
	if r.Findings == nil {
		r.Findings = []csaf.Finding{}
	}
	if r.Notices == nil {
		r.Notices = []csaf.Notice{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

var findingColumns = []string{"advisory", "status", "product", "reason", "cves", "cvss_v3", "remediation",
	"device_key", "hostname", "asset_tag", "device_make", "device_model", "device_version",
	"department", "location", "owner", "criticality", "title"}

// writeFindingsCSV writes one row per device and advisory, then one row
// per device that cannot be matched (status cannot_be_matched).
func writeFindingsCSV(w io.Writer, r advisoryResult) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	write := func(row []string) error {
		for i := range row {
			row[i] = outfile.CSVCell(row[i])
		}
		return cw.Write(row)
	}
	if err := cw.Write(findingColumns); err != nil {
		return err
	}
	for _, f := range r.Findings {
		d := f.Device
		if err := write([]string{f.Advisory, f.Status, f.Product, f.Reason, cveList(f.CVEs), score(f.Score), remediationText(f.Remediations, "; "),
			d.Key, d.Hostname, d.AssetTag, d.Make, d.Model, d.Version, d.Department, d.Location, d.Owner, d.Criticality, f.Title}); err != nil {
			return err
		}
	}
	for _, u := range r.Unmatched {
		row := make([]string, len(findingColumns))
		row[1], row[3], row[7], row[8] = "cannot_be_matched", u.Reason, u.DeviceKey, u.Hostname
		if err := write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func cveList(cs []csaf.CVEStatus) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.CVE + " " + c.Status
	}
	return strings.Join(parts, "; ")
}

func score(s *float64) string {
	if s == nil {
		return ""
	}
	return strconv.FormatFloat(*s, 'f', 1, 64)
}

func remediationText(rs []csaf.Remediation, sep string) string {
	var parts []string
	for _, r := range rs {
		parts = append(parts, r.Category+": "+strings.Join(strings.Fields(r.Details), " "))
	}
	return strings.Join(parts, sep)
}

func writeFindingsText(w io.Writer, r advisoryResult) {
	fmt.Fprintf(w, "advisories match: %d advisories against %d devices: %d affected, %d possibly affected (check by hand), %d fixed, %d not affected\n",
		r.Advisories, r.Devices, r.count(csaf.StatusAffected), r.count(csaf.StatusPossiblyAffected), r.count(csaf.StatusFixed), r.count(csaf.StatusNotAffected))
	for _, g := range r.ByAdvisory() {
		fmt.Fprintf(w, "\n%s  %s\n", g.ID, g.Title)
		for _, f := range g.Findings {
			d := f.Device
			cvss := ""
			if f.Score != nil {
				cvss = "  CVSS " + score(f.Score)
			}
			fmt.Fprintf(w, "  %s  %s (%s)%s\n", strings.ToUpper(f.Status), orNone(d.Hostname), d.Key, cvss)
			fmt.Fprintf(w, "    device:   asset tag %s, model %s, version %s\n", orNone(d.AssetTag), orNone(strings.TrimSpace(d.Make+" "+d.Model)), orNone(d.Version))
			fmt.Fprintf(w, "    where:    department %s, location %s, owner %s, criticality %s\n", orNone(d.Department), orNone(d.Location), orNone(d.Owner), orNone(d.Criticality))
			fmt.Fprintf(w, "    product:  %s\n    why:      %s\n    cves:     %s\n", f.Product, f.Reason, cveList(f.CVEs))
			if f.Status == csaf.StatusAffected || f.Status == csaf.StatusPossiblyAffected {
				for _, rm := range f.Remediations {
					fmt.Fprintf(w, "    do (%s): %s\n", rm.Category, strings.Join(strings.Fields(rm.Details), " "))
				}
			}
		}
		for _, n := range g.Notices {
			fmt.Fprintf(w, "\n  To %s\n    For clinical staff:  %s\n    For technical staff: %s\n", n.To, n.Clinical, n.Technical)
		}
	}
	if len(r.Unmatched) > 0 {
		fmt.Fprintf(w, "\nDevices that cannot be matched (%d):\n", len(r.Unmatched))
		for _, u := range r.Unmatched {
			fmt.Fprintf(w, "  %s (%s): %s\n", orNone(u.Hostname), u.DeviceKey, u.Reason)
		}
	}
}

// advisoriesCSP: the page has no script and loads nothing.
const advisoriesCSP = "default-src 'none'; style-src 'unsafe-inline'"

// advisoriesTmpl is a self-contained page; html/template escapes every value.
var advisoriesTmpl = template.Must(template.New("advisories").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="` + advisoriesCSP + `">
<title>Advisories against the inventory</title>
<style>body{font-family:"Segoe UI",Tahoma,Arial,sans-serif;margin:1em 1.5em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top;font-size:13px}th{background:#eee}
.affected{background:#fdd}.possibly_affected{background:#ffe7b3}.fixed,.not_affected{color:#555}.notice{border-left:4px solid #c00;padding:.3em .8em;margin:.5em 0}</style></head><body>
<h1>Advisories against the inventory</h1>
<p>{{.Advisories}} advisories, {{.Devices}} devices.</p>
{{range .ByAdvisory}}<h2>{{.ID}}: {{.Title}}</h2>
<table><tr><th>Status</th><th>Host</th><th>Asset tag</th><th>Model</th><th>Version</th><th>Department</th><th>Location</th><th>Owner</th><th>Criticality</th><th>Product and reason</th><th>CVSS</th><th>Remediation</th></tr>
{{range .Findings}}<tr class="{{.Status}}"><td>{{.Status}}</td><td>{{.Device.Hostname}}<br><small>{{.Device.Key}}</small></td><td>{{.Device.AssetTag}}</td><td>{{.Device.Make}} {{.Device.Model}}</td><td>{{.Device.Version}}</td><td>{{.Device.Department}}</td><td>{{.Device.Location}}</td><td>{{.Device.Owner}}</td><td>{{.Device.Criticality}}</td><td>{{.Product}}<br><small>{{.Reason}}</small></td><td>{{with .Score}}{{printf "%.1f" .}}{{end}}</td><td>{{range .Remediations}}<p><b>{{.Category}}</b>: {{.Details}}</p>{{end}}</td></tr>
{{end}}</table>
{{range .Notices}}<div class="notice"><h3>To {{.To}}</h3><p><b>For clinical staff:</b> {{.Clinical}}</p><p><b>For technical staff:</b> {{.Technical}}</p></div>
{{end}}{{end}}
{{if .Unmatched}}<h2>Devices that cannot be matched</h2>
<table><tr><th>Host</th><th>Device key</th><th>Reason</th></tr>
{{range .Unmatched}}<tr><td>{{.Hostname}}</td><td>{{.DeviceKey}}</td><td>{{.Reason}}</td></tr>
{{end}}</table>{{end}}
</body></html>
`))
