package gui

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
)

// "Needs attention" lists the findings by clinical risk, each with what it
// means and what to do; the full list is one click away.
func TestNeedsAttentionFlow(t *testing.T) {
	h := newHarness(t)
	h.open()
	v := &h.m.attention
	require.NotEmpty(t, v.rows)
	assert.Equal(t, workflow.RiskCredential, v.rows[0].Group, "the sign of a blank password first")
	assert.Equal(t, workflow.RiskExposure, v.rows[1].Group)
	assert.Equal(t, "MH-PATCH-1", v.rows[1].Also)
	assert.Contains(t, v.rows[1].Action, "KB4012212", "an exposure's action is the remedy its reason ends with")
	assert.NotContains(t, v.rows[1].Action, "exposed;", v.rows[1].Action)
	assert.Contains(t, v.summary.Text, "findings, most urgent first")
	for _, r := range v.rows {
		assert.NotEmpty(t, r.Meaning, r.ID)
		assert.NotEmpty(t, r.Action, r.ID)
		assert.NotContains(t, r.Title, "' is set to '", r.ID)
	}
	var pw int
	for i, r := range v.rows {
		if r.ID == "MH-ACC-3" {
			pw = i
		}
	}
	require.Greater(t, pw, 0)
	assert.Equal(t, workflow.RiskPassword, v.rows[pw].Group)

	assert.True(t, v.open.Disabled())
	v.list.Select(pw)
	assert.True(t, strings.HasPrefix(v.full.Text, v.rows[pw].Head()))
	assert.Contains(t, v.full.Text, "What to do: ")
	v.open.OnTapped()
	assert.Equal(t, h.m.resultsTab, h.m.tabs.Selected())
	assert.Equal(t, "MH-ACC-3", h.m.results.selected, "the same finding in the full list")
}
