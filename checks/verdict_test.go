package checks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const mrxsmb10 = `HKLM\SYSTEM\CURRENTCONTROLSET\SERVICES\MRXSMB10\START`

const (
	msv = `HKLM\SYSTEM\CURRENTCONTROLSET\CONTROL\LSA\MSV1_0`
	fve = `HKLM\SOFTWARE\POLICIES\MICROSOFT\FVE`
)

var xpHost = OSInfo{Caption: "Microsoft Windows XP Professional", Version: "5.1.2600"}

// TestBuiltinVerdicts judges chosen built-in checks against small hosts:
// each row is a verdict the catalog once got wrong.
func TestBuiltinVerdicts(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	tests := []struct {
		name, id string
		host     *fakeHost
		status   Status
		reason   string
	}{
		{"xp service not installed passes", "MH-XPSVC-13", &fakeHost{os: xpHost}, Pass, "not installed"},
		{"xp service automatic fails", "MH-XPSVC-13", &fakeHost{os: xpHost, services: map[string]StartType{"SNMP": StartAuto}}, Fail, "The service is automatic; it must be disabled."},
		{"xp BITS not installed passes", "MH-XPSVC-28", &fakeHost{os: xpHost}, Pass, "not installed"},
		{"lockout -1 passes", "1.2.1", &fakeHost{os: win7, secpol: map[string]string{`System Access\LockoutDuration`: "-1"}}, Pass, ""},
		{"lockout 0 passes", "1.2.1", &fakeHost{os: win7, secpol: map[string]string{`System Access\LockoutDuration`: "0"}}, Pass, ""},
		{"lockout 15 passes", "1.2.1", &fakeHost{os: win7, secpol: map[string]string{`System Access\LockoutDuration`: "15"}}, Pass, ""},
		{"lockout 5 fails", "1.2.1", &fakeHost{os: win7, secpol: map[string]string{`System Access\LockoutDuration`: "5"}}, Fail, "it must be 15 or more minutes"},
		// A driver is never in wmic's service list: without its reg export it
		// is not collected, not "not installed".
		{"driver not collected is error", "18.3.3", &fakeHost{os: win7, missing: map[string]bool{"registry": true}}, Error, "not collected"},
		{"driver disabled passes", "18.3.3", &fakeHost{os: win7, reg: map[string]RegValue{mrxsmb10: DWORDValue(4)}}, Pass, ""},
		{"driver on demand fails", "18.3.3", &fakeHost{os: win7, reg: map[string]RegValue{mrxsmb10: DWORDValue(3)}}, Fail, "The driver is manual; it must be disabled."},
		{"NTLM client 0x20080030 passes", "STIG:V-3382", &fakeHost{os: xpHost, reg: map[string]RegValue{msv + `\NTLMMINCLIENTSEC`: DWORDValue(537395248)}}, Pass, ""},
		{"NTLM client without integrity fails", "STIG:V-3382", &fakeHost{os: xpHost, reg: map[string]RegValue{msv + `\NTLMMINCLIENTSEC`: DWORDValue(537395200)}}, Fail, "it must be 537395248"},
		{"NTLM server without integrity fails", "STIG:V-3666", &fakeHost{os: xpHost, reg: map[string]RegValue{msv + `\NTLMMINSERVERSEC`: DWORDValue(537395200)}}, Fail, "it must be 537395248"},
		{"FDV discovery <none> passes", "18.9.11.1.1", &fakeHost{os: win7, reg: map[string]RegValue{fve + `\FDVDISCOVERYVOLUMETYPE`: StringValue(RegSZ, "<none>")}}, Pass, ""},
		{"FDV discovery empty fails", "18.9.11.1.1", &fakeHost{os: win7, reg: map[string]RegValue{fve + `\FDVDISCOVERYVOLUMETYPE`: StringValue(RegSZ, "")}}, Fail, "it must be <none>"},
		{"RDV discovery <none> passes", "18.9.11.3.1", &fakeHost{os: win7, reg: map[string]RegValue{fve + `\RDVDISCOVERYVOLUMETYPE`: StringValue(RegSZ, "<none>")}}, Pass, ""},
		{"lockout -2 fails", "1.2.1", &fakeHost{os: win7, secpol: map[string]string{`System Access\LockoutDuration`: "-2"}}, Fail, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ch, ok := cat.Get(tc.id)
			require.True(t, ok, tc.id)
			r := Evaluate(context.Background(), tc.host, ch)
			assert.Equal(t, tc.status, r.Status, "%s: %s / %s", tc.id, r.Actual, r.Reason)
			assert.Contains(t, r.Reason, tc.reason)
		})
	}
	for _, ch := range cat.Checks {
		if ch.Probe.Service != "" && contains(ch.OS, "xp") {
			assert.Equal(t, "pass", ch.Absent, "%s: %q says not installed passes", ch.ID, ch.Title)
		}
	}
	for id, level := range map[string]string{"18.8.22.1.7": "L2"} {
		ch, ok := cat.Get(id)
		require.True(t, ok, id)
		assert.Equal(t, level, ch.Level, id)
	}
	// The fix writes what the check expects: never the weaker value.
	for _, id := range []string{"STIG:V-3382", "STIG:V-3666", "18.9.11.1.1", "18.9.11.3.1"} {
		ch, _ := cat.Get(id)
		require.NotNil(t, ch.Fix.Value, id)
		assert.Equal(t, ch.Expect.Value.Text, ch.Fix.Value.Text, id)
	}
}

// Corrected ids stay reachable as aliases; an alias may not shadow an id.
func TestCatalogAliases(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	for old, now := range map[string]string{"STIG:V-4137": "STIG:V-4437", "STIG:V-6834": "MH-XPNET-2", "STIG:V-14248": "MH-XPRDP-1", "STIG:V-14249": "MH-XPRDP-2"} {
		ch, ok := cat.Get(old)
		require.True(t, ok, old)
		assert.Equal(t, now, ch.ID)
	}
	one := "- id: \"1.1.1\"\n  title: t\n  level: L1\n  os: [win7]\n  capabilities: [PAUT]\n  rationale: r\n" +
		"  probe: {secpol: {section: System Access, key: PasswordHistorySize}}\n  expect: {op: gte, value: 24}\n  fix: {value: 24}\n"
	two := strings.Replace(strings.Replace(one, `"1.1.1"`, `"1.1.2"`, 1), "  title", "  aliases: [\"1.1.1\"]\n  title", 1)
	_, err = LoadCatalog(fstest.MapFS{"c/a.yaml": {Data: []byte(one + two)}}, "c")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `duplicate check id "1.1.1"`)
	bad := strings.Replace(one, "  title", "  aliases: [\"../x\"]\n  title", 1)
	_, err = LoadCatalog(fstest.MapFS{"c/a.yaml": {Data: []byte(bad)}}, "c")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "aliases must be")
}

// settingAddress names what a check reads, so that two catalogs' checks of
// the same setting can be found.
func settingAddress(p Probe) string {
	switch {
	case p.Registry != nil:
		return strings.ToUpper("registry " + p.Registry.Key + `\` + p.Registry.Value)
	case p.SecPol != nil:
		return strings.ToUpper("secpol " + p.SecPol.Key)
	case p.Right != "":
		return strings.ToUpper("right " + p.Right)
	case p.Audit != nil:
		return strings.ToUpper("audit " + p.Audit.GUID)
	case p.Service != "":
		return strings.ToUpper("service " + p.Service)
	case p.Driver != "":
		return strings.ToUpper("driver " + p.Driver)
	}
	return ""
}

// TestOneCapabilityMappingPerSetting: a setting carries the same 80001-2-2
// capabilities in every catalog that checks it.
func TestOneCapabilityMappingPerSetting(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	first := map[string]Check{}
	shared := 0
	for _, ch := range cat.Checks {
		a := settingAddress(ch.Probe)
		if a == "" {
			continue
		}
		prev, seen := first[a]
		if !seen {
			first[a] = ch
			continue
		}
		if strings.Join(prev.OS, ",") == strings.Join(ch.OS, ",") {
			continue
		}
		shared++
		assert.ElementsMatch(t, prev.Capabilities, ch.Capabilities, "%s: %s and %s", a, prev.ID, ch.ID)
	}
	assert.Greater(t, shared, 100, "settings checked on both Windows 7 and XP")
	// Turning logging off protects what logs would hold; standby is about
	// keys in memory, not logoff.
	for _, id := range []string{"18.9.95.1", "18.9.95.2", "18.8.3.1", "18.8.33.6.1", "18.8.33.6.2"} {
		ch, _ := cat.Get(id)
		assert.Equal(t, []string{"STCF"}, ch.Capabilities, id)
	}
}

// TestBitLockerPolicyOnEditionWithout: on an edition without BitLocker the
// BL policy checks are not applicable, with the reason; with BitLocker
// they are judged.
func TestBitLockerPolicyOnEditionWithout(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	bl, ok := FindProfile("cis-win7-bl")
	require.True(t, ok)
	count := func(rep Report) map[Status]int {
		n := map[Status]int{}
		for _, r := range rep.Results {
			if r.Level == "BL" {
				n[r.Status]++
			}
		}
		return n
	}
	pro := &fakeHost{os: win7, volErr: fmt.Errorf("%w: Microsoft Windows 7 Professional has no BitLocker drive encryption", ErrNotSupported)}
	rep, err := Audit(context.Background(), pro, cat, bl, Options{})
	require.NoError(t, err)
	n := count(rep)
	assert.Greater(t, n[NotApplicable], 40)
	assert.Zero(t, n[Fail])
	for _, r := range rep.Results {
		if r.Level == "BL" {
			assert.Contains(t, r.Reason, "has no BitLocker", r.ID)
		}
	}
	ult := &fakeHost{os: OSInfo{Caption: "Microsoft Windows 7 Ultimate", Version: "6.1.7601"}}
	rep, err = Audit(context.Background(), ult, cat, bl, Options{})
	require.NoError(t, err)
	n = count(rep)
	assert.Zero(t, n[NotApplicable])
	assert.Greater(t, n[Fail], 40, "not configured")
}

// TestCatalogCounts holds the catalog and the README's "What is checked"
// to the same numbers.
func TestCatalogCounts(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	got := map[string]int{}
	for _, ch := range cat.Checks {
		if ch.Level == "MH" && !strings.HasPrefix(ch.ID, "MH-XP") {
			continue // medharden.yaml
		}
		got[strings.Join(ch.OS, "+")+" "+ch.Level]++
	}
	want := map[string]int{
		"win7 L1": 283, "win7 L2": 60, "win7 BL": 47, "xp STIG": 144, "xp MH": 78,
	}
	for k, n := range want {
		assert.Equal(t, n, got[k], k)
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	text := strings.Join(strings.Fields(string(readme)), " ")
	for _, claim := range []string{
		fmt.Sprintf("%d checks of the CIS Microsoft Windows 7 Workstation Benchmark v3.2.0 (L1 %d, L2 %d, BitLocker %d)",
			want["win7 L1"]+want["win7 L2"]+want["win7 BL"], want["win7 L1"], want["win7 L2"], want["win7 BL"]),
		fmt.Sprintf("%d checks (%d from the DISA Windows XP STIG, %d of medharden's own",
			want["xp STIG"]+want["xp MH"], want["xp STIG"], want["xp MH"]),
	} {
		assert.Contains(t, text, claim)
	}
}
