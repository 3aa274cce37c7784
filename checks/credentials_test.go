package checks

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"medharden/checks/credprobe"
)

// recordedSAM replays what Windows answered: per account a password and the
// code a wrong password gives, and counts bad passwords like the SAM.
type recordedSAM struct {
	threshold uint32
	password  map[string]string // account -> its password
	code      map[string]uint32 // account -> the recorded answer, any password
	bad       map[string]uint32
	age       map[string]time.Duration // account -> usri3_password_age
	logons    int
}

func (s *recordedSAM) Policy() (credprobe.Policy, error) {
	return credprobe.Policy{Threshold: s.threshold}, nil
}
func (s *recordedSAM) State(name string) (credprobe.State, error) {
	return credprobe.State{BadCount: s.bad[name], Locked: s.code[name] == 1909, PasswordAge: s.age[name]}, nil
}
func (s *recordedSAM) Logon(name, password string) credprobe.Answer {
	s.logons++
	if c, ok := s.code[name]; ok {
		return credprobe.Answer{Code: c}
	}
	switch {
	case password == "" && s.password[name] == "":
		return credprobe.Answer{Code: 1327} // console-only limit on
	case password == s.password[name]:
		return credprobe.Answer{Code: 0}
	}
	s.bad[name]++
	return credprobe.Answer{Code: 1326}
}

type probeHost struct {
	*fakeHost
	sam    *recordedSAM
	origin Origin
}

func (h probeHost) CredentialAPI() credprobe.API { return h.sam }
func (h probeHost) Identity() Identity           { return Identity{Origin: h.origin} }

// offlineHost is a snapshot: no logon can be tried.
type offlineHost struct{ *fakeHost }

func (offlineHost) Identity() Identity { return Identity{Origin: Snapshot} }

var credDefaults = []credprobe.Default{
	{Vendor: "Acme Medical", Product: "Station 3", Account: "acmesvc", Password: "pw-acme-1", Source: "CVE-2000-1111", URL: "https://example.org/a"},
	{Vendor: "Acme Medical", Product: "Station 4", Account: "acmesvc", Password: "pw-acme-2", Source: "ICSMA-18-037-02", URL: "https://example.org/b"},
}

func credCatalog(t *testing.T) []Check {
	t.Helper()
	cat, err := Builtin()
	require.NoError(t, err)
	var out []Check
	for _, id := range []string{"MH-CRED-1", "MH-CRED-2"} {
		ch, ok := cat.Get(id)
		require.True(t, ok, id)
		out = append(out, ch)
	}
	return out
}

func credAudit(t *testing.T, h Host, probe *CredentialProbe) map[string]Result {
	t.Helper()
	rep, err := Audit(context.Background(), h, &Catalog{Checks: credCatalog(t)},
		Profile{Name: "t", OS: "win7", Levels: []string{"MH"}}, Options{Credentials: probe})
	require.NoError(t, err)
	out := map[string]Result{}
	for _, r := range rep.Results {
		out[r.ID] = r
	}
	require.Len(t, out, 2)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	for _, d := range credDefaults {
		assert.NotContains(t, string(b), d.Password, "no report holds a password")
	}
	return out
}

var credAccounts = []Account{
	{Name: "Administrator", SID: "S-1-5-21-7-500", PasswordRequired: true},
	{Name: "operator", SID: "S-1-5-21-7-1000", PasswordRequired: true},
	{Name: "acmesvc", SID: "S-1-5-21-7-1001", PasswordRequired: true},
	{Name: "kiosk", SID: "S-1-5-21-7-1002", PasswordRequired: false},
	{Name: "retired", SID: "S-1-5-21-7-1003", Disabled: true},
}

func TestCredentialsLive(t *testing.T) {
	cases := []struct {
		name                 string
		password             map[string]string
		code                 map[string]uint32
		blank, vendor        Status
		blankHas, vendorHas  string
		announcedNotContains string
	}{
		{name: "blank and vendor default found",
			password: map[string]string{"Administrator": "x", "operator": "", "acmesvc": "pw-acme-2", "kiosk": "y"},
			blank:    Fail, blankHas: "blank password: operator (S-1-5-21-7-1000): account restriction (1327)",
			vendor: Fail, vendorHas: "vendor default password in use: acmesvc (S-1-5-21-7-1001): Acme Medical Station 4 default (ICSMA-18-037-02)"},
		{name: "nothing found",
			password: map[string]string{"Administrator": "x", "operator": "y", "acmesvc": "z", "kiosk": "w"},
			blank:    Pass, blankHas: "4 tests answered", vendor: Pass, vendorHas: "2 tests answered"},
		{name: "locked account and access denied",
			password: map[string]string{"Administrator": "x", "operator": "y", "acmesvc": "z", "kiosk": "w"},
			code:     map[string]uint32{"acmesvc": 1909, "kiosk": 5},
			blank:    Error, blankHas: "not verified", vendor: Error, vendorHas: "not verified"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sam := &recordedSAM{threshold: 5, password: c.password, code: c.code, bad: map[string]uint32{}}
			h := probeHost{fakeHost: &fakeHost{os: win7, accounts: credAccounts}, sam: sam, origin: Live}
			var events []string
			res := credAudit(t, h, &CredentialProbe{Who: "tech", Defaults: credDefaults,
				Announce: func(m string) error { events = append(events, m); return nil }})
			assert.Equal(t, c.blank, res["MH-CRED-1"].Status, res["MH-CRED-1"].Reason)
			assert.Contains(t, res["MH-CRED-1"].Actual, c.blankHas)
			assert.Equal(t, c.vendor, res["MH-CRED-2"].Status, res["MH-CRED-2"].Reason)
			assert.Contains(t, res["MH-CRED-2"].Actual, c.vendorHas)
			assert.Len(t, events, 1, "one probe, one event, for both checks")
			assert.NotContains(t, events[0], "retired", "disabled accounts are not probed")
			for name, n := range sam.bad {
				assert.LessOrEqual(t, n, uint32(5-credprobe.Margin), name)
			}
		})
	}
}

func TestCredentialsLockedReason(t *testing.T) {
	sam := &recordedSAM{threshold: 5, password: map[string]string{"Administrator": "x", "operator": "y", "kiosk": "w"},
		code: map[string]uint32{"acmesvc": 1909, "kiosk": 5}, bad: map[string]uint32{}}
	h := probeHost{fakeHost: &fakeHost{os: win7, accounts: credAccounts}, sam: sam, origin: Live}
	res := credAudit(t, h, &CredentialProbe{Defaults: credDefaults, Announce: func(string) error { return nil }})
	assert.Contains(t, res["MH-CRED-1"].Reason, "acmesvc (S-1-5-21-7-1001): account is locked out")
	assert.Contains(t, res["MH-CRED-1"].Reason, "kiosk (S-1-5-21-7-1002): Windows refused the logon attempt: access denied (5)")
	assert.Contains(t, res["MH-CRED-2"].Reason, "account is locked out")
}

func TestCredentialsNotProbed(t *testing.T) {
	withSigns := append([]Account{{Name: "insite", SID: "S-1-5-21-7-1010", PasswordRequired: true}}, credAccounts...)
	noSigns := []Account{{Name: "Administrator", SID: "S-1-5-21-7-500", PasswordRequired: true}, {Name: "operator", SID: "S-1-5-21-7-1000", PasswordRequired: true}}
	cases := []struct {
		name          string
		host          Host
		probe         *CredentialProbe
		blank, vendor Status
		what          string
	}{
		{"snapshot with signs", offlineHost{&fakeHost{os: win7, accounts: withSigns}}, &CredentialProbe{}, Fail, Fail, "not verifiable offline"},
		{"snapshot without signs", offlineHost{&fakeHost{os: win7, accounts: noSigns}}, &CredentialProbe{}, NotApplicable, NotApplicable, "not verifiable offline"},
		{"live with the probe off", probeHost{fakeHost: &fakeHost{os: win7, accounts: withSigns}, sam: &recordedSAM{}, origin: Live}, nil, Fail, Fail, "--no-credential-probe"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := credAudit(t, c.host, c.probe)
			for id, want := range map[string]Status{"MH-CRED-1": c.blank, "MH-CRED-2": c.vendor} {
				r := res[id]
				assert.Equal(t, want, r.Status, id)
				assert.NotEqual(t, Pass, r.Status, "never pass without a logon test")
				assert.Contains(t, r.Actual, c.what)
			}
			if c.blank == Fail {
				assert.Contains(t, res["MH-CRED-1"].Reason, "kiosk (S-1-5-21-7-1002) may have a blank password: password not required")
				assert.NotContains(t, res["MH-CRED-1"].Reason, "retired", "disabled accounts are no sign")
				assert.Contains(t, res["MH-CRED-2"].Reason, "insite (S-1-5-21-7-1010) is a known vendor account: GE Healthcare")
				assert.Contains(t, res["MH-CRED-2"].Reason, "ICSMA-18-037-02")
				assert.NotContains(t, res["MH-CRED-2"].Reason, "Administrator", "the built-in name is no vendor sign")
			}
		})
	}
}

// Evaluate alone (remediation's verify) never tries a logon.
func TestCredentialsEvaluateNeverProbes(t *testing.T) {
	sam := &recordedSAM{password: map[string]string{}, bad: map[string]uint32{}}
	h := probeHost{fakeHost: &fakeHost{os: win7, accounts: credAccounts}, sam: sam, origin: Live}
	for _, ch := range credCatalog(t) {
		r := Evaluate(context.Background(), h, ch)
		assert.NotEqual(t, Pass, r.Status)
		assert.True(t, strings.HasPrefix(r.Actual, "not verified"), r.Actual)
	}
	assert.Zero(t, sam.logons)
}

func TestCredentialsCatalogRules(t *testing.T) {
	for _, ch := range credCatalog(t) {
		assert.NotEmpty(t, ch.Fix.Manual, ch.ID)
		assert.Nil(t, ch.Fix.Value, ch.ID)
		assert.Equal(t, []string{"AUTH", "PAUT"}, ch.Capabilities, ch.ID)
		assert.False(t, ch.Probe.Kind().Settable(), ch.ID)
	}
	// The catalog says what each check judges, the indirect signs too.
	cred2 := credCatalog(t)[1]
	rationale := strings.Join(strings.Fields(cred2.Rationale), " ")
	for _, sign := range []string{"unchanged since Windows was installed", "known vendor account's name"} {
		assert.Contains(t, rationale, sign, cred2.ID)
	}
	bad := []string{
		"probe: {credentials: {test: guess}}\nfix: {manual: m}\n",
		"probe: {credentials: {test: blank}}\nfix: {type: dword, value: 1}\n",
		"probe: {credentials: {test: blank}}\nexpect: {op: empty}\nfix: {manual: m}\n",
	}
	for _, src := range bad {
		ch := Check{ID: "MH-CRED-9", Title: "t", Level: "MH", OS: []string{"win7"}, Capabilities: []string{"AUTH"}, Rationale: "r"}
		var body Check
		require.NoError(t, yaml.Unmarshal([]byte(src), &body))
		ch.Probe, ch.Fix, ch.Expect = body.Probe, body.Fix, body.Expect
		assert.Error(t, ch.validate(), src)
	}
}

// The password's age (NetUserGetInfo level 3) against InstallDate: an
// enabled account whose password was set when Windows was installed is an
// indirect sign of a default (MH-CRED-2), live with or without the probe;
// an unknown install date makes no claim, and a snapshot says it has no age.
func TestCredentialsUnchangedSinceInstall(t *testing.T) {
	day := 24 * time.Hour
	installed := time.Now().Add(-400 * day).Truncate(time.Second)
	installReg := map[string]RegValue{strings.ToUpper(installKey + `\InstallDate`): DWORDValue(uint32(installed.Unix()))}
	date := installed.UTC().Format("2006-01-02")
	ages := map[string]time.Duration{
		"Administrator": 3 * day,               // changed since
		"operator":      400*day - 2*time.Hour, // set two hours after install
		"acmesvc":       500 * day,             // set in the image, before install
		"kiosk":         10 * day,
		"retired":       900 * day, // disabled: no sign
	}
	passwords := map[string]string{"Administrator": "x", "operator": "y", "acmesvc": "z", "kiosk": "w"}
	cases := []struct {
		name    string
		reg     map[string]RegValue
		probe   bool
		origin  Origin
		status  Status
		signs   []string
		noSigns []string
	}{
		{name: "probe on, set at install", reg: installReg, probe: true, status: Fail,
			signs:   []string{"operator (S-1-5-21-7-1000): password unchanged since Windows was installed (" + date + ")", "acmesvc (S-1-5-21-7-1001): password unchanged since Windows was installed"},
			noSigns: []string{"Administrator", "kiosk", "retired"}},
		{name: "probe off, set at install", reg: installReg, status: Fail,
			signs: []string{"operator (S-1-5-21-7-1000): password unchanged", "acmesvc (S-1-5-21-7-1001): password unchanged"}},
		{name: "probe on, unknown install date", reg: nil, probe: true, status: Pass, noSigns: []string{"unchanged"}},
		{name: "probe off, unknown install date", reg: nil, status: NotApplicable, noSigns: []string{"unchanged"}},
		{name: "probe on, install date zero", reg: map[string]RegValue{strings.ToUpper(installKey + `\InstallDate`): DWORDValue(0)}, probe: true, status: Pass, noSigns: []string{"unchanged"}},
		{name: "probe on, install date not a DWORD", reg: map[string]RegValue{strings.ToUpper(installKey + `\InstallDate`): StringValue(RegSZ, date)}, probe: true, status: Pass, noSigns: []string{"unchanged"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			accts := []Account{credAccounts[0], credAccounts[1], credAccounts[2],
				{Name: "kiosk", SID: "S-1-5-21-7-1002", PasswordRequired: true}, credAccounts[4]}
			sam := &recordedSAM{threshold: 5, password: passwords, bad: map[string]uint32{}, age: ages}
			h := probeHost{fakeHost: &fakeHost{os: win7, accounts: accts, reg: c.reg}, sam: sam, origin: Live}
			var probe *CredentialProbe
			if c.probe {
				probe = &CredentialProbe{Defaults: credDefaults, Announce: func(string) error { return nil }}
			}
			res := credAudit(t, h, probe)
			r := res["MH-CRED-2"]
			assert.Equal(t, c.status, r.Status, r.Reason)
			for _, s := range c.signs {
				assert.Contains(t, r.Reason, s)
			}
			for _, s := range c.noSigns {
				assert.NotContains(t, r.Reason, s)
			}
			assert.NotContains(t, res["MH-CRED-1"].Reason, "unchanged", "the sign is the vendor-default check's")
		})
	}
	t.Run("snapshot", func(t *testing.T) {
		h := offlineHost{&fakeHost{os: win7, accounts: credAccounts[:2], reg: installReg}}
		r := credAudit(t, h, &CredentialProbe{})["MH-CRED-2"]
		assert.Equal(t, NotApplicable, r.Status)
		assert.Contains(t, r.Reason, "whether a password changed since Windows was installed is not shown by the snapshot")
	})
}
