package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
)

// evidenceICU is the evidence of the hardened ICU-CS01 sample under the
// ICU legacy-device tailoring, on a fixed clock and author.
func evidenceICU(t *testing.T) *workflow.Evidence {
	t.Helper()
	s := workflow.New(workflow.Config{Version: "1.0.0-test", User: `HOSPITAL\biomed.tech`, Runs: t.TempDir(), Rehearsals: t.TempDir()})
	require.NoError(t, s.SetTailoring(filepath.Join("..", "testdata", "legacy-icu.yaml")))
	day := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	s.Tailoring().Now = func() time.Time { return day }
	_, err := s.Load(context.Background(), filepath.Join("..", "..", "testdata", "snapshots", "ICU-CS01-20261118-151500"))
	require.NoError(t, err)
	ev, err := s.Evidence(context.Background(), workflow.EvidenceOptions{Now: day})
	require.NoError(t, err)
	return ev
}

func TestEvidenceGolden(t *testing.T) {
	ev := evidenceICU(t)
	for _, tc := range []struct{ format, file string }{
		{"html", "evidence-icu.html.golden"},
		{"json", "evidence-icu.json.golden"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, WriteEvidence(&b, tc.format, ev))
			path := filepath.Join("testdata", tc.file)
			if *update {
				require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./app/report/ -run Evidence -update to create it")
			assert.Equal(t, string(want), b.String())
		})
	}
	// What the golden files must show, whatever they were rewritten to.
	var b bytes.Buffer
	require.NoError(t, WriteEvidenceHTML(&b, ev))
	doc := b.String()
	for _, want := range []string{
		"ICU-CS01", "Microsoft Windows 7 Professional", "2026-11-18 15:15:00", `ICU-CS01\biomedadm`, `HOSPITAL\biomed.tech`,
		"1.0.0-test", "cis-win7-l1", "legacy-icu.yaml",
		"PAUT: Person authentication", "MET, WAIVED", "NOT ASSESSED",
		"svcvendor runs the HL7 gateway", "Dr. A. Smith, biomedical engineering", "2027-06-30",
		"VLAN 112, patient-monitoring network, no route to the internet", "FW-ICU-07: only HL7 tcp/2575",
		"ACME Medical letter 2026-03-01", "None recorded", "reg/winlogon.reg",
	} {
		assert.Contains(t, doc, html.EscapeString(want))
	}
	assert.Equal(t, 19, len(regexp.MustCompile(`<section class="cap" id="cap-[A-Z]{4}">`).FindAllString(doc, -1)), "one section per capability")
	assert.Contains(t, doc, `content="`+html.EscapeString("default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")+`"`, "no script may run")
	assert.NotContains(t, doc, "<script")
	assert.Contains(t, doc, "@media print")
}

// The data embedded in the HTML is exactly what the manifest's hash
// covers: a reader of the file can check the figures without the tool.
func TestEvidenceHTMLCarriesItsHashedData(t *testing.T) {
	ev := evidenceICU(t)
	var b bytes.Buffer
	require.NoError(t, WriteEvidenceHTML(&b, ev))
	m := regexp.MustCompile(`(?s)<pre class="data" id="evidence-data">(.*?)</pre>`).FindStringSubmatch(b.String())
	require.NotNil(t, m)
	data := html.UnescapeString(m[1])
	sum := sha256.Sum256([]byte(data))
	assert.Equal(t, ev.Manifest.DataSHA256, hex.EncodeToString(sum[:]))
	assert.Contains(t, b.String(), "SHA-256 "+ev.Manifest.DataSHA256)

	// One character changed in the data changes the hash.
	ev.Data.Device.Hostname = "ICU-CS02"
	canon, err := workflow.CanonicalJSON(ev.Data)
	require.NoError(t, err)
	other := sha256.Sum256(canon)
	assert.NotEqual(t, ev.Manifest.DataSHA256, hex.EncodeToString(other[:]))
}

func TestEvidenceUnknownFormat(t *testing.T) {
	err := WriteEvidence(&bytes.Buffer{}, "pdf", &workflow.Evidence{})
	assert.ErrorContains(t, err, `unknown evidence format "pdf"`)
}

// FuzzEvidenceHTML: values from the device (host name, a check's found
// value, a waiver's text) are escaped, never markup, and the embedded
// data still hashes to the manifest's figure.
func FuzzEvidenceHTML(f *testing.F) {
	f.Add("ICU-CS01", "1", "vendor contract 4711")
	f.Add("<script>alert(1)</script>", `"><img src=x onerror=alert(1)>`, "</pre><h1>x</h1>")
	f.Add("\x1b]0;title\x07", "\u202egnp.exe", "&amp; &lt;")
	f.Fuzz(func(t *testing.T, host, actual, why string) {
		ev := &workflow.Evidence{Data: workflow.EvidenceData{
			Device: workflow.DeviceInfo{Hostname: host},
			Capabilities: []workflow.CapabilityEvidence{{Code: "AUTH", Name: "Authorization", Status: workflow.CapMetExceptions,
				Checks: []workflow.CheckEvidence{{ID: "x", Status: "waived", Actual: actual, Reason: why}}}},
			Waivers: []workflow.WaiverEvidence{{Check: "x", Justification: why, Capabilities: []string{"AUTH"}}},
		}}
		canon, err := workflow.CanonicalJSON(ev.Data)
		require.NoError(t, err)
		sum := sha256.Sum256(canon)
		ev.Manifest.DataSHA256 = hex.EncodeToString(sum[:])
		var b bytes.Buffer
		require.NoError(t, WriteEvidenceHTML(&b, ev))
		doc := b.String()
		require.NotContains(t, doc, "<script")
		require.NotContains(t, doc, "<img")
		require.Equal(t, 1, bytes.Count(b.Bytes(), []byte("</pre>")), "a value cannot close the data block")
		m := regexp.MustCompile(`(?s)<pre class="data" id="evidence-data">(.*?)</pre>`).FindStringSubmatch(doc)
		require.NotNil(t, m)
		got := sha256.Sum256([]byte(html.UnescapeString(m[1])))
		require.Equal(t, ev.Manifest.DataSHA256, hex.EncodeToString(got[:]))
	})
}
