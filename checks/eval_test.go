package checks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// fakeHost answers from maps; a missing entry is ErrAbsent unless the
// source is marked missing.
type fakeHost struct {
	os       OSInfo
	reg      map[string]RegValue // key\name, upper case
	secpol   map[string]string   // section\name
	rights   map[string][]string
	audit    map[string]AuditFlags
	services map[string]StartType
	accounts []Account
	hotfixes []Hotfix
	volumes  []Volume
	volErr   error
	missing  map[string]bool // probe kinds whose source is not collected
}

func (f *fakeHost) OS(context.Context) (OSInfo, error) { return f.os, nil }
func (f *fakeHost) Identity() Identity                 { return Identity{Origin: Live} }
func (f *fakeHost) RegValue(_ context.Context, key, name string) (RegValue, error) {
	if f.missing["registry"] {
		return RegValue{}, fmt.Errorf("%w: no export", ErrNotCollected)
	}
	v, ok := f.reg[strings.ToUpper(key+`\`+name)]
	if !ok {
		return RegValue{}, ErrAbsent
	}
	return v, nil
}
func (f *fakeHost) SecPolicy(_ context.Context, section, name string) (string, error) {
	if f.missing["secpol"] {
		return "", fmt.Errorf("%w: the snapshot has no secedit.inf", ErrNotCollected)
	}
	v, ok := f.secpol[section+`\`+name]
	if !ok {
		return "", ErrAbsent
	}
	return v, nil
}
func (f *fakeHost) UserRight(_ context.Context, right string) ([]string, error) {
	return f.rights[right], nil
}
func (f *fakeHost) AuditPolicy(_ context.Context, guid string) (AuditFlags, error) {
	a, ok := f.audit[guid]
	if !ok {
		return AuditFlags{}, ErrAbsent
	}
	return a, nil
}
func (f *fakeHost) ServiceStart(_ context.Context, name string) (StartType, error) {
	s, ok := f.services[name]
	if !ok {
		return 0, ErrAbsent
	}
	return s, nil
}
func (f *fakeHost) Accounts(context.Context) ([]Account, error) { return f.accounts, nil }
func (f *fakeHost) Hotfixes(context.Context) ([]Hotfix, error)  { return f.hotfixes, nil }
func (f *fakeHost) Volumes(context.Context) ([]Volume, error)   { return f.volumes, f.volErr }

var win7 = OSInfo{Caption: "Microsoft Windows 7 Professional", Version: "6.1.7601"}

func check(t *testing.T, src string) Check {
	t.Helper()
	var ch Check
	dec := yaml.NewDecoder(strings.NewReader(src))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&ch))
	if ch.ID == "" {
		ch.ID = "9.9.9"
	}
	ch.Title, ch.Level, ch.OS, ch.Rationale = "t", "L1", []string{"win7"}, "r"
	if len(ch.Capabilities) == 0 {
		ch.Capabilities = []string{"SAHD"}
	}
	require.NoError(t, ch.validate(), src)
	return ch
}

const lsa = `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`

func TestEvaluate(t *testing.T) {
	host := &fakeHost{
		os: win7,
		reg: map[string]RegValue{
			strings.ToUpper(lsa + `\LmCompatibilityLevel`):         DWORDValue(3),
			strings.ToUpper(lsa + `\NoLMHash`):                     DWORDValue(1),
			strings.ToUpper(`HKLM\W\CachedLogonsCount`):            StringValue(RegSZ, "10"),
			strings.ToUpper(`HKLM\W\LegalNoticeText`):              StringValue(RegSZ, ""),
			strings.ToUpper(`HKLM\W\DefaultPassword`):              StringValue(RegSZ, "hunter2"),
			strings.ToUpper(`HKLM\W\Pipes`):                        MultiStringValue([]string{"a", "B"}),
			strings.ToUpper(`HKLM\LOCAL\EnableFirewall`):           DWORDValue(1),
			strings.ToUpper(`HKLM\W\ScRemoveOption`):               StringValue(RegSZ, "2"),
			strings.ToUpper(`HKLM\W\NotANumber`):                   StringValue(RegSZ, "abc"),
			strings.ToUpper(`HKLM\W\Types`):                        DWORDValue(2147483640),
			strings.ToUpper(`HKLM\W\Bin`):                          {Type: RegBinary, Data: []byte{1, 2}},
			strings.ToUpper(`HKLM\SOFTWARE\X\AutoAdminLogonEmpty`): StringValue(RegSZ, "0"),
		},
		secpol: map[string]string{
			`System Access\MinimumPasswordLength`: "8",
			`System Access\NewAdministratorName`:  `"Administrator"`,
			`System Access\MaximumPasswordAge`:    "42",
		},
		rights: map[string][]string{
			"SeNetworkLogonRight":     {"S-1-1-0", "S-1-5-32-544"},
			"SeDenyNetworkLogonRight": {"S-1-5-32-546", "S-1-5-113"},
			"SeTcbPrivilege":          {},
		},
		audit:    map[string]AuditFlags{"{0cce923f-69ae-11d9-bed3-505054503030}": {Success: true}},
		services: map[string]StartType{"RemoteRegistry": StartManual, "Browser": StartDisabled},
		accounts: []Account{
			{Name: "Administrator", SID: "S-1-5-21-1-2-3-500", PasswordRequired: true},
			{Name: "Guest", SID: "S-1-5-21-1-2-3-501", Disabled: true},
			{Name: "svcvendor", SID: "S-1-5-21-1-2-3-1001", PasswordRequired: false},
			{Name: "old", SID: "S-1-5-21-1-2-3-1002", Disabled: true, PasswordRequired: false},
		},
		hotfixes: []Hotfix{{ID: "KB2868038"}, {ID: "kb4012212"}},
		volErr:   fmt.Errorf("%w: Windows 7 Professional has no BitLocker", ErrNotSupported),
	}
	tests := []struct {
		name   string
		yaml   string
		status Status
		actual string
		reason string
	}{
		{"eq fails", `{probe: {registry: {key: '` + lsa + `', value: LmCompatibilityLevel}}, expect: {op: eq, value: 5}, fix: {type: dword, value: 5}}`, Fail, "3", "The setting is 3; it must be 5."},
		{"eq passes", `{probe: {registry: {key: '` + lsa + `', value: NoLMHash}}, expect: {op: eq, value: 1}, fix: {type: dword, value: 1}}`, Pass, "1", ""},
		{"absent fails by default", `{probe: {registry: {key: '` + lsa + `', value: Missing}}, expect: {op: eq, value: 1}, fix: {type: dword, value: 1}}`, Fail, "not configured", "not configured"},
		{"absent uses windows default", `{probe: {registry: {key: '` + lsa + `', value: Missing}}, expect: {op: eq, value: 5}, windows_default: 3, fix: {type: dword, value: 5}}`, Fail, "not configured (Windows default: 3)", "Windows default 3 applies"},
		{"windows default can pass", `{probe: {registry: {key: '` + lsa + `', value: Missing}}, expect: {op: eq, value: 1}, windows_default: 1, fix: {type: dword, value: 1}}`, Pass, "not configured (Windows default: 1)", ""},
		// The benchmark's audit decides the verdict; the default explains it.
		{"audit requires the value, default equivalent", `{probe: {registry: {key: '` + lsa + `', value: Missing}}, expect: {op: eq, value: 1}, absent: fail, windows_default: 1, fix: {type: dword, value: 1}}`, Fail, "not configured (Windows default: 1)", "not configured, which the benchmark's audit does not accept, though the Windows default 1 is equivalent"},
		{"audit requires the value, default weaker", `{probe: {registry: {key: '` + lsa + `', value: Missing}}, expect: {op: eq, value: 5}, absent: fail, windows_default: 3, fix: {type: dword, value: 5}}`, Fail, "not configured (Windows default: 3)", "not configured, so the Windows default 3 applies; it must be 5"},
		{"audit accepts absence, default meets", `{probe: {registry: {key: '` + lsa + `', value: Missing}}, expect: {op: eq, value: 0}, absent: pass, windows_default: 0, fix: {type: dword, value: 0}}`, Pass, "not configured (Windows default: 0)", "not configured; the Windows default 0 meets the recommendation"},
		{"audit accepts absence, default weaker", `{probe: {registry: {key: '` + lsa + `', value: Missing}}, expect: {op: eq, value: 0}, absent: pass, windows_default: 1, fix: {type: dword, value: 0}}`, Pass, "not configured (Windows default: 1)", "which the benchmark's audit accepts; Windows uses its default 1, but it must be 0"},
		{"empty default shown as quotes", `{probe: {registry: {key: '` + lsa + `', value: Missing}}, expect: {op: empty}, absent: fail, windows_default: '', fix: {type: multi_sz, value: []}}`, Fail, `not configured (Windows default: "")`, `Windows default "" is equivalent`},
		{"absent pass", `{probe: {registry: {key: '` + lsa + `', value: Missing}}, expect: {op: empty}, absent: pass, fix: {type: multi_sz, value: []}}`, Pass, "not configured", ""},
		{"numeric string range", `{probe: {registry: {key: 'HKLM\W', value: CachedLogonsCount}}, expect: {op: range, min: 0, max: 4}, fix: {type: sz, value: "4"}}`, Fail, `"10"`, "between 0 and 4"},
		{"not a number", `{probe: {registry: {key: 'HKLM\W', value: NotANumber}}, expect: {op: gte, value: 1}, fix: {type: sz, value: "1"}}`, Fail, `"abc"`, "not a number"},
		{"nonempty on empty string", `{probe: {registry: {key: 'HKLM\W', value: LegalNoticeText}}, expect: {op: nonempty}, fix: {manual: "set text"}}`, Fail, `""`, "The setting is not set; it must be set."},
		{"in", `{probe: {registry: {key: 'HKLM\W', value: ScRemoveOption}}, expect: {op: in, values: ["1","2","3"]}, fix: {type: sz, value: "1"}}`, Pass, `"2"`, ""},
		{"in large dword", `{probe: {registry: {key: 'HKLM\W', value: Types}}, expect: {op: in, values: ["2147483644","2147483640"]}, fix: {type: dword, value: 2147483640}}`, Pass, "2147483640", ""},
		{"binary shown as hex", `{probe: {registry: {key: 'HKLM\W', value: Bin}}, expect: {op: eq, value: "0102"}, fix: {manual: "x"}}`, Pass, "hex:0102", ""},
		{"set_eq is case-insensitive", `{probe: {registry: {key: 'HKLM\W', value: Pipes}}, expect: {op: set_eq, values: [b, A]}, fix: {type: multi_sz, value: [a, b]}}`, Pass, "a; B", ""},
		{"set_eq reports differences", `{probe: {registry: {key: 'HKLM\W', value: Pipes}}, expect: {op: set_eq, values: [a, c]}, fix: {type: multi_sz, value: [a, c]}}`, Fail, "a; B", "also contains B and lacks c; it must be exactly a and c"},
		{"fallback key", `{probe: {registry: {key: 'HKLM\POLICY', value: EnableFirewall, fallback: ['HKLM\LOCAL']}}, expect: {op: eq, value: 1}, fix: {type: dword, value: 1}}`, Pass, "1", ""},
		{"secret is never shown", `{probe: {registry: {key: 'HKLM\W', value: DefaultPassword}}, expect: {op: empty}, absent: pass, secret: true, fix: {manual: "remove"}}`, Fail, "set (value hidden)", "holds a value (hidden)"},
		{"password values are hidden even without secret", `{probe: {registry: {key: 'HKLM\W', value: DefaultPassword}}, expect: {op: empty}, absent: pass, fix: {manual: "remove"}}`, Fail, "set (value hidden)", "holds a value (hidden)"},
		{"secpol gte", `{probe: {secpol: {section: System Access, key: MinimumPasswordLength}}, expect: {op: gte, value: 14}, fix: {value: 14}}`, Fail, "8", "The setting is 8 characters; it must be 14 or more characters."},
		{"secpol unquoted", `{probe: {secpol: {section: System Access, key: NewAdministratorName}}, expect: {not: {op: regex, value: '^(?i)administrator$'}}, fix: {manual: "rename"}}`, Fail, "Administrator", "The setting is Administrator; it must not be administrator."},
		{"secpol not defined", `{probe: {secpol: {section: System Access, key: LockoutDuration}}, expect: {op: gte, value: 15}, fix: {value: 15}}`, Fail, "not configured", "not configured"},
		{"right subset fails with extra", `{probe: {right: SeNetworkLogonRight}, expect: {op: subset, values: ["S-1-5-32-544", "S-1-5-32-555"]}, fix: {value: ["S-1-5-32-544"]}}`, Fail, "Everyone (S-1-1-0), Administrators (S-1-5-32-544)", "also granted to Everyone (S-1-1-0)"},
		{"right no one", `{probe: {right: SeTcbPrivilege}, expect: {op: subset, values: []}, fix: {value: []}}`, Pass, "No One", ""},
		{"deny right superset", `{probe: {right: SeDenyNetworkLogonRight}, expect: {op: superset, values: ["S-1-5-32-546", "S-1-5-113"]}, fix: {value: ["S-1-5-32-546", "S-1-5-113"]}}`, Pass, "Guests (S-1-5-32-546), Local Account (S-1-5-113)", ""},
		{"audit superset", `{probe: {audit: {guid: '{0cce923f-69ae-11d9-bed3-505054503030}', name: Credential Validation}}, expect: {op: superset, values: [success, failure]}, fix: {value: [success, failure]}}`, Fail, "Success", "Auditing does not cover failure; it must cover success and failure."},
		{"service disabled or not installed", `{probe: {service: IISADMIN}, expect: {op: eq, value: disabled}, absent: pass, fix: {value: disabled}}`, Pass, "not installed", ""},
		{"service manual", `{probe: {service: RemoteRegistry}, expect: {op: eq, value: disabled}, fix: {value: disabled}}`, Fail, "manual", "The service is manual; it must be disabled."},
		{"admin enabled and not renamed", `{probe: {account: {rid: "500"}}, expect: {any: [{field: disabled, op: eq, value: "true"}, {field: name, op: ne, value: Administrator}]}, fix: {manual: x}}`, Fail, `"Administrator" (S-1-5-21-1-2-3-500), enabled`, "The account is enabled and still named Administrator."},
		{"guest disabled", `{probe: {account: {rid: "501"}}, expect: {field: disabled, op: eq, value: "true"}, fix: {manual: x}}`, Pass, `"Guest" (S-1-5-21-1-2-3-501), disabled`, ""},
		{"no enabled account without password", `{probe: {accounts: {}}, expect: {op: none, where: {all: [{field: disabled, op: eq, value: "false"}, {field: password_required, op: eq, value: "false"}]}}, fix: {manual: x}}`, Fail, "4 accounts: Administrator, Guest, svcvendor, old", "This account is enabled and allowed a blank password: svcvendor."},
		{"hotfix present", `{probe: {hotfix: [KB4012212, KB4012215]}, expect: {op: nonempty}, fix: {manual: x}}`, Pass, "installed: KB4012212", ""},
		{"hotfix missing", `{probe: {hotfix: [KB4499175]}, expect: {op: nonempty}, fix: {manual: x}}`, Fail, "none of KB4499175 among 2 installed updates", "The update is not installed; it must be installed."},
		{"bitlocker not on this edition", `{probe: {volumes: {}}, expect: {op: none, where: {field: protection_status, op: ne, value: 1}}, fix: {manual: x}}`, NotApplicable, "not available", "has no BitLocker"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(context.Background(), host, check(t, tc.yaml))
			assert.Equal(t, tc.status, r.Status, r.Reason)
			assert.Equal(t, tc.actual, r.Actual)
			assert.Contains(t, r.Reason, tc.reason)
			assert.NotContains(t, r.Actual+r.Reason+r.Expected, "hunter2")
		})
	}
}

func TestMissingSourceIsErrorNeverPass(t *testing.T) {
	host := &fakeHost{os: win7, missing: map[string]bool{"registry": true, "secpol": true}}
	for _, src := range []string{
		`{probe: {registry: {key: 'HKLM\W', value: X}}, expect: {op: empty}, absent: pass, fix: {type: sz, value: ""}}`,
		`{probe: {secpol: {section: System Access, key: MinimumPasswordLength}}, expect: {op: gte, value: 0}, fix: {value: 14}}`,
	} {
		r := Evaluate(context.Background(), host, check(t, src))
		assert.Equal(t, Error, r.Status)
		assert.Contains(t, r.Reason, "not collected")
	}
}

func TestAuditProfileMismatchAndWaivers(t *testing.T) {
	cat := &Catalog{byID: map[string]int{}}
	ch := check(t, `{probe: {secpol: {section: System Access, key: MinimumPasswordLength}}, expect: {op: gte, value: 14}, fix: {value: 14}}`)
	cat.Checks = []Check{ch}
	host := &fakeHost{os: win7, secpol: map[string]string{`System Access\MinimumPasswordLength`: "0"}}

	xp, _ := FindProfile("winxp")
	_, err := Audit(context.Background(), host, cat, xp, Options{})
	assert.True(t, errors.Is(err, ErrProfileMismatch))

	l1, _ := FindProfile("cis-win7-l1")
	rep, err := Audit(context.Background(), host, cat, l1, Options{})
	require.NoError(t, err)
	require.Len(t, rep.Results, 1)
	assert.Equal(t, Fail, rep.Results[0].Status)
	assert.Equal(t, 1, rep.ExitCode())
	assert.Equal(t, 1, rep.Summary.Fail)
	require.Len(t, rep.Summary.Capabilities, 1)
	assert.Equal(t, "SAHD", rep.Summary.Capabilities[0].Code)

	rep, err = Audit(context.Background(), host, cat, l1, Options{Waive: func(id string) (string, bool) {
		return "vendor requires short passwords (ticket 42)", id == ch.ID
	}})
	require.NoError(t, err)
	assert.Equal(t, Waived, rep.Results[0].Status)
	assert.Contains(t, rep.Results[0].Reason, "ticket 42")
	assert.Equal(t, 0, rep.ExitCode())
}

func TestRegValueAccessors(t *testing.T) {
	assert.Equal(t, []string{"a", "bc"}, MultiStringValue([]string{"a", "bc"}).Strings())
	assert.Empty(t, MultiStringValue(nil).Strings())
	assert.Equal(t, "héllo", StringValue(RegSZ, "héllo").String())
	n, ok := DWORDValue(0xffffffff).Uint64()
	assert.True(t, ok)
	assert.Equal(t, uint64(0xffffffff), n)
}
