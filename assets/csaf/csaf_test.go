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

// TestRanges: vers: ranges and the plain forms advisories write, each
// with a version in, out, or undecidable (possibly affected).
func TestRanges(t *testing.T) {
	const in, out, unknown = VersionIn, VersionOut, VersionUnknown
	tests := []struct {
		rng     string
		version string
		want    VersionStatus
	}{
		{"vers:generic/>=1.0|<2.0", "1.0", in},
		{"vers:generic/>=1.0|<2.0", "1.9.9", in},
		{"vers:generic/>=1.0|<2.0", "2.0", out},
		{"vers:generic/>=1.0|<2.0", "0.9", out},
		{"vers:generic/<2.0|>=1.0", "1.5", in}, // order in the text does not matter
		{"vers:generic/<=1.2|>=3.0", "2.0", out},
		{"vers:generic/<=1.2|>=3.0", "3.1", in},
		{"vers:generic/<=1.2|>=3.0", "1.2", in},
		{"vers:generic/1.10|1.11|1.13", "1.11", in},
		{"vers:generic/1.10|1.11|1.13", "1.12", out},
		{"vers:generic/>=1.0|!=1.5|<2.0", "1.5", out},
		{"vers:generic/>=1.0|!=1.5|<2.0", "1.6", in},
		{"vers:all/*", "anything", in},
		{"vers:all/*", "", in},
		{"vers:generic/>1.2", "1.10", in}, // numeric, not text order
		{"vers:generic/<C.03", "C.02", in},
		{"<= 4.2", "4.2", in},
		{"<= 4.2", "4.3", out},
		{"<= 4.2", "", unknown},
		{"< 1.52", "1.40", in},
		{"< 1.52", "1.52", out},
		{"<=12.1.3", "12.1.3", in},
		// Corpus forms (ICSMA-19-164-01, -20-023-01, -20-170-01, -21-152-01, -21-322-02, -21-343-01, -20-254-01).
		{"2.3.6 and  below", "2.3.6", in},
		{"2.3.6 and  below", "2.3.5.9", in},
		{"2.3.6 and  below", "2.3.7", out},
		{"2.X", "2.0.4", in},
		{"2.X", "3.0", out},
		{"2.X", "1.9", out},
		{"4.X | 5.X", "5.1", in},
		{"4.X | 5.X", "6.0", out},
		{"1.10 | 1.11 | 1.13 | 1.14", "1.13", in},
		{"1.10 | 1.11 | 1.13 | 1.14", "1.12", out},
		{">= 1.0.0 | <= 1.1.1", "1.1.0", in},
		{">= 1.0.0 | <= 1.1.1", "1.2", out},
		{">= 5.01 | <= 6.3.1", "4.9", out},
		{"< 1.8.4 Service Pack 01", "1.8.4", in},
		{"< 1.8.4 Service Pack 01", "1.8.4 SP1", out},
		{"< 1.8.4 Service Pack 01", "1.8.4 sp 01", out},
		{"< 1.8.4 Service Pack 01", "1.8.3", in},
		{"A.01 <= C.0x | 4.0", "4.0", in},
		{"A.01 <= C.0x | 4.0", "C.02", unknown}, // a wildcard inside a number
		{"A.01 <= C.0x | 4.0", "3.0", out},      // below A.01 and not 4.0
		{"<=N", "B.01", unknown},
		{"1.3.1 Build 13", "1.3.1 build 13", in},
		{"1.3.1 Build 13", "1.3.1 Build 14", out},
		{"Windows 10 Professional Operating System U.S. release", "1.0", unknown},
		// Other plain forms.
		{"prior to 5.1", "5.0.9", in},
		{"prior to 5.1", "5.1", out},
		{"All versions prior to 5.1", "5.1.1", out},
		{"all versions", "", in},
		{"All Versions", "0.1", in},
		{"versions 1.0 through 2.3", "2.3", in},
		{"versions 1.0 through 2.3", "2.4", out},
		{"versions 1.0 through 2.3", "0.9", out},
		{"1.0 through 2.X", "2.9", in},
		{"1.0 through 2.X", "3.0", out},
		{"from 3.0 to 3.2", "3.1", in},
		{"between 3.0 and 3.2", "3.3", out},
		{"4.1 and later", "4.2", in},
		{"4.1 and later", "4.0", out},
		{"up to 7", "7", in},
		{"v2.1", "2.1", unknown}, // not a form medharden reads: never guessed
		{"1.0 through 2.3", "", unknown},
	}
	for _, tt := range tests {
		r, err := ParseRange(tt.rng)
		require.NoError(t, err, tt.rng)
		got, why := r.Decide(tt.version)
		assert.Equal(t, tt.want, got, "%q against %q: %s", tt.version, tt.rng, why)
		assert.NotEmpty(t, why)
	}
	for _, bad := range []string{"vers:generic", "vers:/1.0", "vers:generic/>=1.0||<2", "vers:generic/<=N"} {
		_, err := ParseRange(bad)
		assert.Error(t, err, bad)
	}
}

func TestMatchVersion(t *testing.T) {
	tests := []struct {
		p    Product
		v    string
		want VersionStatus
		why  string
	}{
		{Product{Version: "1.1.6"}, " 1.1.6 ", VersionIn, `version 1.1.6 is in "1.1.6"`},
		{Product{Version: "C.02"}, "c.02", VersionIn, "is in"},
		{Product{Version: "1.1.6"}, "1.1.7", VersionOut, "outside"},
		{Product{Version: "4.X | 5.X"}, "4.1", VersionIn, "is in"},
		{Product{Version: "1.1.6"}, "", VersionUnknown, "device version unknown"},
		{Product{Version: "vers:all/*"}, "", VersionIn, "all versions"},
		{Product{Range: "<= 4.2"}, "", VersionUnknown, "device version unknown"},
		{Product{Range: "<=N"}, "1.0", VersionUnknown, `bound "n" is not a version`},
		{Product{Range: "<= 4.2"}, "4.0", VersionIn, "is in"},
		{Product{Range: "vers:generic/>=1|<<2"}, "1.5", VersionUnknown, "range cannot be read"},
		{Product{}, "9", VersionIn, "names no version"},
	}
	for _, tt := range tests {
		got, why := tt.p.MatchVersion(tt.v)
		assert.Equal(t, tt.want, got, "%+v %q: %s", tt.p, tt.v, why)
		assert.Contains(t, why, tt.why)
	}
}
