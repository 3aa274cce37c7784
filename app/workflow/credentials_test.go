package workflow

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/credprobe"
	"medharden/checks/snapshot"
)

// samAnswers replays Windows' answers: svcvendor's password is blank (the
// console-only limit refuses it with 1327), every other try is wrong.
type samAnswers struct{ logons []string }

func (s *samAnswers) Policy() (credprobe.Policy, error) {
	return credprobe.Policy{Threshold: 5}, nil
}
func (s *samAnswers) State(string) (credprobe.State, error) { return credprobe.State{}, nil }
func (s *samAnswers) Logon(name, password string) credprobe.Answer {
	s.logons = append(s.logons, name)
	if name == "svcvendor" && password == "" {
		return credprobe.Answer{Code: 1327}
	}
	return credprobe.Answer{Code: 1326}
}

// liveProber is a snapshot posing as this computer that can try logons.
type liveProber struct {
	liveLike
	sam *samAnswers
}

func (h liveProber) CredentialAPI() credprobe.API { return h.sam }

type failingLog struct{}

func (failingLog) Write(string, bool) error { return errors.New("event log full") }

func probeLive(t *testing.T) *samAnswers {
	t.Helper()
	h, err := snapshot.Open(sample(win7))
	require.NoError(t, err)
	sam := &samAnswers{}
	old := OpenLive
	OpenLive = func() (checks.Host, error) { return liveProber{liveLike{h}, sam}, nil }
	t.Cleanup(func() { OpenLive = old })
	return sam
}

func result(t *testing.T, rep checks.Report, id string) checks.Result {
	t.Helper()
	for _, r := range rep.Results {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no result %s", id)
	return checks.Result{}
}

// A live audit probes once, after one Application event naming who, the
// accounts and the attempts; the blank password is reported first.
func TestLiveAuditProbesCredentials(t *testing.T) {
	sam := probeLive(t)
	log := &fakeLog{}
	s := New(Config{Version: "test", Events: log, User: "tech", Runs: t.TempDir()})
	rep, err := s.Load(context.Background(), "")
	require.NoError(t, err)
	r := result(t, rep, "MH-CRED-1")
	assert.Equal(t, checks.Fail, r.Status)
	assert.Contains(t, r.Actual, "blank password: svcvendor")
	require.Len(t, log.records, 1)
	assert.Contains(t, log.records[0], "technician account tech")
	assert.Contains(t, log.records[0], "credential probe by tech")
	assert.Contains(t, log.records[0], "svcvendor")
	assert.Contains(t, log.records[0], "4625")
	assert.NotEmpty(t, sam.logons)
	list := s.Attention()
	require.NotEmpty(t, list)
	assert.Equal(t, "MH-CRED-1", list[0].Result.ID)
	assert.Equal(t, RiskCredential, list[0].Group)

	// A re-audit of the same target reuses the probe: no new logon.
	tries := len(sam.logons)
	rep, err = s.Audit(context.Background())
	require.NoError(t, err)
	assert.Len(t, sam.logons, tries)
	assert.Len(t, log.records, 1)
	assert.Equal(t, checks.Fail, result(t, rep, "MH-CRED-1").Status)
}

// --no-credential-probe: no logon, no event, and the checks say so
// without passing.
func TestLiveAuditWithoutProbe(t *testing.T) {
	sam := probeLive(t)
	log := &fakeLog{}
	s := New(Config{Version: "test", Events: log, Runs: t.TempDir()})
	s.SetCredentialProbe(false)
	rep, err := s.Load(context.Background(), "")
	require.NoError(t, err)
	assert.Empty(t, sam.logons)
	assert.Empty(t, log.records)
	for _, id := range []string{"MH-CRED-1", "MH-CRED-2"} {
		r := result(t, rep, id)
		assert.NotEqual(t, checks.Pass, r.Status, id)
		assert.Contains(t, r.Actual, "--no-credential-probe", id)
	}
}

// No event, no probe: a SOC must be able to tell it from an attack.
func TestLiveAuditProbeNeedsEvent(t *testing.T) {
	sam := probeLive(t)
	s := New(Config{Version: "test", Events: failingLog{}, Runs: t.TempDir()})
	rep, err := s.Load(context.Background(), "")
	require.NoError(t, err)
	assert.Empty(t, sam.logons)
	r := result(t, rep, "MH-CRED-1")
	assert.Equal(t, checks.Error, r.Status)
	assert.Contains(t, r.Reason, "event log full")
}

// The fix of a credentials finding is a person's: no plan ever changes it.
func TestPlanNeverChangesCredentials(t *testing.T) {
	probeLive(t)
	for _, sel := range []string{"failed", "capability:AUTH", "ids:MH-CRED-1,MH-CRED-2"} {
		t.Run(sel, func(t *testing.T) {
			s := New(Config{Version: "test", Events: &fakeLog{}, Runs: t.TempDir()})
			_, err := s.Load(context.Background(), "")
			require.NoError(t, err)
			sl, err := ParseSelection(sel)
			require.NoError(t, err)
			p, err := s.Plan(context.Background(), sl)
			require.NoError(t, err)
			listed := false
			for _, st := range p.Steps {
				if strings.HasPrefix(st.CheckID, "MH-CRED-") {
					listed = true
					assert.False(t, st.Automatic(), st.CheckID)
					assert.Nil(t, st.Target, st.CheckID)
					assert.Contains(t, st.Manual, "never changes a password", st.CheckID)
				}
			}
			for _, sk := range p.Skipped {
				if strings.HasPrefix(sk.CheckID, "MH-CRED-") {
					listed = true
				}
			}
			assert.True(t, listed, "the failed MH-CRED-1 is in the plan as a manual step")
		})
	}
}

func TestAskBeforeProbe(t *testing.T) {
	dev := ProbeDevice()
	s := New(Config{Version: "test"})
	never := func(string) bool { return false }
	agreed := func(d string) bool { return d == dev }
	assert.False(t, s.AskBeforeProbe(sample(win7), never), "a snapshot is never probed")
	assert.True(t, s.AskBeforeProbe("", never), "first probe on this device")
	assert.True(t, s.AskBeforeProbe("", nil))
	if dev != "" {
		assert.False(t, s.AskBeforeProbe("", agreed), "remembered for this device")
	}
	s.SetCredentialProbe(false)
	assert.False(t, s.AskBeforeProbe("", never), "probe off: nothing to ask")
	assert.False(t, s.CredentialProbe())
}
