// Command medharden audits and hardens Windows 7 and XP medical-device
// workstations against the CIS benchmarks, reporting each finding under its
// IEC/TR 80001-2-2 security capability.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"time"

	"medharden/app/report"
	"medharden/app/workflow"
	"medharden/assets"
	"medharden/checks"
	"medharden/checks/outfile"
	"medharden/checks/snapshot"
	"medharden/checks/winfmt"
	"medharden/remediate"
	"medharden/remediate/gpo"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// Exit codes, documented in usage and README.
const (
	exitOK       = 0
	exitFindings = 1
	exitInput    = 2
	exitInternal = 3
)

// usageError marks a mistake in the command line or in the input (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...interface{}) error {
	return usageError{fmt.Errorf(format, a...)}
}

// findingsError carries exit code 1: the run worked and found problems.
type findingsError struct{ msg string }

func (e findingsError) Error() string { return e.msg }

type command struct {
	name  string
	short string
	run   func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"audit", "audit a snapshot folder or this computer", runAudit},
		{"collector", "write the offline collector script to a folder", runCollector},
		{"checks", "list the checks of a profile", runChecks},
		{"gui", "open the desktop window (the default when started from Explorer)", runGUI},
		{"fleet", "audit every snapshot folder of a share in parallel, one row per result (jsonl, csv, html)", runFleet},
		{"baseline", "save the validated configuration of a device (baseline save --out B.json)", runBaseline},
		{"drift", "list the settings that changed since a baseline was saved", runDrift},
		{"compare", "the record of a hardening visit: a snapshot before and after, what changed and what remains", runCompare},
		{"inventory", "device inventory and critical exposures; merge a fleet's records", runInventory},
		{"advisories", "match CSAF 2.0 advisories against the inventory (advisories match --inventory R ADV...)", runAdvisories},
		{"plan", "show what remediation would change, and what the safety guards refuse", runPlan},
		{"apply", "back up, change, verify (journaled; --resume finishes an interrupted run)", runApply},
		{"rollback", "restore the settings a remediation run changed", runRollback},
		{"backups", "list remediation runs and their state", runBackups},
		{"remediate", "write an offline remediation pack (apply.cmd/undo.cmd) for a snapshot", runRemediatePack},
		{"evidence", "write the IEC/TR 80001-2-2 evidence document (HTML or JSON) for an MDS2 annex, optionally signed", runEvidence},
		{"version", "print the version", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			fmt.Fprintln(stdout, "medharden", version)
			return nil
		}},
	}
}

const exitHelp = `Exit codes:
  0  every check passed (or was waived or not applicable)
  1  findings: at least one check failed or could not be evaluated (error)
  2  usage or input error (bad option, unreadable or malformed file, an output path that is
     not a regular file; the message names the file and line)
  3  internal error (a crash writes medharden-crash-*.log to the temporary folder: please send it)`

func usage(w io.Writer) {
	fmt.Fprintf(w, "medharden %s: CIS audit and hardening for Windows 7 / XP medical-device workstations\n\nUsage: medharden <command> [options]\n\nCommands:\n", version)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.short)
	}
	fmt.Fprintf(w, "\nRun 'medharden <command> -h' for a command's options.\n\n%s\n", exitHelp)
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit code. Everything it
// prints passes through report.SafeWriter, so escape sequences in host
// names, file names or values never reach the terminal.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	out, errw := report.NewSafeWriter(stdout), report.NewSafeWriter(stderr)
	defer errw.Flush()
	defer out.Flush()
	if len(args) == 0 && guiOnNoArgs() {
		args = []string{"gui"}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(out)
		if len(args) == 0 {
			return exitInput
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return runCommand(ctx, c, args[1:], out, errw)
		}
	}
	fmt.Fprintf(errw, "medharden: unknown command %q\n\n", args[0])
	usage(errw)
	return exitInput
}

// runCommand runs one command and turns its error, or a panic, into the
// exit code. The recover here is the only one: it covers every command.
func runCommand(ctx context.Context, c command, args []string, stdout, stderr io.Writer) (code int) {
	defer closeLive(stderr)
	defer func() {
		if p := recover(); p != nil {
			stack := debug.Stack()
			if wp, ok := p.(interface{ Stack() []byte }); ok {
				stack = wp.Stack() // raised again from a worker: its own stack
			}
			code = reportPanic(stderr, c.name, p, stack)
		}
	}()
	err := c.run(ctx, args, stdout, stderr)
	var fe findingsError
	if err != nil && !errors.As(err, &fe) {
		fmt.Fprintln(stderr, "medharden:", err)
	}
	return exitCode(err)
}

// closeLive closes the live hosts the command opened (it unloads the
// people's hives loaded for it); the Windows build sets it.
var closeLive = func(stderr io.Writer) {}

// reportPanic tells the technician, without a stack trace on the screen,
// that medharden failed and what to send; the details go to a log file in
// the temporary folder.
func reportPanic(stderr io.Writer, cmd string, p interface{}, stack []byte) int {
	fmt.Fprintf(stderr, "medharden: internal error in %q: %v\n", cmd, p)
	fmt.Fprintf(stderr, "This is a fault in medharden %s, not in your input.\n", version)
	log, err := os.CreateTemp("", "medharden-crash-*.log")
	if err == nil {
		_, err = fmt.Fprintf(log, "medharden %s\ntime: %s\ncommand: %s\npanic: %v\n\n%s",
			version, time.Now().Format(time.RFC3339), strings.Join(os.Args, " "), p, stack)
		if cerr := log.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "Please report it with the command you ran and the version (the details could not be saved: %v).\n", err)
		return exitInternal
	}
	fmt.Fprintf(stderr, "Please report it: send the command you ran and the file %s.\n", log.Name())
	return exitInternal
}

// inputErrors are the sentinels of input the user can correct.
var inputErrors = []error{
	fs.ErrNotExist, fs.ErrPermission, outfile.ErrNotRegular,
	snapshot.ErrNotSnapshot, checks.ErrProfileMismatch, gpo.ErrNotBaseline,
	remediate.ErrStalePlan, remediate.ErrOtherHost, remediate.ErrTampered, remediate.ErrNoRun, remediate.ErrPackExists,
	remediate.ErrUntrusted, remediate.ErrUnsafeText, workflow.ErrFleetFolder,
}

// exitCode decides every exit code from the error a command returned: 1
// for findings, 2 for usage and input errors, 3 for anything else. Any
// failed file operation (*fs.PathError: a symbolic link loop, a folder
// where a file should be, an unreadable file) is input: the message names
// the file and the user can correct it.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var (
		fe  findingsError
		ue  usageError
		wi  workflow.InputError
		pe  *winfmt.ParseError
		pth *fs.PathError
		le  *os.LinkError
		ffe *assets.FieldsFileError
	)
	switch {
	case errors.As(err, &fe):
		return exitFindings
	case errors.As(err, &ue), errors.As(err, &wi), errors.As(err, &pe),
		errors.As(err, &pth), errors.As(err, &le), errors.As(err, &ffe):
		return exitInput
	}
	for _, s := range inputErrors {
		if errors.Is(err, s) {
			return exitInput
		}
	}
	return exitInternal
}

// checkOut refuses an --out target that is not a regular file before any
// work is done, so a refused run writes nothing (the writer checks again).
func checkOut(path string) error {
	if path == "" {
		return nil
	}
	return outfile.CheckFile(path)
}

// parseInterleaved lets options follow the file names
// ("merge a.json b.json --out x.csv", "rollback RUN --force"), which the flag package alone stops at.
func parseInterleaved(fl *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fl.Parse(args); err != nil {
			return nil, err
		}
		rest := fl.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}
