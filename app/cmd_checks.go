package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"medharden/checks"
)

// runChecks lists a profile's checks, so a reviewer can see what an audit
// will look at without a host.
func runChecks(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlagSet("checks", stderr)
	profile := fl.String("profile", "cis-win7-l1", "profile: "+profileNames())
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return usageError{err}
	}
	p, ok := checks.FindProfile(*profile)
	if !ok {
		return usagef("unknown profile %q; use one of %s", *profile, profileNames())
	}
	cat, err := checks.Builtin()
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLEVEL\tCAPABILITIES\tTITLE")
	list := cat.Select(p)
	for _, ch := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", ch.ID, ch.Level, strings.Join(ch.Capabilities, ","), ch.Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%d checks in %s (%s)\n", len(list), p.Name, p.Title)
	return nil
}
