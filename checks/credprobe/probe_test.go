package credprobe

import (
	"context"
	"errors"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeSAM is Windows as the probe sees it: a lockout policy and accounts
// whose bad count rises on every wrong password (1326) and which lock at
// the threshold. Answers can be replaced by recorded ones.
type fakeSAM struct {
	pol      Policy
	accts    map[string]*fakeAcct
	logons   int
	recorded map[string]Answer // account -> the answer Windows gave
	stateErr error
}

type fakeAcct struct {
	sid      string
	password string
	bad      uint32
	locked   bool
	disabled bool
	maxBad   uint32
}

func (f *fakeSAM) Policy() (Policy, error) { return f.pol, nil }

func (f *fakeSAM) State(name string) (State, error) {
	if f.stateErr != nil {
		return State{}, f.stateErr
	}
	a := f.accts[strings.ToLower(name)]
	return State{BadCount: a.bad, Locked: a.locked, Disabled: a.disabled}, nil
}

func (f *fakeSAM) Logon(name, password string) Answer {
	f.logons++
	if ans, ok := f.recorded[strings.ToLower(name)]; ok {
		return ans
	}
	a := f.accts[strings.ToLower(name)]
	switch {
	case a.disabled:
		return Answer{Code: codeAccountDisabled}
	case a.locked:
		return Answer{Code: codeAccountLockedOut}
	case password == a.password && password == "":
		return Answer{Code: codeAccountRestriction} // LimitBlankPasswordUse = 1
	case password == a.password:
		return Answer{Code: codeSuccess, SID: a.sid}
	}
	a.bad++
	if a.bad > a.maxBad {
		a.maxBad = a.bad
	}
	if f.pol.Threshold > 0 && a.bad >= f.pol.Threshold {
		a.locked = true
	}
	return Answer{Code: codeLogonFailure}
}

var testDefaults = []Default{
	{Vendor: "V", Product: "P1", Account: "svc", Password: "secret-one", Source: "CVE-2000-0001", URL: "https://example.org/1"},
	{Vendor: "V", Product: "P2", Account: "svc", Password: "secret-two", Source: "CVE-2000-0002", URL: "https://example.org/2"},
	{Vendor: "V", Product: "P3", Account: "svc", Password: "secret-three", Source: "CVE-2000-0003", URL: "https://example.org/3"},
	{Vendor: "V", Product: "P4", Account: "svc", Password: "secret-four", Source: "CVE-2000-0004", URL: "https://example.org/4"},
	{Vendor: "W", Product: "Q", Account: "admin", Password: "secret-five", Source: "ICSMA-18-037-02", URL: "https://example.org/5"},
}

func run(t *testing.T, sam *fakeSAM, events *[]string) Report {
	t.Helper()
	var accts []Account
	for _, name := range []string{"admin", "operator", "svc"} {
		if a, ok := sam.accts[name]; ok {
			accts = append(accts, Account{Name: name, SID: a.sid, Disabled: a.disabled})
		}
	}
	rep, err := Run(context.Background(), Options{API: sam, Defaults: testDefaults, Who: "tech",
		Announce: func(m string) error { *events = append(*events, m); return nil }}, accts)
	require.NoError(t, err)
	return rep
}

func find(rep Report, account string, test Test) []Finding {
	var out []Finding
	for _, f := range rep.Findings {
		if f.Account == account && f.Test == test {
			out = append(out, f)
		}
	}
	return out
}

func TestRunRecordedAnswers(t *testing.T) {
	cases := []struct {
		name     string
		answer   Answer
		found    bool
		skipped  string
		attempts int
	}{
		{"account restriction: blank with the console-only limit on", Answer{Code: codeAccountRestriction}, true, "", 1},
		{"success: blank and the limit off", Answer{Code: codeSuccess, SID: "S-1-5-21-1-1001"}, true, "", 1},
		{"success mapped to Guest", Answer{Code: codeSuccess, SID: "S-1-5-21-1-501"}, false, "mapped to another account", 1},
		{"logon failure: not blank", Answer{Code: codeLogonFailure}, false, "", 1},
		{"locked out", Answer{Code: codeAccountLockedOut}, false, "locked out", 1},
		{"disabled", Answer{Code: codeAccountDisabled}, false, "disabled", 1},
		{"access denied", Answer{Code: codeAccessDenied}, false, "access denied", 1},
		{"password expired", Answer{Code: codePasswordExpired}, true, "", 1},
		{"logon type not granted", Answer{Code: codeLogonTypeNotGrant}, true, "", 1},
		{"logon hours", Answer{Code: codeInvalidLogonHours}, false, "1328", 1},
		{"unknown code", Answer{Code: 31}, false, "error 31", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sam := &fakeSAM{pol: Policy{Threshold: 5, Window: 30 * time.Minute},
				accts:    map[string]*fakeAcct{"operator": {sid: "S-1-5-21-1-1001", password: "x"}},
				recorded: map[string]Answer{"operator": c.answer}}
			var events []string
			rep := run(t, sam, &events)
			fs := find(rep, "operator", Blank)
			require.Len(t, fs, 1)
			assert.Equal(t, c.found, fs[0].Found)
			assert.Equal(t, c.attempts, fs[0].Attempts)
			if c.skipped == "" {
				assert.Empty(t, fs[0].Skipped)
			} else {
				assert.Contains(t, fs[0].Skipped, c.skipped)
			}
			require.Len(t, events, 1, "one event before the probe")
			assert.Contains(t, events[0], "operator")
			assert.Contains(t, events[0], "by tech")
			assert.Contains(t, events[0], "4625")
		})
	}
}

func TestRunVendorDefaults(t *testing.T) {
	sam := &fakeSAM{pol: Policy{Threshold: 10},
		accts: map[string]*fakeAcct{
			"svc":      {sid: "S-1-5-21-1-1002", password: "secret-two"},
			"operator": {sid: "S-1-5-21-1-1001", password: "long and own"},
			"admin":    {sid: "S-1-5-21-1-500", password: ""},
		}}
	var events []string
	rep := run(t, sam, &events)

	svc := find(rep, "svc", VendorDefault)
	require.Len(t, svc, 2, "stops at the default that matched")
	assert.False(t, svc[0].Found)
	assert.True(t, svc[1].Found)
	assert.Equal(t, "CVE-2000-0002", svc[1].Default.Source)
	assert.Equal(t, uint32(2), sam.accts["svc"].bad, "one blank and one wrong default counted")

	admin := find(rep, "admin", Blank)
	require.Len(t, admin, 1)
	assert.True(t, admin[0].Found)
	assert.Empty(t, find(rep, "admin", VendorDefault), "a blank password is not a vendor default")
	assert.Zero(t, sam.accts["admin"].bad, "a blank password refused by the console-only limit costs nothing")

	assert.Empty(t, find(rep, "operator", VendorDefault), "no default for this name")
	assert.Equal(t, 5, rep.Attempts, "admin 1, operator 1, svc 3")
	require.Len(t, events, 1)
	for _, d := range testDefaults {
		assert.NotContains(t, events[0], d.Password)
	}
}

func TestRunPerRunLimit(t *testing.T) {
	sam := &fakeSAM{pol: Policy{Threshold: 0},
		accts: map[string]*fakeAcct{"svc": {sid: "S-1-5-21-1-1002", password: "none of them"}}}
	var events []string
	rep := run(t, sam, &events)
	fs := find(rep, "svc", VendorDefault)
	require.Len(t, fs, 4)
	assert.Equal(t, 1+MaxDefaults, sam.logons, "one blank and MaxDefaults defaults")
	assert.Contains(t, fs[3].Skipped, "more than 3 vendor defaults")
}

func TestRunSkipsWithoutBudget(t *testing.T) {
	sam := &fakeSAM{pol: Policy{Threshold: 3},
		accts: map[string]*fakeAcct{
			"operator": {sid: "S-1-5-21-1-1001", password: "x", bad: 1},
			"svc":      {sid: "S-1-5-21-1-1002", password: "x", locked: true},
			"admin":    {sid: "S-1-5-21-1-500", password: "x", disabled: true},
		}}
	var events []string
	rep := run(t, sam, &events)
	assert.Zero(t, sam.logons)
	assert.Empty(t, events, "nothing to probe, nothing announced")
	assert.Contains(t, find(rep, "operator", Blank)[0].Skipped, "lockout budget: 1 of 3")
	assert.Contains(t, find(rep, "svc", Blank)[0].Skipped, "locked out")
	assert.Contains(t, find(rep, "admin", Blank)[0].Skipped, "disabled")
}

func TestRunNeedsAnnouncement(t *testing.T) {
	sam := &fakeSAM{pol: Policy{Threshold: 10}, accts: map[string]*fakeAcct{"operator": {sid: "S-1", password: "x"}}}
	accts := []Account{{Name: "operator", SID: "S-1"}}
	_, err := Run(context.Background(), Options{API: sam, Defaults: testDefaults,
		Announce: func(string) error { return errors.New("event log full") }}, accts)
	require.ErrorIs(t, err, ErrNoAnnounce)
	_, err = Run(context.Background(), Options{API: sam, Defaults: testDefaults}, accts)
	require.ErrorIs(t, err, ErrNoAnnounce)
	assert.Zero(t, sam.logons, "no attempt without the event")
}

func TestRunStateUnreadable(t *testing.T) {
	sam := &fakeSAM{pol: Policy{Threshold: 10}, stateErr: errors.New("access denied"),
		accts: map[string]*fakeAcct{"operator": {sid: "S-1", password: "x"}}}
	var events []string
	rep := run(t, sam, &events)
	assert.Zero(t, sam.logons)
	assert.Contains(t, find(rep, "operator", Blank)[0].Skipped, "NetUserGetInfo level 3")
}

// TestBudgetNeverExceeded runs the probe over many random devices: no
// account's bad count ever reaches Threshold-Margin+1 because of the probe,
// no account is ever locked by it, and no account gets more than one blank
// and MaxDefaults default attempts.
func TestBudgetNeverExceeded(t *testing.T) {
	rng := rand.New(rand.NewSource(20))
	passwords := []string{"", "secret-one", "secret-two", "secret-three", "secret-four", "secret-five", "own"}
	for i := 0; i < 3000; i++ {
		th := uint32(rng.Intn(8)) // 0 = no lockout
		sam := &fakeSAM{pol: Policy{Threshold: th, Window: time.Duration(rng.Intn(60)) * time.Minute}, accts: map[string]*fakeAcct{}}
		start := map[string]uint32{}
		for _, name := range []string{"admin", "operator", "svc"} {
			if rng.Intn(4) == 0 {
				continue
			}
			bad := uint32(0)
			if th > 0 {
				bad = uint32(rng.Intn(int(th)))
			}
			a := &fakeAcct{sid: "S-1-5-21-9-" + name, password: passwords[rng.Intn(len(passwords))],
				bad: bad, disabled: rng.Intn(6) == 0, locked: rng.Intn(8) == 0}
			sam.accts[name] = a
			start[name] = bad
		}
		var events []string
		before := map[string]bool{}
		for n, a := range sam.accts {
			before[n] = a.locked
		}
		rep := run(t, sam, &events)
		perAccount := map[string]int{}
		for _, f := range rep.Findings {
			perAccount[f.Account] += f.Attempts
		}
		for name, a := range sam.accts {
			assert.LessOrEqual(t, perAccount[name], 1+MaxDefaults, "case %d %s", i, name)
			if th == 0 {
				continue
			}
			assert.Equal(t, before[name], a.locked, "case %d: the probe locked %s", i, name)
			if a.bad > start[name] {
				assert.LessOrEqual(t, a.bad, th-Margin, "case %d: %s left with less than the margin", i, name)
			}
		}
		if sam.logons > 0 {
			assert.Len(t, events, 1, "case %d: one event before the attempts", i)
		}
	}
}
