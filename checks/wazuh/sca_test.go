package wazuh

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"medharden/checks"
)

var update = flag.Bool("update", false, "rewrite the golden policy files")

func profile(t testing.TB, name string) (checks.Profile, []checks.Check) {
	t.Helper()
	p, ok := checks.FindProfile(name)
	require.True(t, ok, name)
	cat, err := checks.Builtin()
	require.NoError(t, err)
	return p, cat.Select(p)
}

func TestGoldenWin7L1(t *testing.T) {
	p, list := profile(t, "cis-win7-l1")
	pol, skipped, err := Build(p, list, "medharden_cis_win7_l1.yml")
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, Write(&b, pol, skipped))
	golden := filepath.Join("testdata", "cis-win7-l1.yml")
	if *update {
		require.NoError(t, os.WriteFile(golden, b.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), b.String(), "run go test ./checks/wazuh -update after a deliberate change")
}

// Every check of every profile is either in the policy or in the comment,
// never both, never neither; every rule the policy holds is grammatical;
// ids are unique and in the profile's block.
func TestEveryCheckAccountedFor(t *testing.T) {
	for _, name := range []string{"cis-win7-l1", "cis-win7-l2", "cis-win7-bl", "winxp"} {
		t.Run(name, func(t *testing.T) {
			p, list := profile(t, name)
			pol, skipped, err := Build(p, list, "p.yml")
			require.NoError(t, err)
			assert.Equal(t, len(list), len(pol.Checks)+len(skipped))
			assert.NotEmpty(t, pol.Checks)
			m, err := builtinIDs()
			require.NoError(t, err)
			blk, ok := m.block(p.Name)
			require.True(t, ok)
			base := blk.Base
			seen := map[int]bool{}
			ids := map[string]bool{}
			for _, c := range pol.Checks {
				assert.False(t, seen[c.ID], "duplicate id %d", c.ID)
				seen[c.ID] = true
				assert.True(t, c.ID >= base && c.ID < base+IDBlock, "id %d outside %d..", c.ID, base)
				assert.Contains(t, []string{"all", "any"}, c.Condition)
				require.NotEmpty(t, c.Rules)
				for _, r := range c.Rules {
					_, err := parseRule(r)
					assert.NoError(t, err, "check %d", c.ID)
				}
				require.Len(t, c.Compliance, 2)
				for std, v := range c.Compliance[0] {
					ids[strings.TrimPrefix(v[0], "STIG:")+std] = true
				}
				assert.NotEmpty(t, c.Compliance[1]["iec_80001_2_2"])
			}
			for _, s := range skipped {
				assert.NotEmpty(t, s.Reason, s.ID)
			}
			for _, r := range pol.Requirements.Rules {
				_, err := parseRule(r)
				assert.NoError(t, err)
			}
			var b bytes.Buffer
			require.NoError(t, Write(&b, pol, skipped))
			var back Policy
			require.NoError(t, yaml.Unmarshal(b.Bytes(), &back), "the policy is valid YAML")
			assert.Equal(t, pol, back)
			for _, s := range skipped {
				assert.Contains(t, b.String(), "#   "+s.ID+": "+s.Reason+"\n")
			}
		})
	}
}

// The policy gives the engine's verdict. evalSCA evaluates the rules the
// way Wazuh documents (a content rule on a missing value is not
// applicable; any/all by the condition truth table), over a value that is
// missing or set to each number around the thresholds; the engine judges
// the same value through a host.
func TestPolicyAgreesWithEngine(t *testing.T) {
	for _, name := range []string{"cis-win7-l1", "cis-win7-l2", "winxp"} {
		p, list := profile(t, name)
		byID := map[string]checks.Check{}
		for _, ch := range list {
			byID[strings.TrimPrefix(ch.ID, "STIG:")] = ch
		}
		pol, _, err := Build(p, list, "p.yml")
		require.NoError(t, err)
		for i, c := range pol.Checks {
			ch := byID[c.Compliance[0][complianceKey(c)][0]]
			require.NotEmpty(t, ch.ID, "check %d maps back to the catalog", c.ID)
			for _, v := range probeValues(c) {
				if v > 4 && strings.Contains(c.Rules[len(c.Rules)-1], ` -> Start -> `) {
					continue // not a start type: the engine says error, SCA fail
				}
				want := checks.Evaluate(context.Background(), oneValue{v: v}, ch).Status
				got := evalSCA(t, c, v)
				assert.Equal(t, string(want), got, "%s check %s (%d) with value %d", name, ch.ID, pol.Checks[i].ID, v)
			}
		}
	}
}

func complianceKey(c Check) string {
	for k := range c.Compliance[0] {
		return k
	}
	return ""
}

// probeValues are the numbers a check's rules compare with, one either
// side of each, and -1 for a missing value.
func probeValues(c Check) []int64 {
	vals := []int64{-1, 0}
	re := regexp.MustCompile(`compare [<>=!]+ ([0-9]+)`)
	for _, r := range c.Rules {
		for _, m := range re.FindAllStringSubmatch(r, -1) {
			n, _ := strconv.ParseInt(m[1], 10, 64)
			vals = append(vals, n-1, n, n+1)
		}
	}
	return vals
}

// evalSCA gives "pass", "fail" or "notapplicable" for value v (-1:
// missing; the key and value exist or not together).
func evalSCA(t *testing.T, c Check, v int64) string {
	t.Helper()
	var pass, fail, na int
	for _, s := range c.Rules {
		r, err := parseRule(s)
		require.NoError(t, err)
		var res string
		switch {
		case r.content == nil:
			res = verdict(v >= 0)
		case v < 0:
			res = "notapplicable"
		default:
			ok := true
			for _, o := range r.content {
				require.Equal(t, byte('n'), o.kind, s)
				ok = ok && compareInt(v, o.cmp, o.n) != o.negate
			}
			res = verdict(ok)
		}
		if r.not && res != "notapplicable" {
			res = verdict(res == "fail")
		}
		switch res {
		case "pass":
			pass++
		case "fail":
			fail++
		default:
			na++
		}
	}
	switch c.Condition {
	case "all":
		if fail > 0 {
			return "fail"
		}
		if na > 0 {
			return "notapplicable"
		}
		return "pass"
	case "any":
		if pass > 0 {
			return "pass"
		}
		if na > 0 {
			return "notapplicable"
		}
		return "fail"
	}
	t.Fatalf("condition %q", c.Condition)
	return ""
}

func verdict(ok bool) string {
	if ok {
		return "pass"
	}
	return "fail"
}

func compareInt(v int64, cmp string, n int64) bool {
	switch cmp {
	case "<":
		return v < n
	case "<=":
		return v <= n
	case "==":
		return v == n
	case "!=":
		return v != n
	case ">=":
		return v >= n
	}
	return v > n
}

// oneValue is a host where every registry value and service start type is
// v (-1: nothing exists).
type oneValue struct {
	nothing
	v int64
}

func (h oneValue) RegValue(context.Context, string, string) (checks.RegValue, error) {
	if h.v < 0 {
		return checks.RegValue{}, checks.ErrAbsent
	}
	return checks.DWORDValue(uint32(h.v)), nil
}

func (h oneValue) ServiceStart(context.Context, string) (checks.StartType, error) {
	if h.v < 0 || h.v > 4 {
		return 0, checks.ErrAbsent
	}
	return checks.StartType(h.v), nil
}

func TestRulesAbsence(t *testing.T) {
	one := &checks.Literal{Text: "1"}
	reg := checks.Probe{Registry: &checks.RegistryProbe{Key: `HKLM\SOFTWARE\Policies\X`, Value: "V"}}
	exists := `r:HKEY_LOCAL_MACHINE\SOFTWARE\Policies\X -> V`
	match := exists + ` -> n:^(\d+) compare == 1`
	tests := []struct {
		name   string
		ch     checks.Check
		cond   string
		rules  []string
		reason string
	}{
		{"missing fails", checks.Check{Probe: reg, Expect: checks.Predicate{Op: "eq", Value: one}, Absent: "fail"}, "all", []string{exists, match}, ""},
		{"missing passes", checks.Check{Probe: reg, Expect: checks.Predicate{Op: "eq", Value: one}, Absent: "pass"}, "any", []string{"not " + exists, match}, ""},
		{"missing not applicable", checks.Check{Probe: reg, Expect: checks.Predicate{Op: "eq", Value: one}, Absent: "notapplicable"}, "all", []string{match}, ""},
		{"default judged", checks.Check{Probe: reg, Expect: checks.Predicate{Op: "eq", Value: one}, WindowsDefault: one}, "any", []string{"not " + exists, match}, ""},
		{"service not installed passes",
			checks.Check{Probe: checks.Probe{Service: "Browser"}, Expect: checks.Predicate{Op: "eq", Value: &checks.Literal{Text: "disabled"}}, Absent: "pass"},
			"any", []string{`not r:HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Browser`, `r:HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\Browser -> Start -> n:^(\d+) compare == 4`}, ""},
		{"HKCU", checks.Check{Probe: checks.Probe{Registry: &checks.RegistryProbe{Key: `HKCU\Software\X`, Value: "V"}}, Expect: checks.Predicate{Op: "eq", Value: one}}, "", nil, "per-user"},
		{"text", checks.Check{Probe: reg, Expect: checks.Predicate{Op: "eq", Value: &checks.Literal{Text: "Yes"}}}, "", nil, "case-insensitively"},
		{"reserved name", checks.Check{Probe: checks.Probe{Registry: &checks.RegistryProbe{Key: `HKLM\SOFTWARE\X`, Value: "a -> b"}}, Expect: checks.Predicate{Op: "eq", Value: one}}, "", nil, "reserves"},
		{"secpol", checks.Check{Probe: checks.Probe{SecPol: &checks.SecPolProbe{Section: "System Access", Key: "MinimumPasswordLength"}}, Expect: checks.Predicate{Op: "gte", Value: one}}, "", nil, "localized"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cond, rules, why := Rules(tc.ch)
			if tc.reason != "" {
				assert.Contains(t, why, tc.reason)
				assert.Empty(t, rules)
				return
			}
			assert.Empty(t, why)
			assert.Equal(t, tc.cond, cond)
			assert.Equal(t, tc.rules, rules)
		})
	}
}

// FuzzRules feeds the generator hostile key and value names and numbers:
// whatever it emits must be grammatical, and a name it cannot write
// safely is refused.
func FuzzRules(f *testing.F) {
	f.Add(`HKLM\SOFTWARE\Policies\X`, "V", "gte", uint32(24))
	f.Add(`HKLM\SYSTEM\a -> b`, "V", "eq", uint32(1))
	f.Add(`HKLM\S`, "V'x", "lte", uint32(0))
	f.Add(`HKLM\S`, " V && W", "ne", uint32(4294967295))
	f.Add(`HKLM\`, "\n", "eq", uint32(7))
	f.Fuzz(func(t *testing.T, key, value, opName string, n uint32) {
		ch := checks.Check{
			Probe:  checks.Probe{Registry: &checks.RegistryProbe{Key: key, Value: value}},
			Expect: checks.Predicate{Op: opName, Value: &checks.Literal{Text: strconv.FormatUint(uint64(n), 10)}},
		}
		_, rules, why := Rules(ch)
		if why != "" {
			return
		}
		for _, r := range rules {
			if _, err := parseRule(r); err != nil {
				t.Fatalf("emitted %q: %v", r, err)
			}
		}
	})
}
