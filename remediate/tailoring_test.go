package remediate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/winfmt"
)

const goodTailoring = `# ICU central station, vendor X, agreed 2026-11-01
profile: cis-win7-l1
waivers:
  - id: "18.9.58.3.2.1"
    justification: "Vendor remote service connects over RDP (contract 4711)"
    approver: "Dr. A. Smith, biomedical engineering"
    expires: 2027-06-30
  - id: "1.1.4"
    justification: "Old vendor PIN login"
    approver: "IT security"
    expires: "2026-01-31"
do_not_touch:
  services: [VendorMon, VendorDB]
  accounts: [vendorsvc]
emergency_account: breakglass
rdp_management: true
overrides:
  "1.2.2": 5
  "2.2.5": [S-1-5-32-544]
`

func TestParseTailoring(t *testing.T) {
	tl, err := ParseTailoring("site.yaml", []byte(goodTailoring))
	require.NoError(t, err)
	assert.Equal(t, "cis-win7-l1", tl.Profile)
	assert.Equal(t, 2, tl.ProfileLine)
	require.Len(t, tl.Waivers, 2)
	assert.Equal(t, Waiver{ID: "18.9.58.3.2.1", Justification: "Vendor remote service connects over RDP (contract 4711)",
		Approver: "Dr. A. Smith, biomedical engineering", Expires: "2027-06-30", Line: 4}, tl.Waivers[0])
	assert.Equal(t, []string{"VendorMon", "VendorDB"}, tl.DoNotTouch.Services)
	assert.Equal(t, []string{"vendorsvc"}, tl.DoNotTouch.Accounts)
	assert.Equal(t, "breakglass", tl.EmergencyAccount)
	assert.True(t, tl.RDPManagement)
	require.Len(t, tl.Overrides, 2)
	assert.Equal(t, Override{ID: "1.2.2", Value: checks.Literal{Text: "5"}, Line: 18}, tl.Overrides[0])
	assert.Equal(t, []string{"S-1-5-32-544"}, tl.Overrides[1].Value.Items)

	path := filepath.Join(t.TempDir(), "site.yaml")
	require.NoError(t, os.WriteFile(path, []byte(goodTailoring), 0o644))
	fromFile, err := LoadTailoring(path)
	require.NoError(t, err)
	assert.Equal(t, path, fromFile.File)
}

// Hostile or careless input is refused with the file and the line.
func TestTailoringRejects(t *testing.T) {
	aliasBomb := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nprofile: *e\n"
	tests := []struct {
		name string
		yaml string
		line int
		want string
	}{
		{"unknown top-level field", "profile: cis-win7-l1\nwaivres: []\n", 2, `unknown field "waivres"`},
		{"unknown waiver field", "waivers:\n  - id: \"1.1.1\"\n    justification: x\n    approver: y\n    expires: 2027-01-01\n    approved_by: z\n", 6, `unknown field "approved_by"`},
		{"waiver without approver", "waivers:\n  - id: \"1.1.1\"\n    justification: x\n    expires: 2027-01-01\n", 2, "needs approver"},
		{"waiver without justification", "waivers:\n  - id: \"1.1.1\"\n    approver: y\n    expires: 2027-01-01\n", 2, "needs justification"},
		{"waiver with empty justification", "waivers:\n  - id: \"1.1.1\"\n    justification: \"  \"\n    approver: y\n    expires: 2027-01-01\n", 2, "needs justification"},
		{"waiver without expiry", "waivers:\n  - id: \"1.1.1\"\n    justification: x\n    approver: y\n", 2, "needs expires"},
		{"bad date", "waivers:\n  - id: \"1.1.1\"\n    justification: x\n    approver: y\n    expires: 2027-02-30\n", 5, "not a date"},
		{"date in another format", "waivers:\n  - id: \"1.1.1\"\n    justification: x\n    approver: y\n    expires: 30.06.2027\n", 5, "yyyy-mm-dd"},
		{"duplicate waiver", "waivers:\n  - {id: a, justification: x, approver: y, expires: 2027-01-01}\n  - {id: a, justification: x, approver: y, expires: 2027-01-01}\n", 3, "already waived at line 2"},
		{"repeated field", "profile: cis-win7-l1\nprofile: winxp\n", 2, "repeats line 1"},
		{"unknown profile", "profile: cis-win10\n", 1, "unknown profile"},
		{"rdp_management not a bool", "rdp_management: yes please\n", 1, "true or false"},
		{"services not a list", "do_not_touch:\n  services: VendorMon\n", 2, "must be a list"},
		{"empty emergency account", "emergency_account: \"\"\n", 1, "empty"},
		{"override is a mapping", "overrides:\n  \"1.2.2\": {value: 5}\n", 2, "value or a list"},
		{"override without value", "overrides:\n  \"1.2.2\":\n", 2, "no value"},
		{"anchor", "emergency_account: &x breakglass\n", 1, "anchors and aliases"},
		{"alias bomb", aliasBomb, 1, "anchors and aliases"},
		{"not a mapping", "- profile\n", 1, "expected a mapping"},
		{"two documents", "profile: winxp\n---\nprofile: winxp\n", 2, "second YAML document"},
		{"broken YAML", "profile: [winxp\n", 0, "not valid YAML"},
		{"tab indentation", "waivers:\n\t- id: a\n", 2, "not valid YAML"},
		{"deep nesting", "overrides: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n", 1, "nested too deeply"},
		{"empty file", "\n\n", 0, "empty file"},
		{"huge file", "# " + strings.Repeat("x", MaxTailoringSize) + "\n", 0, "larger than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTailoring("site.yaml", []byte(tc.yaml))
			require.Error(t, err)
			var pe *winfmt.ParseError
			require.True(t, errors.As(err, &pe), "%T: %v", err, err)
			assert.Equal(t, "site.yaml", pe.File)
			if tc.line > 0 {
				assert.Equal(t, tc.line, pe.Line, err.Error())
			}
			assert.Contains(t, err.Error(), tc.want)
		})
	}

	big := filepath.Join(t.TempDir(), "big.yaml")
	require.NoError(t, os.WriteFile(big, []byte(strings.Repeat("#", 4*MaxTailoringSize)), 0o644))
	_, err := LoadTailoring(big)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "big.yaml")
	assert.Contains(t, err.Error(), "larger than")
	_, err = LoadTailoring(filepath.Join(t.TempDir(), "missing.yaml"))
	assert.Error(t, err)
}

func TestWaiversExpire(t *testing.T) {
	tl, err := ParseTailoring("site.yaml", []byte(goodTailoring))
	require.NoError(t, err)
	day := func(s string) func() time.Time {
		return func() time.Time { d, _ := time.ParseInLocation("2006-01-02 15:04", s, time.Local); return d }
	}
	tl.Now = day("2027-06-30 23:59")
	why, ok := tl.Waive("18.9.58.3.2.1")
	assert.True(t, ok, "valid through the last day")
	assert.Contains(t, why, "contract 4711")
	assert.Contains(t, why, "Dr. A. Smith")
	assert.Contains(t, why, "2027-06-30")
	_, ok = tl.Waive("1.1.4")
	assert.False(t, ok, "expired in January 2026")
	require.Len(t, tl.Expired(), 1)
	assert.Equal(t, "1.1.4", tl.Expired()[0].ID)

	tl.Now = day("2027-07-01 00:00")
	_, ok = tl.Waive("18.9.58.3.2.1")
	assert.False(t, ok, "expired the day after")

	var none *Tailoring
	_, ok = none.Waive("1.1.1")
	assert.False(t, ok)
	assert.Nil(t, none.Options(checks.Options{}).Waive)
}

// Waived checks show as waived in the report; expired ones show the finding
// again and the plan says so.
func TestWaiversInAuditAndPlan(t *testing.T) {
	y := "waivers:\n  - {id: \"1.1.4\", justification: vendor PIN, approver: IT, expires: " + inAYear() + "}\n" +
		"  - {id: \"1.1.1\", justification: old, approver: IT, expires: 2001-01-01}\n"
	tl, err := ParseTailoring("site.yaml", []byte(y))
	require.NoError(t, err)
	h := openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech}))
	cat, prof := testCatalog(t), profileFor(t, false)
	rep := audit(t, h, cat, prof, tl)
	status := map[string]checks.Status{}
	for _, r := range rep.Results {
		status[r.ID] = r.Status
	}
	assert.Equal(t, checks.Waived, status["1.1.4"])
	assert.Equal(t, checks.Fail, status["1.1.1"], "an expired waiver no longer hides the finding")
	p := plan(t, h, cat, prof, "failed", tl)
	for _, s := range p.Changes() {
		assert.NotEqual(t, "1.1.4", s.CheckID, "a waived check is not changed")
	}
	assert.Contains(t, strings.Join(p.Warnings, "\n"), "site.yaml:3: the waiver for 1.1.1 expired on 2001-01-01")
	var skipped bool
	for _, s := range p.Skipped {
		if s.CheckID == "1.1.4" {
			skipped = strings.Contains(s.Reason, "vendor PIN")
		}
	}
	assert.True(t, skipped, "the plan lists the waived check")
}

// An override is the fix target and the expected value of its check.
func TestOverrides(t *testing.T) {
	tl, err := ParseTailoring("site.yaml", []byte("overrides:\n  \"1.2.2\": 5\n  \"2.2.21\": []\n  \"17.1.1\": [success]\n"))
	require.NoError(t, err)
	cat := testCatalog(t)
	tailored, err := tl.Tailor(cat)
	require.NoError(t, err)
	again, err := tl.Tailor(tailored)
	require.NoError(t, err)
	ch, _ := tailored.Get("1.2.2")
	ch2, _ := again.Get("1.2.2")
	assert.Equal(t, ch, ch2, "tailoring twice is tailoring once")
	orig, _ := cat.Get("1.2.2")
	assert.Equal(t, "10", orig.Fix.Value.Text, "the catalog itself is not changed")

	h := openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech}))
	p := plan(t, h, cat, profileFor(t, false), "failed", tl)
	targets := map[string]string{}
	for _, s := range p.Changes() {
		targets[s.CheckID] = s.Target.Show(s.Setting.Kind)
	}
	assert.Equal(t, "5", targets["1.2.2"])
	assert.Equal(t, "No One", targets["2.2.21"])
	assert.Equal(t, "Success", targets["17.1.1"])

	// The overridden value is also what the audit expects: 10 no longer passes.
	require.NoError(t, h.SetSecPolicy(context.Background(), "System Access", "LockoutBadCount", "10"))
	rep := audit(t, h, cat, profileFor(t, false), tl)
	for _, r := range rep.Results {
		if r.ID == "1.2.2" {
			assert.Equal(t, checks.Fail, r.Status)
			assert.Equal(t, "= 5", r.Expected)
		}
	}

	for _, bad := range []struct{ yaml, want string }{
		{"overrides:\n  \"9.9.9\": 5\n", "site.yaml:2: override for unknown check \"9.9.9\""},
		{"overrides:\n  \"1.2.2\": [1, 2]\n", "site.yaml:2: override for 1.2.2"},
		{"overrides:\n  \"2.3.11.7\": lots\n", "not a DWORD"},
		{"overrides:\n  \"MH-ACC-8\": enabled\n", "no single value"},
		{"overrides:\n  \"17.1.1\": [sometimes]\n", "not an audit setting"},
		{"waivers:\n  - {id: \"9.9.9\", justification: x, approver: y, expires: " + inAYear() + "}\n", "site.yaml:2: waiver for unknown check"},
	} {
		tl, err := ParseTailoring("site.yaml", []byte(bad.yaml))
		require.NoError(t, err, bad.yaml)
		_, err = tl.Tailor(cat)
		require.Error(t, err, bad.yaml)
		assert.Contains(t, err.Error(), bad.want)
		var pe *winfmt.ParseError
		assert.True(t, errors.As(err, &pe))
	}
}

// inAYear is a waiver expiry within the allowed MaxWaiverYears.
func inAYear() string { return time.Now().AddDate(1, 0, 0).Format("2006-01-02") }

// Overrides are typed per check: a number in the setting's range where the
// setting is a number, an account name where it names one, one line of
// text where it is text. Anything else is refused naming the file and line.
func TestOverrideTypes(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	tests := []struct {
		id, value string
		want      string // "" = accepted
	}{
		{"1.2.2", "5", ""},
		{"1.2.2", "0", ""},
		{"1.2.2", "999", ""},
		{"1.2.2", "five", `"five" is not a whole number; LockoutBadCount takes 0 to 999`},
		{"1.2.2", "1000", "1000 is out of range; LockoutBadCount takes 0 to 999"},
		{"1.2.2", "-1", "out of range"},
		{"1.2.2", "5.5", "not a whole number"},
		{"1.1.4", "0", ""},
		{"1.1.4", "15", "MinimumPasswordLength takes 0 to 14"},
		{"1.1.1", "25", "PasswordHistorySize takes 0 to 24"},
		{"1.1.2", "-1", ""},
		{"1.1.2", "1000", "MaximumPasswordAge takes -1 to 999"},
		{"1.1.5", "2", "PasswordComplexity takes 0 to 1"},
		{"2.3.1.4", "biomedadmin", ""},
		{"2.3.1.4", `"bad/name"`, "not an account name"},
		{"2.3.1.4", "an-account-name-far-too-long", "longer than the 20 characters"},
		{"2.3.1.4", "...", "not an account name"},
		{"2.3.11.7", "5", ""},
		{"2.3.11.7", "lots", "not a DWORD"},
		{"2.3.7.5", "10", ""},
		{"2.3.7.5", "ten", `"ten" is not a whole number, which CachedLogonsCount holds`},
		{"1.2.2", "5\n[Privilege Rights]", "not a whole number"},
		{"2.3.1.4", "admin\n[Privilege Rights]", "control character"},
	}
	for _, tt := range tests {
		t.Run(tt.id+"="+tt.value, func(t *testing.T) {
			y := "# site\noverrides:\n  \"" + tt.id + "\": " + strconv.Quote(tt.value) + "\n"
			tl, err := ParseTailoring("site.yaml", []byte(y))
			require.NoError(t, err)
			_, err = tl.Tailor(cat)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			var pe *winfmt.ParseError
			require.True(t, errors.As(err, &pe), "an input error (exit 2): %v", err)
			assert.Contains(t, err.Error(), "site.yaml:3: override for "+tt.id+": ")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// Mark puts the tailoring file, line and value on every result judged
// against an override, whatever its status, and notes expired waivers.
func TestMarkOverridesAndExpiredWaivers(t *testing.T) {
	y := "overrides:\n  \"1.1.4\": 0\n  \"1.2.2\": 5\nwaivers:\n  - {id: \"1.1.1\", justification: old, approver: IT, expires: 2001-01-01}\n"
	tl, err := ParseTailoring("site.yaml", []byte(y))
	require.NoError(t, err)
	h := openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech}))
	cat, err := tl.Tailor(testCatalog(t))
	require.NoError(t, err)
	rep := audit(t, h, cat, profileFor(t, false), tl)
	require.Empty(t, rep.Tailoring)
	tl.Mark(&rep)
	assert.Equal(t, "site.yaml", rep.Tailoring, "the report names the tailoring file")
	seen := 0
	for _, r := range rep.Results {
		switch r.ID {
		case "1.1.4":
			require.NotNil(t, r.Override)
			assert.Equal(t, checks.Override{File: "site.yaml", Line: 2, Value: "0"}, *r.Override)
			seen++
		case "1.2.2":
			require.NotNil(t, r.Override)
			assert.Equal(t, checks.Override{File: "site.yaml", Line: 3, Value: "5"}, *r.Override)
			seen++
		default:
			assert.Nil(t, r.Override, r.ID)
		}
	}
	assert.Equal(t, 2, seen)
	assert.Equal(t, []string{"The waiver for 1.1.1 (site.yaml:5) expired on 2001-01-01; the check is judged again."}, rep.Notes)

	var none *Tailoring
	none.Mark(&rep) // no tailoring: nothing to mark, no panic
}

// A waiver runs at most MaxWaiverYears from today.
func TestWaiverExpiryBound(t *testing.T) {
	ok := time.Now().AddDate(MaxWaiverYears, 0, -1).Format("2006-01-02")
	_, err := ParseTailoring("site.yaml", []byte("waivers:\n  - {id: \"1.1.1\", justification: x, approver: y, expires: "+ok+"}\n"))
	require.NoError(t, err)
	for _, far := range []string{time.Now().AddDate(MaxWaiverYears, 0, 2).Format("2006-01-02"), "9999-12-31"} {
		_, err := ParseTailoring("site.yaml", []byte("waivers:\n  - id: \"1.1.1\"\n    justification: x\n    approver: y\n    expires: "+far+"\n"))
		require.Error(t, err, far)
		var pe *winfmt.ParseError
		require.True(t, errors.As(err, &pe))
		assert.Contains(t, err.Error(), "site.yaml:5: expires "+far+" is more than 3 years ahead")
	}
}

// The logon tests MH-CRED-1 and MH-CRED-2 have no value: an override is
// refused naming the file and line, a waiver works as for any check (with
// its approver and expiry, and no longer once expired).
func TestTailoringCredentialChecks(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	for _, c := range []struct{ yaml, want string }{
		{"overrides:\n  \"MH-CRED-1\": 0\n", "site.yaml:2: override for MH-CRED-1: a logon test has no value to set; to accept its finding, waive it"},
		{"profile: cis-win7-l1\noverrides:\n  \"1.2.2\": 5\n  \"MH-CRED-2\": [insite]\n", "site.yaml:4: override for MH-CRED-2: a logon test has no value to set"},
	} {
		tl, err := ParseTailoring("site.yaml", []byte(c.yaml))
		require.NoError(t, err, c.yaml)
		_, err = tl.Tailor(cat)
		require.Error(t, err, c.yaml)
		assert.Contains(t, err.Error(), c.want)
		var pe *winfmt.ParseError
		require.True(t, errors.As(err, &pe), "a bad tailoring file is exit 2")
		assert.Equal(t, "site.yaml", pe.File)
	}

	// Guest is enabled with PasswordRequired = FALSE: MH-CRED-1 fails
	// offline on its indirect sign.
	h := openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech}))
	prof := checks.Profile{Name: "mh", OS: "win7", Levels: []string{"MH"}}
	status := func(tl *Tailoring) checks.Result {
		t.Helper()
		for _, r := range audit(t, h, cat, prof, tl).Results {
			if r.ID == "MH-CRED-1" {
				return r
			}
		}
		t.Fatal("no MH-CRED-1 result")
		return checks.Result{}
	}
	assert.Equal(t, checks.Fail, status(nil).Status, "the finding without a waiver")
	for _, c := range []struct {
		name, expires string
		want          checks.Status
	}{
		{"valid", inAYear(), checks.Waived},
		{"expired", "2001-01-01", checks.Fail},
	} {
		t.Run(c.name, func(t *testing.T) {
			tl, err := ParseTailoring("site.yaml", []byte("waivers:\n  - {id: MH-CRED-1, justification: Guest kept for the vendor kiosk (contract 4711), approver: IT security, expires: "+c.expires+"}\n"))
			require.NoError(t, err)
			r := status(tl)
			assert.Equal(t, c.want, r.Status)
			assert.Contains(t, r.Reason, "Guest (S-1-5-21-11-22-33-501) may have a blank password", "the finding stays visible")
			if c.want == checks.Waived {
				assert.Contains(t, r.Reason, "approved by IT security, until "+c.expires)
			} else {
				require.Len(t, tl.Expired(), 1)
				assert.Equal(t, "MH-CRED-1", tl.Expired()[0].ID)
			}
		})
	}
}
