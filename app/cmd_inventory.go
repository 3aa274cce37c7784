package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"medharden/app/workflow"
	"medharden/assets"
)

const inventoryExitHelp = `Exit codes:
  0  record written; no fixable critical exposure
  1  record written; at least one fixable critical exposure is present
     (MS17-010, CVE-2019-0708 BlueKeep, MS08-067 or SMBv1), or one could not
     be evaluated (unknown: its data was not collected). End of support
     is reported but does not set 1: every Windows 7 and XP device is past it.
  2  usage or input error (bad option, unreadable snapshot, invalid field or
     fields file; the message names the field or file)
  3  internal error`

const mergeExitHelp = `Exit codes:
  0  merged and written, nothing to look at
  1  merged and written, with findings: an asset tag on two devices, ghost
     assets, or (with --skip-invalid) records left out
  2  usage or input error: a file is not valid JSON, or a record lacks hostname
     or collected_at (the message names the file and record); nothing written
  3  internal error`

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ", ") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func runInventory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "merge" {
		return runInventoryMerge(ctx, args[1:], stdout, stderr)
	}
	var (
		snap, format, out, fieldsFile string
		sets                          stringList
	)
	fl := newFlagSet("inventory", stderr)
	fl.StringVar(&snap, "snapshot", "", "collector snapshot `folder` (default: this computer, Windows only)")
	fl.StringVar(&format, "format", "text", "output format: "+strings.Join(assets.Formats, ", "))
	fl.StringVar(&out, "out", "", "write to `file` instead of standard output")
	fl.Var(&sets, "set", "set a technician field, `key=value` (repeatable; saved to the fields file): "+strings.Join(assets.FieldKeys(), ", "))
	fl.StringVar(&fieldsFile, "fields", "", "technician fields `file` (default: "+assets.FieldsFileName+" in the snapshot folder, or under %ProgramData%\\medharden for this computer)")
	setUsage(fl, stderr, fmt.Sprintf("Usage: medharden inventory [--snapshot DIR] [--format json|csv|text] [--out FILE] [--set key=value ...] [--fields FILE]\n"+
		"       medharden inventory merge FILES... --out inventory.csv [--stale-days N] [--now 2026-11-24]\n\n"+
		"Records what the device is, where it stands, who owns it and its critical legacy exposures.\n"+
		"Criticality is one of %s.\n\n", strings.Join(assets.Criticalities, ", ")),
		inventoryExitHelp)
	if help, err := parseOptions("inventory", fl, args); help || err != nil {
		return err
	}
	if !validInventoryFormat(format) {
		return usagef("inventory: unknown format %q; use one of %s", format, strings.Join(assets.Formats, ", "))
	}
	if err := checkOut(out); err != nil {
		return err
	}
	rec, path, err := inventory(ctx, snap, fieldsFile, sets)
	if err != nil {
		return err
	}
	if len(sets) > 0 {
		fmt.Fprintf(stderr, "medharden: technician fields saved to %s\n", path)
	}
	var buf bytes.Buffer
	if err := assets.Export(&buf, format, rec); err != nil {
		return fmt.Errorf("write %s inventory: %w", format, err)
	}
	if out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return err
		}
	} else if err := workflow.WriteFile(out, buf.Bytes()); err != nil {
		return err
	}
	var found []string
	if ids := fixableExposures(rec); len(ids) > 0 {
		found = append(found, "exposed to "+strings.Join(ids, ", "))
	}
	if ids := unknownExposures(rec); len(ids) > 0 {
		found = append(found, "could not evaluate "+strings.Join(ids, ", "))
	}
	if len(found) > 0 {
		return findingsError{strings.Join(found, "; ")}
	}
	return nil
}

func validInventoryFormat(f string) bool {
	for _, x := range assets.Formats {
		if x == f {
			return true
		}
	}
	return false
}

// inventory opens the target and collects its record with the
// technician fields, after applying and saving any settings. It returns
// the record and the fields file used.
func inventory(ctx context.Context, dir, fieldsFile string, sets []string) (assets.Record, string, error) {
	s := workflow.New(workflow.Config{Version: version})
	if _, err := s.Open(ctx, dir); err != nil {
		return assets.Record{}, "", err
	}
	return s.Inventory(ctx, fieldsFile, sets)
}

// fixableExposures are the exposed ids that a patch or setting removes.
func fixableExposures(rec assets.Record) []string {
	var ids []string
	for _, e := range rec.Exposures {
		if e.Status == assets.Exposed && e.ID != assets.ExpEOS {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

// unknownExposures are the exposures that could not be judged: not knowing
// is a finding, as a check that cannot be evaluated is in an audit.
func unknownExposures(rec assets.Record) []string {
	var ids []string
	for _, e := range rec.Exposures {
		if e.Status == assets.Unknown {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

func runInventoryMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var (
		out, nowText string
		stale        int
		skipInvalid  bool
	)
	fl := newFlagSet("inventory merge", stderr)
	fl.StringVar(&out, "out", "", "write the merged CSV to `file` (written atomically; default: standard output)")
	fl.IntVar(&stale, "stale-days", assets.DefaultStaleDays, "a device not seen for more than `N` days is a ghost asset (0: off)")
	fl.StringVar(&nowText, "now", "", "reference `date` for ghosts, 2026-11-24 or RFC 3339 (default: today)")
	fl.BoolVar(&skipInvalid, "skip-invalid", false, "leave out invalid files and records (reported) instead of stopping")
	setUsage(fl, stderr, "Usage: medharden inventory merge FILES... [--out inventory.csv] [--stale-days N] [--now DATE] [--skip-invalid]\n\n"+
		"Merges JSON inventory records (files, folders of *.json, or patterns such as records\\*.json)\n"+
		"into one CSV row per device. The same device is recognized across hostname changes by its\n"+
		"BIOS serial, then by a physical MAC address. Columns: see assets/COLUMNS.md.\n\n",
		mergeExitHelp)
	files, help, err := parseFlags(fl, args)
	if help || err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("inventory merge: no input files; give the JSON records to merge")
	}
	if stale < 0 {
		return usagef("inventory merge: --stale-days must be 0 or more")
	}
	if err := checkOut(out); err != nil {
		return err
	}
	opt := assets.MergeOptions{StaleDays: stale}
	if nowText != "" {
		if opt.Now, err = parseNow(nowText); err != nil {
			return err
		}
	}
	paths, err := expandInputs(files)
	if err != nil {
		return err
	}
	var inputs []assets.Input
	var bad []error
	for _, p := range paths {
		ins, errs := assets.ReadFile(p)
		inputs = append(inputs, ins...)
		bad = append(bad, errs...)
	}
	if len(bad) > 0 && !skipInvalid {
		for _, e := range bad {
			fmt.Fprintln(stderr, "medharden: inventory merge:", e)
		}
		return usagef("inventory merge: %d invalid file(s) or record(s); nothing written (--skip-invalid leaves them out)", len(bad))
	}
	if len(inputs) == 0 {
		return usagef("inventory merge: no valid records in %d file(s)", len(paths))
	}
	res := assets.Merge(inputs, opt)
	var buf bytes.Buffer
	if err := assets.WriteCSV(&buf, res.Devices); err != nil {
		return fmt.Errorf("write merged CSV: %w", err)
	}
	report := stdout
	if out == "" {
		report = stderr
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return err
		}
	} else if err := workflow.WriteFile(out, buf.Bytes()); err != nil {
		return err
	}
	printMergeSummary(report, res, bad, opt, stale)
	if out != "" {
		fmt.Fprintf(report, "wrote %s (%d devices)\n", out, len(res.Devices))
	}
	if res.Summary.DuplicateTags > 0 || res.Summary.Ghosts > 0 || len(bad) > 0 {
		return findingsError{fmt.Sprintf("%d duplicate asset tags, %d ghost assets, %d records left out",
			res.Summary.DuplicateTags, res.Summary.Ghosts, len(bad))}
	}
	return nil
}

func printMergeSummary(w io.Writer, res assets.MergeResult, bad []error, opt assets.MergeOptions, stale int) {
	s := res.Summary
	fmt.Fprintf(w, "inventory merge: %d records -> %d devices\n", s.Records, s.Devices)
	fmt.Fprintf(w, "  merged:          %d records into devices seen before (%d devices renamed)\n", s.Merged, s.Renamed)
	fmt.Fprintf(w, "  moved:           %d devices changed location\n", s.Moved)
	fmt.Fprintf(w, "  duplicate tags:  %d asset tags on more than one device\n", s.DuplicateTags)
	if stale > 0 {
		ref := "today"
		if !opt.Now.IsZero() {
			ref = opt.Now.Format("2006-01-02")
		}
		fmt.Fprintf(w, "  ghosts:          %d devices not seen for more than %d days (to %s)\n", s.Ghosts, stale, ref)
	} else {
		fmt.Fprintf(w, "  ghosts:          not checked (--stale-days 0)\n")
	}
	if len(bad) > 0 {
		fmt.Fprintf(w, "  left out:        %d invalid files or records\n", len(bad))
	}
	if len(res.Warnings) == 0 && len(bad) == 0 {
		return
	}
	fmt.Fprintln(w, "details:")
	for _, e := range bad {
		fmt.Fprintf(w, "  invalid: %v\n", e)
	}
	for _, wn := range res.Warnings {
		fmt.Fprintf(w, "  %s\n", wn)
	}
}

func parseNow(s string) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("inventory merge: --now %q is not a date (2026-11-24) or an RFC 3339 time", s)
}

// expandInputs turns folders into their *.json files and expands patterns
// itself: cmd.exe passes "records\*.json" through unexpanded.
func expandInputs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if strings.ContainsAny(a, "*?[") {
			m, err := filepath.Glob(a)
			if err != nil {
				return nil, usagef("inventory merge: bad pattern %q: %v", a, err)
			}
			if len(m) == 0 {
				return nil, usagef("inventory merge: %q matches no file", a)
			}
			sort.Strings(m)
			out = append(out, m...)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, usagef("inventory merge: %v", err)
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		m, err := filepath.Glob(filepath.Join(a, "*.json"))
		if err != nil {
			return nil, usagef("inventory merge: %v", err)
		}
		if len(m) == 0 {
			return nil, usagef("inventory merge: folder %s holds no .json file", a)
		}
		sort.Strings(m)
		out = append(out, m...)
	}
	return out, nil
}
