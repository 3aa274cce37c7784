package report

import (
	"html/template"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// A failed check in the HTML report carries the catalog's rationale, fix
// and trade-off, the same texts the window's detail pane shows, collapsed
// in a <details> that needs no script.
func TestHTMLGuidance(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	ch, ok := cat.Get("MH-ACC-3")
	require.True(t, ok)
	g := ch.Guidance()
	require.NotEmpty(t, g.Rationale)
	require.NotEmpty(t, g.Tradeoff)

	r := sample()
	r.Results = append(r.Results, checks.Result{ID: "MH-ACC-3", Title: ch.Title, Level: "MH", Status: checks.Fail,
		Expected: "none", Actual: "svcvendor", Reason: "found: svcvendor"})
	out := render(t, "html", r)
	row := out[strings.Index(out, `<td class="id">MH-ACC-3</td>`):]
	row = row[:strings.Index(row, "</tr>")]
	for _, want := range []string{
		"<details><summary>Why, fix and trade-off</summary>",
		"<strong>Rationale:</strong> " + escape(g.Rationale),
		"<strong>Fix:</strong> " + escape(g.Fix),
		"<strong>Trade-off:</strong> " + escape(g.Tradeoff),
	} {
		assert.Contains(t, row, want)
	}
	// Passes are a compact table without guidance.
	pass := out[strings.Index(out, `<td class="id">2.3.7.3</td>`):]
	assert.NotContains(t, pass[:strings.Index(pass, "</tr>")], "<details>")
}

// A check judged against a tailoring file's value is fixed to that value,
// not to the benchmark's.
func TestGuidanceOverride(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	ch, ok := cat.Get("1.2.2")
	require.True(t, ok)
	require.NotNil(t, ch.Fix.Value)
	res := checks.Result{ID: "1.2.2", Status: checks.Fail, Override: &checks.Override{File: "site.yaml", Line: 15, Value: "5"}}
	assert.True(t, strings.HasPrefix(guidance(cat, res).Fix, "Set to 5"), guidance(cat, res).Fix)
	res.Override = nil
	assert.Equal(t, ch.FixText(), guidance(cat, res).Fix)
	assert.Equal(t, checks.Guidance{}, guidance(cat, checks.Result{ID: "MH-EXP-MS17-010"}), "an exposure has no catalog entry")
}

// Catalog text is escaped like every other value.
func TestHTMLGuidanceEscaped(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	ch, ok := cat.Get("MH-ACC-3")
	require.True(t, ok)
	ch.Rationale = "Why " + injection
	ch.Tradeoff = "Cost " + injection
	ch.Fix = checks.Fix{Manual: "Do " + injection}
	evil, err := cat.With(ch)
	require.NoError(t, err)
	g := guidance(evil, checks.Result{ID: "MH-ACC-3", Status: checks.Fail})
	hr := htmlData{CSP: htmlCSP, Failed: []htmlResult{{Result: checks.Result{ID: "MH-ACC-3", Status: checks.Fail}, Class: "fail", Guidance: g}}}
	hr.Results = hr.Failed
	var b strings.Builder
	require.NoError(t, htmlTemplate.Execute(&b, hr))
	out := b.String()
	assert.NotContains(t, out, injection)
	for _, want := range []string{"Why &lt;script&gt;", "Cost &lt;script&gt;", "Manual: Do &lt;script&gt;"} {
		assert.Contains(t, out, want)
	}
	assert.Equal(t, 1, strings.Count(strings.ToLower(out), "<script"), "only the report's own script")
}

// With a tailoring file the report names it and lists each waiver with
// who approved it and until when.
func TestHTMLNamesTailoringAndWaivers(t *testing.T) {
	r := sample()
	out := render(t, "html", r)
	assert.NotContains(t, out, "tailoring file <strong", "no tailoring, no name")

	r.Tailoring = `C:\medharden\site <ICU>.yaml`
	r.Results = append(r.Results, checks.Result{ID: "2.3.1.1", Title: "Accounts: Administrator account status", Level: "L1",
		Status: checks.Waived, Reason: "waived: vendor service logon (approved by Dr. Weber, until 2027-03-31)"})
	out = render(t, "html", r)
	sec := out[strings.Index(out, `<section id="tailoring">`):]
	sec = sec[:strings.Index(sec, "</section>")]
	assert.Contains(t, sec, `tailoring file <strong class="file">C:\medharden\site &lt;ICU&gt;.yaml</strong>`)
	assert.Contains(t, sec, `<td class="waiver-id">2.3.1.1</td>`)
	assert.Contains(t, sec, "approved by Dr. Weber, until 2027-03-31")
	assert.Contains(t, sec, `<td class="waiver-id">2.3.1.2</td>`)
	assert.Less(t, strings.Index(out, `<section id="tailoring">`), strings.Index(out, "<h2>Checks"), "before the checks")
}

// The print layout: findings before the other checks, the other checks a
// compact table, and print rules that keep rows whole.
func TestHTMLPrintLayout(t *testing.T) {
	out := render(t, "html", sample())
	css := out[strings.Index(out, "@media print"):strings.Index(out, "</style>")]
	for _, want := range []string{"@page", "break-inside: avoid", "table-header-group", "table.compact"} {
		assert.Contains(t, css, want)
	}
	findings := strings.Index(out, `<table id="results"`)
	others := strings.Index(out, `<table id="others" class="results compact">`)
	require.Greater(t, findings, 0)
	require.Greater(t, others, findings)
	for _, res := range sample().Results {
		i := strings.Index(out, `<td class="id">`+escape(res.ID)+"</td>")
		require.Greater(t, i, 0, res.ID)
		if res.Status == checks.Fail || res.Status == checks.Error {
			assert.Less(t, i, others, res.ID)
		} else {
			assert.Greater(t, i, others, res.ID)
		}
	}
}

func escape(s string) string { return template.HTMLEscapeString(s) }
