package assets

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mk builds a minimal valid record.
func mk(host, serial, at string, macs ...string) Record {
	r := newRecord()
	r.CollectedAt = at
	r.Identity = Identity{Hostname: host, SerialNumber: serial}
	for _, m := range macs {
		r.Network = append(r.Network, Adapter{Description: "Intel(R) Ethernet", MAC: m, IPAddresses: []string{}})
	}
	return r
}

func inp(file string, r Record) Input { return Input{File: file, Record: r} }

func withFields(r Record, f Fields) Record { r.Fields = f; return r }

var nov24 = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func warningsOf(res MergeResult, kind string) []string {
	var out []string
	for _, w := range res.Warnings {
		if w.Kind == kind {
			out = append(out, w.Msg)
		}
	}
	return out
}

func TestMergeScenarios(t *testing.T) {
	const (
		m1 = "00:1B:21:C4:7E:02"
		m2 = "F8:B1:56:A3:4C:19"
		m3 = "00:1E:4F:A2:93:7C"
	)
	tests := []struct {
		name    string
		inputs  []Input
		devices int
		check   func(t *testing.T, res MergeResult)
	}{
		{"hostname change, same serial", []Input{
			inp("a.json", mk("ICU-CS01", "7XQ2B52", "2026-01-10T09:00:00+01:00", m1)),
			inp("b.json", mk("ICU-CS07", "7xq2b52", "2026-11-18T09:00:00+01:00", m2)),
		}, 1, func(t *testing.T, res MergeResult) {
			d := res.Devices[0]
			assert.Equal(t, "serial:7XQ2B52", d.Key)
			assert.Equal(t, "ICU-CS07", d.Record.Identity.Hostname, "the latest record describes the device")
			assert.Equal(t, []string{"ICU-CS01", "ICU-CS07"}, d.Hostnames)
			assert.Equal(t, "2026-01-10T09:00:00+01:00", d.FirstSeen)
			assert.Equal(t, []string{"merged", "renamed"}, d.Flags())
			assert.Equal(t, 1, res.Summary.Merged)
			assert.Equal(t, 1, res.Summary.Renamed)
			assert.Equal(t, []string{"a.json", "b.json"}, d.Sources)
		}},
		{"no serial, same MAC", []Input{
			inp("a.json", mk("PUMP-1", "To be filled by O.E.M.", "2026-01-10T09:00:00Z", m3)),
			inp("b.json", mk("PUMP-A", "", "2026-03-10T09:00:00Z", m3)),
		}, 1, func(t *testing.T, res MergeResult) {
			assert.Equal(t, "mac:"+m3, res.Devices[0].Key)
			assert.Equal(t, []string{"PUMP-1", "PUMP-A"}, res.Devices[0].Hostnames)
		}},
		{"same MAC, different serials stay apart", []Input{
			inp("a.json", mk("CS-1", "SER1", "2026-01-10T09:00:00Z", m1)),
			inp("b.json", mk("CS-2", "SER2", "2026-01-11T09:00:00Z", m1)),
		}, 2, func(t *testing.T, res MergeResult) {
			w := warningsOf(res, "shared_mac")
			require.Len(t, w, 1)
			assert.Contains(t, w[0], "a.json")
			assert.Contains(t, w[0], "b.json")
		}},
		{"serial found through a MAC-only record", []Input{
			inp("a.json", mk("CS-1", "SER1", "2026-01-10T09:00:00Z", m1)),
			inp("b.json", mk("CS-1", "", "2026-02-10T09:00:00Z", m2)),
			inp("c.json", mk("CS-1B", "SER1", "2026-03-10T09:00:00Z", m2)),
		}, 1, func(t *testing.T, res MergeResult) {
			assert.Equal(t, 3, res.Devices[0].Records)
			assert.Equal(t, 2, res.Summary.Merged)
		}},
		{"pseudo adapters identify nothing", []Input{
			inp("a.json", func() Record {
				r := mk("CS-1", "", "2026-01-10T09:00:00Z")
				r.Network = []Adapter{{Description: "RAS Async Adapter", MAC: "20:41:53:59:4E:FF", Virtual: true}}
				return r
			}()),
			inp("b.json", func() Record {
				r := mk("CS-2", "", "2026-01-10T09:00:00Z")
				r.Network = []Adapter{{Description: "RAS Async Adapter", MAC: "20:41:53:59:4E:FF"}}
				return r
			}()),
		}, 2, nil},
		{"hostname is the last resort", []Input{
			inp("a.json", mk("OLD-BOX", "", "2026-01-10T09:00:00Z")),
			inp("b.json", mk("old-box", "", "2026-02-10T09:00:00Z")),
			inp("c.json", mk("OTHER", "", "2026-02-10T09:00:00Z")),
		}, 2, func(t *testing.T, res MergeResult) {
			assert.Equal(t, "host:OLD-BOX", res.Devices[0].Key)
			assert.Equal(t, 2, res.Devices[0].Records)
		}},
		{"moved", []Input{
			inp("b.json", withFields(mk("ICU-CS01", "7XQ2B52", "2026-06-01T09:00:00Z", m1), Fields{Location: "Ward 3", AssetTag: "ICU-0042"})),
			inp("a.json", withFields(mk("ICU-CS01", "7XQ2B52", "2026-01-01T09:00:00Z", m1), Fields{Location: "ICU bed 4", Owner: "Biomed"})),
			inp("c.json", mk("ICU-CS01", "7XQ2B52", "2026-11-01T09:00:00Z", m1)),
		}, 1, func(t *testing.T, res MergeResult) {
			d := res.Devices[0]
			require.Len(t, d.Moves, 1)
			assert.Equal(t, Move{From: "ICU bed 4", To: "Ward 3", At: "2026-06-01T09:00:00Z", Where: "b.json"}, d.Moves[0])
			assert.Equal(t, Fields{Location: "Ward 3", AssetTag: "ICU-0042", Owner: "Biomed"}, d.Record.Fields,
				"a record without a sidecar keeps what was entered before")
			assert.Equal(t, 1, res.Summary.Moved)
			w := warningsOf(res, "moved")
			require.Len(t, w, 1)
			assert.Contains(t, w[0], "ICU bed 4 -> Ward 3 on 2026-06-01 (b.json)")
		}},
		{"duplicate asset tag", []Input{
			inp("a.json", withFields(mk("ICU-CS01", "SER1", "2026-11-01T09:00:00Z", m1), Fields{AssetTag: "ICU-0042"})),
			inp("b.json", withFields(mk("ICU-CS02", "SER2", "2026-11-02T09:00:00Z", m2), Fields{AssetTag: "icu-0042"})),
			inp("c.json", withFields(mk("ICU-CS01", "SER1", "2026-11-03T09:00:00Z", m1), Fields{AssetTag: "ICU-0042"})),
			inp("d.json", withFields(mk("ICU-CS03", "SER3", "2026-11-03T09:00:00Z", m3), Fields{AssetTag: "ICU-0043"})),
		}, 3, func(t *testing.T, res MergeResult) {
			assert.True(t, res.Devices[0].DuplicateTag)
			assert.True(t, res.Devices[1].DuplicateTag)
			assert.False(t, res.Devices[2].DuplicateTag)
			assert.Equal(t, 1, res.Summary.DuplicateTags)
			w := warningsOf(res, "duplicate_tag")
			require.Len(t, w, 1)
			assert.Contains(t, w[0], `asset tag "ICU-0042" is on 2 devices`)
			assert.Contains(t, w[0], "ICU-CS01 (serial:SER1, c.json)")
			assert.Contains(t, w[0], "ICU-CS02 (serial:SER2, b.json)")
		}},
		{"ghost", []Input{
			inp("a.json", mk("OLD", "SER1", "2026-06-01T09:00:00Z", m1)),
			inp("b.json", mk("NEW", "SER2", "2026-11-20T09:00:00Z", m2)),
		}, 2, func(t *testing.T, res MergeResult) {
			assert.Equal(t, "NEW", res.Devices[0].Record.Identity.Hostname)
			assert.False(t, res.Devices[0].Ghost)
			assert.Equal(t, 3, res.Devices[0].DaysSinceSeen)
			assert.True(t, res.Devices[1].Ghost)
			assert.Equal(t, 175, res.Devices[1].DaysSinceSeen)
			assert.Equal(t, 1, res.Summary.Ghosts)
			w := warningsOf(res, "ghost")
			require.Len(t, w, 1)
			assert.Contains(t, w[0], "OLD (serial:SER1) not seen for 175 days, last on 2026-06-01 (a.json)")
		}},
		{"shared hostname", []Input{
			inp("a.json", mk("CLONE", "SER1", "2026-11-01T09:00:00Z", m1)),
			inp("b.json", mk("CLONE", "SER2", "2026-11-02T09:00:00Z", m2)),
		}, 2, func(t *testing.T, res MergeResult) {
			assert.Len(t, warningsOf(res, "shared_hostname"), 1)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := Merge(tc.inputs, MergeOptions{StaleDays: 90, Now: nov24})
			require.Len(t, res.Devices, tc.devices)
			assert.Equal(t, len(tc.inputs), res.Summary.Records)
			assert.Equal(t, tc.devices, res.Summary.Devices)
			if tc.check != nil {
				tc.check(t, res)
			}
			var buf bytes.Buffer
			require.NoError(t, WriteCSV(&buf, res.Devices))
			assert.Len(t, csvRows(t, buf.String()), tc.devices+1)
		})
	}
}

func TestMergeGhostsOff(t *testing.T) {
	res := Merge([]Input{inp("a.json", mk("OLD", "SER1", "2020-06-01T09:00:00Z"))}, MergeOptions{StaleDays: 0, Now: nov24})
	assert.False(t, res.Devices[0].Ghost)
	assert.Zero(t, res.Summary.Ghosts)
}

func TestMergeCSVColumns(t *testing.T) {
	res := Merge([]Input{
		inp("a.json", withFields(mk("ICU-CS01", "7XQ2B52", "2026-01-01T09:00:00Z", "00:1B:21:C4:7E:02"), Fields{Location: "ICU bed 4", AssetTag: "T-1"})),
		inp("b.json", withFields(mk("ICU-CS07", "7XQ2B52", "2026-06-01T09:00:00Z", "00:1B:21:C4:7E:02"), Fields{Location: "Ward 3", AssetTag: "T-1"})),
		inp("c.json", withFields(mk("PUMP", "SER9", "2026-01-01T09:00:00Z"), Fields{AssetTag: "T-1"})),
	}, MergeOptions{StaleDays: 90, Now: nov24})
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, res.Devices))
	rows := csvRows(t, buf.String())
	require.Len(t, rows, 3)
	get := func(row int, c string) string { return rows[row][columnIndex(t, c)] }
	assert.Equal(t, "ICU-CS07", get(1, "hostname"))
	assert.Equal(t, "ICU-CS01", get(1, "previous_hostnames"))
	assert.Equal(t, "Ward 3", get(1, "location"))
	assert.Equal(t, "ICU bed 4", get(1, "previous_location"))
	assert.Equal(t, "2", get(1, "record_count"))
	assert.Equal(t, "175", get(1, "days_since_seen"))
	assert.Equal(t, "merged;renamed;moved;duplicate_tag;ghost", get(1, "flags"))
	assert.Equal(t, "a.json;b.json", get(1, "sources"))
	assert.Equal(t, "duplicate_tag;ghost", get(2, "flags"))
}

// The two Windows 7 snapshots are one device; the XP server another.
func TestMergeSampleRecords(t *testing.T) {
	var ins []Input
	for _, name := range allSamples {
		rec := collectSample(t, name)
		var buf bytes.Buffer
		require.NoError(t, WriteJSON(&buf, rec))
		got, errs := ReadRecords(name+".json", buf.Bytes())
		require.Empty(t, errs)
		ins = append(ins, got...)
	}
	res := Merge(ins, MergeOptions{StaleDays: 90, Now: nov24})
	require.Len(t, res.Devices, 2)
	icu := res.Devices[0]
	assert.Equal(t, "serial:7XQ2B52", icu.Key)
	assert.Equal(t, 2, icu.Records)
	assert.Equal(t, "2026-11-18T15:15:00+01:00", icu.LastSeen)
	assert.Equal(t, NotExposed, exposureByID(t, icu.Record, ExpMS17010).Status, "the latest (hardened) record counts")
	assert.Equal(t, "serial:4J8QRG1", res.Devices[1].Key)
	assert.Equal(t, MergeSummary{Records: 3, Devices: 2, Merged: 1}, res.Summary)
}

// fleet generates n records: about one device in five seen twice, some
// renamed or moved, every 500th asset tag used twice, some not seen for long.
func fleet(n int) []Input {
	base := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	out := make([]Input, 0, n)
	devices := n * 5 / 6
	for i := 0; i < n; i++ {
		d := i % devices
		host := fmt.Sprintf("CS-%05d", d)
		if i >= devices && d%3 == 0 {
			host = fmt.Sprintf("ICU-%05d", d) // renamed on the second visit
		}
		r := newRecord()
		r.CollectedAt = base.Add(time.Duration(i%300) * 24 * time.Hour).Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
		r.Identity = Identity{Hostname: host, Manufacturer: "Dell Inc.", Model: "OptiPlex 7010", Workgroup: "WORKGROUP"}
		if d%7 != 0 {
			r.Identity.SerialNumber = fmt.Sprintf("SN%06d", d)
		}
		r.Network = []Adapter{
			{Description: "Intel(R) Ethernet", MAC: fmt.Sprintf("00:1B:21:%02X:%02X:%02X", d>>16&0xff, d>>8&0xff, d&0xff), IPAddresses: []string{fmt.Sprintf("10.%d.%d.%d", d>>16&0xff, d>>8&0xff, d&0xff)}},
			{Description: "RAS Async Adapter", MAC: "20:41:53:59:4E:FF", IPAddresses: []string{}, Virtual: true},
		}
		r.OS = OS{Name: "Microsoft Windows 7 Professional", Version: "6.1.7601", Build: "7601", ServicePack: "Service Pack 1", Architecture: "64-bit", Family: "win7"}
		for k := 0; k < 20; k++ {
			r.Hotfixes = append(r.Hotfixes, Hotfix{ID: fmt.Sprintf("KB%d", 2479943+k), InstalledOn: "2015-03-12"})
		}
		r.Fields = Fields{AssetTag: fmt.Sprintf("TAG-%05d", d%(devices-devices/500)), Location: fmt.Sprintf("Ward %d", (d+i/devices)%40)}
		r.Exposures = []Exposure{{ID: ExpMS17010, Status: Exposed}, {ID: ExpEOS, Status: Exposed}}
		out = append(out, Input{File: fmt.Sprintf("records/%05d.json", i), Record: r})
	}
	return out
}

func TestMergeFleet(t *testing.T) {
	ins := fleet(1200)
	res := Merge(ins, MergeOptions{StaleDays: 90, Now: nov24})
	assert.Equal(t, 1000, res.Summary.Devices)
	assert.Equal(t, 200, res.Summary.Merged)
	assert.Greater(t, res.Summary.Renamed, 0)
	assert.Greater(t, res.Summary.Moved, 0)
	assert.Equal(t, 2, res.Summary.DuplicateTags)
	assert.Greater(t, res.Summary.Ghosts, 0)
}

func BenchmarkMerge10000(b *testing.B) {
	ins := fleet(10000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := Merge(ins, MergeOptions{StaleDays: 90, Now: nov24})
		if res.Summary.Records != 10000 {
			b.Fatal(res.Summary)
		}
	}
}

// BenchmarkMergeEndToEnd10000 is what the CLI does after reading the
// files: decode 10,000 JSON records, merge, write the CSV.
func BenchmarkMergeEndToEnd10000(b *testing.B) {
	ins := fleet(10000)
	blobs := make([][]byte, len(ins))
	for i, in := range ins {
		var buf bytes.Buffer
		if err := WriteJSON(&buf, in.Record); err != nil {
			b.Fatal(err)
		}
		blobs[i] = buf.Bytes()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		all := make([]Input, 0, len(blobs))
		for j, blob := range blobs {
			got, errs := ReadRecords(ins[j].File, blob)
			if len(errs) > 0 {
				b.Fatal(errs)
			}
			all = append(all, got...)
		}
		res := Merge(all, MergeOptions{StaleDays: 90, Now: nov24})
		var out bytes.Buffer
		if err := WriteCSV(&out, res.Devices); err != nil {
			b.Fatal(err)
		}
		if strings.Count(out.String(), "\r\n") != res.Summary.Devices+1 {
			b.Fatal("rows")
		}
	}
}
