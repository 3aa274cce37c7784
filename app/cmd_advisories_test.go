package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/assets"
	"medharden/assets/csaf"
)

const csafCorpus = "../../shared/corpus/csaf"

func hillromAdvisory(t *testing.T) string {
	p := filepath.Join(csafCorpus, "icsma-21-152-01.json")
	if _, err := os.Stat(p); err != nil {
		t.Skip("CSAF corpus not found at " + csafCorpus)
	}
	return p
}

// advisoryInventory writes an affected and a fixed Connex Spot Monitor
// station as JSON records, and an unrelated device in a merged CSV.
func advisoryInventory(t *testing.T) (string, string) {
	dir := t.TempDir()
	recs := writeSampleRecords(t, dir)
	in := filepath.Join(dir, "records")
	require.NoError(t, os.MkdirAll(in, 0o755))
	csm := func(v string) assets.Software {
		return assets.Software{Name: "Welch Allyn Connex Spot Monitor", Version: v, Publisher: "Hill-Rom", View: "32-bit", Key: "CSM"}
	}
	editRecord(t, recs[1], filepath.Join(in, "icu.json"), func(r *assets.Record) {
		r.Fields = assets.Fields{AssetTag: "ICU-0042", DeviceMake: "Hillrom", DeviceModel: "Connex Spot Monitor",
			Owner: "ICU biomed", Department: "ICU", Location: "Bed 4", Criticality: assets.High}
		r.Software = append(r.Software, csm("1.40"))
	})
	editRecord(t, recs[2], filepath.Join(in, "ward.json"), func(r *assets.Record) {
		r.Fields = assets.Fields{DeviceMake: "Hill-Rom", DeviceModel: "Connex Spot Monitor", Owner: "Ward 3 <nurses>"}
		r.Software = append(r.Software, csm("1.52"))
	})
	csvPath := filepath.Join(dir, "fleet.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("\ufeffdevice_key,hostname,device_make,device_model,owner\r\n"+
		"host:RAD-01,RAD-01,Philips,IntelliVue MX450,Radiology\r\n"+
		"host:LAB-02,LAB-02,,,Lab\r\n"), 0o644))
	return in, csvPath
}

// advisoryJSON is the --format json contract.
type advisoryJSON struct {
	Matches []struct {
		Advisory, Hostname, Status, Product, Reason string
		Key                                         string `json:"device_key"`
		Remediations                                []struct{ Category, Details string }
		Device                                      struct{ Owner string }
	}
	Unmatched []struct {
		Key, Hostname, Reason string
	} `json:"unmatched_devices"`
	Notices []struct {
		To, Clinical, Technical string
	}
}

func TestAdvisoriesMatch(t *testing.T) {
	adv := hillromAdvisory(t)
	in, csvPath := advisoryInventory(t)

	code, out, stderr := runCLI("advisories", "match", "--inventory", in, "--inventory", csvPath, adv, "--format", "json")
	require.Equal(t, exitFindings, code, stderr)
	var top map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(out), &top), out)
	assert.Contains(t, top, "matches")
	assert.Contains(t, top, "unmatched_devices")
	var doc advisoryJSON
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	status := map[string]string{}
	for _, m := range doc.Matches {
		assert.Equal(t, "ICSMA-21-152-01", m.Advisory)
		assert.NotEmpty(t, m.Key)
		assert.NotEmpty(t, m.Product)
		assert.NotEmpty(t, m.Reason)
		status[m.Hostname] = m.Status
		if m.Status == "affected" {
			assert.Equal(t, "ICU biomed", m.Device.Owner)
			assert.NotEmpty(t, m.Remediations)
		}
	}
	assert.Equal(t, map[string]string{"ICU-CS01": "affected", "PUMPSRV-XP": "not_affected"}, status,
		"one entry per device and advisory; the Philips device in the CSV is not concerned")
	unmatched := map[string]string{}
	for _, u := range doc.Unmatched {
		unmatched[u.Hostname] = u.Reason
	}
	assert.Contains(t, unmatched["LAB-02"], "clinical make unknown")
	assert.Contains(t, unmatched["RAD-01"], "operating system not recorded")
	require.Len(t, doc.Notices, 1)
	assert.Equal(t, "ICU biomed", doc.Notices[0].To)
	assert.Contains(t, doc.Notices[0].Clinical, "patient care")
	assert.NotContains(t, doc.Notices[0].Clinical, "CVE")
	assert.Contains(t, doc.Notices[0].Technical, "CVE-2021-27410")
	assert.Contains(t, doc.Notices[0].Technical, "CVSS v3 5.9")

	code, out, stderr = runCLI("advisories", "match", "--inventory", in, adv)
	require.Equal(t, exitFindings, code, stderr)
	assert.Contains(t, out, "ICSMA-21-152-01  Hillrom Medical Device Management")
	assert.Contains(t, out, "AFFECTED  ICU-CS01")
	assert.Contains(t, out, "NOT_AFFECTED  PUMPSRV-XP")
	assert.Contains(t, out, "department ICU, location Bed 4, owner ICU biomed, criticality high")
	assert.Contains(t, out, "For clinical staff:")
	assert.Contains(t, out, "For technical staff: ICSMA-21-152-01")

	csvOut := filepath.Join(t.TempDir(), "m.csv")
	code, _, stderr = runCLI("advisories", "match", "--inventory", in, adv, "--format", "csv", "--out", csvOut)
	require.Equal(t, exitFindings, code, stderr)
	b, err := os.ReadFile(csvOut)
	require.NoError(t, err)
	assert.Equal(t, 3, strings.Count(string(b), "\r\n"), "header and one row per device")

	htmlOut := filepath.Join(t.TempDir(), "m.html")
	code, _, stderr = runCLI("advisories", "match", "--inventory", in, adv, "--format", "html", "--out", htmlOut)
	require.Equal(t, exitFindings, code, stderr)
	b, err = os.ReadFile(htmlOut)
	require.NoError(t, err)
	page := string(b)
	assert.Contains(t, page, `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`)
	assert.NotContains(t, page, "<script")
	assert.Contains(t, page, "Ward 3 &lt;nurses&gt;")
	assert.NotContains(t, page, "<nurses>")
	assert.Contains(t, page, "For clinical staff:")

	code, out, stderr = runCLI("advisories", "match", "--inventory", csvPath, adv)
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "0 affected, 0 possibly affected")
	assert.Contains(t, out, "Devices that cannot be matched (2)")
}

// TestAdvisoriesMatchWindowsCSV: the merged CSV's OS, service pack,
// hotfixes and device_version columns decide the status.
func TestAdvisoriesMatchWindowsCSV(t *testing.T) {
	csvPath := filepath.Join(t.TempDir(), "fleet.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("\ufeffdevice_key,hostname,os_name,os_service_pack,device_make,device_model,owner,hotfixes,software,device_version\r\n"+
		"host:A,A,Microsoft Windows 7 Professional,Service Pack 1,Philips,PIC iX,ICU,KB1;KB2,,\r\n"+
		"host:B,B,Microsoft Windows 7 Professional,Service Pack 1,Philips,PIC iX,ICU,KB1;KB4499175,,\r\n"+
		"host:C,C,Microsoft Windows XP Professional,Service Pack 3,ACME,Central Station,Ward,,,5.0\r\n"+
		"host:D,D,Microsoft Windows Server 2003,Service Pack 2,ACME,X,Ward,,ACME Monitor Link (3.1),\r\n"), 0o644))
	code, out, stderr := runCLI("advisories", "match", "--inventory", csvPath, "../assets/csaf/testdata/windows.json", "--format", "json")
	require.Equal(t, exitFindings, code, stderr)
	var doc advisoryJSON
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	status := map[string]string{}
	for _, m := range doc.Matches {
		status[m.Hostname] = m.Status + " " + m.Product
	}
	assert.Equal(t, map[string]string{
		"A": "affected Microsoft Windows 7 Service Pack 1",
		"B": "fixed Microsoft Windows 7 Service Pack 1",
		"C": "affected Microsoft Windows XP SP3",
		"D": "not_affected Monitor Link service",
	}, status)
}

func TestAdvisoriesMatchBadInput(t *testing.T) {
	adv := hillromAdvisory(t)
	in, csvPath := advisoryInventory(t)
	b, err := os.ReadFile(adv)
	require.NoError(t, err)
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(string(b), `"known_affected": [`, `"known_affected": ["CSAFPID-0099",`, 1)), 0o644))
	badCSV := filepath.Join(t.TempDir(), "x.csv")
	require.NoError(t, os.WriteFile(badCSV, []byte("a,b\r\n1,2\r\n"), 0o644))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"undefined product", []string{"--inventory", in, bad}, `bad.json: vulnerabilities[0].product_status.known_affected[0]: product id "CSAFPID-0099" is not defined`},
		{"not an inventory CSV", []string{"--inventory", badCSV, adv}, `x.csv line 1: column "device_key" missing`},
		{"no inventory", []string{adv}, "--inventory is required"},
		{"no advisory", []string{"--inventory", csvPath}, "no advisory given"},
		{"format", []string{"--inventory", csvPath, adv, "--format", "xml"}, `unknown format "xml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.json")
			code, stdout, stderr := runCLI(append([]string{"advisories", "match", "--out", out}, tt.args...)...)
			assert.Equal(t, exitInput, code)
			assert.Contains(t, stderr, tt.want)
			assert.Empty(t, stdout)
			assert.NoFileExists(t, out, "nothing written")
		})
	}
}

// FuzzAdvisoriesHTML: every value from an advisory or the inventory is
// escaped: the page has exactly the markup of a page made with a harmless
// value.
func FuzzAdvisoriesHTML(f *testing.F) {
	page := func(t *testing.T, s string) string {
		score := 9.8
		d := csaf.Device{Key: s, Hostname: s, AssetTag: s, Make: s, Model: s, Version: s, Owner: s, Department: s, Location: s, Criticality: s}
		fd := csaf.Finding{Advisory: s, Hostname: s, DeviceKey: s, Status: csaf.StatusAffected, Product: s, Reason: s, Title: s,
			Score: &score, CVEs: []csaf.CVEStatus{{CVE: s, Status: "known_affected"}},
			Remediations: []csaf.Remediation{{Category: s, Details: s, URL: s}}, Device: d}
		r := advisoryResult{Findings: []csaf.Finding{fd}, Unmatched: []csaf.Unmatched{{DeviceKey: s, Hostname: s, Reason: s}}, Devices: 1, Advisories: 1}
		r.Notices = csaf.Notices(r.Findings)
		var b strings.Builder
		require.NoError(t, advisoriesTmpl.Execute(&b, r))
		return b.String()
	}
	fuzzEscaped(f, page)
}
