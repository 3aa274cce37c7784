package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"medharden/checks"
	"medharden/checks/outfile"
	"medharden/checks/wazuh"
)

// runChecks lists a profile's checks, so a reviewer can see what an audit
// will look at without a host, or writes them as a Wazuh SCA policy.
func runChecks(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlagSet("checks", stderr)
	profile := fl.String("profile", "cis-win7-l1", "profile: "+profileNames())
	format := fl.String("format", "text", "text, or wazuh-sca (a Wazuh SCA policy of the registry-backed checks)")
	out := fl.String("out", "", "file to write (required with --format wazuh-sca)")
	if help, err := parseOptions("checks", fl, args); help || err != nil {
		return err
	}
	switch {
	case *format != "text" && *format != "wazuh-sca":
		return usagef("unknown format %q; use text or wazuh-sca", *format)
	case *format == "wazuh-sca" && *out == "":
		return usagef("--format wazuh-sca needs --out FILE")
	case *format == "text" && *out != "":
		return usagef("--out goes with --format wazuh-sca")
	}
	p, ok := checks.FindProfile(*profile)
	if !ok {
		return usagef("unknown profile %q; use one of %s", *profile, profileNames())
	}
	cat, err := checks.Builtin()
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	if *format == "wazuh-sca" {
		return writeWazuh(p, cat.Select(p), *out, stdout)
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

// writeWazuh writes the profile as a Wazuh SCA policy and says how many
// checks it holds and how many SCA cannot express.
func writeWazuh(p checks.Profile, list []checks.Check, out string, stdout io.Writer) error {
	pol, skipped, err := wazuh.Build(p, list, filepath.Base(out))
	if err != nil {
		return err
	}
	var b strings.Builder
	if err := wazuh.Write(&b, pol, skipped); err != nil {
		return err
	}
	if err := outfile.Write(out, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	fmt.Fprintf(stdout, "%s: %d checks as a Wazuh SCA policy, %d listed as not expressible (of %d in %s)\n",
		out, len(pol.Checks), len(skipped), len(list), p.Name)
	return nil
}
