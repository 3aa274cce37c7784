package assets

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func csvRows(t testing.TB, s string) [][]string {
	t.Helper()
	require.True(t, strings.HasPrefix(s, "\ufeff"), "UTF-8 BOM")
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(s, "\ufeff")))
	rows, err := r.ReadAll()
	require.NoError(t, err)
	return rows
}

func columnIndex(t testing.TB, name string) int {
	for i, c := range CSVColumns() {
		if c == name {
			return i
		}
	}
	t.Fatalf("no column %s", name)
	return -1
}

// The JSON field names are a contract: this list changes only by adding.
func TestJSONFieldNamesAreStable(t *testing.T) {
	rec := collectSample(t, win7Vendor)
	rec.Fields.AssetTag = "ICU-0042"
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, rec))
	assert.True(t, strings.HasPrefix(buf.String(), "{\n  \"schema\""), "indented")
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(buf.Bytes(), &m))
	keys := func(m map[string]json.RawMessage) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	assert.Equal(t, []string{"accounts", "collected_at", "exposures", "fields", "gaps", "hotfixes", "identity", "network", "os",
		"schema", "services", "software"}, keys(m), "source is empty for a record collected in a test")
	sub := func(k string) map[string]json.RawMessage {
		var out map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(m[k], &out))
		return out
	}
	assert.Equal(t, []string{"bios_date", "bios_version", "hostname", "manufacturer", "model", "part_of_domain", "serial_number",
		"system_type", "workgroup"}, keys(sub("identity")))
	assert.Equal(t, []string{"architecture", "build", "edition", "family", "install_date", "last_boot", "name", "service_pack", "version"}, keys(sub("os")))
	assert.Equal(t, []string{"asset_tag", "criticality", "department", "device_make", "device_model", "location", "owner", "vendor_contact"}, keys(sub("fields")))
	var exps []map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(m["exposures"], &exps))
	assert.Equal(t, []string{"capabilities", "check_id", "evidence", "id", "remedy", "status", "title"}, keys(exps[0]))

	ins, errs := ReadRecords("vendor.json", buf.Bytes())
	require.Empty(t, errs)
	require.Len(t, ins, 1)
	assert.Equal(t, rec, ins[0].Record, "JSON round trip")
}

func TestJSONEmptyListsAreNotNull(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, Record{Schema: Schema, CollectedAt: "2026-11-18T09:30:00Z", Identity: Identity{Hostname: "X"}}))
	assert.NotContains(t, buf.String(), "null")
}

func TestCSVFormat(t *testing.T) {
	rec := collectSample(t, win7Vendor)
	rec.Fields = Fields{AssetTag: "ICU-0042", Location: "ICU bed 4", DeviceVersion: "2.3.6", Owner: "=HYPERLINK(\"http://x\")", Department: "@SUM(A1)", VendorContact: "ACME; +1 555 0100"}
	rec.Software = append(rec.Software, Software{Name: "+cmd|' /C calc'!A0", View: "32-bit"})
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, []Device{DeviceOf(rec)}))
	s := buf.String()
	assert.True(t, strings.HasPrefix(s, "\ufeffdevice_key,hostname,"))
	assert.Equal(t, strings.Count(s, "\n"), strings.Count(s, "\r\n"), "CRLF only")
	rows := csvRows(t, s)
	require.Len(t, rows, 2)
	assert.Equal(t, CSVColumns(), rows[0])
	row := rows[1]
	get := func(c string) string { return row[columnIndex(t, c)] }
	assert.Equal(t, "serial:7XQ2B52", get("device_key"))
	assert.Equal(t, "00:1B:21:C4:7E:02;F8:B1:56:A3:4C:19", get("mac_addresses"))
	assert.Equal(t, "192.0.2.10;198.51.100.37", get("ip_addresses"))
	assert.Equal(t, "25", get("hotfix_count"))
	assert.Equal(t, "2016-06-20", get("last_hotfix_date"))
	assert.Equal(t, "9", get("software_count"))
	assert.Len(t, strings.Split(get("hotfixes"), ";"), 25)
	assert.Contains(t, strings.Split(get("hotfixes"), ";"), rec.Hotfixes[0].ID)
	progs := strings.Split(get("software"), ";")
	require.Len(t, progs, 9)
	assert.Equal(t, rec.Software[0].Name+" ("+rec.Software[0].Version+")", progs[0])
	assert.Equal(t, "+cmd|' /C calc'!A0", progs[8], "a program without a version is its name")
	assert.Equal(t, "2.3.6", get("device_version"))
	assert.Equal(t, []string{"hotfixes", "software", "device_version"}, rows[0][len(rows[0])-3:], "new columns at the end")
	assert.Equal(t, "'=HYPERLINK(\"http://x\")", get("owner"))
	assert.Equal(t, "'@SUM(A1)", get("department"))
	assert.Equal(t, "ACME; +1 555 0100", get("vendor_contact"), "a single value keeps its ';' (quoted by CSV)")
	assert.Equal(t, "exposed", get("exposure_ms17_010"))
	assert.Equal(t, "exposed", get("exposure_bluekeep"))
	assert.Equal(t, "not_exposed", get("exposure_ms08_067"))
	assert.Equal(t, "MS17-010;CVE-2019-0708;SMB1;EOS", get("exposed"))
	assert.Equal(t, "1", get("record_count"))
	for _, cell := range row {
		if cell != "" {
			assert.NotContains(t, "=+-@", cell[:1], "cell %q would run as a formula", cell)
		}
	}
}

// COLUMNS.md documents every column, in order.
func TestColumnsDocumented(t *testing.T) {
	b, err := os.ReadFile("COLUMNS.md")
	require.NoError(t, err)
	re := regexp.MustCompile("(?m)^\\| *\\d+ *\\| *`([a-z0-9_]+)` *\\|")
	var doc []string
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		doc = append(doc, m[1])
	}
	assert.Equal(t, CSVColumns(), doc)
}

// No export ever carries a stored password, not even the collector's
// redaction marker.
func TestExportsHoldNoSecrets(t *testing.T) {
	for _, name := range allSamples {
		t.Run(name, func(t *testing.T) {
			rec := collectSample(t, name)
			for _, f := range Formats {
				var buf bytes.Buffer
				require.NoError(t, Export(&buf, f, rec))
				for _, bad := range []string{"DefaultPassword", "<redacted", "redacted by medharden"} {
					assert.NotContains(t, buf.String(), bad, f)
				}
				assert.NotContains(t, strings.ToLower(buf.String()), "password\":\"", f)
			}
		})
	}
}

func TestExportUnknownFormat(t *testing.T) {
	err := Export(&bytes.Buffer{}, "xml", Record{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "json, csv, text")
}

func TestReadRecordsErrorsNameTheRecord(t *testing.T) {
	good := `{"schema":"medharden-inventory/1","collected_at":"2026-11-18T09:30:00Z","identity":{"hostname":"A"}}`
	tests := []struct {
		name, file, data string
		good             int
		want             []string
	}{
		{"corrupt", "bad.json", "{\n  \"schema\": \"medharden-inventory/1\",\n  \"identity\": {\"hostname\": \"A\",}\n}", 0,
			[]string{"bad.json: line 3, column"}},
		{"truncated", "cut.json", `{"schema":"medharden-inventory/1","identity":{`, 0, []string{"cut.json: empty or truncated JSON"}},
		{"empty", "empty.json", "  \n", 0, []string{"empty.json: empty file"}},
		{"missing hostname", "nohost.json", `{"collected_at":"2026-11-18T09:30:00Z","identity":{}}`, 0,
			[]string{"nohost.json: missing required field identity.hostname"}},
		{"missing time", "notime.json", `{"identity":{"hostname":"ICU-CS01"}}`, 0,
			[]string{"notime.json (ICU-CS01): missing required field collected_at"}},
		{"bad time", "badtime.json", `{"collected_at":"18.11.2026","identity":{"hostname":"B"}}`, 0,
			[]string{`badtime.json (B): collected_at "18.11.2026" is not an RFC 3339 time`}},
		{"array", "fleet.json", "[" + good + ",\n" + `{"identity":{"hostname":"C"}}` + "," + `{"collected_at":"2026-11-18T09:30:00Z","identity":{"hostname":"D"},"fields":{"criticality":"urgent"}}` + "," + `"x"` + "]", 1,
			[]string{"fleet.json record 2 (C): missing required field collected_at",
				`fleet.json record 3 (D): fields: criticality: "urgent" is not one of`,
				"fleet.json record 4: not a JSON object"}},
		{"wrong type", "type.json", `{"collected_at":"2026-11-18T09:30:00Z","identity":{"hostname":5}}`, 0,
			[]string{"type.json: line 1, column"}},
		{"other schema", "v2.json", `{"schema":"medharden-inventory/2","collected_at":"2026-11-18T09:30:00Z","identity":{"hostname":"E"}}`, 0,
			[]string{`v2.json (E): schema "medharden-inventory/2"`}},
		{"trailing data", "two.json", good + good, 0, []string{"two.json: unexpected data after the JSON value"}},
		{"bom", "bom.json", "\ufeff" + good, 1, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ins, errs := ReadRecords(tc.file, []byte(tc.data))
			assert.Len(t, ins, tc.good)
			require.Len(t, errs, len(tc.want), "%v", errs)
			for i, w := range tc.want {
				assert.Contains(t, errs[i].Error(), w)
				var re *RecordError
				assert.True(t, errors.As(errs[i], &re))
				assert.Equal(t, tc.file, re.File)
			}
		})
	}
}

func TestReadFileMissing(t *testing.T) {
	_, errs := ReadFile("does-not-exist.json")
	require.Len(t, errs, 1)
	assert.True(t, errors.Is(errs[0], os.ErrNotExist))
	assert.Contains(t, errs[0].Error(), "does-not-exist.json")
}

func TestTextExport(t *testing.T) {
	rec := collectSample(t, xpVendor)
	rec.Fields.Location = "Pharmacy"
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, rec))
	s := buf.String()
	for _, want := range []string{"Device PUMPSRV-XP", "OptiPlex 755, serial 4J8QRG1", "00:1E:4F:A2:93:7C", "Pharmacy",
		"EXPOSED      MS08-067", "KB958644", "hotfixes:      18"} {
		assert.Contains(t, s, want)
	}
}
