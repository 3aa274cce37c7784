package workflow

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/snapshot"
	"medharden/remediate"
)

// The progress wrapper shows remediate the target's typed identity: a
// snapshot stays that snapshot, and nothing else is taken for one.
func TestCountingWriterKeepsIdentity(t *testing.T) {
	ctx := context.Background()
	tg, err := Open(ctx, sample(win7))
	require.NoError(t, err)
	h := tg.Host.(checks.HostWriter)
	want, err := remediate.Identify(ctx, h)
	require.NoError(t, err)
	got, err := remediate.Identify(ctx, countWrites(h, 1, func(int, int) {}))
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Same(t, h, countWrites(h, 1, nil))

	live, err := remediate.Identify(ctx, countWrites(liveLike{Host: tg.Host.(*snapshot.Host)}, 1, func(int, int) {}))
	require.NoError(t, err)
	assert.Equal(t, "live", live.Source)
	assert.Empty(t, live.Snapshot)
}
