package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const (
	win7Vendor   = "ICU-CS01-20261118-093000"
	win7Hardened = "ICU-CS01-20261118-151500"
	xpVendor     = "PUMPSRV-XP-20261119-084500"
)

func sample(name string) string { return filepath.Join("..", "testdata", "snapshots", name) }

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// golden is the stable part of a report: per check, status and actual.
type golden struct {
	Profile string            `json:"profile"`
	Summary checks.Counts     `json:"summary"`
	Results map[string]string `json:"results"`
}

func TestGoldenAudits(t *testing.T) {
	tests := []struct {
		snapshot, profile string
		code              int
	}{
		{win7Vendor, "cis-win7-l1", 1},
		{win7Vendor, "cis-win7-l2", 1},
		{win7Hardened, "cis-win7-l1", 1},
		{win7Hardened, "cis-win7-l2", 1},
		{xpVendor, "winxp", 1},
	}
	for _, tc := range tests {
		t.Run(tc.snapshot+"/"+tc.profile, func(t *testing.T) {
			code, out, stderr := runCLI("audit", "--snapshot", sample(tc.snapshot), "--profile", tc.profile, "--format", "json")
			require.Equal(t, tc.code, code, stderr)
			var rep checks.Report
			require.NoError(t, json.Unmarshal([]byte(out), &rep))
			assert.Equal(t, tc.profile, rep.Profile)
			g := golden{Profile: rep.Profile, Summary: rep.Summary.Counts, Results: map[string]string{}}
			for _, r := range rep.Results {
				g.Results[resultKey(r)] = string(r.Status) + ": " + r.Actual
			}
			got, err := json.MarshalIndent(g, "", "  ")
			require.NoError(t, err)
			path := filepath.Join("..", "testdata", "golden", tc.snapshot+"."+tc.profile+".json")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, append(got, '\n'), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./app -update to create the golden file")
			assert.JSONEq(t, string(want), string(got))
		})
	}
}

// resultKey tells results apart: a user-scope check has one per person.
func resultKey(r checks.Result) string {
	if r.User != nil {
		return r.ID + " [" + r.User.Name + "]"
	}
	return r.ID
}

func TestHeadlineFindings(t *testing.T) {
	status := func(t *testing.T, snapshot, profile string) map[string]checks.Result {
		_, out, stderr := runCLI("audit", "--snapshot", sample(snapshot), "--profile", profile, "--format", "json")
		var rep checks.Report
		require.NoError(t, json.Unmarshal([]byte(out), &rep), stderr)
		m := map[string]checks.Result{}
		for _, r := range rep.Results {
			m[resultKey(r)] = r
		}
		return m
	}
	vendor := status(t, win7Vendor, "cis-win7-l1")
	for id, want := range map[string]checks.Status{
		"1.1.4":      checks.Fail, // minimum password length 0
		"1.2.2":      checks.Fail, // no lockout
		"2.3.11.7":   checks.Fail, // LM level 3 by default
		"18.3.4":     checks.Fail, // SMBv1 server on
		"18.4.1":     checks.Fail, // AutoAdminLogon
		"MH-ACC-1":   checks.Fail, // Administrator enabled under its own name
		"MH-ACC-3":   checks.Fail, // svcvendor needs no password
		"MH-LOGON-1": checks.Fail, // clear-text DefaultPassword
		"MH-PATCH-1": checks.Fail, // MS17-010 missing
		"MH-ENC-1":   checks.NotApplicable,
	} {
		r, ok := vendor[id]
		require.True(t, ok, id)
		assert.Equal(t, want, r.Status, "%s: %s / %s", id, r.Actual, r.Reason)
	}
	assert.Equal(t, "set (value hidden)", vendor["MH-LOGON-1"].Actual)

	hardened := status(t, win7Hardened, "cis-win7-l1")
	for _, id := range []string{"1.1.4", "1.2.2", "2.3.11.7", "18.3.4", "18.4.1", "MH-ACC-1", "MH-LOGON-1", "MH-PATCH-1"} {
		assert.Equal(t, checks.Pass, hardened[id].Status, "%s: %s / %s", id, hardened[id].Actual, hardened[id].Reason)
	}
	for id, r := range hardened {
		if r.Level == "L1" {
			assert.NotEqual(t, checks.Error, r.Status, "%s: %s", id, r.Reason)
		}
	}

	xp := status(t, xpVendor, "winxp")
	assert.Equal(t, checks.Fail, xp["MH-PATCH-5"].Status, "MS08-067")
	assert.Equal(t, checks.Fail, xp["MH-PATCH-2"].Status, "MS17-010 on XP")
}

func TestAuditFormatsAndOut(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"text", "json", "csv", "html"} {
		out := filepath.Join(dir, "report."+f)
		code, stdout, stderr := runCLI("audit", "--snapshot", sample(win7Vendor), "--format", f, "--out", out)
		assert.Equal(t, 1, code, stderr)
		assert.Empty(t, stdout)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Contains(t, string(b), "MH-ACC-1", f)
		assert.NotContains(t, string(b), "redacted by medharden", f, "the collector's marker is a secret placeholder, never shown")
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 4, "no temporary files left behind")
}

func TestUsageAndInputErrors(t *testing.T) {
	empty := t.TempDir()
	foreign := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("x"), 0o644))
	corrupt := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(corrupt, "reg"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(corrupt, "reg", "lsa.reg"), []byte("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\X]\r\n\"A\"=dword:xyz\r\n"), 0o644))
	outDir := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no command", nil, 2, ""},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"unknown flag", []string{"audit", "--colour"}, 2, "flag provided but not defined"},
		{"unknown format", []string{"audit", "--snapshot", sample(win7Vendor), "--format", "pdf"}, 2, "unknown format"},
		{"unknown profile", []string{"audit", "--snapshot", sample(win7Vendor), "--profile", "cis-win10"}, 2, "unknown profile"},
		{"profile for another OS", []string{"audit", "--snapshot", sample(xpVendor), "--profile", "cis-win7-l1"}, 2, "profile cis-win7-l1 is for win7"},
		{"missing folder", []string{"audit", "--snapshot", filepath.Join(empty, "nope")}, 2, "nope"},
		{"empty folder", []string{"audit", "--snapshot", empty}, 2, "not a medharden snapshot"},
		{"foreign folder", []string{"audit", "--snapshot", foreign}, 2, "not a medharden snapshot"},
		{"corrupt file", []string{"audit", "--snapshot", corrupt, "--out", filepath.Join(outDir, "r.json")}, 2, "lsa.reg:4"},
		{"live audit off Windows", []string{"audit"}, 2, "needs Windows"},
		{"help", []string{"--help"}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Contains(t, stderr, tc.msg)
		})
	}
	entries, err := os.ReadDir(outDir)
	require.NoError(t, err)
	assert.Empty(t, entries, "a failed audit writes nothing")
}

func TestCollectorAndChecksCommands(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := runCLI("collector", "--write", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "medharden-collect.cmd")
	b, err := os.ReadFile(filepath.Join(dir, "medharden-collect.cmd"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "@echo off"))

	code, out, _ = runCLI("checks", "--profile", "cis-win7-l2")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "2.3.11.7")
	assert.Contains(t, out, "MH-ACC-1")
}

func TestAuditWithTailoring(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "tailoring.yaml")
	require.NoError(t, os.WriteFile(good, []byte(`profile: cis-win7-l1
waivers:
  - id: "1.1.4"
    justification: "The vendor's monitoring client cannot enter long passwords (ticket 4711)"
    approver: "Biomedical engineering, J. Doe"
    expires: `+time.Now().AddDate(1, 0, 0).Format("2006-01-02")+`
  - id: "1.1.5"
    justification: "expired exception"
    approver: "IT security"
    expires: 2020-01-01
overrides:
  "1.1.1": 5
`), 0o644))
	code, out, stderr := runCLI("audit", "--snapshot", sample(win7Vendor), "--tailoring", good, "--format", "json")
	require.Equal(t, 1, code, stderr)
	var rep checks.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	byID := map[string]checks.Result{}
	for _, r := range rep.Results {
		byID[r.ID] = r
	}
	assert.Equal(t, checks.Waived, byID["1.1.4"].Status)
	assert.Contains(t, byID["1.1.4"].Reason, "ticket 4711")
	assert.Equal(t, checks.Fail, byID["1.1.5"].Status, "an expired waiver stops hiding the finding")
	assert.Contains(t, byID["1.1.1"].Expected, "5", "the override is the expected value")

	hostile := filepath.Join(dir, "hostile.yaml")
	require.NoError(t, os.WriteFile(hostile, []byte("a: &x [*x, *x]\nb: *x\n"), 0o644))
	code, _, stderr = runCLI("audit", "--snapshot", sample(win7Vendor), "--tailoring", hostile)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "hostile.yaml")
}

func TestExposuresBesideTheBenchmark(t *testing.T) {
	_, out, stderr := runCLI("audit", "--snapshot", sample(win7Hardened), "--format", "json")
	var rep checks.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep), stderr)
	got := map[string]checks.Status{}
	for _, r := range rep.Results {
		got[r.ID] = r.Status
	}
	assert.Equal(t, checks.Pass, got["MH-EXP-MS17-010"], "KB4012212 installed")
	assert.Equal(t, checks.Pass, got["MH-EXP-CVE-2019-0708"], "KB4499175 installed")
	assert.Equal(t, checks.Pass, got["MH-EXP-SMB1"])
	assert.Equal(t, checks.Fail, got["MH-EXP-EOS"], "Windows 7 is out of support")
}
