package gui

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
	"medharden/checks"
	"medharden/checks/snapshot"
)

// releasing is a host that loads people's hives, as the live host does:
// it counts the times the window gave them back.
type releasing struct {
	*snapshot.Host
	released int
	err      error
}

func (r *releasing) ReleaseHives() error {
	r.released++
	return r.err
}

// The window stays open for hours: after each audit and plan the hives the
// live host loaded are unloaded, and a failure to unload is shown.
func TestWindowReleasesHivesAfterEachRun(t *testing.T) {
	snap, err := snapshot.Open(sampleDir)
	require.NoError(t, err)
	h := &releasing{Host: snap}
	old := workflow.OpenLive
	workflow.OpenLive = func() (checks.Host, error) { return h, nil }
	t.Cleanup(func() { workflow.OpenLive = old })

	s := NewState("0.1.0")
	s.Root = t.TempDir()
	t.Cleanup(s.Close)
	ctx := context.Background()
	require.NoError(t, s.Load(ctx, ""))
	assert.Equal(t, 1, h.released, "after the first audit")
	require.NoError(t, s.Audit(ctx))
	assert.Equal(t, 2, h.released, "after an audit")
	sel, err := s.Selection("failed", "")
	require.NoError(t, err)
	_, err = s.NewPlan(ctx, sel)
	require.NoError(t, err)
	assert.Equal(t, 3, h.released, "after a plan")

	h.err = errors.New(`unload HKU\medharden-S-1-5-21-1-2-3-1001: in use`)
	require.NoError(t, s.Audit(ctx))
	w := s.TakeWarnings()
	require.Len(t, w, 1)
	assert.Contains(t, w[0].Error(), `unload HKU\medharden-S-1-5-21-1-2-3-1001`)
}
