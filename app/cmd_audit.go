package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"medharden/app/report"
	"medharden/app/workflow"
	"medharden/checks"
)

type auditOptions struct {
	snapshot  string
	profile   string
	format    string
	out       string
	tailoring string
	noProbe   bool
	baseline  string
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// setUsage gives a command's help: text, the options, then exits (the exit
// codes; "" for none).
func setUsage(fl *flag.FlagSet, stderr io.Writer, text, exits string) {
	fl.Usage = func() {
		fmt.Fprint(stderr, text)
		fl.PrintDefaults()
		if exits != "" {
			fmt.Fprintf(stderr, "\n%s\n", exits)
		}
	}
}

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o auditOptions
	fl := newFlagSet("audit", stderr)
	fl.StringVar(&o.snapshot, "snapshot", "", "collector snapshot `folder` to audit (default: this computer, Windows only)")
	fl.StringVar(&o.profile, "profile", "", "profile: "+profileNames()+" (default: chosen from the Windows version)")
	fl.StringVar(&o.format, "format", "text", "report format: "+strings.Join(report.Formats(), ", "))
	fl.StringVar(&o.out, "out", "", "write the report to `file` instead of standard output")
	fl.StringVar(&o.tailoring, "tailoring", "", "tailoring `file` (YAML): waivers, profile, value overrides")
	addNoProbeFlag(fl, &o.noProbe)
	fl.StringVar(&o.baseline, "baseline", "", "vendor baseline: a GPO backup `folder`, a folder with GptTmpl.inf, registry.pol and audit.csv, or an LGPO text file; each setting it sets is judged against its value (MH-GPO-n)")
	setUsage(fl, stderr, "Usage: medharden audit [--snapshot DIR] [--profile P|none] [--baseline GPO] [--format text|json|csv|html] [--out FILE] [--tailoring FILE] [--no-credential-probe]\n\n"+
		"With --baseline the baseline's checks are reported beside the profile's; --profile none reports them alone.\n"+
		"A tailoring file's waivers may name them (MH-GPO-n, n in the baseline's order) when the audit judges the baseline.\n\n",
		exitHelp)
	if help, err := parseOptions("audit", fl, args); help || err != nil {
		return err
	}
	if !validFormat(o.format) {
		return usagef("audit: unknown format %q; use one of %s", o.format, strings.Join(report.Formats(), ", "))
	}
	if err := checkOut(o.out); err != nil {
		return err
	}
	rep, err := audit(ctx, o, stderr)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, o.format, rep); err != nil {
		return fmt.Errorf("write %s report: %w", o.format, err)
	}
	if o.out == "" {
		if _, err := stdout.Write(buf.Bytes()); err != nil {
			return err
		}
	} else if err := workflow.WriteFile(o.out, buf.Bytes()); err != nil {
		return err
	}
	if code := rep.ExitCode(); code != exitOK {
		return findingsError{fmt.Sprintf("%d failed, %d errors", rep.Summary.Fail, rep.Summary.Error)}
	}
	return nil
}

// audit is the workflow's audit with the options of the command line.
func audit(ctx context.Context, o auditOptions, stderr io.Writer) (checks.Report, error) {
	if o.profile == workflow.NoProfile && o.baseline == "" {
		return checks.Report{}, usagef("audit: --profile none needs --baseline")
	}
	s, err := newSession("", o.profile, o.tailoring, stderr)
	if err != nil {
		return checks.Report{}, err
	}
	s.SetCredentialProbe(!o.noProbe)
	if err := s.SetVendorBaseline(o.baseline); err != nil {
		return checks.Report{}, err
	}
	return s.Load(ctx, o.snapshot)
}

func validFormat(f string) bool {
	for _, x := range report.Formats() {
		if x == f {
			return true
		}
	}
	return false
}

func profileNames() string { return workflow.ProfileNames() }
