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
	"medharden/checks"
	"medharden/checks/snapshot"
)

// liveLike is a snapshot host that says it is this computer: the seam
// for what only this computer gets (the runs folder, event records).
type liveLike struct {
	*snapshot.Host
}

func (liveLike) Identity() checks.Identity { return checks.Identity{Origin: checks.Live} }

// asLive makes "this computer" a copy of a snapshot, the same host on every
// call so that its changes persist from one command to the next.
func asLive(t *testing.T, dir string) {
	t.Helper()
	h, err := snapshot.Open(dir)
	require.NoError(t, err)
	old := workflow.OpenLive
	workflow.OpenLive = func() (checks.Host, error) { return liveLike{Host: h}, nil }
	t.Cleanup(func() { workflow.OpenLive = old })
}

// fakeLog records what would go to the Application event log.
type fakeLog struct{ records []string }

func (l *fakeLog) Write(msg string, failure bool) error {
	if failure {
		msg = "FAILURE " + msg
	}
	l.records = append(l.records, msg)
	return nil
}

func withEvents(t *testing.T) *fakeLog {
	t.Helper()
	l := &fakeLog{}
	old := events
	events = l
	t.Cleanup(func() { events = old })
	return l
}

// cutJournal cuts a run's journal back to before verification, as a crash
// would leave it.
func cutJournal(t *testing.T, dir string) {
	t.Helper()
	journal := filepath.Join(dir, "journal.jsonl")
	b, err := os.ReadFile(journal)
	require.NoError(t, err)
	i := strings.Index(string(b), `"op":"verified"`)
	require.Greater(t, i, 0)
	require.NoError(t, os.WriteFile(journal, b[:strings.LastIndexByte(string(b[:i]), '\n')+1], 0o600))
}

// A rehearsal on a snapshot that crashed blocks further rehearsals until it
// is resolved, never an apply to this computer; live changes are recorded
// in the event log with the technician's account and the version.
func TestCrashedRehearsalDoesNotBlockLiveApply(t *testing.T) {
	runs := filepath.Join(t.TempDir(), "runs")
	log := withEvents(t)
	code, out, stderr := runCLI("apply", "--snapshot", sample(win7Vendor), "--runs", runs, "--yes")
	require.Equal(t, 0, code, stderr)
	rehearsal := runLine.FindStringSubmatch(out)[1]
	cutJournal(t, filepath.Join(workflow.RehearsalsBeside(runs), rehearsal))
	assert.Empty(t, log.records, "a rehearsal changes nothing real")

	code, _, stderr = runCLI("plan", "--snapshot", sample(win7Vendor), "--runs", runs)
	assert.Equal(t, 1, code, "the crashed rehearsal blocks rehearsals")
	assert.Contains(t, stderr, "was interrupted")

	asLive(t, sample(win7Vendor))
	code, out, stderr = runCLI("apply", "--runs", runs, "--yes")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, stderr, "was interrupted")
	assert.NotContains(t, out, "dry demonstration")
	live := runLine.FindStringSubmatch(out)[1]
	_, err := os.Stat(filepath.Join(runs, live, "journal.jsonl"))
	require.NoError(t, err, "the live run is in the runs folder")
	require.Len(t, log.records, 1)
	assert.Contains(t, log.records[0], "medharden "+version+", technician account ")
	assert.Contains(t, log.records[0], "medharden apply, run "+live)

	code, out, _ = runCLI("backups", "--runs", runs)
	assert.Equal(t, 1, code, "the crashed rehearsal is still reported")
	assert.Contains(t, out, rehearsal)
	assert.Contains(t, out, "snapshot (demonstration)")

	code, _, stderr = runCLI("rollback", filepath.Join(runs, live), "--runs", runs)
	require.Equal(t, 0, code, stderr)
	require.Len(t, log.records, 2)
	assert.Contains(t, log.records[1], "medharden rollback, run "+live)
}

// --no-credential-probe turns the logon tests off on this computer; the
// credentials checks then say so and never pass.
func TestAuditNoCredentialProbe(t *testing.T) {
	asLive(t, sample(win7Vendor))
	withEvents(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"audit", "--format", "json", "--no-credential-probe"}, "the credential probe is off (--no-credential-probe)"},
		{[]string{"audit", "--format", "json"}, "this host cannot try logons"},
	} {
		code, out, stderr := runCLI(c.args...)
		require.Equal(t, 1, code, stderr)
		var rep checks.Report
		require.NoError(t, json.Unmarshal([]byte(out), &rep), stderr)
		seen := 0
		for _, r := range rep.Results {
			if strings.HasPrefix(r.ID, "MH-CRED-") {
				seen++
				assert.Contains(t, r.Actual, c.want, r.ID)
				assert.NotEqual(t, checks.Pass, r.Status, r.ID)
			}
		}
		assert.Equal(t, 2, seen)
	}
	code, _, stderr := runCLI("plan", "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "-no-credential-probe", "plan, apply and remediate take it too")
}
