package credprobe

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// API is the part of Windows the probe talks to; checks/live implements
// it, tests replay recorded answers.
type API interface {
	// Policy reads the lockout policy (NetUserModalsGet level 3).
	Policy() (Policy, error)
	// State reads an account's bad-password count and flags
	// (NetUserGetInfo level 3).
	State(account string) (State, error)
	// Logon tries a network logon of a local account (LogonUserW,
	// LOGON32_LOGON_NETWORK) and closes any token at once.
	Logon(account, password string) Answer
}

// Account is a local account the probe may test.
type Account struct {
	Name     string
	SID      string
	Disabled bool
}

// Test names what was tried.
type Test string

const (
	// Blank is the empty password.
	Blank Test = "blank"
	// VendorDefault is a vendor's published default password.
	VendorDefault Test = "vendor_default"
)

// Finding is what the probe learned about one account and one test.
type Finding struct {
	Account string
	SID     string
	Test    Test
	// Found: the password (blank, or the default of Default) is the
	// account's.
	Found bool
	// Default is the vendor default found or still untested (never shown
	// with its password); nil for the blank test.
	Default *Default
	// Skipped says why the test was not (fully) made: the lockout budget,
	// a locked or disabled account, an answer that proves nothing. ""
	// when the test was made and answered.
	Skipped string
	// Detail is the answer that decided a finding ("account restriction
	// (1327) after the password was accepted").
	Detail string
	// Attempts is how many logons the test made.
	Attempts int
}

// Report is one probe run.
type Report struct {
	Policy   Policy
	Findings []Finding
	// Announced is the Application event written before the first attempt.
	Announced string
	Attempts  int
}

// Options configure a run.
type Options struct {
	API API
	// Announce writes the Application event before the first attempt; the
	// probe does not run when it fails (a SOC must be able to tell the
	// probe from an attack).
	Announce func(msg string) error
	// Who is the account running the probe, for the event.
	Who string
	// Defaults are the vendor defaults to try; nil means Builtin.
	Defaults []Default
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// ErrNoAnnounce: the event that must precede the probe could not be written.
var ErrNoAnnounce = errors.New("credential probe not run: the Application event announcing it could not be written")

// planned is the attempts a run may make for one account.
type planned struct {
	acct     Account
	defaults []Default
	skip     string // the whole account is skipped
	extra    []Default
}

// Run probes the enabled accounts: per account at most one blank attempt
// and MaxDefaults vendor-default attempts, each only while the lockout
// budget allows (the state is read again before every attempt). It
// announces the run before the first attempt.
func Run(ctx context.Context, opt Options, accounts []Account) (Report, error) {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	defs := opt.Defaults
	if defs == nil {
		var err error
		if defs, err = Builtin(); err != nil {
			return Report{}, err
		}
	}
	pol, err := opt.API.Policy()
	if err != nil {
		return Report{}, fmt.Errorf("read the lockout policy (NetUserModalsGet level 3): %w", err)
	}
	rep := Report{Policy: pol}
	var plan []planned
	var names []string
	most := 0
	for _, a := range accounts {
		p := planned{acct: a}
		p.defaults = For(defs, a.Name)
		if len(p.defaults) > MaxDefaults {
			p.defaults, p.extra = p.defaults[:MaxDefaults], p.defaults[MaxDefaults:]
		}
		if a.Disabled {
			p.skip = "account is disabled"
		} else if st, err := opt.API.State(a.Name); err != nil {
			p.skip = "could not read its lockout state (NetUserGetInfo level 3): " + err.Error()
		} else if n, why := Allowed(pol, st, now()); n < 1 {
			p.skip = why
		} else {
			names = append(names, a.Name)
			most += 1 + len(p.defaults)
		}
		plan = append(plan, p)
	}
	if len(names) > 0 {
		msg := fmt.Sprintf("medharden credential probe by %s: logon attempts (LogonUser, network logon) with a blank password and published vendor defaults, at most %d in all, on the local accounts %s. Failed attempts appear as event 4625 in the Security log; the probe stops with %d failures of margin before the lockout threshold (%s).",
			orUnknown(opt.Who), most, strings.Join(names, ", "), Margin, thresholdText(pol))
		if opt.Announce == nil {
			return rep, ErrNoAnnounce
		}
		if err := opt.Announce(msg); err != nil {
			return rep, fmt.Errorf("%w: %v", ErrNoAnnounce, err)
		}
		rep.Announced = msg
	}
	for _, p := range plan {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rep.Findings = append(rep.Findings, probeAccount(opt.API, pol, now, p, &rep.Attempts)...)
	}
	return rep, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown user)"
	}
	return s
}

func thresholdText(p Policy) string {
	if p.Threshold == 0 {
		return "no lockout threshold is set"
	}
	return fmt.Sprintf("threshold %d, observation window %s", p.Threshold, p.Window)
}

// probeAccount makes one account's tests: the blank test first (with the
// console-only limit on, a blank password costs nothing), then the vendor
// defaults for its name.
func probeAccount(api API, pol Policy, now func() time.Time, p planned, total *int) []Finding {
	a := p.acct
	blank := Finding{Account: a.Name, SID: a.SID, Test: Blank}
	out := []Finding{}
	if p.skip != "" {
		blank.Skipped = p.skip
		out = append(out, blank)
		for i := range p.defaults {
			out = append(out, Finding{Account: a.Name, SID: a.SID, Test: VendorDefault, Default: &p.defaults[i], Skipped: p.skip})
		}
		return append(out, overLimit(a, p.extra)...)
	}
	stopped := ""
	try := func(f *Finding, password string) {
		if stopped != "" {
			f.Skipped = stopped
			return
		}
		st, err := api.State(a.Name)
		if err != nil {
			stopped = "could not read its lockout state (NetUserGetInfo level 3): " + err.Error()
			f.Skipped = stopped
			return
		}
		if n, why := Allowed(pol, st, now()); n < 1 {
			stopped = why
			f.Skipped = why
			return
		}
		ans := api.Logon(a.Name, password)
		f.Attempts++
		*total++
		v, detail := judge(ans, a.SID)
		switch v {
		case matches:
			f.Found, f.Detail = true, detail
		case wrong:
		default:
			stopped = detail
			f.Skipped = detail
		}
	}
	try(&blank, "")
	out = append(out, blank)
	if blank.Found {
		return out // a blank password is the account's: no default can be
	}
	for i := range p.defaults {
		f := Finding{Account: a.Name, SID: a.SID, Test: VendorDefault, Default: &p.defaults[i]}
		try(&f, p.defaults[i].Password)
		out = append(out, f)
		if f.Found {
			return out // the account has one password
		}
	}
	return append(out, overLimit(a, p.extra)...)
}

func overLimit(a Account, extra []Default) []Finding {
	var out []Finding
	for i := range extra {
		out = append(out, Finding{Account: a.Name, SID: a.SID, Test: VendorDefault, Default: &extra[i],
			Skipped: fmt.Sprintf("more than %d vendor defaults for this account name: the rest wait for the next run", MaxDefaults)})
	}
	return out
}
