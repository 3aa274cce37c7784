package csaf

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/assets"
)

func device(key, make, model string, sw ...assets.Software) Device {
	return Device{Key: key, Hostname: key, Make: make, Model: model, Owner: "Biomed team",
		Department: "ICU", Location: "B2-114", Criticality: "high", Software: sw}
}

// matchIndex keys the matches by device and CVE.
func matchIndex(ms []Match) map[string]Match {
	out := map[string]Match{}
	for _, m := range ms {
		out[m.Device.Key+" "+m.CVE] = m
	}
	return out
}

// TestMatchCorpus: devices matched against a real ICSMA advisory (Hillrom
// Welch Allyn Connex Spot Monitor, affected below 1.52).
func TestMatchCorpus(t *testing.T) {
	corpusFiles(t)
	a, err := ReadFile(filepath.Join(corpusDir, "icsma-21-152-01.json"))
	require.NoError(t, err)
	csm := func(v string) assets.Software {
		return assets.Software{Name: "Welch Allyn Connex Spot Monitor", Version: v, Publisher: "Hill-Rom"}
	}
	devices := []Device{
		device("old", "Hillrom", "Connex Spot Monitor", csm("1.40")),
		device("new", "Hill-Rom", "Connex Spot Monitor", csm("1.52")),
		device("noversion", "HILLROM", "Connex Spot Monitor"),
		device("other", "Philips", "IntelliVue MX450"),
		device("blank", "", ""),
	}
	ms := matchIndex(MatchAll(devices, []*Advisory{a}))

	old := ms["old CVE-2021-27410"]
	assert.Equal(t, "known_affected", old.Status)
	assert.Equal(t, "ICSMA-21-152-01", old.Advisory)
	assert.Equal(t, "CSAFPID-0001", old.ProductID)
	assert.Equal(t, "1.40", old.Version)
	assert.Contains(t, old.Reason, `version 1.40 is in "< 1.52"`)
	require.NotNil(t, old.Score)
	assert.InDelta(t, 5.9, *old.Score, 0.001)
	require.NotEmpty(t, old.Remediations)
	assert.Equal(t, "vendor_fix", old.Remediations[0].Category)
	assert.Equal(t, "Biomed team", old.Device.Owner)
	assert.Equal(t, "known_affected", ms["old CVE-2021-27408"].Status)

	assert.Equal(t, NotListed, ms["new CVE-2021-27410"].Status)
	assert.Contains(t, ms["new CVE-2021-27410"].Reason, "outside")
	assert.Equal(t, PossiblyAffected, ms["noversion CVE-2021-27410"].Status)
	assert.Contains(t, ms["noversion CVE-2021-27410"].Reason, "clinical make and model")
	for _, k := range []string{"other", "blank"} {
		_, found := ms[k+" CVE-2021-27410"]
		assert.False(t, found, k)
	}
	assert.Len(t, ms, 6)
}

// TestMatchOwn covers ranges, fixed, relationships and model numbers.
func TestMatchOwn(t *testing.T) {
	a, err := ReadFile(filepath.Join("testdata", "own.json"))
	require.NoError(t, err)
	gw := func(v string) assets.Software {
		return assets.Software{Name: "Infusion Gateway", Version: v, Publisher: "ACME Medical Inc."}
	}
	tests := []struct {
		dev     Device
		status  string // "" when the advisory does not concern the device
		product string
	}{
		{device("gw22", "", "", gw("2.2")), "known_affected", "GW-OLD"},
		{device("gw24", "", "", gw("2.4")), "fixed", "GW-FIX"},
		{device("gw19", "", "", gw("1.9")), NotListed, ""},
		{device("model", "ACME Medical", "IG-200"), PossiblyAffected, "GW-OLD"}, // by model number, version unknown
		{device("sku", "ACME", "IG-200-EU"), PossiblyAffected, "GW-OLD"},
		{device("pm", "ACME", "Pump Manager", assets.Software{Name: "Pump Manager", Version: "5.1"}), "known_affected", "PM-51-WIN7"},
		{device("pm50", "ACME", "Pump Manager", assets.Software{Name: "Pump Manager", Version: "5.0"}), NotListed, ""},
		{device("gwmodel", "ACME Medical", "Infusion Gateway"), PossiblyAffected, "GW-OLD"},
		{device("else", "Other Corp", "Infusion Gateway", gw("2.2")), "known_affected", "GW-OLD"}, // by the program's publisher
		{device("none", "Other Corp", "Pump"), "", ""},
	}
	var devs []Device
	for _, tt := range tests {
		devs = append(devs, tt.dev)
	}
	ms := matchIndex(MatchAll(devs, []*Advisory{a}))
	for _, tt := range tests {
		m, found := ms[tt.dev.Key+" CVE-2026-0001"]
		if tt.status == "" {
			assert.False(t, found, tt.dev.Key)
			continue
		}
		require.True(t, found, tt.dev.Key)
		assert.Equal(t, tt.status, m.Status, tt.dev.Key+": "+m.Reason)
		if tt.product != "" {
			assert.Equal(t, tt.product, m.ProductID, tt.dev.Key)
		}
	}
	gw22 := ms["gw22 CVE-2026-0001"]
	require.NotNil(t, gw22.Score)
	assert.InDelta(t, 8.1, *gw22.Score, 0.001)
	assert.Equal(t, []Remediation{{Category: "vendor_fix", Details: "Update the gateway to 2.4."}}, gw22.Remediations)
	assert.True(t, Affected(gw22.Status))
	assert.False(t, Affected("fixed"))
}

func TestSameName(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"BD", "Becton, Dickinson and Company (BD)", true},
		{"becton dickinson", "Becton, Dickinson and Company (BD)", true},
		{"Hillrom", "Hillrom", true},
		{"GE", "General Electric (GE)", true},
		{"GE Healthcare", "General Electric (GE)", true},
		{"Philips Medical Systems", "Philips", true},
		{"Medical", "ACME Medical", false},
		{"Philips", "Hillrom", false},
		{"B450", "CARESCAPE B450", true},
		{"CARESCAPE B650", "B450", false},
		{"", "Hillrom", false},
		{"Hill-Rom", "Hillrom", true},
		{"WelchAllyn", "Welch-Allyn", true},
		{"Hillro", "Hill-Rom", false},
		{"Hill-Rom-X", "Hillrom", false},
		{"Inc.", "ACME Inc.", false}, // legal-form words alone name no one
	}
	for _, tt := range tests {
		assert.Equal(t, tt.same, sameName(tokens(tt.a), tokens(tt.b)), "%q vs %q", tt.a, tt.b)
	}
}
