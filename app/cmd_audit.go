package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"medharden/app/report"
	"medharden/app/workflow"
)

type auditOptions struct {
	snapshot  string
	profile   string
	format    string
	out       string
	tailoring string
	noProbe   bool
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
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
	fl.Usage = func() {
		fmt.Fprintf(stderr, "Usage: medharden audit [--snapshot DIR] [--profile P] [--format text|json|csv|html] [--out FILE] [--tailoring FILE] [--no-credential-probe]\n\n")
		fl.PrintDefaults()
		fmt.Fprintf(stderr, "\n%s\n", exitHelp)
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if fl.NArg() > 0 {
		return usagef("audit: unexpected argument %q", fl.Arg(0))
	}
	if !validFormat(o.format) {
		return usagef("audit: unknown format %q; use one of %s", o.format, strings.Join(report.Formats(), ", "))
	}
	if err := checkOut(o.out); err != nil {
		return err
	}
	s, err := newSession("", o.profile, o.tailoring, stderr)
	if err != nil {
		return err
	}
	s.SetCredentialProbe(!o.noProbe)
	rep, err := s.Load(ctx, o.snapshot)
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

func validFormat(f string) bool {
	for _, x := range report.Formats() {
		if x == f {
			return true
		}
	}
	return false
}

func profileNames() string { return workflow.ProfileNames() }
