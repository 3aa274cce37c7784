package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
)

func TestCompareCLI(t *testing.T) {
	before, after := sample(win7Vendor), sample(win7Hardened)
	legacy := filepath.Join("testdata", "legacy-icu.yaml")
	tests := []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{"manual steps remain", []string{"--before", before, "--after", after}, exitFindings,
			[]string{"Findings closed: 198", "Findings remaining: 2", "manual step: Clear 'Password never expires'", "New findings: 0"}},
		{"waived remain", []string{"--before", before, "--after", after, "--tailoring", legacy}, exitOK,
			[]string{"Findings closed: 198", "waived: ", "approved by Dr. A. Smith", "Tailoring: " + legacy}},
		{"regressions", []string{"--before", after, "--after", before}, exitFindings,
			[]string{"New findings: 199", "1.1.1 ", "MH-CRED-1 "}},
		{"two devices", []string{"--before", before, "--after", sample(xpVendor)}, exitInput, nil},
		{"missing after", []string{"--before", before}, exitInput, nil},
		{"bad format", []string{"--before", before, "--after", after, "--format", "pdf"}, exitInput, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(append([]string{"compare"}, tt.args...)...)
			assert.Equal(t, tt.code, code, errs)
			for _, s := range tt.contains {
				assert.Contains(t, out, s)
			}
			if tt.code == exitInput {
				assert.Empty(t, out)
			}
			if tt.name == "two devices" {
				assert.Contains(t, errs, "ICU-CS01")
				assert.Contains(t, errs, "PUMPSRV-XP")
			}
		})
	}
}

func TestCompareCLIOut(t *testing.T) {
	dir := t.TempDir()
	js, page := filepath.Join(dir, "c.json"), filepath.Join(dir, "c.html")
	code, out, errs := runCLI("compare", "--before", sample(win7Vendor), "--after", sample(win7Hardened), "--format", "json", "--out", js)
	require.Equal(t, exitFindings, code, errs)
	assert.Empty(t, out)
	data, err := os.ReadFile(js)
	require.NoError(t, err)
	var c workflow.Comparison
	require.NoError(t, json.Unmarshal(data, &c))
	assert.Equal(t, workflow.CompareSchema, c.Schema)
	assert.Len(t, c.Closed, 198)

	code, _, errs = runCLI("compare", "--before", sample(win7Vendor), "--after", sample(win7Hardened), "--format", "html", "--out", page)
	require.Equal(t, exitFindings, code, errs)
	data, err = os.ReadFile(page)
	require.NoError(t, err)
	h := string(data)
	assert.Contains(t, h, "<h2>Findings closed (198)</h2>")
	// Values are escaped: the quotes of a shown string are entities.
	assert.Contains(t, h, "&#34;mhadmin&#34;")
	assert.False(t, strings.Contains(h, "<script"), "self-contained, no script")
}

// fuzzEscaped fuzzes a page built from one value s: whatever s holds, the
// page has exactly the markup of a page made with a harmless value, so
// every value is escaped.
func fuzzEscaped(f *testing.F, page func(t *testing.T, s string) string) {
	for _, s := range []string{"ICU-CS01", `<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, "a&b", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plain := page(t, "x")
		h := page(t, s)
		assert.Equal(t, strings.Count(plain, "<"), strings.Count(h, "<"))
		assert.Equal(t, strings.Count(plain, `"`), strings.Count(h, `"`))
	})
}

// FuzzCompareHTML: whatever the host, titles, reasons and values hold,
// the page has no markup but its own.
func FuzzCompareHTML(f *testing.F) {
	page := func(t *testing.T, s string) string {
		fd := workflow.Finding{ID: s, Title: s, User: s, Why: s, Reason: s, Before: s, After: s}
		c := workflow.Comparison{Profile: s, Tailoring: s,
			Before:      workflow.CompareSide{Folder: s, Host: s},
			After:       workflow.CompareSide{Folder: s, Host: s, Serial: s},
			Changed:     []workflow.Drift{{Change: s, Setting: s, Baseline: s, Now: s, Checks: []string{s}}},
			Closed:      []workflow.Finding{fd},
			Remaining:   []workflow.Finding{fd},
			Regressions: []workflow.Finding{fd},
		}
		var b strings.Builder
		require.NoError(t, compareTmpl.Execute(&b, c))
		return b.String()
	}
	fuzzEscaped(f, page)
}
