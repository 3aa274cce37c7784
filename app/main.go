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
	"os"
	"os/signal"
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
		{"inventory", "device inventory and critical exposures; merge a fleet's records", runInventory},
		{"plan", "show what remediation would change, and what the safety guards refuse", runPlan},
		{"apply", "back up, change, verify (journaled; --resume finishes an interrupted run)", runApply},
		{"rollback", "restore the settings a remediation run changed", runRollback},
		{"backups", "list remediation runs and their state", runBackups},
		{"remediate", "write an offline remediation pack (apply.cmd/undo.cmd) for a snapshot", runRemediatePack},
		{"version", "print the version", func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
			fmt.Fprintln(stdout, "medharden", version)
			return nil
		}},
	}
}

const exitHelp = `Exit codes:
  0  every check passed (or was waived or not applicable)
  1  findings: at least one check failed or could not be evaluated (error)
  2  usage or input error (bad option, unreadable or malformed file; the message names the file and line)
  3  internal error`

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

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 && guiOnNoArgs() {
		args = []string{"gui"}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitInput
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return exitCode(c.run(ctx, args[1:], stdout, stderr), stderr)
		}
	}
	fmt.Fprintf(stderr, "medharden: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitInput
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	var fe findingsError
	if errors.As(err, &fe) {
		return exitFindings
	}
	fmt.Fprintln(stderr, "medharden:", err)
	var ue usageError
	if errors.As(err, &ue) || isInputError(err) {
		return exitInput
	}
	return exitInternal
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
