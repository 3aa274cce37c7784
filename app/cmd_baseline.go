package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"medharden/app/workflow"
	"medharden/checks"
)

// runBaseline: `baseline save` records the validated configuration;
// `baseline import` turns a vendor's GPO baseline into a tailoring file.
func runBaseline(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "import" {
		return runBaselineImport(args[1:], stdout, stderr)
	}
	var snap, tailoring, profile, out string
	fl := newFlagSet("baseline save", stderr)
	fl.StringVar(&snap, "snapshot", "", "collector snapshot `folder` of the validated device (default: this computer, Windows only)")
	fl.StringVar(&tailoring, "tailoring", "", "tailoring `file` (YAML): profile, value overrides")
	fl.StringVar(&profile, "profile", "", "profile: "+profileNames()+" (default: chosen from the Windows version)")
	fl.StringVar(&out, "out", "", "write the baseline to `file` (required)")
	setUsage(fl, stderr, "Usage: medharden baseline save [--snapshot DIR] [--tailoring FILE] [--profile P] --out B.json\n\n",
		exitHelp)
	if len(args) == 0 || args[0] != "save" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fl.Usage()
			return nil
		}
		fl.Usage()
		return usagef("baseline: expected the subcommand save or import")
	}
	if help, err := parseOptions("baseline save", fl, args[1:]); help || err != nil {
		return err
	}
	if out == "" {
		return usagef("baseline save: --out is required")
	}
	if err := checkOut(out); err != nil {
		return err
	}
	s, err := newSession("", profile, tailoring, stderr)
	if err != nil {
		return err
	}
	b, err := s.SaveBaseline(ctx, snap, time.Now())
	if err != nil {
		return err
	}
	data, err := b.Encode()
	if err != nil {
		return fmt.Errorf("encode baseline: %w", err)
	}
	if err := workflow.WriteFile(out, data); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "baseline of %s: %d settings, profile %s, written to %s\n", b.Device.Hostname, len(b.Settings), b.Catalog.Profile, out)
	return nil
}

// runBaselineImport: `baseline import GPO --out T.yaml` writes the
// overrides where the vendor's values differ from the benchmark's.
func runBaselineImport(args []string, stdout, stderr io.Writer) error {
	var out, profile string
	fl := newFlagSet("baseline import", stderr)
	fl.StringVar(&out, "out", "", "write the tailoring file to `file` (required)")
	fl.StringVar(&profile, "profile", "", "only override checks of this profile ("+profileNames()+"), and name it in the file")
	setUsage(fl, stderr, "Usage: medharden baseline import GPO --out TAILORING.yaml [--profile P]\n\n"+
		"GPO is a GPO backup folder, a folder with GptTmpl.inf, registry.pol and audit.csv, or an LGPO text file.\n"+
		"Writes an override for each check whose target the vendor sets to another value; the settings the\n"+
		"benchmark has no check for are listed in comments (judge them with 'medharden audit --baseline GPO').\n\n",
		exitHelp)
	pos, help, err := parseFlags(fl, args)
	if help || err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("baseline import: name one baseline (a GPO backup folder or an LGPO text file)")
	}
	if out == "" {
		return usagef("baseline import: --out is required")
	}
	if profile != "" {
		if _, ok := checks.FindProfile(profile); !ok {
			return usagef("baseline import: unknown profile %q; use one of %s", profile, profileNames())
		}
	}
	if err := checkOut(out); err != nil {
		return err
	}
	s, err := newSession("", profile, "", stderr)
	if err != nil {
		return err
	}
	t, err := s.ImportBaseline(pos[0], out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "baseline %s: %d settings; %d overrides, %d settings without a check in the benchmark, %d values no override can carry; written to %s\n",
		t.Baseline.Name, len(t.Baseline.Settings), len(t.Overrides), len(t.Uncovered), len(t.Refused), out)
	return nil
}

// runDrift: `drift` lists the settings that changed since the baseline.
func runDrift(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var base, snap, format string
	fl := newFlagSet("drift", stderr)
	fl.StringVar(&base, "baseline", "", "baseline `file` written by 'baseline save' (required)")
	fl.StringVar(&snap, "snapshot", "", "collector snapshot `folder` to compare (default: this computer, Windows only)")
	fl.StringVar(&format, "format", "text", "output format: text, json")
	setUsage(fl, stderr, "Usage: medharden drift --baseline B.json [--snapshot DIR] [--format text|json]\n\n",
		"Exit codes: 0 no drift, 1 drift, 2 usage error or a bad or tampered baseline, 3 internal error")
	if help, err := parseOptions("drift", fl, args); help || err != nil {
		return err
	}
	if base == "" {
		return usagef("drift: --baseline is required")
	}
	if format != "text" && format != "json" {
		return usagef("drift: unknown format %q; use text or json", format)
	}
	b, err := workflow.LoadBaseline(base)
	if err != nil {
		return err
	}
	s, err := newSession("", "", "", stderr)
	if err != nil {
		return err
	}
	r, err := s.Drift(ctx, b, snap)
	if err != nil {
		return err
	}
	if format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return err
		}
	} else {
		writeDriftText(stdout, r)
	}
	if len(r.Drift) > 0 {
		return findingsError{fmt.Sprintf("%d settings drifted", len(r.Drift))}
	}
	return nil
}

func writeDriftText(w io.Writer, r workflow.DriftReport) {
	fmt.Fprintf(w, "Baseline: %s (serial %s), saved %s by %s, profile %s\n", r.Baseline.Hostname, orNone(r.Baseline.SerialNumber), r.SavedAt, r.SavedBy, r.Profile)
	fmt.Fprintf(w, "Compared: %s (%s), %d settings\n", r.Host, r.OS, r.Compared)
	if r.CatalogChanged {
		fmt.Fprintln(w, "Note: the profile's checks differ from the ones the baseline was read with.")
	}
	if len(r.Drift) == 0 {
		fmt.Fprintln(w, "No drift: every setting is as validated.")
		return
	}
	fmt.Fprintf(w, "Drift: %d settings\n", len(r.Drift))
	for _, d := range r.Drift {
		fmt.Fprintf(w, "  %-15s %s\n", d.Change, d.Setting)
		fmt.Fprintf(w, "                  validated: %s\n                  now:       %s\n", orNone(d.Baseline), orNone(d.Now))
		fmt.Fprintf(w, "                  checks %s; capabilities %s\n", strings.Join(d.Checks, ", "), strings.Join(d.Capabilities, ", "))
	}
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
