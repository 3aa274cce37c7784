package gui

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
	"medharden/checks"
)

// The window shows exactly the result set the CLI reports, exposures
// included.
func TestWindowAndCLIShareTheResultSet(t *testing.T) {
	s := NewState("0.1.0")
	require.NoError(t, s.Load(context.Background(), sampleDir))
	gui, ok := s.Report()
	require.True(t, ok)

	cli, err := workflow.New(workflow.Config{Version: "0.1.0"}).Load(context.Background(), sampleDir)
	require.NoError(t, err)

	status := func(rep checks.Report) map[string]checks.Status {
		m := map[string]checks.Status{}
		for _, r := range rep.Results {
			m[r.ID] = r.Status
		}
		return m
	}
	assert.Equal(t, status(cli), status(gui))
	assert.Contains(t, status(gui), "MH-EXP-MS17-010")
}
