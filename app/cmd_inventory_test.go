package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/assets"
)

// noFields is a fields file that does not exist, so that tests never
// write next to the shared sample snapshots.
func noFields(t *testing.T) string { return filepath.Join(t.TempDir(), "fields.json") }

func decodeRecord(t *testing.T, s string) assets.Record {
	t.Helper()
	var rec assets.Record
	require.NoError(t, json.Unmarshal([]byte(s), &rec), s)
	return rec
}

func TestInventorySamples(t *testing.T) {
	tests := []struct {
		snapshot, model, serial string
		hotfixes, code          int
		exposed                 []string
	}{
		{"ICU-CS01-20261118-093000", "OptiPlex 7010", "7XQ2B52", 25, exitFindings, []string{"MS17-010", "CVE-2019-0708", "SMB1", "EOS"}},
		{"ICU-CS01-20261118-151500", "OptiPlex 7010", "7XQ2B52", 29, exitOK, []string{"EOS"}},
		{"PUMPSRV-XP-20261119-084500", "OptiPlex 755", "4J8QRG1", 18, exitFindings, []string{"MS17-010", "MS08-067", "SMB1", "EOS"}},
	}
	for _, tc := range tests {
		t.Run(tc.snapshot, func(t *testing.T) {
			code, out, stderr := runCLI("inventory", "--snapshot", sample(tc.snapshot), "--format", "json", "--fields", noFields(t))
			require.Equal(t, tc.code, code, stderr)
			rec := decodeRecord(t, out)
			assert.Equal(t, tc.model, rec.Identity.Model)
			assert.Equal(t, tc.serial, rec.Identity.SerialNumber)
			assert.Len(t, rec.Hotfixes, tc.hotfixes)
			assert.True(t, filepath.IsAbs(rec.Source), rec.Source)
			var exposed []string
			for _, e := range rec.Exposures {
				if e.Status == assets.Exposed {
					exposed = append(exposed, e.ID)
				}
			}
			assert.Equal(t, tc.exposed, exposed)
			for _, bad := range []string{"DefaultPassword", "<redacted"} {
				assert.NotContains(t, out, bad)
			}
		})
	}
}

func TestInventoryFormats(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "one.csv")
	code, out, stderr := runCLI("inventory", "--snapshot", sample("ICU-CS01-20261118-093000"), "--format", "csv", "--out", csvPath, "--fields", noFields(t))
	require.Equal(t, exitFindings, code, stderr)
	assert.Empty(t, out)
	b, err := os.ReadFile(csvPath)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("\ufeffdevice_key,hostname,")))
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, assets.CSVColumns(), rows[0])

	code, out, _ = runCLI("inventory", "--snapshot", sample("PUMPSRV-XP-20261119-084500"), "--fields", noFields(t))
	assert.Equal(t, exitFindings, code)
	assert.Contains(t, out, "Device PUMPSRV-XP")
	assert.Contains(t, out, "Critical exposures:")
	assert.NotContains(t, out, "<redacted")
}

func TestInventorySetFields(t *testing.T) {
	snap := filepath.Join(t.TempDir(), "ICU-CS01-20261118-151500")
	copyTree(t, sample("ICU-CS01-20261118-151500"), snap)
	sidecar := filepath.Join(snap, assets.FieldsFileName)

	code, out, stderr := runCLI("inventory", "--snapshot", snap, "--format", "json",
		"--set", "asset_tag=ICU-0042", "--set", "location=ICU bed 4", "--set", "criticality=Life Critical", "--set", "owner=Biomed")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "saved to "+sidecar)
	rec := decodeRecord(t, out)
	assert.Equal(t, assets.Fields{AssetTag: "ICU-0042", Location: "ICU bed 4", Criticality: "life-critical", Owner: "Biomed"}, rec.Fields)

	// The sidecar is kept with the snapshot: the next run shows the fields.
	code, out, _ = runCLI("inventory", "--snapshot", snap, "--format", "json")
	require.Equal(t, exitOK, code)
	assert.Equal(t, "ICU bed 4", decodeRecord(t, out).Fields.Location)

	before, err := os.ReadFile(sidecar)
	require.NoError(t, err)
	code, _, stderr = runCLI("inventory", "--snapshot", snap, "--set", "criticality=urgent", "--set", "colour=red", "--set", "location=Ward 3")
	assert.Equal(t, exitInput, code)
	assert.Contains(t, stderr, `criticality: "urgent" is not one of life-critical, high, medium, low`)
	assert.Contains(t, stderr, "colour: unknown field")
	after, _ := os.ReadFile(sidecar)
	assert.Equal(t, string(before), string(after), "nothing is saved when a setting is wrong")

	// --fields points elsewhere, for a live device or a shared file.
	other := filepath.Join(t.TempDir(), "pump.json")
	code, _, stderr = runCLI("inventory", "--snapshot", snap, "--fields", other, "--set", "department=Pharmacy")
	require.Equal(t, exitOK, code, stderr)
	f, err := assets.LoadFields(other)
	require.NoError(t, err)
	assert.Equal(t, assets.Fields{Department: "Pharmacy"}, f)
}

func TestInventoryInputErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"asset_tag": "A",`), 0o644))
	typo := filepath.Join(t.TempDir(), "typo.json")
	require.NoError(t, os.WriteFile(typo, []byte(`{"assettag": "A"}`), 0o644))
	snap := sample("ICU-CS01-20261118-093000")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"format", []string{"--snapshot", snap, "--format", "xml"}, `unknown format "xml"`},
		{"argument", []string{"--snapshot", snap, "extra"}, `unexpected argument "extra"`},
		{"no snapshot", []string{"--snapshot", filepath.Join(t.TempDir(), "nope")}, "nope"},
		{"corrupt fields", []string{"--snapshot", snap, "--fields", bad}, "bad.json: empty or truncated JSON"},
		{"fields typo", []string{"--snapshot", snap, "--fields", typo}, `typo.json: json: unknown field "assettag"`},
		{"set without =", []string{"--snapshot", snap, "--fields", noFields(t), "--set", "location"}, "location: expected key=value"},
		{"bad flag", []string{"--snapshotx", snap}, "flag provided but not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(append([]string{"inventory"}, tc.args...)...)
			assert.Equal(t, exitInput, code, stderr)
			assert.Contains(t, stderr, tc.want)
		})
	}
}

func TestInventoryHelp(t *testing.T) {
	code, _, stderr := runCLI("inventory", "-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stderr, "End of support")
	assert.Contains(t, stderr, "life-critical, high, medium, low")
	code, _, stderr = runCLI("inventory", "merge", "-h")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stderr, "--stale-days")
	assert.Contains(t, stderr, "ghost asset")
	_, out, _ := runCLI("help")
	assert.Contains(t, out, "inventory")
}

// records writes the three samples as JSON records and returns their paths.
func writeSampleRecords(t *testing.T, dir string) []string {
	t.Helper()
	var paths []string
	for _, name := range []string{"ICU-CS01-20261118-093000", "ICU-CS01-20261118-151500", "PUMPSRV-XP-20261119-084500"} {
		p := filepath.Join(dir, name+".json")
		code, _, stderr := runCLI("inventory", "--snapshot", sample(name), "--format", "json", "--out", p, "--fields", noFields(t))
		require.NotEqual(t, exitInput, code, stderr)
		paths = append(paths, p)
	}
	return paths
}

func editRecord(t *testing.T, src, dst string, edit func(r *assets.Record)) string {
	t.Helper()
	b, err := os.ReadFile(src)
	require.NoError(t, err)
	rec := decodeRecord(t, string(b))
	edit(&rec)
	var buf bytes.Buffer
	require.NoError(t, assets.WriteJSON(&buf, rec))
	require.NoError(t, os.WriteFile(dst, buf.Bytes(), 0o644))
	return dst
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte("\ufeff")))
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	require.NoError(t, err)
	return rows
}

func col(t *testing.T, name string) int {
	for i, c := range assets.CSVColumns() {
		if c == name {
			return i
		}
	}
	t.Fatalf("no column %s", name)
	return 0
}

func TestInventoryMerge(t *testing.T) {
	dir := t.TempDir()
	recs := writeSampleRecords(t, dir)
	out := filepath.Join(dir, "inventory.csv")

	code, stdout, stderr := runCLI(append(append([]string{"inventory", "merge"}, recs...), "--out", out, "--now", "2026-11-24")...)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "inventory merge: 3 records -> 2 devices")
	assert.Contains(t, stdout, "merged:          1 records")
	assert.Contains(t, stdout, "wrote "+out)
	rows := readCSV(t, out)
	require.Len(t, rows, 3)
	assert.Equal(t, "ICU-CS01", rows[1][col(t, "hostname")])
	assert.Equal(t, "2", rows[1][col(t, "record_count")])
	assert.Equal(t, "not_exposed", rows[1][col(t, "exposure_ms17_010")], "the hardened record is the latest")
	assert.Equal(t, "exposed", rows[2][col(t, "exposure_ms08_067")])
	b, _ := os.ReadFile(out)
	assert.NotContains(t, string(b), "<redacted")
	assert.NotContains(t, string(b), "DefaultPassword")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		assert.False(t, strings.HasSuffix(e.Name(), ".tmp"), "atomic write leaves no temporary file: %s", e.Name())
	}
}

func TestInventoryMergeFindings(t *testing.T) {
	dir := t.TempDir()
	recs := writeSampleRecords(t, dir)
	in := filepath.Join(dir, "in")
	require.NoError(t, os.MkdirAll(in, 0o755))
	// The Windows 7 station, renamed and moved between two visits.
	editRecord(t, recs[0], filepath.Join(in, "a.json"), func(r *assets.Record) {
		r.Fields = assets.Fields{AssetTag: "ICU-0042", Location: "ICU bed 4"}
	})
	editRecord(t, recs[1], filepath.Join(in, "b.json"), func(r *assets.Record) {
		r.Identity.Hostname = "ICU-CS07"
		r.Fields = assets.Fields{AssetTag: "ICU-0042", Location: "Ward 3"}
	})
	// The XP server carries the same tag and was last seen in the spring.
	editRecord(t, recs[2], filepath.Join(in, "c.json"), func(r *assets.Record) {
		r.CollectedAt = "2026-04-01T08:45:00+01:00"
		r.Fields = assets.Fields{AssetTag: "icu-0042"}
	})
	out := filepath.Join(dir, "fleet.csv")
	code, stdout, stderr := runCLI("inventory", "merge", in, "--out", out, "--stale-days", "90", "--now", "2026-11-24")
	require.Equal(t, exitFindings, code, stderr)
	for _, want := range []string{
		"3 records -> 2 devices",
		"(1 devices renamed)",
		"moved:           1 devices",
		"duplicate tags:  1 asset tags",
		"ghosts:          1 devices not seen for more than 90 days (to 2026-11-24)",
		"ICU bed 4 -> Ward 3 on 2026-11-18 (" + filepath.Join(in, "b.json") + ")",
		`asset tag "ICU-0042" is on 2 devices`,
		filepath.Join(in, "c.json"),
		"ICU-CS01 -> ICU-CS07",
	} {
		assert.Contains(t, stdout, want)
	}
	rows := readCSV(t, out)
	require.Len(t, rows, 3)
	assert.Equal(t, "ICU-CS07", rows[1][col(t, "hostname")])
	assert.Equal(t, "ICU-CS01", rows[1][col(t, "previous_hostnames")])
	assert.Equal(t, "ICU bed 4", rows[1][col(t, "previous_location")])
	assert.Equal(t, "merged;renamed;moved;duplicate_tag", rows[1][col(t, "flags")])
	assert.Equal(t, "duplicate_tag;ghost", rows[2][col(t, "flags")])

	// A pattern, as cmd.exe passes it through, and --stale-days 0.
	code, _, stderr = runCLI("inventory", "merge", filepath.Join(in, "*.json"), "--out", out, "--stale-days", "0")
	assert.Equal(t, exitFindings, code, "the duplicate tag remains: %s", stderr)
}

func TestInventoryMergeInputErrors(t *testing.T) {
	dir := t.TempDir()
	recs := writeSampleRecords(t, dir)
	corrupt := filepath.Join(dir, "corrupt.json")
	require.NoError(t, os.WriteFile(corrupt, []byte("{\n  \"schema\": \"medharden-inventory/1\",\n  \"identity\": {\"hostname\": \"X\"\n"), 0o644))
	fleet := filepath.Join(dir, "fleet.json")
	require.NoError(t, os.WriteFile(fleet, []byte(`[{"collected_at":"2026-11-18T09:30:00Z","identity":{"hostname":"OK-1"}},{"collected_at":"2026-11-18T09:30:00Z","identity":{}}]`), 0o644))
	out := filepath.Join(dir, "out.csv")

	code, _, stderr := runCLI("inventory", "merge", recs[0], corrupt, fleet, "--out", out)
	assert.Equal(t, exitInput, code)
	assert.Contains(t, stderr, corrupt+": empty or truncated JSON")
	assert.Contains(t, stderr, fleet+" record 2: missing required field identity.hostname")
	assert.Contains(t, stderr, "2 invalid file(s) or record(s); nothing written")
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "nothing written")

	code, stdout, stderr := runCLI("inventory", "merge", recs[0], corrupt, fleet, "--out", out, "--skip-invalid", "--now", "2026-11-24")
	assert.Equal(t, exitFindings, code, stderr)
	assert.Contains(t, stdout, "left out:        2 invalid files or records")
	assert.Contains(t, stdout, "invalid: "+corrupt)
	assert.Len(t, readCSV(t, out), 3, "header, ICU-CS01 and OK-1")

	// Without --out the CSV goes to standard output and the summary to standard error.
	code, stdout, stderr = runCLI("inventory", "merge", recs[2], "--now", "2026-11-24")
	assert.Equal(t, exitOK, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, "\ufeffdevice_key,"))
	assert.Contains(t, stderr, "1 records -> 1 devices")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "no input files"},
		{[]string{recs[0], "--now", "24.11.2026"}, `--now "24.11.2026" is not a date`},
		{[]string{recs[0], "--stale-days", "-1"}, "--stale-days must be 0 or more"},
		{[]string{filepath.Join(dir, "none-*.json")}, "matches no file"},
		{[]string{filepath.Join(dir, "missing.json")}, "missing.json"},
		{[]string{corrupt, "--skip-invalid"}, "no valid records"},
	} {
		code, _, stderr := runCLI(append([]string{"inventory", "merge"}, tc.args...)...)
		assert.Equal(t, exitInput, code, "%v: %s", tc.args, stderr)
		assert.Contains(t, stderr, tc.want, tc.args)
	}
}

// An exposure that cannot be judged (the SMB server settings were not
// collected) is a finding: exit 1, never 0.
func TestInventoryUnknownExposureIsFinding(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ICU-CS01-20261118-151500")
	copyTree(t, sample("ICU-CS01-20261118-151500"), dir)
	require.NoError(t, os.Remove(filepath.Join(dir, "reg", "lanmanserver.reg")))
	code, out, stderr := runCLI("inventory", "--snapshot", dir, "--format", "json", "--fields", noFields(t))
	require.Equal(t, exitFindings, code, stderr)
	rec := decodeRecord(t, out)
	for _, e := range rec.Exposures {
		if e.ID == assets.ExpSMB1 {
			assert.Equal(t, assets.Unknown, e.Status, e.Evidence)
			assert.Contains(t, e.Reason, "not collected")
		} else if e.ID != assets.ExpEOS {
			assert.NotEqual(t, assets.Exposed, e.Status, e.ID)
		}
	}
}

func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	require.NoError(t, filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	}))
}
