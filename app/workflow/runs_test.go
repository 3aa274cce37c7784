package workflow

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/remediate"
)

// fakeLog records what would go to the Application event log.
type fakeLog struct{ records []string }

func (l *fakeLog) Write(msg string, failure bool) error {
	if failure {
		msg = "FAILURE " + msg
	}
	l.records = append(l.records, msg)
	return nil
}

// crash cuts a run's journal back to before verification, as a crash or
// a power cut would leave it.
func crash(t *testing.T, dir string) {
	t.Helper()
	journal := filepath.Join(dir, "journal.jsonl")
	b, err := os.ReadFile(journal)
	require.NoError(t, err)
	i := strings.Index(string(b), `"op":"verified"`)
	require.Greater(t, i, 0)
	require.NoError(t, os.WriteFile(journal, b[:strings.LastIndexByte(string(b[:i]), '\n')+1], 0o600))
}

func applyFailed(t *testing.T, s *Session) *remediate.Outcome {
	t.Helper()
	p, err := s.Plan(context.Background(), remediate.Selection{Mode: "failed"})
	require.NoError(t, err)
	require.NotEmpty(t, p.Changes())
	out, err := s.Apply(context.Background(), p, nil)
	require.NoError(t, err)
	return out
}

// A crashed rehearsal on a snapshot is kept in the rehearsals folder: it
// blocks further rehearsals until resolved, never an apply to this
// computer.
func TestCrashedRehearsalDoesNotBlockLive(t *testing.T) {
	for _, cfg := range []struct {
		name       string
		rehearsals func(runs string) string
	}{
		{"command line", RehearsalsBeside},
		{"window", func(string) string { return "" }},
	} {
		t.Run(cfg.name, func(t *testing.T) {
			ctx := context.Background()
			runs := filepath.Join(t.TempDir(), "runs")
			s := New(Config{Version: "test", Runs: runs, Rehearsals: cfg.rehearsals(runs), Events: &fakeLog{}})
			t.Cleanup(s.Close)

			_, err := s.Load(ctx, sample(win7))
			require.NoError(t, err)
			rehearsal := applyFailed(t, s)
			rroot, err := s.RunsRoot()
			require.NoError(t, err)
			assert.NotEqual(t, filepath.Clean(runs), filepath.Clean(rroot))
			assert.Equal(t, filepath.Clean(rroot), filepath.Dir(rehearsal.Dir), "the rehearsal is kept in the rehearsals folder")
			crash(t, rehearsal.Dir)
			pend, err := s.Pending()
			require.NoError(t, err)
			require.Len(t, pend, 1, "the crashed rehearsal blocks rehearsals")

			asLive(t, sample(win7))
			_, err = s.Load(ctx, "")
			require.NoError(t, err)
			root, err := s.RunsRoot()
			require.NoError(t, err)
			assert.Equal(t, runs, root)
			pend, err = s.Pending()
			require.NoError(t, err)
			assert.Empty(t, pend, "the live runs folder knows nothing of the rehearsal")
			live := applyFailed(t, s)
			assert.Equal(t, runs, filepath.Dir(live.Dir), "the live run is kept in the runs folder")
			assert.True(t, live.Verify.OK())
		})
	}
}

// Every live apply, resume and rollback is recorded with the technician's
// account and the tool version; a rehearsal is not.
func TestLiveChangesAreRecorded(t *testing.T) {
	ctx := context.Background()
	log := &fakeLog{}
	runs := filepath.Join(t.TempDir(), "runs")
	s := New(Config{Version: "9.8.7", Runs: runs, Rehearsals: RehearsalsBeside(runs), Events: log, User: `ICU\tech`})
	t.Cleanup(s.Close)

	_, err := s.Load(ctx, sample(win7))
	require.NoError(t, err)
	rehearsal := applyFailed(t, s)
	assert.Empty(t, log.records, "a rehearsal changes nothing real")

	asLive(t, sample(win7))
	_, err = s.Load(ctx, "")
	require.NoError(t, err)
	out := applyFailed(t, s)
	require.Len(t, log.records, 1)
	assert.True(t, strings.HasPrefix(log.records[0], `medharden 9.8.7, technician account ICU\tech, host ICU-CS01, this computer`+"\n"), log.records[0])
	assert.Contains(t, log.records[0], "medharden apply, run "+out.Run)
	assert.Contains(t, log.records[0], "Result: all changes applied and verified")

	runs2, err := s.AllRuns()
	require.NoError(t, err)
	require.Len(t, runs2, 2, "both folders are listed")
	if out.Run == rehearsal.Run { // made in the same second: ids are unique per folder only
		_, err = s.OpenRun(ctx, out.Run, "")
		assert.ErrorContains(t, err, "name its folder")
	}
	r, err := s.OpenRun(ctx, out.Dir, "")
	require.NoError(t, err)
	rb, err := s.Rollback(ctx, r, false, nil)
	require.NoError(t, err)
	assert.NotEmpty(t, rb.Restored)
	require.Len(t, log.records, 2)
	assert.Contains(t, log.records[1], `technician account ICU\tech`)
	assert.Contains(t, log.records[1], "medharden rollback, run "+out.Run)

	again, err := s.Rollback(ctx, r, false, nil)
	require.NoError(t, err)
	assert.True(t, again.Already)
	assert.Len(t, log.records, 2, "nothing changed, nothing recorded")

	// The rehearsal is found in its own folder and opens its snapshot.
	r, err = s.OpenRun(ctx, rehearsal.Dir, "")
	require.NoError(t, err)
	tg, _ := s.Target()
	assert.Equal(t, Snapshot, tg.ID.Kind)
	_, err = s.Rollback(ctx, r, false, nil)
	require.NoError(t, err)
	assert.Len(t, log.records, 2)
}
