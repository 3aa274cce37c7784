package csaf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusDir holds real CISA ICSMA advisories, shared by the project.
const corpusDir = "../../../shared/corpus/csaf"

func corpusFiles(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.json"))
	if len(files) == 0 {
		t.Skip("CSAF corpus not found at " + corpusDir)
	}
	return files
}

func TestParseCorpus(t *testing.T) {
	files := corpusFiles(t)
	byID := map[string]*Advisory{}
	for _, f := range files {
		a, err := ReadFile(f)
		require.NoError(t, err, f)
		assert.NotEmpty(t, a.Products, f)
		assert.NotEmpty(t, a.Vulns, f)
		byID[a.ID] = a
	}
	assert.Len(t, byID, len(files), "tracking ids are distinct")

	ge := byID["ICSMA-20-023-01"]
	require.NotNil(t, ge)
	assert.Equal(t, "CISA", ge.Publisher)
	assert.Contains(t, ge.Title, "CARESCAPE")
	assert.Equal(t, "General Electric (GE)", ge.Products["CSAFPID-0005"].Vendor)
	assert.Equal(t, "ApexPro Telemetry Server", ge.Products["CSAFPID-0005"].Product)
	assert.Equal(t, "<= 4.2", ge.Products["CSAFPID-0005"].Range)
	assert.Equal(t, "CVE-2020-6961", ge.Vulns[0].CVE)
	assert.Contains(t, ge.Vulns[0].Status["known_affected"], "CSAFPID-0005")
	require.NotEmpty(t, ge.Vulns[0].Scores)
	assert.InDelta(t, 10.0, ge.Vulns[0].Scores[0].BaseScore, 0.001)

	xtr := byID["ICSMA-20-049-01"]
	require.NotNil(t, xtr)
	assert.Equal(t, "CVE-2019-0708", xtr.Vulns[0].CVE)
	assert.Equal(t, "vers:all/*", xtr.Products["CSAFPID-0006"].Version)
	assert.Equal(t, "Windows 7", xtr.Products["CSAFPID-0006"].Product)

	hill := byID["ICSMA-21-152-01"]
	require.NotNil(t, hill)
	assert.Equal(t, "Hillrom", hill.Products["CSAFPID-0001"].Vendor)
	require.NotEmpty(t, hill.Vulns[0].Remediations)
	assert.Equal(t, "vendor_fix", hill.Vulns[0].Remediations[0].Category)
}

func TestParseOwn(t *testing.T) {
	a, err := ReadFile(filepath.Join("testdata", "own.json"))
	require.NoError(t, err)
	assert.Equal(t, "ACME-2026-001", a.ID)
	assert.Equal(t, "ACME Medical", a.Publisher)
	assert.Equal(t, "2026-11-01T00:00:00Z", a.Released)
	fix := a.Products["GW-OLD"]
	assert.Equal(t, []string{"IG-200"}, fix.Models)
	assert.Equal(t, []string{"IG-200-EU"}, fix.SKUs)
	assert.True(t, strings.HasPrefix(fix.CPE, "cpe:2.3:a:acme"))
	rel := a.Products["PM-51-WIN7"]
	assert.Equal(t, "ACME Medical", rel.Vendor, "a relationship takes the product_reference's vendor")
	assert.Equal(t, "Pump Manager", rel.Product)
	assert.Equal(t, "5.1", rel.Version)
	assert.Equal(t, "ACME Pump Manager 5.1 on Windows 7", rel.Name)
	assert.Equal(t, []string{"GW-FIX"}, a.Vulns[0].Status["fixed"])
}

// TestParseErrors: each malformed advisory is refused with the file and
// the JSON path named.
func TestParseErrors(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "own.json"))
	require.NoError(t, err)
	tests := []struct {
		name, old, new, want string
	}{
		{"no tracking id", `"id": "ACME-2026-001"`, `"id": ""`, "document.tracking.id: required"},
		{"wrong version", `"csaf_version": "2.0"`, `"csaf_version": "1.2"`, "document.csaf_version"},
		{"undefined status id", `"fixed": ["GW-FIX"]`, `"fixed": ["GW-NONE"]`, `vulnerabilities[0].product_status.fixed[0]: product id "GW-NONE" is not defined`},
		{"undefined remediation id", `"product_ids": ["GW-OLD"]`, `"product_ids": ["X"]`, "vulnerabilities[0].remediations[0].product_ids[0]"},
		{"undefined relationship ref", `"relates_to_product_reference": "WIN7"`, `"relates_to_product_reference": "WIN8"`, "product_tree.relationships[0].relates_to_product_reference"},
		{"duplicate id", `"product_id": "PM-51"`, `"product_id": "GW-OLD"`, `product id "GW-OLD" is defined twice`},
		{"wrong type", `"baseScore": 8.1`, `"baseScore": "high"`, "baseScore"},
		{"score out of range", `"baseScore": 8.1`, `"baseScore": 81`, "vulnerabilities[0].scores[0].cvss_v3.baseScore"},
		{"unknown status", `"known_not_affected"`, `"not_affected"`, "product_status.not_affected: unknown"},
		{"missing remediation details", `"details": "Update the gateway to 2.4."`, `"details": ""`, "remediations[0].details: required"},
		{"branch category", `"category": "product_name", "name": "Pump Manager"`, `"category": "product", "name": "Pump Manager"`, `product_tree.branches[0].branches[1].category: unknown branch category "product"`},
		{"remediation category", `"category": "vendor_fix"`, `"category": "fix"`, `vulnerabilities[0].remediations[0].category: unknown remediation category`},
		{"syntax", `"vulnerabilities": [{`, `"vulnerabilities": [{,`, "line 24"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := strings.Replace(string(good), tt.old, tt.new, 1)
			require.NotEqual(t, string(good), b, "the test must change the document")
			_, err := Parse("bad.json", []byte(b))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "bad.json: ")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	_, err = ReadFile(t.TempDir())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a regular file")
	_, err = Parse("big.json", make([]byte, MaxSize+1))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "larger than 16 MiB")
}

func TestRanges(t *testing.T) {
	tests := []struct {
		rng     string
		version string
		in      bool
	}{
		{"vers:generic/>=1.0|<2.0", "1.0", true},
		{"vers:generic/>=1.0|<2.0", "1.9.9", true},
		{"vers:generic/>=1.0|<2.0", "2.0", false},
		{"vers:generic/>=1.0|<2.0", "0.9", false},
		{"vers:generic/<2.0|>=1.0", "1.5", true}, // order in the text does not matter
		{"vers:generic/<=1.2|>=3.0", "2.0", false},
		{"vers:generic/<=1.2|>=3.0", "3.1", true},
		{"vers:generic/<=1.2|>=3.0", "1.2", true},
		{"vers:generic/1.10|1.11|1.13", "1.11", true},
		{"vers:generic/1.10|1.11|1.13", "1.12", false},
		{"vers:generic/>=1.0|!=1.5|<2.0", "1.5", false},
		{"vers:generic/>=1.0|!=1.5|<2.0", "1.6", true},
		{"vers:all/*", "anything", true},
		{"vers:generic/>1.2", "1.10", true}, // numeric, not text order
		{"vers:generic/<C.03", "C.02", true},
		{"<= 4.2", "4.2", true},
		{"<= 4.2", "4.3", false},
		{"< 1.52", "1.40", true},
		{"< 1.52", "1.52", false},
	}
	for _, tt := range tests {
		r, err := ParseRange(tt.rng)
		require.NoError(t, err, tt.rng)
		assert.Equal(t, tt.in, r.Contains(tt.version), "%s contains %s", tt.rng, tt.version)
	}
	for _, bad := range []string{"vers:generic", "vers:/1.0", "vers:generic/>=1.0||<2", "< 1.8.4 Service Pack 01", "all versions", "<=N x"} {
		_, err := ParseRange(bad)
		assert.Error(t, err, bad)
	}
}

func TestMatchVersion(t *testing.T) {
	tests := []struct {
		p    Product
		v    string
		want VersionStatus
	}{
		{Product{Version: "1.1.6"}, " 1.1.6 ", VersionIn},
		{Product{Version: "C.02"}, "c.02", VersionIn},
		{Product{Version: "1.1.6"}, "1.1.7", VersionOut},
		{Product{Version: "4.X | 5.X"}, "4.1", VersionOut}, // exact text only
		{Product{Version: "1.1.6"}, "", VersionUnknown},
		{Product{Version: "vers:all/*"}, "", VersionIn},
		{Product{Range: "<= 4.2"}, "", VersionUnknown},
		{Product{Range: "< 1.8.4 Service Pack 01"}, "1.8.0", VersionUnknown},
		{Product{Range: "<= 4.2"}, "4.0", VersionIn},
		{Product{}, "9", VersionIn},
	}
	for _, tt := range tests {
		got, why := tt.p.MatchVersion(tt.v)
		assert.Equal(t, tt.want, got, "%+v %q: %s", tt.p, tt.v, why)
		assert.NotEmpty(t, why)
	}
}
