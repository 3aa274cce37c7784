package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"text/tabwriter"

	"medharden/app/workflow"
	"medharden/checks"
	"medharden/checks/outfile"
	"medharden/remediate"
)

// stdin answers apply's confirmation question; tests replace it.
var stdin io.Reader = os.Stdin

const snapshotNotice = "Note: this is a snapshot folder. Changes go to an in-memory copy that is discarded when medharden exits:\n" +
	"this apply is a dry demonstration of plan, backup, journal, apply and verify. To change the device itself,\n" +
	"build an offline pack with 'medharden remediate --snapshot DIR --pack OUT' and run it there.\n"

const remediateExitHelp = `Exit codes:
  0  done (every change applied and verified)
  1  findings remain: a change did not take, a check still fails, the user declined,
     or an earlier run was interrupted and must be rolled back or resumed first
  2  usage or input error (bad option, malformed tailoring file, tampered backup or journal,
     backup of another system or outside the runs folder, output folder not empty)
  3  internal error`

// events receives the records of changes to this computer; nil is the
// Application event log. Tests replace it.
var events workflow.EventLog

// newSession starts the workflow with the command line's choices; runs ""
// means the default runs folder. Rehearsals on snapshots are kept beside
// it, apart from the runs of real systems, where the next command
// (backups, rollback, resume) finds them.
func newSession(runs, profile, tailoring string, stderr io.Writer) (*workflow.Session, error) {
	if runs == "" {
		runs = remediate.DefaultRoot()
	}
	s := workflow.New(workflow.Config{
		Version: version, Runs: runs, Rehearsals: workflow.RehearsalsBeside(runs), Events: events,
		Warn: func(err error) { fmt.Fprintln(stderr, "medharden: warning:", err) },
	})
	if err := s.SetTailoring(tailoring); err != nil {
		return nil, err
	}
	if err := s.SetProfile(profile); err != nil {
		return nil, err
	}
	return s, nil
}

// planOptions are the options plan, apply and remediate share.
type planOptions struct {
	snapshot  string
	profile   string
	tailoring string
	selection string
	runs      string
	noProbe   bool
}

func (o *planOptions) addFlags(fl *flag.FlagSet) {
	fl.StringVar(&o.snapshot, "snapshot", "", "collector snapshot `folder` (default: this computer, Windows only)")
	fl.StringVar(&o.profile, "profile", "", "profile: "+profileNames()+" (default: the tailoring file's, else chosen from the Windows version)")
	fl.StringVar(&o.tailoring, "tailoring", "", "tailoring `file` (YAML): waivers, do-not-touch lists, emergency account, overrides")
	fl.StringVar(&o.selection, "select", "failed", "which checks to fix: failed, capability:CODE (for example capability:AUTH) or ids:1.1.1,2.3.1.1")
	addNoProbeFlag(fl, &o.noProbe)
}

// addNoProbeFlag is the one switch of the credential probe, for every
// command that audits this computer.
func addNoProbeFlag(fl *flag.FlagSet, off *bool) {
	fl.BoolVar(off, "no-credential-probe", false, "on this computer, do not try logons with blank and vendor default passwords (MH-CRED-1, MH-CRED-2 then report \"not verified\")")
}

func addRunsFlag(fl *flag.FlagSet, runs *string) {
	fl.StringVar(runs, "runs", remediate.DefaultRoot(), "`folder` holding the backups and journals of remediation runs")
}

// parseFlags parses a command's options and returns its other arguments;
// help is set when the user asked for the usage (printed already).
func parseFlags(fl *flag.FlagSet, args []string) ([]string, bool, error) {
	pos, err := parseInterleaved(fl, args)
	if errors.Is(err, flag.ErrHelp) {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, usageError{err}
	}
	return pos, false, nil
}

// parseOptions is parseFlags for a command that takes options only: any
// other argument is a usage error naming the command.
func parseOptions(cmd string, fl *flag.FlagSet, args []string) (help bool, err error) {
	pos, help, err := parseFlags(fl, args)
	if help || err != nil {
		return help, err
	}
	if len(pos) > 0 {
		return false, usagef("%s: unexpected argument %q", cmd, pos[0])
	}
	return false, nil
}

// makePlan opens and audits the target and plans the selection, for plan,
// apply and remediate. With pending set, an interrupted run in the
// target's runs folder stops it first.
func makePlan(ctx context.Context, cmd string, o planOptions, pending bool, stderr io.Writer) (*workflow.Session, *remediate.Plan, error) {
	sel, err := workflow.ParseSelection(o.selection)
	if err != nil {
		return nil, nil, usagef("%s: --select: %v", cmd, err)
	}
	s, err := newSession(o.runs, o.profile, o.tailoring, stderr)
	if err != nil {
		return nil, nil, err
	}
	s.SetCredentialProbe(!o.noProbe)
	if _, err := s.Load(ctx, o.snapshot); err != nil {
		return nil, nil, err
	}
	if pending {
		pend, err := s.Pending()
		if err := checkPending(pend, err, stderr); err != nil {
			return nil, nil, err
		}
	}
	p, err := s.Plan(ctx, sel)
	if err != nil {
		return nil, nil, err
	}
	return s, p, nil
}

// checkPending refuses to go on while an interrupted run is unresolved: its
// settings may be half changed, and only rollback or resume knows which.
func checkPending(pend []*remediate.Run, err error, stderr io.Writer) error {
	if errors.Is(err, fs.ErrPermission) {
		fmt.Fprintf(stderr, "medharden: warning: %v; interrupted runs cannot be checked without administrator rights\n", err)
		return nil
	}
	if err != nil {
		return err
	}
	for _, r := range pend {
		host := "?"
		if r.Backup != nil {
			host = r.Backup.Host.String()
		}
		fmt.Fprintf(stderr, "medharden: remediation run %s on %s was interrupted (journal: %s).\n", r.ID, host, r.Dir)
		fmt.Fprintf(stderr, "  Settings may be half changed. Run 'medharden rollback %s' to restore the values from before it,\n", r.ID)
		fmt.Fprintf(stderr, "  or 'medharden apply --resume %s' to finish it.\n", r.ID)
	}
	if len(pend) == 0 {
		return nil
	}
	return findingsError{fmt.Sprintf("%d interrupted remediation run(s)", len(pend))}
}

func writePlan(w io.Writer, p *remediate.Plan, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	}
	return p.WriteText(w)
}

func runPlan(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o planOptions
	var format string
	fl := newFlagSet("plan", stderr)
	o.addFlags(fl)
	addRunsFlag(fl, &o.runs)
	fl.StringVar(&format, "format", "text", "text or json")
	setUsage(fl, stderr, "Usage: medharden plan [--snapshot DIR] [--profile P] [--tailoring FILE] [--select failed|capability:AUTH|ids:1.1.1,2.3.1.1] [--format text|json]\n\n"+
		"Shows what apply would change, what a safety guard refuses and why, and what needs a person. Changes nothing.\n\n",
		remediateExitHelp)
	if help, err := parseOptions("plan", fl, args); help || err != nil {
		return err
	}
	if format != "text" && format != "json" {
		return usagef("plan: unknown format %q; use text or json", format)
	}
	_, p, err := makePlan(ctx, "plan", o, true, stderr)
	if err != nil {
		return err
	}
	return writePlan(stdout, p, format)
}

func runApply(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o planOptions
	var yes, resume bool
	fl := newFlagSet("apply", stderr)
	o.addFlags(fl)
	addRunsFlag(fl, &o.runs)
	fl.BoolVar(&yes, "yes", false, "apply without asking")
	fl.BoolVar(&resume, "resume", false, "finish an interrupted run (optionally name it: apply --resume RUN)")
	setUsage(fl, stderr, "Usage: medharden apply [--yes] [--snapshot DIR] [--profile P] [--tailoring FILE] [--select ...]\n"+
		"       medharden apply --resume [RUN]\n\n"+
		"Backs up every setting it will change, then changes them one by one with a journal written before each\n"+
		"step, and verifies by reading them back. 'medharden rollback RUN' restores the previous values.\n"+
		"Changing this computer needs administrator rights.\n\n",
		remediateExitHelp)
	pos, help, err := parseFlags(fl, args)
	if help || err != nil {
		return err
	}
	if resume {
		if len(pos) > 1 {
			return usagef("apply --resume: unexpected argument %q", pos[1])
		}
		id := ""
		if len(pos) == 1 {
			id = pos[0]
		}
		return resumeRun(ctx, o, id, stdout, stderr)
	}
	if len(pos) > 0 {
		return usagef("apply: unexpected argument %q", pos[0])
	}
	s, p, err := makePlan(ctx, "apply", o, true, stderr)
	if err != nil {
		return err
	}
	if t, _ := s.Target(); t.ID.Kind == workflow.Snapshot {
		fmt.Fprint(stdout, snapshotNotice+"\n")
	}
	changes := p.Changes()
	if len(changes) == 0 {
		if err := p.WriteText(stdout); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "\nNothing to change.")
		return nil
	}
	if !yes {
		if err := p.WriteText(stdout); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\nApply %d changes to %s? [y/N] ", len(changes), p.Host.Hostname)
		answer, _ := bufio.NewReader(stdin).ReadString('\n')
		fmt.Fprintln(stdout)
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(stdout, "Nothing was changed.")
			return findingsError{"not applied"}
		}
	}
	out, err := s.Apply(ctx, p, nil)
	return reportOutcome(stdout, stderr, out, err)
}

func reportOutcome(stdout, stderr io.Writer, out *remediate.Outcome, err error) error {
	if err != nil {
		switch {
		case errors.Is(err, remediate.ErrPending):
			return findingsError{err.Error()}
		case out != nil && out.RolledBack:
			fmt.Fprintln(stderr, "medharden:", err)
			if errors.Is(err, checks.ErrAccessDenied) {
				fmt.Fprintln(stderr, "medharden: changing these settings needs administrator rights; run from an elevated prompt")
			}
			return findingsError{"apply failed and was rolled back"}
		}
		return err
	}
	fmt.Fprintf(stdout, "Run %s: %d changes applied (backup and journal in %s).\n", out.Run, len(out.Changed), out.Dir)
	v := out.Verify
	if len(v.NotTaken) > 0 {
		fmt.Fprintf(stdout, "\nDid not take (%d):\n", len(v.NotTaken))
		for _, m := range v.NotTaken {
			fmt.Fprintf(stdout, "  - %s %s: reads %s, expected %s%s\n", m.CheckID, m.Setting, m.Got.Show(m.Setting.Kind), m.Want.Show(m.Setting.Kind), m.Err)
		}
	}
	if f := v.Failing(); len(f) > 0 {
		fmt.Fprintf(stdout, "\nStill not passing after the change (%d):\n", len(f))
		for _, r := range f {
			fmt.Fprintf(stdout, "  - %s %s: %s (%s)\n", r.ID, r.Title, r.Status, r.Reason)
		}
	}
	if v.OK() {
		fmt.Fprintln(stdout, "Verified: every change reads back as planned and every changed check passes.")
	}
	fmt.Fprintf(stdout, "To undo: medharden rollback %s\n", out.Run)
	if !v.OK() {
		return findingsError{"verification failed"}
	}
	return nil
}

func resumeRun(ctx context.Context, o planOptions, id string, stdout, stderr io.Writer) error {
	s, err := newSession(o.runs, o.profile, o.tailoring, stderr)
	if err != nil {
		return err
	}
	if id == "" {
		pend, err := s.AllPending()
		if err != nil {
			return err
		}
		switch len(pend) {
		case 0:
			return usagef("apply --resume: no interrupted run in %s or %s", o.runs, workflow.RehearsalsBeside(o.runs))
		case 1:
			id = pend[0].Dir
		default:
			var ids []string
			for _, r := range pend {
				ids = append(ids, r.ID)
			}
			return usagef("apply --resume: several interrupted runs (%s); name one", strings.Join(ids, ", "))
		}
	}
	r, err := s.OpenRun(ctx, id, o.snapshot)
	if err != nil {
		return err
	}
	if t, _ := s.Target(); t.ID.Kind == workflow.Snapshot {
		fmt.Fprint(stdout, snapshotNotice+"\n")
	}
	fmt.Fprintf(stdout, "Resuming run %s.\n", r.ID)
	out, err := s.Resume(ctx, r)
	if err != nil && out == nil {
		return usageError{err}
	}
	return reportOutcome(stdout, stderr, out, err)
}

func runRollback(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var runs, snap string
	var force bool
	fl := newFlagSet("rollback", stderr)
	addRunsFlag(fl, &runs)
	fl.StringVar(&snap, "snapshot", "", "snapshot `folder` the run was made on, if it moved")
	fl.BoolVar(&force, "force", false, "use a backup whose SHA-256 does not match or that was taken on another system")
	setUsage(fl, stderr, "Usage: medharden rollback RUN [--force]\n\n"+
		"Restores every setting a run changed to its value before the run, in reverse order, deleting values that\n"+
		"did not exist. Running it twice is the same as once. 'medharden backups' lists the runs.\n\n",
		remediateExitHelp)
	pos, help, err := parseFlags(fl, args)
	if help || err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("rollback: name one run (see 'medharden backups')")
	}
	s, err := newSession(runs, "", "", stderr)
	if err != nil {
		return err
	}
	r, err := s.OpenRun(ctx, pos[0], snap)
	if err != nil {
		return err
	}
	if t, _ := s.Target(); t.ID.Kind == workflow.Snapshot {
		fmt.Fprint(stdout, "Note: this run was made on a snapshot folder; the rollback goes to an in-memory copy (a dry demonstration).\n\n")
	}
	out, err := s.Rollback(ctx, r, force, nil)
	if err != nil {
		switch {
		case errors.Is(err, remediate.ErrRollbackFailed):
			fmt.Fprintln(stderr, "medharden:", err)
			if errors.Is(err, checks.ErrAccessDenied) {
				fmt.Fprintln(stderr, "medharden: restoring these settings needs administrator rights")
			}
			return findingsError{"rollback incomplete"}
		}
		return err
	}
	if out.Already {
		fmt.Fprintf(stdout, "Run %s is already rolled back (or never changed anything); nothing to do.\n", out.Run)
		return nil
	}
	fmt.Fprintf(stdout, "Run %s rolled back: %d settings restored.\n", out.Run, len(out.Restored))
	for _, s := range out.Restored {
		fmt.Fprintf(stdout, "  %s %s: %s\n", s.CheckID, s.Setting, s.Before.Show(s.Setting.Kind))
	}
	return nil
}

type backupRow struct {
	ID      string             `json:"id"`
	State   remediate.RunState `json:"state"`
	Created string             `json:"created,omitempty"`
	Host    remediate.Identity `json:"host"`
	User    string             `json:"user,omitempty"`
	Profile string             `json:"profile,omitempty"`
	Changes int                `json:"changes"`
	Dir     string             `json:"dir"`
	Problem string             `json:"problem,omitempty"`
}

func runBackups(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var runs, format string
	fl := newFlagSet("backups", stderr)
	addRunsFlag(fl, &runs)
	fl.StringVar(&format, "format", "text", "text or json")
	setUsage(fl, stderr, "Usage: medharden backups [--format text|json]\n\nLists remediation runs, newest first, with their state.\n\n",
		remediateExitHelp)
	if help, err := parseOptions("backups", fl, args); help || err != nil {
		return err
	}
	if format != "text" && format != "json" {
		return usagef("backups: unknown format %q; use text or json", format)
	}
	s, err := newSession(runs, "", "", stderr)
	if err != nil {
		return err
	}
	list, err := s.AllRuns()
	if err != nil {
		return err
	}
	rows := make([]backupRow, 0, len(list))
	for _, r := range list {
		row := backupRow{ID: r.ID, State: r.State, Dir: r.Dir}
		if b := r.Backup; b != nil {
			row.Created, row.Host, row.User, row.Profile, row.Changes = b.Created, b.Host, b.User, b.Profile, len(b.Settings)
		}
		if r.Err != nil {
			row.Problem = r.Err.Error()
		}
		rows = append(rows, row)
	}
	if format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			return err
		}
	} else if len(rows) == 0 {
		fmt.Fprintf(stdout, "No remediation runs in %s or %s.\n", runs, workflow.RehearsalsBeside(runs))
	} else {
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "RUN\tSTATE\tCREATED\tHOST\tSOURCE\tCHANGES\tUSER")
		for _, r := range rows {
			src := r.Host.Source
			if src == "snapshot" {
				src = "snapshot (demonstration)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.ID, r.State, r.Created, r.Host.Hostname, src, r.Changes, r.User)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for _, r := range rows {
			if r.Problem != "" {
				fmt.Fprintf(stdout, "%s: %s\n", r.ID, r.Problem)
			}
		}
	}
	pend, err := s.AllPending()
	return checkPending(pend, err, stderr)
}

func runRemediatePack(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o planOptions
	var pack, gpoOut string
	var force bool
	fl := newFlagSet("remediate", stderr)
	o.addFlags(fl)
	fl.StringVar(&pack, "pack", "", "`folder` to write the offline remediation pack into (must be new or empty)")
	fl.StringVar(&gpoOut, "gpo", "", "`folder` to write the plan into as a GPO backup, for Group Policy Management's Import Settings or LGPO.exe /g (must be new or empty)")
	fl.BoolVar(&force, "force", false, "replace a folder that is not empty")
	setUsage(fl, stderr, "Usage: medharden remediate --snapshot DIR|live (--pack OUT | --gpo OUT) [--profile P] [--tailoring FILE] [--select ...] [--force]\n\n"+
		"--pack writes an offline remediation pack for the system the snapshot was taken on (Windows XP, vendor images):\n"+
		"apply.cmd and undo.cmd with .reg and .inf files, using only tools built into Windows. undo.cmd restores\n"+
		"the snapshot's values.\n"+
		"--gpo writes the plan's changes as a GPO backup (registry.pol, GptTmpl.inf, audit.csv, Backup.xml); its\n"+
		"README.txt lists what Group Policy cannot carry and what the safety guards refused.\n\n",
		remediateExitHelp)
	if help, err := parseOptions("remediate", fl, args); help || err != nil {
		return err
	}
	if o.snapshot == "" || (pack == "" && gpoOut == "") {
		return usagef("remediate: --snapshot DIR (or live) and --pack OUT or --gpo OUT are required")
	}
	if pack != "" && o.snapshot == "live" {
		return usagef("remediate: --pack needs a snapshot folder: its undo.cmd restores the snapshot's values")
	}
	for _, dir := range []string{pack, gpoOut} {
		if dir == "" {
			continue
		}
		if err := outfile.CheckDir(dir); err != nil {
			return err
		}
	}
	if o.snapshot == "live" {
		o.snapshot = ""
	}
	s, p, err := makePlan(ctx, "remediate", o, false, stderr)
	if err != nil {
		return err
	}
	if pack != "" {
		pk, err := s.WritePack(p, pack, force)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Wrote %s: %s\n", pack, strings.Join(pk.Order, ", "))
		fmt.Fprintf(stdout, "%d changes; %d refused by safety guards; %d manual steps (see README.txt).\n",
			len(p.Changes()), len(p.Refused()), len(p.ManualSteps()))
		fmt.Fprintln(stdout, "On the workstation, as Administrator: apply.cmd; to return to the snapshot's values: undo.cmd.")
	}
	if gpoOut != "" {
		ex, err := s.WriteGPO(p, gpoOut, force)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Wrote GPO backup %s (backup %s): %d settings carried; %d changes Group Policy cannot carry; %d refused by safety guards; %d manual steps (see README.txt).\n",
			ex.Dir, ex.BackupID, len(ex.Carried), len(ex.NotCarried), len(p.Refused()), len(p.ManualSteps()))
		fmt.Fprintln(stdout, "Import it with Group Policy Management (Import Settings) or, on a standalone device: LGPO.exe /g "+gpoOut)
	}
	return nil
}
