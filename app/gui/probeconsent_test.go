package gui

import (
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
	"medharden/checks"
	"medharden/checks/credprobe"
	"medharden/checks/snapshot"
)

// recordedLogons replays Windows' answers: svcvendor's password is blank
// (the console-only limit refuses it with 1327), every other try is wrong.
type recordedLogons struct {
	mu     sync.Mutex
	logons int
}

func (r *recordedLogons) Policy() (credprobe.Policy, error) {
	return credprobe.Policy{Threshold: 5}, nil
}
func (r *recordedLogons) State(string) (credprobe.State, error) { return credprobe.State{}, nil }
func (r *recordedLogons) Logon(name, password string) credprobe.Answer {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logons++
	if name == "svcvendor" && password == "" {
		return credprobe.Answer{Code: 1327}
	}
	return credprobe.Answer{Code: 1326}
}

func (r *recordedLogons) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.logons
}

// probedComputer is the sample snapshot posing as this computer, able to
// try logons.
type probedComputer struct {
	*snapshot.Host
	sam *recordedLogons
}

func (probedComputer) Identity() checks.Identity      { return checks.Identity{Origin: checks.Live} }
func (h probedComputer) CredentialAPI() credprobe.API { return h.sam }

type eventRecords struct {
	mu      sync.Mutex
	records []string
}

func (e *eventRecords) Write(msg string, _ bool) error {
	e.mu.Lock()
	e.records = append(e.records, msg)
	e.mu.Unlock()
	return nil
}

// probeWindow is a window whose "this computer" can try logons and whose
// event records are kept.
func probeWindow(t *testing.T) (*harness, *recordedLogons, *eventRecords) {
	t.Helper()
	require.NotEmpty(t, workflow.ProbeDevice(), "consent is remembered by computer name")
	snap, err := snapshot.Open(sampleDir)
	require.NoError(t, err)
	sam := &recordedLogons{}
	old := workflow.OpenLive
	workflow.OpenLive = func() (checks.Host, error) { return probedComputer{snap, sam}, nil }
	t.Cleanup(func() { workflow.OpenLive = old })
	ev := &eventRecords{}
	s := NewState("0.1.0")
	s.Root = t.TempDir()
	s.Events = ev
	t.Cleanup(s.Close)
	return harnessOn(t, s), sam, ev
}

// consentButtons returns the buttons of the dialog on top of the window,
// by their text; nil without a dialog.
func consentButtons(h *harness) map[string]*widget.Button {
	top := h.m.win.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	out := map[string]*widget.Button{}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Visible() {
			out[b.Text] = b
		}
	}
	return out
}

func credResult(t *testing.T, h *harness, id string) checks.Result {
	t.Helper()
	rep, ok := h.m.s.Report()
	require.True(t, ok, "the computer was audited")
	for _, r := range rep.Results {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no result %s", id)
	return checks.Result{}
}

// The first audit of this computer asks before any logon is tried: "Audit
// without" audits with the probe off; "Test passwords" probes after its
// event and is remembered for this computer's name, so a second load,
// and another window, do not ask.
func TestProbeConsentDialog(t *testing.T) {
	t.Run("audit without", func(t *testing.T) {
		h, sam, ev := probeWindow(t)
		h.m.auditThisComputer()
		b := consentButtons(h)
		require.Contains(t, b, "Test passwords")
		require.Contains(t, b, "Audit without")
		assert.False(t, h.m.s.Opened(), "nothing is opened before the answer")
		h.tap(b["Audit without"])
		h.noErrors()
		assert.Nil(t, h.m.win.Canvas().Overlays().Top(), "the dialog is gone")
		assert.True(t, h.m.s.Opened())
		assert.Zero(t, sam.count(), "no logon tried")
		assert.Empty(t, ev.records, "no probe event")
		for _, id := range []string{"MH-CRED-1", "MH-CRED-2"} {
			r := credResult(t, h, id)
			assert.NotEqual(t, checks.Pass, r.Status, id)
			assert.Contains(t, r.Actual, "--no-credential-probe", id)
		}
		assert.NotContains(t, h.m.app.Preferences().StringList(probeAgreedKey), workflow.ProbeDevice(), "a no is not remembered")
	})

	t.Run("test passwords", func(t *testing.T) {
		h, sam, ev := probeWindow(t)
		h.m.auditThisComputer()
		b := consentButtons(h)
		require.Contains(t, b, "Test passwords")
		require.Contains(t, b, "Audit without")
		assert.Zero(t, sam.count(), "no logon before the answer")
		h.tap(b["Test passwords"])
		h.noErrors()
		assert.True(t, h.m.s.Opened())
		assert.Positive(t, sam.count(), "the logons were tried")
		require.Len(t, ev.records, 1, "one event announces the probe")
		assert.Contains(t, ev.records[0], "credential probe")
		r := credResult(t, h, "MH-CRED-1")
		assert.Equal(t, checks.Fail, r.Status)
		assert.Contains(t, r.Actual, "blank password: svcvendor")
		assert.Equal(t, []string{workflow.ProbeDevice()}, h.m.app.Preferences().StringList(probeAgreedKey))

		// A second load in this window does not ask.
		h.m.auditThisComputer()
		assert.Nil(t, h.m.win.Canvas().Overlays().Top(), "no dialog the second time")
		h.wait()
		h.noErrors()
		assert.True(t, h.m.s.Opened())

		// Nor does another window of the same application.
		s := NewState("0.1.0")
		s.Root = t.TempDir()
		t.Cleanup(s.Close)
		other := newMainWindow(h.m.app, s)
		t.Cleanup(other.win.Close)
		assert.False(t, other.s.session().AskBeforeProbe("", other.probeAgreed))
	})
}
