package checks

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinCatalog(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	for _, p := range Profiles {
		assert.NotEmpty(t, cat.Select(p), p.Name)
	}
	for _, ch := range cat.Checks {
		for _, c := range ch.Capabilities {
			assert.Contains(t, Capabilities, c, ch.ID)
		}
	}
}

func TestLoadCatalogRejectsBadEntries(t *testing.T) {
	good := `- id: "1.1.1"
  title: t
  level: L1
  os: [win7]
  capabilities: [PAUT]
  rationale: r
  probe: {secpol: {section: System Access, key: PasswordHistorySize}}
  expect: {op: gte, value: 24}
  fix: {value: 24}
`
	tests := []struct {
		name, yaml, err string
	}{
		{"unknown field", good + "  colour: red\n", "field colour not found"},
		{"unknown op", strings.Replace(good, "op: gte", "op: about", 1), "unknown op"},
		{"unknown capability", strings.Replace(good, "[PAUT]", "[XXXX]", 1), "unknown capability"},
		{"two probes", strings.Replace(good, "probe: {", "probe: {service: x, ", 1), "exactly one source"},
		{"no fix", strings.Replace(good, "  fix: {value: 24}\n", "", 1), "fix needs"},
		{"bad id", strings.Replace(good, `"1.1.1"`, `"../x"`, 1), "id must be"},
		{"range reversed", strings.Replace(good, "{op: gte, value: 24}", "{op: range, min: 5, max: 1}", 1), "min <= max"},
		{"bad regex", strings.Replace(good, "{op: gte, value: 24}", "{op: regex, value: '('}", 1), "regex"},
		{"duplicate", good + strings.Replace(good, "- id", "- id", 1), "duplicate"},
		{"not a list", "id: x\n", "cannot unmarshal"},
		{"notapplicable with default", good + "  absent: notapplicable\n  windows_default: 1\n", "exclude each other"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadCatalog(fstest.MapFS{"c/a.yaml": {Data: []byte(tc.yaml)}}, "c")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
			assert.Contains(t, err.Error(), "c/a.yaml")
		})
	}
	cat, err := LoadCatalog(fstest.MapFS{"c/a.yaml": {Data: []byte(good)}}, "c")
	require.NoError(t, err)
	ch, ok := cat.Get("1.1.1")
	require.True(t, ok)
	assert.Equal(t, KindSecPol, ch.Probe.Kind())
}

// TestCoverage holds the catalog to the reference lists: at least 330 of
// the 373 CIS Windows 7 recommendations and 120 of the XP rows.
func TestCoverage(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	win7, xp := 0, 0
	for _, ch := range cat.Checks {
		switch {
		case contains(ch.OS, "win7") && (ch.Level == "L1" || ch.Level == "L2" || ch.Level == "BL"):
			win7++
		case contains(ch.OS, "xp") && ch.Level == "STIG":
			xp++
		}
	}
	assert.GreaterOrEqual(t, win7, 330, "CIS Windows 7 checks")
	assert.GreaterOrEqual(t, xp, 120, "Windows XP STIG checks")
	t.Logf("CIS Windows 7: %d, XP STIG: %d, total: %d", win7, xp, len(cat.Checks))
}

// BenchmarkLoadCatalog decodes the embedded catalog (done once per process).
func BenchmarkLoadCatalog(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := LoadCatalog(embedded, "catalog"); err != nil {
			b.Fatal(err)
		}
	}
}
