package checks

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"medharden/checks/credprobe"
)

// Credentials checks (probe `credentials: {test: blank|vendor_default}`).
// On this computer, with the probe on, Windows is asked whether a password
// is blank or a vendor's published default (checks/credprobe: one logon
// attempt at a time, never past the lockout budget). Elsewhere no password
// can be proven: a snapshot says "not verifiable offline" and a live audit
// without the probe says so too; both flag the indirect signs and never
// pass.

// CredentialTester is implemented by hosts that can try logons: the live
// host.
type CredentialTester interface {
	CredentialAPI() credprobe.API
}

// CredentialProbe turns the probe on for an audit: the announcement and
// who runs it (credprobe.Options without its API, which the host gives).
// It runs at most once: audits given the same CredentialProbe again (a
// re-audit of the same target) reuse its findings, so a session never
// tries more logons than one run allows.
type CredentialProbe struct {
	Announce func(msg string) error
	Who      string
	// Defaults are the vendor defaults; nil means credprobe.Builtin.
	Defaults []credprobe.Default

	mu   sync.Mutex
	done bool
	rep  credprobe.Report
	err  error
}

// run probes the enabled accounts once, when the host can try logons; nil
// without a probe.
func (c *CredentialProbe) run(ctx context.Context, h Host, accts []Account) (*credprobe.Report, error) {
	if c == nil {
		return nil, nil
	}
	tester, ok := h.(CredentialTester)
	if !ok {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.done {
		c.done = true
		var in []credprobe.Account
		for _, a := range accts {
			if !a.Disabled {
				in = append(in, credprobe.Account{Name: a.Name, SID: a.SID})
			}
		}
		c.rep, c.err = credprobe.Run(ctx, credprobe.Options{API: tester.CredentialAPI(), Announce: c.Announce,
			Who: c.Who, Defaults: c.Defaults}, in)
	}
	return &c.rep, c.err
}

var credExpected = map[string]string{
	string(credprobe.Blank):         "no enabled local account has a blank password",
	string(credprobe.VendorDefault): "no enabled local account uses a vendor's published default password",
}

// judgeCredentials judges a credentials check from the probe's findings,
// or, without a probe, from the indirect signs.
func judgeCredentials(ctx context.Context, h Host, ch Check, c *CredentialProbe) Result {
	r := newResult(ch)
	test := ch.Probe.Credentials.Test
	r.Expected = credExpected[test]
	r.Source = "local accounts"
	accts, err := h.Accounts(ctx)
	if err != nil {
		r.Status, r.Actual, r.Reason = Error, "unknown", fmt.Sprintf("list local accounts: %v", err)
		return r
	}
	rep, err := c.run(ctx, h, accts)
	switch {
	case err != nil:
		r.Status, r.Actual, r.Reason = Error, "not probed", err.Error()
		return r
	case rep == nil:
		return judgeSigns(ctx, h, r, accts, test, notVerified(h, c))
	}
	r.Source = "logon test (LogonUserW, network logon) of the local accounts"
	var found, skipped []string
	tried := 0
	for _, f := range rep.Findings {
		if string(f.Test) != test {
			continue
		}
		who := f.Account + " (" + f.SID + ")"
		switch {
		case f.Found && f.Default != nil:
			found = append(found, fmt.Sprintf("%s: %s %s default (%s)", who, f.Default.Vendor, f.Default.Product, f.Default.Source))
		case f.Found:
			found = append(found, who+": "+f.Detail)
		case f.Skipped != "":
			skipped = append(skipped, who+": "+f.Skipped)
		default:
			tried++
		}
	}
	switch {
	case len(found) > 0:
		r.Status = Fail
		if test == string(credprobe.VendorDefault) {
			r.Actual = "vendor default password in use: " + strings.Join(found, "; ")
		} else {
			r.Actual = "blank password: " + strings.Join(found, "; ")
		}
		r.Reason = "Windows accepted the password; set a strong one (the password itself is never shown)"
		if len(skipped) > 0 {
			r.Reason += "; not tested: " + strings.Join(skipped, "; ")
		}
	case len(skipped) > 0:
		r.Status = Error
		r.Actual = "not verified"
		r.Reason = "not tested: " + strings.Join(skipped, "; ")
	default:
		r.Status = Pass
		r.Actual = fmt.Sprintf("%d tests answered, none accepted", tried)
		r.Reason = "meets the recommendation"
		if tried == 0 && test == string(credprobe.VendorDefault) {
			r.Actual = "no enabled account has the name of a known vendor account"
		}
	}
	if test == string(credprobe.VendorDefault) {
		if signs := installSigns(ctx, h, accts); len(signs) > 0 {
			switch r.Status {
			case Fail:
				r.Reason += "; indirect signs: " + strings.Join(signs, "; ")
			case Error:
				r.Status, r.Reason = Fail, "indirect signs: "+strings.Join(signs, "; ")+"; "+r.Reason
			default:
				r.Status, r.Reason = Fail, "indirect signs: "+strings.Join(signs, "; ")
			}
		}
	}
	return r
}

// installKey holds InstallDate, a REG_DWORD of Unix seconds (locale-free,
// unlike WMI's Win32_OperatingSystem.InstallDate text).
const installKey = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`

// installSigns lists, on a host that reads the accounts' password age
// (NetUserGetInfo level 3, the live host), the enabled accounts whose
// password was last set when Windows was installed (credprobe.SetAtInstall).
// An unknown install date or an unreadable age makes no claim. Snapshots
// hold no password age (wmic useraccount has none): nothing there.
func installSigns(ctx context.Context, h Host, accts []Account) []string {
	tester, ok := h.(CredentialTester)
	if !ok {
		return nil
	}
	v, err := h.RegValue(ctx, installKey, "InstallDate")
	if err != nil {
		return nil
	}
	secs, ok := v.Uint64()
	if !ok || secs == 0 {
		return nil
	}
	installed := time.Unix(int64(secs), 0).UTC()
	api := tester.CredentialAPI()
	var signs []string
	for _, a := range accts {
		if a.Disabled {
			continue
		}
		st, err := api.State(a.Name)
		if err != nil || !credprobe.SetAtInstall(st.PasswordAge, installed, time.Now()) {
			continue
		}
		signs = append(signs, a.Name+" ("+a.SID+"): password unchanged since Windows was installed ("+installed.Format("2006-01-02")+")")
	}
	return signs
}

// notVerified says why no logon was tried.
func notVerified(h Host, c *CredentialProbe) string {
	_, tester := h.(CredentialTester)
	switch {
	case h.Identity().Origin == Snapshot:
		return "not verifiable offline: a snapshot cannot prove a password"
	case c == nil:
		return "not verified: the credential probe is off (--no-credential-probe)"
	case !tester:
		return "not verified: this host cannot try logons"
	}
	return "not verified"
}

// judgeSigns is the judgment without a logon test: "not verifiable", and a
// failure when an indirect sign is there: the password-not-required flag
// (blank), the name of a known vendor account or, live, a password
// unchanged since Windows was installed (vendor default).
func judgeSigns(ctx context.Context, h Host, r Result, accts []Account, test, what string) Result {
	var signs []string
	for _, a := range accts {
		if a.Disabled {
			continue
		}
		switch test {
		case string(credprobe.Blank):
			if !a.PasswordRequired {
				signs = append(signs, a.Name+" ("+a.SID+") may have a blank password: password not required (PasswordRequired = FALSE)")
			}
		case string(credprobe.VendorDefault):
			if a.RID() == RIDAdministrator {
				continue // its name is every Windows's, not a vendor's sign
			}
			defs, err := credprobe.Builtin()
			if err != nil {
				r.Status, r.Actual, r.Reason = Error, "unknown", err.Error()
				return r
			}
			if ds := credprobe.For(defs, a.Name); len(ds) > 0 {
				signs = append(signs, a.Name+" ("+a.SID+") is a known vendor account: "+sources(ds))
			}
		}
	}
	note := ""
	if test == string(credprobe.VendorDefault) {
		signs = append(signs, installSigns(ctx, h, accts)...)
		if h.Identity().Origin == Snapshot {
			note = "; whether a password changed since Windows was installed is not shown by the snapshot"
		}
	}
	r.Actual = what
	if len(signs) == 0 {
		r.Status = NotApplicable
		r.Reason = "no indirect sign among the enabled accounts" + note
		return r
	}
	r.Status = Fail
	r.Reason = "indirect signs: " + strings.Join(signs, "; ") + note
	return r
}

// sources lists the vendors, products and sources of defaults, never
// their passwords.
func sources(ds []credprobe.Default) string {
	var out []string
	seen := map[string]bool{}
	for _, d := range ds {
		s := d.Vendor + " " + d.Product + " (" + d.Source + ")"
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
