package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

const injection = "<script>alert(1)</script>"

// sample is a small report with the awkward values real snapshots produce:
// commas, quotes, newlines, non-ASCII, formula and HTML injection attempts.
func sample() checks.Report {
	results := []checks.Result{
		{
			ID: "1.1.1", Title: "Enforce password history", Level: "L1", Status: checks.Fail,
			Capabilities: []string{"AUTH", "PAUT"}, Expected: "24 or more passwords remembered",
			Actual: "0", Reason: "Passwords can be reused at once.",
			Source: "secedit.inf [System Access] PasswordHistorySize",
		},
		{
			ID: "2.2.2", Title: "Access this computer from the network", Level: "L1", Status: checks.Fail,
			Capabilities: []string{"AUTH", "NAUT"}, Expected: "*S-1-5-32-544,*S-1-5-32-555",
			Actual: "*S-1-1-0 (Jeder),*S-1-5-32-544,*S-1-5-32-545,*S-1-5-32-551,*S-1-5-32-555," +
				"*S-1-5-21-1004336348-1177238915-682003330-1003 (Überwachung)",
			Reason: "Everyone and Users may log on over the network.", Source: "secedit.inf [Privilege Rights]",
		},
		{
			ID: "2.3.7.3", Title: "Interactive logon: Machine inactivity limit", Level: "L1", Status: checks.Pass,
			Capabilities: []string{"ALOF"}, Expected: "900 seconds or fewer, but not 0", Actual: "600",
			Source: `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\InactivityTimeoutSecs`,
		},
		{
			ID: "18.9.8.3", Title: `Turn off Autoplay, "All drives"`, Level: "L1", Status: checks.Error,
			Capabilities: []string{"SAHD", "MLDP"}, Expected: "255 (all drives)", Actual: "",
			Reason: "reg/policies.reg is missing from the snapshot.\nRun the collector again as administrator.",
		},
		{
			ID: "MH-AUTH-1", Title: "Vendor note " + injection, Level: "MH", Status: checks.Fail,
			Capabilities: []string{"AUTH"}, Expected: `=cmd|' /C calc'!A0`, Actual: injection,
			Reason: "@SUM(1+1) looks like a formula", Source: "+reg/custom.reg",
		},
		{
			ID: "17.1.1", Title: "Audit Credential Validation", Level: "L1", Status: checks.NotApplicable,
			Capabilities: []string{"AUDT"}, Expected: "Success and Failure", Actual: "",
			Reason: "Advanced audit policy does not exist on this system.",
		},
		{
			ID: "2.3.1.2", Title: "Accounts: Guest account status", Level: "L1", Status: checks.Waived,
			Capabilities: []string{"AUTH", "EMRG"}, Expected: "Disabled", Actual: "-1 (Enabled)",
			Reason: "Waiver W-12: the vendor's service tool logs on as Guest.",
		},
		{
			ID: "1.1.4", Title: "Minimum password length is 14 or more characters", Level: "L1", Status: checks.Pass,
			Capabilities: []string{"PAUT"}, Expected: "= 0", Words: "must be 0 characters", Actual: "0", Reason: "The setting meets the recommendation.",
			Source:   "secedit.inf [System Access] MinimumPasswordLength",
			Override: &checks.Override{File: "site.yaml", Line: 14, Value: "0"},
		},
		{
			ID: "1.2.2", Title: "Account lockout threshold is 10 or fewer, but not 0", Level: "L1", Status: checks.Fail,
			Capabilities: []string{"PAUT", "EMRG"}, Expected: "= 5", Words: "must be 5 invalid logon attempts", Actual: "10",
			Reason:   "The setting is 10 invalid logon attempts; it must be 5 invalid logon attempts.",
			Source:   "secedit.inf [System Access] LockoutBadCount",
			Override: &checks.Override{File: "site.yaml", Line: 15, Value: "5"},
		},
	}
	return checks.Report{
		Tool: "medharden", Version: "0.1.0", Started: "2024-01-15T10:02:11+01:00",
		Host: checks.HostInfo{
			OSInfo: checks.OSInfo{
				Hostname: "ICU-CENTRAL-01", Caption: "Microsoft Windows 7 Professional",
				Version: "6.1.7601", ServicePack: "Service Pack 1", Architecture: "64-bit",
				SKU: 48, Domain: "WORKGROUP",
			},
			Source:      `C:\medharden\ICU-CENTRAL-01-20240115-093000`,
			CollectedAt: "2024-01-15T09:30:00",
		},
		Profile: "cis-win7-l1",
		Results: results,
		Summary: checks.Summarize(results),
		Notes:   []string{"The waiver for 18.9.8.3 (site.yaml:9) expired on 2024-01-01; the check is judged again."},
	}
}

func empty() checks.Report {
	r := sample()
	r.Results = nil
	r.Summary = checks.Summarize(nil)
	return r
}

func render(t *testing.T, format string, r checks.Report) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, Write(&b, format, r))
	return b.String()
}

// Text and HTML show what a check expects in words; JSON and CSV keep
// the notation in "expected" (the words are added to JSON, not swapped).
func TestExpectedInWords(t *testing.T) {
	for _, f := range []string{"text", "html"} {
		out := render(t, f, sample())
		assert.Contains(t, out, "must be 5 invalid logon attempts", f)
		assert.NotContains(t, out, "= 5", f)
		assert.Contains(t, out, "24 or more passwords remembered", "%s: a result without words shows its expectation", f)
	}
	var raw struct{ Results []map[string]interface{} }
	require.NoError(t, json.Unmarshal([]byte(render(t, "json", sample())), &raw))
	last := raw.Results[len(raw.Results)-1]
	assert.Equal(t, "= 5", last["expected"])
	assert.Equal(t, "must be 5 invalid logon attempts", last["expected_words"])
	assert.Contains(t, render(t, "csv", sample()), ",'= 5,", "the notation, guarded against formulas")
}

func TestGolden(t *testing.T) {
	tests := []struct{ format, file string }{
		{"text", "sample.txt.golden"},
		{"json", "sample.json.golden"},
		{"csv", "sample.csv.golden"},
		{"html", "sample.html.golden"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			got := render(t, tt.format, sample())
			path := filepath.Join("testdata", tt.file)
			if *update {
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./app/report/ -update to create it")
			assert.Equal(t, string(want), got)
		})
	}
}

func TestFormatsAndDispatch(t *testing.T) {
	assert.Equal(t, []string{"text", "json", "csv", "html"}, Formats())
	for _, f := range Formats() {
		assert.NotEmpty(t, render(t, f, sample()), f)
	}
	assert.Equal(t, render(t, "json", sample()), render(t, " JSON ", sample()))

	err := Write(&bytes.Buffer{}, "xml", sample())
	require.Error(t, err)
	for _, f := range Formats() {
		assert.Contains(t, err.Error(), f)
	}
}

func TestEmptyReport(t *testing.T) {
	for _, f := range Formats() {
		t.Run(f, func(t *testing.T) {
			out := render(t, f, empty())
			assert.NotEmpty(t, out)
		})
	}
	out := render(t, "json", empty())
	assert.Contains(t, out, `"results": []`)
	assert.NotContains(t, out, "null")
	assert.Contains(t, render(t, "text", empty()), "No checks were run.")
	assert.Contains(t, render(t, "html", empty()), "No checks were run.")
	assert.Equal(t, "\ufeff"+strings.Join(CSVHeader, ",")+"\r\n", render(t, "csv", empty()))
}

func TestJSONRoundTrip(t *testing.T) {
	in := sample()
	var got checks.Report
	require.NoError(t, json.Unmarshal([]byte(render(t, "json", in)), &got))
	assert.Equal(t, in, got)
}

func TestJSONNeverNull(t *testing.T) {
	r := checks.Report{Results: []checks.Result{{ID: "1.1.1", Status: checks.Pass}}}
	out := render(t, "json", r)
	assert.Contains(t, out, `"capabilities": []`)
	assert.NotContains(t, out, "null")
	assert.Nil(t, r.Results[0].Capabilities, "the caller's report must not be changed")

	var raw map[string]interface{}
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	for _, key := range []string{"tool", "version", "started", "host", "profile", "results", "summary"} {
		assert.Contains(t, raw, key)
	}
}

// unguard undoes outfile.CSVCell, as a reader of the file would.
func unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

func TestCSVRoundTrip(t *testing.T) {
	in := sample()
	out := render(t, "csv", in)
	require.True(t, strings.HasPrefix(out, "\ufeff"), "BOM")
	body := strings.TrimPrefix(out, "\ufeff")
	assert.NotRegexp(t, `[^\r]\n`, body, "every line ends in CRLF")

	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, len(in.Results)+1)
	assert.Equal(t, CSVHeader, rows[0])
	for i, res := range in.Results {
		override := ""
		if res.Override != nil {
			override = res.Override.File + ":" + strconv.Itoa(res.Override.Line) + " sets " + res.Override.Value
		}
		compensating := ""
		if res.Compensating != nil {
			compensating = res.Compensating.String()
		}
		user := ""
		if res.User != nil {
			user = res.User.Name + " (" + res.User.SID + ")"
		}
		want := []string{res.ID, res.Title, res.Level, string(res.Status), strings.Join(res.Capabilities, ";"),
			res.Expected, res.Actual, res.Reason, res.Source, override, compensating, user}
		got := make([]string, len(rows[i+1]))
		for j, f := range rows[i+1] {
			got[j] = unguard(f)
		}
		assert.Equal(t, want, got, res.ID)
	}
}

func TestHTML(t *testing.T) {
	in := sample()
	out := render(t, "html", in)
	lower := strings.ToLower(out)
	for _, bad := range []string{"<link", "<script src", "http://", "https://", "@import", "url("} {
		assert.NotContains(t, lower, bad)
	}
	assert.Equal(t, 1, strings.Count(lower, "<script"), "only the report's own script")
	assert.NotContains(t, out, injection)
	assert.Contains(t, out, "&lt;script&gt;alert(1)&lt;/script&gt;")

	for _, res := range in.Results {
		assert.Contains(t, out, ">"+template.HTMLEscapeString(res.ID)+"<", res.ID)
	}
	for _, code := range []string{"AUTH", "PAUT", "NAUT", "ALOF", "SAHD", "MLDP", "AUDT", "EMRG"} {
		assert.Contains(t, out, `<option value="`+code+`">`+code+" - "+checks.Capabilities[code]+"</option>")
	}
	for _, s := range checks.Statuses {
		assert.Contains(t, out, `name="status" value="`+string(s)+`" checked`)
	}
	assert.Contains(t, out, "<title>medharden audit - ICU-CENTRAL-01 - cis-win7-l1</title>")
	// Filters need the script; without it the form stays hidden and all rows show.
	assert.Contains(t, out, `<form id="filters" hidden>`)
	assert.NotContains(t, out, "display:none", "no row is hidden by the template")

	// The script's hash in the CSP must match the script, or browsers block it.
	m := regexp.MustCompile(`(?s)<script>(.*)</script>`).FindStringSubmatch(out)
	require.NotNil(t, m)
	sum := sha256.Sum256([]byte(m[1]))
	assert.Contains(t, out, "&#39;sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"&#39;")
}

func TestHTMLBars(t *testing.T) {
	row := capRow("AUTH", "Authorization", checks.Counts{Total: 3, Fail: 1, Pass: 2})
	assert.Equal(t, 3, row.Count)
	assert.Equal(t, []int{1, 0, 2, 0, 0}, row.Cells)
	require.Len(t, row.Bars, 2)
	assert.Equal(t, template.CSS("width:33.3%"), row.Bars[0].Style)
	assert.Equal(t, template.CSS("width:66.6%"), row.Bars[1].Style)
	assert.Empty(t, capRow("", "All checks", checks.Counts{}).Bars)
}

func TestText(t *testing.T) {
	in := sample()
	out := render(t, "text", in)
	for _, want := range []string{
		"RESULTS BY SECURITY CAPABILITY",
		"Code  Capability",
		"AUTH  Authorization",
		"ALOF  Automatic logoff",
		"Host:     ICU-CENTRAL-01 (workgroup WORKGROUP)",
		"Profile:  cis-win7-l1",
		"Source:   C:\\medharden\\ICU-CENTRAL-01-20240115-093000",
		"4 failed, 1 could not be checked",
	} {
		assert.Contains(t, out, want)
	}
	for _, res := range in.Results {
		if res.Status == checks.Fail || res.Status == checks.Error {
			assert.Regexp(t, `(?m)^(FAIL|ERROR) +`+regexp.QuoteMeta(res.ID)+" ", out)
		} else if res.Override == nil {
			assert.NotRegexp(t, `(?m)^\S+ +`+regexp.QuoteMeta(res.ID)+" ", out, "only findings and tailored checks are listed")
		}
	}
	assert.Contains(t, out, "Expected:     24 or more passwords remembered")
	assert.Contains(t, out, "Actual:       (empty)")
	for i, line := range strings.Split(out, "\n") {
		assert.LessOrEqual(t, utf8.RuneCountInString(line), textWidth, "line %d: %q", i+1, line)
		assert.NotContains(t, line, "\x1b")
		assert.NotContains(t, line, "\r")
	}
}

func TestTextControlCharacters(t *testing.T) {
	r := sample()
	r.Results[0].Actual = "0\x1b[2J\tx\u202eevil"
	r.Host.Hostname = "ICU\r\nFAKE LINE"
	out := render(t, "text", r)
	assert.NotContains(t, out, "\x1b")
	assert.NotContains(t, out, "\u202e")
	assert.Contains(t, out, `0\x1b[2J x\u202eevil`)
	assert.Contains(t, out, "Host:     ICU FAKE LINE (workgroup WORKGROUP)")
}

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  []string
	}{
		{"short", "abc", 10, []string{"abc"}},
		{"empty", "", 10, []string{""}},
		{"space", "aaaa bbbb cccc", 10, []string{"aaaa bbbb", "cccc"}},
		{"comma", "S-1-5-32-544,S-1-5-32-545", 16, []string{"S-1-5-32-544,", "S-1-5-32-545"}},
		{"hard", "abcdefghijkl", 5, []string{"abcde", "fghij", "kl"}},
		{"newline", "one\ntwo", 10, []string{"one", "two"}},
		{"runes", "ääää öööö", 5, []string{"ääää", "öööö"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(tt.in, tt.width)
			assert.Equal(t, tt.want, got)
			for _, l := range got {
				assert.LessOrEqual(t, utf8.RuneCountInString(l), tt.width)
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrors(t *testing.T) {
	for _, f := range Formats() {
		assert.EqualError(t, Write(failWriter{}, f, sample()), "disk full", f)
	}
}

// A check judged against a tailoring file's value is marked in every
// format, with the file and line; an expired waiver is noted.
func TestOverrideMarked(t *testing.T) {
	in := sample()
	for _, f := range Formats() {
		out := render(t, f, in)
		if f != "json" {
			assert.Contains(t, out, "site.yaml:14 sets 0", f)
			assert.Contains(t, out, "site.yaml:15 sets 5", f)
		}
		if f != "csv" {
			assert.Contains(t, out, "expired on 2024-01-01; the check is judged again", f)
		}
	}
	text := render(t, "text", in)
	assert.Contains(t, text, "TAILORED: CHECKS JUDGED AGAINST A TAILORING FILE'S VALUE, NOT THE BENCHMARK'S (2)")
	assert.Regexp(t, `PASS +1\.1\.4 .*\n +Tailored: +site\.yaml:14 sets 0`, text, "a passing check is marked too")
	var raw struct {
		Results []map[string]interface{} `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(render(t, "json", in)), &raw))
	for _, r := range raw.Results {
		switch r["id"] {
		case "1.1.4":
			assert.Equal(t, map[string]interface{}{"file": "site.yaml", "line": float64(14), "value": "0"}, r["override"])
		case "1.1.1":
			assert.NotContains(t, r, "override", "the benchmark's own value carries no mark")
		}
	}
	assert.Contains(t, render(t, "html", in), `<div class="tailored"><strong>Tailored:</strong> site.yaml:14 sets 0`)
}

// A finding accepted under the legacy-device policy shows its compensating
// controls in every format.
func TestCompensatingControlsShown(t *testing.T) {
	in := sample()
	in.Results = append(in.Results, checks.Result{
		ID: "MH-EXP-EOS", Title: "Windows is past its end of support", Level: "MH", Status: checks.Waived,
		Capabilities: []string{"CSUP"}, Expected: "not exposed", Actual: "Windows 7 extended support ended 2020-01-14",
		Reason: "waived: legacy device: validated on Windows 7 only (finding: exposed)",
		Compensating: &checks.Compensating{File: "site.yaml", Line: 21, NetworkSegment: "VLAN 112",
			FirewallRule: "FW-ICU-07 <only HL7>", VendorStatement: "ACME letter 2026-03-01", NextReview: "2027-06-30"},
	})
	in.Summary = checks.Summarize(in.Results)
	for _, f := range Formats() {
		out := render(t, f, in)
		for _, want := range []string{"VLAN 112", "ACME letter 2026-03-01", "2027-06-30"} {
			assert.Contains(t, out, want, f)
		}
	}
	text := render(t, "text", in)
	assert.Regexp(t, `LEGACY DEVICE: FINDINGS ACCEPTED WITH COMPENSATING CONTROLS \(1\)\nWAIVED +MH-EXP-EOS .*\n +Finding: .*\n +Compensating: +network segment: VLAN 112; firewall rule: FW-ICU-07 <only HL7>`, text)
	assert.Contains(t, render(t, "html", in), "firewall rule: FW-ICU-07 &lt;only HL7&gt;", "escaped in HTML")
	var raw struct {
		Results []map[string]interface{} `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(render(t, "json", in)), &raw))
	last := raw.Results[len(raw.Results)-1]
	assert.Equal(t, map[string]interface{}{"file": "site.yaml", "line": float64(21), "network_segment": "VLAN 112",
		"firewall_rule": "FW-ICU-07 <only HL7>", "vendor_statement": "ACME letter 2026-03-01", "next_review": "2027-06-30"}, last["compensating_controls"])
}

// A user-scope result names the person whose hive was judged in every
// format.
func TestReportsNameTheUser(t *testing.T) {
	in := sample()
	in.Results = append(in.Results, checks.Result{
		ID: "19.1.3.3", Title: "Password protect the screen saver", Level: "L1", Status: checks.Fail,
		Capabilities: []string{"ALOF", "PAUT"}, Expected: "= 1", Actual: `"0"`, Reason: `is 0, should be 1`,
		Source: `HKU\S-1-5-21-1-2-3-1000\Software\Policies\Microsoft\Windows\Control Panel\Desktop\ScreenSaverIsSecure`,
		User:   &checks.User{Name: "operator", SID: "S-1-5-21-1-2-3-1000"},
	})
	in.Summary = checks.Summarize(in.Results)
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(render(t, "csv", in), "\ufeff"))).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, "user", rows[0][len(rows[0])-1], "the new column comes last: the others keep their places")
	assert.Equal(t, "operator (S-1-5-21-1-2-3-1000)", rows[len(rows)-1][len(rows[0])-1])
	for _, f := range []string{"text", "csv", "html", "json"} {
		out := render(t, f, in)
		assert.Contains(t, out, "operator", f)
		assert.Contains(t, out, "S-1-5-21-1-2-3-1000", f)
	}
	assert.Contains(t, render(t, "text", in), "Settings of:  operator (S-1-5-21-1-2-3-1000)")
	assert.Contains(t, render(t, "html", in), "Settings of: operator (S-1-5-21-1-2-3-1000)")
	assert.Contains(t, render(t, "json", in), `"user": {`)
}
