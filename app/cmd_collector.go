package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"medharden/checks/outfile"
	"medharden/checks/snapshot/collector"
)

func runCollector(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlagSet("collector", stderr)
	dir := fl.String("write", "", "`folder` to write medharden-collect.cmd into (a USB stick, for example)")
	force := fl.Bool("force", false, "replace a different medharden-collect.cmd already in the folder")
	setUsage(fl, stderr, "Usage: medharden collector --write DIR [--force]\n\nThe collector uses only tools built into Windows XP SP3 and 7; run it as administrator\non the workstation and audit the folder it writes with 'medharden audit --snapshot'.\n\n",
		"")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	if *dir == "" {
		return usagef("collector: --write DIR is required")
	}
	if outfile.IsDeviceName(*dir) {
		return fmt.Errorf("collector: %w", outfile.CheckDir(*dir))
	}
	path, err := collector.Write(*dir, *force)
	if err != nil {
		return usageError{err}
	}
	fmt.Fprintln(stdout, "wrote", path)
	return nil
}
