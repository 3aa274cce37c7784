package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// The HTML report lists the critical exposures found before every other
// check; one ruled out stays in its place.
func TestHTMLCriticalExposuresFirst(t *testing.T) {
	r := sample()
	r.Results = append(r.Results,
		checks.Result{ID: "MH-EXP-MS08-067", Title: "MS08-067 (Conficker)", Level: "MH", Status: checks.Pass},
		checks.Result{ID: "MH-EXP-MS17-010", Title: "MS17-010 EternalBlue (WannaCry)", Level: "MH", Status: checks.Fail})
	var b bytes.Buffer
	require.NoError(t, WriteHTML(&b, r))
	out := b.String()
	first := strings.Index(out, `<td class="id">`)
	require.Greater(t, first, 0)
	assert.True(t, strings.HasPrefix(out[first:], `<td class="id">MH-EXP-MS17-010</td>`), out[first:first+60])
	assert.Greater(t, strings.Index(out, `<td class="id">MH-EXP-MS08-067</td>`), strings.Index(out, `<td class="id">1.2.2</td>`))
}
