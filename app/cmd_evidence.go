package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/term"

	"medharden/app/report"
	"medharden/app/workflow"
)

// signPasswordEnv holds the password of the --sign certificate file. It is
// never a flag value, which would land in the shell's history and in the
// process list.
const signPasswordEnv = "MEDHARDEN_SIGN_PASSWORD"

const evidenceExitHelp = `Exit codes:
  0  the document was written and records no finding (every check passes, does not apply
     or is waived, and every remediation record verifies)
  1  the document was written and records findings: a check fails or could not be read,
     or a remediation record does not verify
  2  usage or input error (bad option, malformed tailoring file, unreadable snapshot,
     certificate file that cannot be opened): nothing is written
  3  internal error`

// readPassword asks for the certificate's password on the terminal without
// echo; tests replace it.
var readPassword = func(stderr io.Writer) (string, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", usagef("evidence: --sign needs the certificate's password: set %s, or run in a terminal to be asked", signPasswordEnv)
	}
	fmt.Fprint(stderr, "Password of the certificate file: ")
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return "", fmt.Errorf("read the password: %w", err)
	}
	return string(b), nil
}

func runEvidence(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var snap, profile, tailoring, format, out, runs, sign, baseline string
	fl := newFlagSet("evidence", stderr)
	fl.StringVar(&snap, "snapshot", "", "collector snapshot `folder`, or live for this computer (Windows only; the default)")
	fl.StringVar(&profile, "profile", "", "profile: "+profileNames()+" (default: the tailoring file's, else chosen from the Windows version)")
	fl.StringVar(&tailoring, "tailoring", "", "tailoring `file` (YAML): waivers with their approvals, legacy-device waivers, overrides")
	fl.StringVar(&baseline, "baseline", "", "vendor baseline (GPO backup `folder`, folder with GptTmpl.inf, registry.pol and audit.csv, or LGPO text file): each setting it sets is a check MH-GPO-n in its capability's section; --profile none shows the baseline's alone")
	fl.StringVar(&format, "format", "", "html or json (default: from the --out file's extension, .json is json, else html)")
	fl.StringVar(&out, "out", "", "write the document to `file` (required)")
	fl.StringVar(&sign, "sign", "", "sign the document with the certificate and key of this PFX `file`: writes FILE.p7s beside --out; the password is read from "+signPasswordEnv+", else asked on the terminal")
	addRunsFlag(fl, &runs)
	setUsage(fl, stderr, "Usage: medharden evidence --snapshot DIR|live [--tailoring FILE] [--profile P|none] [--baseline GPO] --out FILE.html|FILE.json [--format html|json] [--sign PFX]\n\n"+
		"Writes the device's evidence document for an MDS2 annex or an IEC 80001-1 risk file: one section per\n"+
		"IEC/TR 80001-2-2 capability with its checks (expected and found values), waivers and their approvals,\n"+
		"manual steps and the remediation history from verified backups, and a SHA-256 manifest of the snapshot\n"+
		"files and of the document's data. A folder named live is given as ./live.\n\n",
		evidenceExitHelp)
	help, err := parseOptions("evidence", fl, args)
	if help || err != nil {
		return err
	}
	if out == "" {
		return usagef("evidence: --out FILE is required")
	}
	if format == "" {
		format = "html"
		if strings.EqualFold(filepath.Ext(out), ".json") {
			format = "json"
		}
	}
	if format != "html" && format != "json" {
		return usagef("evidence: unknown format %q; use one of %s", format, strings.Join(report.EvidenceFormats(), ", "))
	}
	if snap == "live" {
		snap = ""
	}
	sigPath := out + ".p7s"
	if err := checkOut(out); err != nil {
		return err
	}
	var signer *workflow.Signer
	if sign != "" {
		if err := checkOut(sigPath); err != nil {
			return err
		}
		pw, ok := os.LookupEnv(signPasswordEnv)
		if !ok {
			if pw, err = readPassword(stderr); err != nil {
				return err
			}
		}
		if signer, err = workflow.LoadSigner(sign, pw); err != nil {
			return err
		}
	}
	start := time.Now()
	s, err := newSession(runs, profile, tailoring, stderr)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetVendorBaseline(baseline); err != nil {
		return err
	}
	if _, err := s.Load(ctx, snap); err != nil {
		return err
	}
	ev, err := s.Evidence(ctx, workflow.EvidenceOptions{})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteEvidence(&buf, format, ev); err != nil {
		return fmt.Errorf("write the %s evidence document: %w", format, err)
	}
	var sig []byte
	if signer != nil {
		if sig, err = signer.SignDetached(buf.Bytes()); err != nil {
			return err
		}
	}
	if err := workflow.WriteFile(out, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote %s (%d bytes, %d capabilities, data SHA-256 %s) in %s.\n",
		out, buf.Len(), len(ev.Data.Capabilities), ev.Manifest.DataSHA256, time.Since(start).Round(time.Millisecond))
	if signer != nil {
		if err := workflow.WriteFile(sigPath, sig); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Signed by %s: %s\n", signer.Subject(), sigPath)
	}
	if ev.HasFindings() {
		c := ev.Data.Counts
		return findingsError{fmt.Sprintf("%d failed, %d errors, %d unverifiable remediation records", c.Fail, c.Error, len(ev.Data.Unverifiable))}
	}
	return nil
}
