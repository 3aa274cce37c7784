package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"medharden/app/workflow"
	"medharden/assets"
	"medharden/assets/csaf"
	"medharden/checks/outfile"
)

const advisoriesExitHelp = `Exit codes:
  0  no device is affected or possibly affected
  1  at least one device is known_affected (or possibly_affected: an affected product
     whose version could not be decided; check it by hand)
  2  usage or input error: an inventory file or an advisory is malformed (the message
     names the file and the line or JSON path); nothing written
  3  internal error`

var advisoryFormats = []string{"text", "json", "csv"}

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
	fl.Usage = func() {
		fmt.Fprintf(stderr, "Usage: medharden advisories match --inventory RECORDS [--inventory ...] [--format text|json|csv] [--out FILE] ADVISORY...\n\n"+
			"Matches CSAF 2.0 advisories (files or folders of *.json) against the inventory: a device is a\n"+
			"product when the vendor matches its clinical make (or a program's publisher) and the product\n"+
			"name its clinical model (or a program's name, whose version is then compared).\n\n")
		fl.PrintDefaults()
		fmt.Fprintf(stderr, "\n%s\n", advisoriesExitHelp)
	}
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
	ms := csaf.MatchAll(devices, advs)
	var buf bytes.Buffer
	switch format {
	case "json":
		err = writeMatchesJSON(&buf, ms)
	case "csv":
		err = writeMatchesCSV(&buf, ms)
	default:
		writeMatchesText(&buf, ms, len(devices), len(advs))
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
	n := 0
	for _, m := range ms {
		if csaf.Affected(m.Status) {
			n++
		}
	}
	if n > 0 {
		return findingsError{fmt.Sprintf("%d device and vulnerability pairs affected or possibly affected", n)}
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

// readInventoryCSV reads the merged CSV by column name (assets/COLUMNS.md);
// it has no software list, so devices match by clinical make and model.
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

func writeMatchesJSON(w io.Writer, ms []csaf.Match) error {
	if ms == nil {
		ms = []csaf.Match{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Matches []csaf.Match `json:"matches"`
	}{ms})
}

var matchColumns = []string{"advisory", "cve", "status", "cvss_v3", "product", "device_version", "reason", "remediation",
	"device_key", "hostname", "asset_tag", "device_make", "device_model", "owner", "department", "location", "criticality"}

func writeMatchesCSV(w io.Writer, ms []csaf.Match) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(matchColumns); err != nil {
		return err
	}
	for _, m := range ms {
		row := []string{m.Advisory, m.CVE, m.Status, score(m.Score), m.Product, m.Version, m.Reason, remediationText(m.Remediations, "; "),
			m.Key, m.Hostname, m.AssetTag, m.Make, m.Model, m.Owner, m.Department, m.Location, m.Criticality}
		for i := range row {
			row[i] = outfile.CSVCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
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
		parts = append(parts, r.Category+": "+r.Details)
	}
	return strings.Join(parts, sep)
}

func writeMatchesText(w io.Writer, ms []csaf.Match, devices, advs int) {
	fmt.Fprintf(w, "advisories match: %d advisories against %d devices, %d device and vulnerability pairs\n", advs, devices, len(ms))
	last := ""
	for _, m := range ms {
		if m.Advisory != last {
			fmt.Fprintf(w, "\n%s  %s\n", m.Advisory, m.Title)
			last = m.Advisory
		}
		cvss := ""
		if m.Score != nil {
			cvss = "  CVSS " + score(m.Score)
		}
		fmt.Fprintf(w, "  %s  %s  %s (%s)%s\n", m.CVE, strings.ToUpper(m.Status), m.Hostname, m.Key, cvss)
		fmt.Fprintf(w, "    product:  %s\n    why:      %s\n", m.Product, m.Reason)
		fmt.Fprintf(w, "    tell:     owner %s, department %s, location %s, criticality %s, asset tag %s\n",
			orNone(m.Owner), orNone(m.Department), orNone(m.Location), orNone(m.Criticality), orNone(m.AssetTag))
		if csaf.Affected(m.Status) {
			for _, r := range m.Remediations {
				fmt.Fprintf(w, "    do (%s): %s\n", r.Category, strings.Join(strings.Fields(r.Details), " "))
			}
		}
	}
}
