package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
	"medharden/checks"
	"medharden/checks/outfile"
)

// fleetDevice is one snapshot folder of a generated fleet: a sample copied
// under rel with its host name and BIOS serial replaced in every wmic file.
type fleetDevice struct {
	rel, sample, fromHost, host, fromSerial, serial string
}

// makeSnapshot copies a sample to dir/rel and renames its host and serial.
func makeSnapshot(t testing.TB, dir string, d fleetDevice) string {
	dst := filepath.Join(dir, d.rel)
	copyTree(t, sample(d.sample), dst)
	renameDevice(t, dst, d)
	return dst
}

func renameDevice(t testing.TB, dst string, d fleetDevice) {
	files, err := filepath.Glob(filepath.Join(dst, "wmic", "*.csv"))
	require.NoError(t, err)
	for _, p := range files {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		b = bytes.ReplaceAll(b, utf16le(d.fromHost), utf16le(d.host))
		b = bytes.ReplaceAll(b, utf16le(d.fromSerial), utf16le(d.serial))
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
}

// fleetShare is a share as the collector fills it: two snapshots of one
// device (vendor, then hardened), another Windows 7 device in a nested
// folder, an XP device and a corrupt folder.
var fleetShare = []fleetDevice{
	{"site1/BED-01-20261118-093000", win7Vendor, "ICU-CS01", "BED-01", "7XQ2B52", "SERIAL-A"},
	{"site1/BED-01-20261118-151500", win7Hardened, "ICU-CS01", "BED-01", "7XQ2B52", "SERIAL-A"},
	{"site2/ward/BED-02-20261120-110000", "ICU-DE01-20261120-110000", "ICU-DE01", "BED-02", "7XQ2B52", "SERIAL-B"},
	{"site2/PUMP-01-20261119-084500", xpVendor, "PUMPSRV-XP", "PUMP-01", "4J8QRG1", "SERIAL-C"},
}

const corruptFolder = "site1/BROKEN-20261121-080000"

func makeFleet(t *testing.T) string {
	dir := t.TempDir()
	for _, d := range fleetShare {
		makeSnapshot(t, dir, d)
	}
	bad := filepath.Join(dir, corruptFolder)
	require.NoError(t, os.MkdirAll(bad, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bad, "secedit.inf"), []byte("\x00\x01not an inf\xff"), 0o644))
	// A link to a snapshot elsewhere is not followed.
	require.NoError(t, os.Symlink(sample(win7Vendor), filepath.Join(dir, "site1", "link")))
	return dir
}

func readJSONL(t *testing.T, s string) []fleetRow {
	var rows []fleetRow
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r fleetRow
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&r), sc.Text())
		rows = append(rows, r)
	}
	require.NoError(t, sc.Err())
	return rows
}

// foldersOf lists the folders in the order the rows name them.
func foldersOf(dir string, rows []fleetRow) []string {
	var out []string
	for _, r := range rows {
		rel, _ := filepath.Rel(dir, r.Folder)
		rel = filepath.ToSlash(rel)
		if len(out) == 0 || out[len(out)-1] != rel {
			out = append(out, rel)
		}
	}
	return out
}

func TestFleetJSONL(t *testing.T) {
	dir := makeFleet(t)
	tests := []struct {
		name    string
		args    []string
		folders []string
	}{
		{"newest per device", nil, []string{
			"site1/BED-01-20261118-151500", corruptFolder,
			"site2/PUMP-01-20261119-084500", "site2/ward/BED-02-20261120-110000"}},
		{"all", []string{"--all"}, []string{
			"site1/BED-01-20261118-093000", "site1/BED-01-20261118-151500", corruptFolder,
			"site2/PUMP-01-20261119-084500", "site2/ward/BED-02-20261120-110000"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(append([]string{"fleet", dir}, tc.args...)...)
			assert.Equal(t, exitInput, code, "a folder could not be audited: %s", stderr)
			rows := readJSONL(t, out)
			assert.Equal(t, tc.folders, foldersOf(dir, rows))
			assert.Contains(t, stderr, corruptFolder)
			for _, f := range foldersOf(dir, rows) {
				assert.NotContains(t, f, "link", "a symbolic link is not followed")
			}
			hosts := map[string]string{}
			for _, r := range rows {
				assert.Equal(t, FleetSchema, r.Schema)
				rel, _ := filepath.Rel(dir, r.Folder)
				if filepath.ToSlash(rel) == corruptFolder {
					assert.Equal(t, "error", r.Status)
					assert.Empty(t, r.CheckID)
					assert.Contains(t, r.Reason, "secedit.inf", "the error names the file")
					continue
				}
				require.NotEmpty(t, r.CheckID)
				hosts[r.Host] = r.BIOSSerial + " " + r.Profile
				_, err := time.Parse(time.RFC3339, r.CollectedAt)
				assert.NoError(t, err, "collected_at is RFC 3339")
			}
			assert.Equal(t, map[string]string{
				"BED-01": "SERIAL-A cis-win7-l1", "BED-02": "SERIAL-B cis-win7-l1", "PUMP-01": "SERIAL-C winxp",
			}, hosts)
		})
	}
}

// TestFleetEqualsAudit: the rows of a device are the results audit
// --format json gives for its folder, in the same order, with the same
// profile and tailoring.
func TestFleetEqualsAudit(t *testing.T) {
	dir := t.TempDir()
	for _, d := range fleetShare {
		makeSnapshot(t, dir, d)
	}
	tailoring := filepath.Join(t.TempDir(), "site.yaml")
	require.NoError(t, os.WriteFile(tailoring, []byte("waivers:\n  - {id: \"1.1.1\", justification: vendor, approver: IT, expires: "+
		time.Now().AddDate(1, 0, 0).Format("2006-01-02")+"}\noverrides:\n  \"1.2.2\": 5\n"), 0o644))
	for _, opts := range [][]string{nil, {"--profile", "cis-win7-l2"}, {"--tailoring", tailoring}} {
		t.Run(strings.Join(opts, " "), func(t *testing.T) {
			for _, d := range fleetShare[1:3] {
				folder := filepath.Join(dir, d.rel)
				code, out, stderr := runCLI(append([]string{"fleet", folder}, opts...)...)
				acode, aout, _ := runCLI(append([]string{"audit", "--snapshot", folder, "--format", "json"}, opts...)...)
				require.Equal(t, acode, code, stderr)
				var rep checks.Report
				require.NoError(t, json.Unmarshal([]byte(aout), &rep))
				rows := readJSONL(t, out)
				require.Len(t, rows, len(rep.Results))
				if len(opts) > 0 && opts[0] == "--tailoring" {
					assert.Contains(t, out, `"override":"`+tailoring+`:`, "the override is marked")
				}
				for i, res := range rep.Results {
					r := rows[i]
					user := ""
					if res.User != nil {
						user = res.User.String()
					}
					over := ""
					if res.Override != nil {
						over = res.Override.String()
					}
					caps := res.Capabilities
					if caps == nil {
						caps = []string{}
					}
					assert.Equal(t, []string{res.ID, string(res.Status), res.Expected, res.Actual, res.Reason, user, over, rep.Profile},
						[]string{r.CheckID, r.Status, r.Expected, r.Actual, r.Reason, r.User, r.Override, r.Profile}, res.ID)
					assert.Equal(t, caps, r.Capabilities, res.ID)
				}
			}
		})
	}
}

func TestFleetCSV(t *testing.T) {
	dir := makeFleet(t)
	out := filepath.Join(t.TempDir(), "fleet.csv")
	code, stdout, stderr := runCLI("fleet", dir, "--format", "csv", "--out", out)
	assert.Equal(t, exitInput, code, stderr)
	assert.Empty(t, stdout)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte("\ufeff")), "UTF-8 with BOM for Excel")
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, fleetColumns, recs[0])
	code, jout, _ := runCLI("fleet", dir)
	require.Equal(t, exitInput, code)
	rows := readJSONL(t, jout)
	require.Len(t, recs, len(rows)+1, "the same rows as jsonl")
	for i, r := range rows {
		want := r.cells()
		for k := range want {
			want[k] = outfile.CSVCell(want[k])
		}
		assert.Equal(t, want, recs[i+1])
	}
}

func TestFleetFormulaGuard(t *testing.T) {
	dir := t.TempDir()
	makeSnapshot(t, dir, fleetDevice{"=EVIL-20261118-093000", win7Vendor, "ICU-CS01", "=HYPERLINK(1)", "7XQ2B52", "@SUM(1)"})
	code, out, stderr := runCLI("fleet", dir, "--format", "csv")
	require.Equal(t, exitFindings, code, stderr)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	require.NoError(t, err)
	for _, row := range recs[1:] {
		for _, cell := range row {
			if cell != "" {
				assert.NotContains(t, "=+-@", cell[:1], "cell %q", cell)
			}
		}
	}
}

func TestFleetExitCodes(t *testing.T) {
	hardened := fleetDevice{"A-20261118-151500", win7Hardened, "ICU-CS01", "A", "7XQ2B52", "S1"}
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) []string
		args  []string
		code  int
	}{
		{"findings", func(t *testing.T, dir string) []string {
			return []string{makeSnapshot(t, dir, hardened)}
		}, nil, exitFindings},
		{"all pass when every check is waived", func(t *testing.T, dir string) []string {
			p := filepath.Join(dir, "waive-all.yaml")
			require.NoError(t, os.WriteFile(p, []byte(waiveAll(t)), 0o644))
			return []string{makeSnapshot(t, dir, hardened), "--tailoring", p}
		}, nil, exitOK},
		{"a missing folder is reported, the others audited", func(t *testing.T, dir string) []string {
			return []string{makeSnapshot(t, dir, hardened), filepath.Join(dir, "missing")}
		}, nil, exitInput},
		{"a folder without snapshots", func(t *testing.T, dir string) []string {
			require.NoError(t, os.Mkdir(filepath.Join(dir, "empty"), 0o755))
			return []string{filepath.Join(dir, "empty")}
		}, nil, exitInput},
		{"a folder named twice is audited once", func(t *testing.T, dir string) []string {
			return []string{makeSnapshot(t, dir, hardened), dir}
		}, nil, exitFindings},
		{"a profile for another Windows version", func(t *testing.T, dir string) []string {
			xp := makeSnapshot(t, dir, fleetDevice{"P-20261119-084500", xpVendor, "PUMPSRV-XP", "P", "4J8QRG1", "S2"})
			return []string{makeSnapshot(t, dir, hardened), xp, "--profile", "cis-win7-l1"}
		}, nil, exitInput},
		{"an older damaged snapshot of a device is superseded by its newer one", func(t *testing.T, dir string) []string {
			old := makeSnapshot(t, dir, fleetDevice{"A-20261118-093000", win7Vendor, "ICU-CS01", "A", "7XQ2B52", "S1"})
			damage(t, old)
			makeSnapshot(t, dir, hardened)
			return []string{dir}
		}, nil, exitFindings},
		{"a damaged newest snapshot is reported", func(t *testing.T, dir string) []string {
			makeSnapshot(t, dir, fleetDevice{"A-20261118-093000", win7Vendor, "ICU-CS01", "A", "7XQ2B52", "S1"})
			damage(t, makeSnapshot(t, dir, hardened))
			return []string{dir}
		}, nil, exitInput},
		{"no folder", func(t *testing.T, dir string) []string { return nil }, nil, exitInput},
		{"unknown format", func(t *testing.T, dir string) []string {
			return []string{makeSnapshot(t, dir, hardened), "--format", "xml"}
		}, nil, exitInput},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"fleet"}, tc.setup(t, t.TempDir())...)
			code, out, stderr := runCLI(append(args, tc.args...)...)
			assert.Equal(t, tc.code, code, stderr)
			if tc.code == exitFindings {
				folders := map[string]bool{}
				for _, r := range readJSONL(t, out) {
					folders[r.Folder] = true
				}
				assert.Len(t, folders, 1, "each folder once")
			}
			if tc.name == "a missing folder is reported, the others audited" {
				rows := readJSONL(t, out)
				assert.Greater(t, len(rows), 100)
				assert.Equal(t, "error", rows[len(rows)-1].Status)
				assert.Contains(t, stderr, "missing")
			}
		})
	}
}

// damage cuts a snapshot's secedit.inf short: its identity still reads,
// its audit cannot.
func damage(t *testing.T, dir string) {
	require.NoError(t, os.WriteFile(filepath.Join(dir, "secedit.inf"), []byte("\xff\xfe["), 0o644))
}

// waiveAll is a tailoring file waiving every check of the Windows 7 L1
// profile and the inventory's exposures.
func waiveAll(t *testing.T) string {
	code, out, _ := runCLI("audit", "--snapshot", sample(win7Hardened), "--format", "json")
	require.Equal(t, exitFindings, code)
	var rep checks.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	next := time.Now().AddDate(1, 0, 0).Format("2006-01-02")
	var w, lw strings.Builder
	seen := map[string]bool{}
	for _, r := range rep.Results {
		if (r.Status != checks.Fail && r.Status != checks.Error) || seen[r.ID] {
			continue
		}
		seen[r.ID] = true
		if strings.HasPrefix(r.ID, "MH-EXP-") {
			fmt.Fprintf(&lw, "  - {id: %q, justification: test fleet, approver: IT, network_segment: VLAN 1, firewall_rule: FW-1, vendor_statement: letter, next_review: %s}\n", r.ID, next)
		} else {
			fmt.Fprintf(&w, "  - {id: %q, justification: test fleet, approver: IT, expires: %s}\n", r.ID, next)
		}
	}
	return "waivers:\n" + w.String() + "legacy_waivers:\n" + lw.String()
}

// BenchmarkFleet audits N copies of a sample (FLEET_N, default 200) with
// fleet --all (all cores, rows to a discarded stream), with fleet's
// default newest-per-device pass, and with N separate audits (one folder
// at a time, as N runs of audit would, in this process: the catalog is
// decoded once), and reports the peak RSS of the process so far.
func BenchmarkFleet(b *testing.B) {
	n := 200
	if s := os.Getenv("FLEET_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	dir := b.TempDir()
	first := filepath.Join(dir, "D0000-20261118-151500")
	copyTree(b, sample(win7Hardened), first)
	for i := 1; i < n; i++ {
		dst := filepath.Join(dir, fmt.Sprintf("D%04d-20261118-151500", i))
		copyTree(b, first, dst)
		renameDevice(b, dst, fleetDevice{fromHost: "ICU-CS01", host: fmt.Sprintf("D%04d", i), fromSerial: "7XQ2B52", serial: fmt.Sprintf("S%06d", i)})
	}
	b.Run(fmt.Sprintf("fleet-%d", n), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s, err := newSession("", "", "", io.Discard)
			require.NoError(b, err)
			folders := fleetFolders(dir)
			start := time.Now()
			err = fleet(context.Background(), s, folders, runtime.NumCPU(), fleetOptions{format: "jsonl"}, io.Discard, io.Discard)
			require.Error(b, err) // findings
			b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/fleet")
		}
		b.ReportMetric(float64(peakRSS())/(1<<20), "peakRSS-MB")
	})
	// The default run first reads every folder's identity files (collect.log
	// and four wmic classes) to keep the newest snapshot of each device.
	b.Run(fmt.Sprintf("fleet-newest-%d", n), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s, err := newSession("", "", "", io.Discard)
			require.NoError(b, err)
			start := time.Now()
			folders := workflow.NewestPerDevice(context.Background(), fleetFolders(dir), runtime.NumCPU())
			require.Len(b, folders, n)
			err = fleet(context.Background(), s, folders, runtime.NumCPU(), fleetOptions{format: "jsonl"}, io.Discard, io.Discard)
			require.Error(b, err) // findings
			b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/fleet")
		}
		b.ReportMetric(float64(peakRSS())/(1<<20), "peakRSS-MB")
	})
	b.Run(fmt.Sprintf("separate-audits-%d", n), func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			start := time.Now()
			for _, f := range fleetFolders(dir) {
				code, _, _ := runCLI("audit", "--snapshot", f.Path, "--format", "json")
				require.Equal(b, exitFindings, code)
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds()), "ms/all")
		}
	})
}

func fleetFolders(dir string) []workflow.FleetFolder {
	return workflow.FindSnapshots([]string{dir})
}

// peakRSS is the process's peak resident set (VmHWM) in bytes; 0 where
// /proc is absent.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			var kb int64
			fmt.Sscan(strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:")), &kb)
			return kb << 10
		}
	}
	return 0
}

// TestFleetHTML: one page, the folder that could not be audited first,
// then devices by critical exposures and findings; every device links to
// its own section; names from the snapshot are escaped.
func TestFleetHTML(t *testing.T) {
	dir := makeFleet(t)
	makeSnapshot(t, dir, fleetDevice{"site3/X-20261118-093000", win7Vendor, "ICU-CS01", "<b>X</b>", "7XQ2B52", "SERIAL-X"})
	out := filepath.Join(t.TempDir(), "fleet.html")
	code, _, stderr := runCLI("fleet", dir, "--format", "html", "--out", out)
	require.Equal(t, exitInput, code, stderr)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	page := string(b)
	assert.NotContains(t, page, "<b>X</b>")
	assert.Contains(t, page, "&lt;b&gt;X&lt;/b&gt;")
	assert.NotContains(t, page, "<script src", "self-contained")
	matrix := page[:strings.Index(page, "<section")]
	rows := regexp.MustCompile(`<tr><td><a href="#d\d+">[^<]*</a>( \(not audited\))?</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>`).FindAllStringSubmatch(matrix, -1)
	require.Len(t, rows, 5)
	assert.NotEmpty(t, rows[0][1], "the folder that could not be audited first")
	assert.Contains(t, rows[0][0], ">"+filepath.Base(corruptFolder)+"</a>", "named by its folder: it has no host name")
	assert.Contains(t, page, "<h2>"+filepath.Base(corruptFolder)+"</h2>")
	assert.Regexp(t, `<td class="fail" title="fail">X</td>`, matrix, "a mark beside the colour")
	prev := [2]int{1 << 30, 1 << 30}
	for _, r := range rows[1:] {
		var crit, fail, errs int
		fmt.Sscan(r[2]+" "+r[3]+" "+r[4], &crit, &fail, &errs)
		cur := [2]int{crit, fail + errs}
		assert.True(t, cur[0] < prev[0] || cur[0] == prev[0] && cur[1] <= prev[1], "worst first: %v after %v", cur, prev)
		prev = cur
	}
	assert.Greater(t, prev[0]+prev[1], 0, "counts are read")
	for i := 1; i <= 5; i++ {
		assert.Contains(t, matrix, fmt.Sprintf(`href="#d%d"`, i))
		assert.Contains(t, page, fmt.Sprintf(`<section id="d%d">`, i))
	}
	// testdata/fleet-screenshot.sh renders this page in a headless browser.
	if keep := os.Getenv("MEDHARDEN_FLEET_HTML"); keep != "" {
		require.NoError(t, os.WriteFile(keep, b, 0o644))
	}
}
