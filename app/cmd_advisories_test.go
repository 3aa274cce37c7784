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
		r.Fields = assets.Fields{DeviceMake: "Hill-Rom", DeviceModel: "Connex Spot Monitor", Owner: "Ward 3 nurses"}
		r.Software = append(r.Software, csm("1.52"))
	})
	csvPath := filepath.Join(dir, "fleet.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("\ufeffdevice_key,hostname,device_make,device_model,owner\r\n"+
		"host:RAD-01,RAD-01,Philips,IntelliVue MX450,Radiology\r\n"), 0o644))
	return in, csvPath
}

func TestAdvisoriesMatch(t *testing.T) {
	adv := hillromAdvisory(t)
	in, csvPath := advisoryInventory(t)

	code, out, stderr := runInv("advisories", "match", "--inventory", in, "--inventory", csvPath, adv, "--format", "json")
	require.Equal(t, exitFindings, code, stderr)
	var doc struct {
		Matches []struct {
			Advisory, CVE, Status, Hostname, Owner, Reason string
			Key                                            string `json:"device_key"`
			Remediations                                   []struct{ Category, Details string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	status := map[string]string{}
	for _, m := range doc.Matches {
		assert.Equal(t, "ICSMA-21-152-01", m.Advisory)
		status[m.Hostname+" "+m.CVE] = m.Status
		if m.Status == "known_affected" {
			assert.Equal(t, "ICU biomed", m.Owner)
			assert.NotEmpty(t, m.Remediations)
		}
	}
	assert.Equal(t, map[string]string{
		"ICU-CS01 CVE-2021-27408": "known_affected", "ICU-CS01 CVE-2021-27410": "known_affected",
		"PUMPSRV-XP CVE-2021-27408": "not_listed", "PUMPSRV-XP CVE-2021-27410": "not_listed",
	}, status, "the Philips device in the CSV is not concerned")

	code, out, stderr = runInv("advisories", "match", "--inventory", in, adv)
	require.Equal(t, exitFindings, code, stderr)
	assert.Contains(t, out, "ICSMA-21-152-01  Hillrom Medical Device Management")
	assert.Contains(t, out, "KNOWN_AFFECTED  ICU-CS01")
	assert.Contains(t, out, "owner ICU biomed, department ICU, location Bed 4")

	csvOut := filepath.Join(t.TempDir(), "m.csv")
	code, _, stderr = runInv("advisories", "match", "--inventory", in, adv, "--format", "csv", "--out", csvOut)
	require.Equal(t, exitFindings, code, stderr)
	b, err := os.ReadFile(csvOut)
	require.NoError(t, err)
	assert.Equal(t, 5, strings.Count(string(b), "\r\n"), "header and four rows")

	code, out, stderr = runInv("advisories", "match", "--inventory", csvPath, adv)
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "0 device and vulnerability pairs")
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
			code, stdout, stderr := runInv(append([]string{"advisories", "match", "--out", out}, tt.args...)...)
			assert.Equal(t, exitInput, code)
			assert.Contains(t, stderr, tt.want)
			assert.Empty(t, stdout)
			assert.NoFileExists(t, out, "nothing written")
		})
	}
}
