package workflow

import (
	"bytes"
	"encoding/json"
	"sort"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

func TestCapabilityMeaningsCoverTheCatalogTable(t *testing.T) {
	var codes []string
	for c := range capabilityMeanings {
		codes = append(codes, c)
		assert.NotEmpty(t, capabilityMeanings[c], c)
	}
	sort.Strings(codes)
	assert.Equal(t, checks.CapabilityCodes(), codes, "one meaning per 80001-2-2 capability of the catalog")
}

func TestCapabilityStatus(t *testing.T) {
	for _, tc := range []struct {
		counts checks.Counts
		status string
		says   string
	}{
		{checks.Counts{}, CapNotAssessed, "No check"},
		{checks.Counts{Total: 3, Pass: 2, NotApplicable: 1}, CapMet, "all 3 checks"},
		{checks.Counts{Total: 3, Pass: 2, Waived: 1}, CapMetExceptions, "1 of 3 checks are waived"},
		{checks.Counts{Total: 3, Pass: 2, Error: 1}, CapUndetermined, "1 of 3 checks could not be read"},
		{checks.Counts{Total: 4, Pass: 1, Fail: 2, Error: 1}, CapNotMet, "2 of 4 checks fail and 1 could not be read"},
		{checks.Counts{Total: 2, Fail: 1, Waived: 1}, CapNotMet, "1 of 2 checks fail."},
	} {
		status, says := capabilityStatus(tc.counts)
		assert.Equal(t, tc.status, status, "%+v", tc.counts)
		assert.Contains(t, says, tc.says)
	}
}

func TestSecretSettingsAreNeverShown(t *testing.T) {
	val := checks.State{Exists: true, Value: checks.Value{RegType: 1, RegData: []byte{'h', 0, 'u', 0, 'n', 0, 't', 0, 'e', 0, 'r', 0, '2', 0, 0, 0}}}
	for _, tc := range []struct {
		name   string
		addr   checks.Address
		flag   bool
		secret bool
	}{
		{"named like a password", checks.Address{Kind: checks.KindRegistry, Key: `HKLM\SOFTWARE\Vendor`, Name: "ServicePassword"}, false, true},
		{"marked secret in the catalog", checks.Address{Kind: checks.KindRegistry, Key: `HKLM\SOFTWARE\Vendor`, Name: "Token"}, true, true},
		{"an ordinary value", checks.Address{Kind: checks.KindRegistry, Key: `HKLM\SOFTWARE\Vendor`, Name: "Token"}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			secret := secretSetting(tc.addr, tc.flag)
			assert.Equal(t, tc.secret, secret)
			shown := showState(tc.addr.Kind, val, secret)
			if tc.secret {
				assert.Equal(t, "set (value hidden)", shown)
				assert.Equal(t, "not set", showState(tc.addr.Kind, checks.State{}, secret))
			} else {
				assert.Contains(t, shown, "hunter2")
			}
		})
	}
}

func TestCanonicalJSON(t *testing.T) {
	got, err := CanonicalJSON(struct {
		B string            `json:"b"`
		A int               `json:"a"`
		M map[string]string `json:"m"`
	}{B: "<&>", A: 7, M: map[string]string{"z": "1", "y": "2"}})
	require.NoError(t, err)
	assert.Equal(t, `{"a":7,"b":"<&>","m":{"y":"2","z":"1"}}`, string(got))
}

// FuzzCanonicalJSON: whatever the strings, the canonical form is valid
// JSON, keeps every string, and is its own canonical form.
func FuzzCanonicalJSON(f *testing.F) {
	f.Add("ICU-CS01", `HOSPITAL\biomed`, "set (value hidden)")
	f.Add("<script>", "\u2028\u2029", "\x00\x1b[2J")
	f.Add("", "é中", `"quoted"`)
	f.Fuzz(func(t *testing.T, host, user, value string) {
		d := EvidenceData{Document: DocumentInfo{GeneratedBy: user}, Device: DeviceInfo{Hostname: host},
			Capabilities: []CapabilityEvidence{{Code: "AUTH", Checks: []CheckEvidence{{ID: "x", Actual: value}}}}}
		canon, err := CanonicalJSON(d)
		require.NoError(t, err)
		require.True(t, json.Valid(canon))
		require.False(t, bytes.ContainsAny(canon, "\n\t"), "no whitespace outside strings")
		again, err := CanonicalJSON(json.RawMessage(canon))
		require.NoError(t, err)
		require.Equal(t, string(canon), string(again))
		var back EvidenceData
		require.NoError(t, json.Unmarshal(canon, &back))
		if utf8.ValidString(host) && utf8.ValidString(value) {
			require.Equal(t, host, back.Device.Hostname)
			require.Equal(t, value, back.Capabilities[0].Checks[0].Actual)
		}
	})
}
