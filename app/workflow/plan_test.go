package workflow

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/remediate"
	"medharden/remediate/gpo"
)

// Every selected exposure is linked to the plan's steps that fix it, or is
// a manual step saying what does; none is "not in the catalog".
func TestPlanLinksExposures(t *testing.T) {
	for _, dir := range []string{win7, xp} {
		for _, sel := range []string{"failed", "capability:CSUP", "ids:MH-EXP-SMB1,MH-EXP-EOS,1.1.1"} {
			t.Run(dir+"/"+sel, func(t *testing.T) {
				s := New(Config{Version: "test"})
				rep, err := s.Load(context.Background(), sample(dir))
				require.NoError(t, err)
				sl, err := ParseSelection(sel)
				require.NoError(t, err)
				p, err := s.Plan(context.Background(), sl)
				require.NoError(t, err)
				assert.Equal(t, sel, p.Selection)

				covered := map[string]string{}
				for _, sk := range p.Skipped {
					assert.NotContains(t, sk.Reason, "not in the catalog", sk.CheckID)
					if strings.HasPrefix(sk.CheckID, "MH-EXP-") {
						assert.NotContains(t, sk.Reason, "not a check of profile", sk.CheckID)
					}
					covered[sk.CheckID] = sk.Reason
				}
				for _, st := range p.Steps {
					covered[st.CheckID] = st.Manual
				}
				exposed := 0
				for _, r := range rep.Results {
					if !strings.HasPrefix(r.ID, "MH-EXP-") || r.Status != checks.Fail || !sl.Wants(r) {
						continue
					}
					exposed++
					why, ok := covered[r.ID]
					require.True(t, ok, "%s is in the plan", r.ID)
					assert.NotEmpty(t, why, r.ID)
				}
				assert.Greater(t, exposed, 0, "the sample has exposures to link")
			})
		}
	}
}

// An exposure whose fix is a change of the plan names that change.
func TestPlanExposureFixedByStep(t *testing.T) {
	s := New(Config{Version: "test"})
	_, err := s.Load(context.Background(), sample(win7))
	require.NoError(t, err)
	p, err := s.Plan(context.Background(), remediate.Selection{Mode: "failed"})
	require.NoError(t, err)
	reasons := map[string]string{}
	for _, sk := range p.Skipped {
		reasons[sk.CheckID] = sk.Reason
	}
	manual := map[string]string{}
	for _, st := range p.ManualSteps() {
		manual[st.CheckID] = st.Manual
	}
	assert.Contains(t, reasons["MH-EXP-SMB1"], "fixed by the change 18.3.4", "the SMBv1 server value is a change of the plan")
	assert.Contains(t, reasons["MH-EXP-MS17-010"], "fixed by the manual step MH-PATCH-1")
	assert.Contains(t, manual["MH-EXP-EOS"], "replacement", "end of support has only a manual remedy")
}

// After changes to a snapshot's in-memory copy, every audit is marked as a
// rehearsal, and the audit of the snapshot as collected stays available.
func TestRehearsalMarksReports(t *testing.T) {
	s := New(Config{Version: "test", Runs: t.TempDir()})
	t.Cleanup(s.Close)
	before, err := s.Load(context.Background(), sample(win7))
	require.NoError(t, err)
	assert.False(t, before.Rehearsal)
	assert.False(t, s.Rehearsed())
	sel, err := ParseSelection("failed")
	require.NoError(t, err)
	p, err := s.Plan(context.Background(), sel)
	require.NoError(t, err)
	require.NotEmpty(t, p.Changes())
	_, err = s.Apply(context.Background(), p, nil)
	require.NoError(t, err)
	after, err := s.Audit(context.Background())
	require.NoError(t, err)
	assert.True(t, after.Rehearsal, "the rehearsed state is marked")
	assert.True(t, s.Rehearsed())
	assert.Less(t, after.Summary.Fail, before.Summary.Fail)
	orig, ok := s.Audited()
	require.True(t, ok)
	assert.False(t, orig.Rehearsal)
	assert.Equal(t, before.Summary, orig.Summary, "the audit as collected stays")

	// Opening the snapshot again starts from the device's state.
	again, err := s.Load(context.Background(), sample(win7))
	require.NoError(t, err)
	assert.False(t, again.Rehearsal)
}

// The window writes the same offline pack as 'remediate --pack'; never
// from a rehearsed state, never over a folder with files without force.
func TestWritePack(t *testing.T) {
	s, p := failedPlan(t, xp)
	dir := filepath.Join(t.TempDir(), "pack")
	pk, err := s.WritePack(p, dir, false)
	require.NoError(t, err)
	for _, f := range []string{"apply.cmd", "undo.cmd", "README.txt"} {
		assert.Contains(t, pk.Order, f)
		assert.FileExists(t, filepath.Join(dir, f))
	}
	_, err = s.WritePack(p, dir, false)
	assert.ErrorIs(t, err, remediate.ErrPackExists)
	_, err = s.WritePack(p, dir, true)
	require.NoError(t, err)

	// After a rehearsal the plan's "before" values are the rehearsal's.
	_, err = s.Apply(context.Background(), p, nil)
	require.NoError(t, err)
	_, err = s.Audit(context.Background())
	require.NoError(t, err)
	p2, err := s.Plan(context.Background(), remediate.Selection{Mode: "failed"})
	require.NoError(t, err)
	_, err = s.WritePack(p2, filepath.Join(t.TempDir(), "pack2"), false)
	var ie InputError
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "rehearsed")
}

// The findings come by clinical risk: blank or default passwords,
// critical exposures (with their
// update check folded in), blank or clear-text passwords, accounts, then
// the rest by capability; passes never.
func TestAttentionOrder(t *testing.T) {
	s := New(Config{Version: "test"})
	_, err := s.Load(context.Background(), sample(win7))
	require.NoError(t, err)
	list := s.Attention()
	require.NotEmpty(t, list)
	rank := map[string]int{RiskCredential: 0, RiskExposure: 1, RiskPassword: 2, RiskAccount: 3, RiskOther: 4}
	seen := map[string]bool{}
	for i, a := range list {
		assert.Contains(t, []checks.Status{checks.Fail, checks.Error}, a.Result.Status, a.Result.ID)
		if i > 0 {
			assert.LessOrEqual(t, rank[list[i-1].Group], rank[a.Group], "%s after %s", a.Result.ID, list[i-1].Result.ID)
		}
		seen[a.Result.ID] = true
	}
	// The sample's svcvendor has "password not required": the sign of a
	// blank password, first of all.
	assert.Equal(t, "MH-CRED-1", list[0].Result.ID)
	assert.Equal(t, RiskCredential, list[0].Group)
	assert.Equal(t, "MH-EXP-MS17-010", list[1].Result.ID)
	assert.Equal(t, "MH-PATCH-1", list[1].Also)
	assert.False(t, seen["MH-PATCH-1"], "folded into the exposure")
	assert.True(t, seen["MH-ACC-3"])
	groupOf := map[string]string{}
	for _, a := range list {
		groupOf[a.Result.ID] = a.Group
	}
	assert.Equal(t, RiskPassword, groupOf["MH-ACC-3"])
	assert.Equal(t, RiskPassword, groupOf["MH-LOGON-1"])
	assert.Equal(t, RiskAccount, groupOf["1.1.4"])
}

// The window writes the same GPO backup as 'remediate --gpo': the plan's
// changes read back as a baseline, the README says what Group Policy
// cannot carry; never from a rehearsed state, never over a folder with
// files without force.
func TestWriteGPO(t *testing.T) {
	s, p := failedPlan(t, win7)
	dir := filepath.Join(t.TempDir(), "gpo")
	ex, err := s.WriteGPO(p, dir, false)
	require.NoError(t, err)
	assert.Len(t, ex.Carried, 146)
	assert.NotEmpty(t, ex.NotCarried, "the sample's plan has changes Group Policy cannot carry")
	assert.Equal(t, len(p.Changes()), len(ex.Carried)+len(ex.NotCarried))
	readme, err := os.ReadFile(filepath.Join(dir, "README.txt"))
	require.NoError(t, err)
	assert.Contains(t, string(readme), fmt.Sprintf("Not carried by Group Policy (%d)", len(ex.NotCarried)))
	b, err := gpo.Load(dir)
	require.NoError(t, err)
	assert.NoError(t, gpo.SameSettings(b.Settings, gpo.Planned(ex.Carried)), "what was written reads back as the plan's changes")

	_, err = s.WriteGPO(p, dir, false)
	assert.ErrorIs(t, err, remediate.ErrPackExists)
	_, err = s.WriteGPO(p, dir, true)
	require.NoError(t, err)
	_, err = s.WriteGPO(nil, filepath.Join(t.TempDir(), "none"), false)
	assert.Error(t, err)

	// After a rehearsal the plan's changes are measured against the
	// rehearsal's values: refused as the pack is, and nothing written.
	_, err = s.Apply(context.Background(), p, nil)
	require.NoError(t, err)
	_, err = s.Audit(context.Background())
	require.NoError(t, err)
	p2, err := s.Plan(context.Background(), remediate.Selection{Mode: "failed"})
	require.NoError(t, err)
	dir2 := filepath.Join(t.TempDir(), "gpo2")
	_, err = s.WriteGPO(p2, dir2, false)
	var ie InputError
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "rehearsed")
	_, err = s.WritePack(p2, filepath.Join(t.TempDir(), "pack"), false)
	require.ErrorAs(t, err, &ie, "the pack is refused the same way")
	assert.NoDirExists(t, dir2)
}

// failedPlan opens a sample in a new session and plans its failed checks.
func failedPlan(t *testing.T, name string) (*Session, *remediate.Plan) {
	t.Helper()
	s := New(Config{Version: "test", Runs: t.TempDir()})
	t.Cleanup(s.Close)
	_, err := s.Load(context.Background(), sample(name))
	require.NoError(t, err)
	sel, err := ParseSelection("failed")
	require.NoError(t, err)
	p, err := s.Plan(context.Background(), sel)
	require.NoError(t, err)
	return s, p
}
