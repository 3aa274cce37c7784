package remediate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/snapshot"
)

type hostCase struct {
	name string
	dir  string
	xp   bool
}

// hostCases are the fixture hosts plus the shared snapshots under
// testdata/snapshots when they exist.
func hostCases(t *testing.T) []hostCase {
	cases := []hostCase{
		{name: "win7 fixture", dir: writeFixture(t, fixtureOpts{session: consoleTech})},
		{name: "xp fixture", dir: writeFixture(t, fixtureOpts{xp: true, session: consoleTech}), xp: true},
	}
	entries, _ := os.ReadDir(filepath.Join("..", "testdata", "snapshots"))
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join("..", "testdata", "snapshots", e.Name())
		h, err := snapshot.Open(dir)
		if err != nil {
			t.Logf("skip %s: %v", dir, err)
			continue
		}
		info, err := h.OS(context.Background())
		if err != nil || info.Family() == "" {
			continue
		}
		cases = append(cases, hostCase{name: e.Name(), dir: dir, xp: info.Family() == "xp"})
	}
	return cases
}

func catalogs(t *testing.T) map[string]*checks.Catalog {
	out := map[string]*checks.Catalog{"test": testCatalog(t)}
	if cat, err := checks.Builtin(); err == nil {
		out["builtin"] = cat
	} else {
		t.Logf("built-in catalog not usable here: %v", err)
	}
	return out
}

func allIDs(cat *checks.Catalog, p checks.Profile) string {
	var ids []string
	for _, ch := range cat.Select(p) {
		ids = append(ids, ch.ID)
	}
	return "ids:" + strings.Join(ids, ",")
}

// Apply then rollback must give back every setting of every check of every
// profile byte for byte, and the same audit.
func TestApplyRollbackRestoresEverySetting(t *testing.T) {
	ctx := context.Background()
	for catName, cat := range catalogs(t) {
		for _, hc := range hostCases(t) {
			for _, prof := range checks.Profiles {
				if (prof.OS == "xp") != hc.xp || len(cat.Select(prof)) == 0 {
					continue
				}
				for _, sel := range []string{"failed", allIDs(cat, prof)} {
					selName := sel
					if strings.HasPrefix(sel, "ids:") {
						selName = "every id"
					}
					catName, cat, hc, prof, sel := catName, cat, hc, prof, sel
					t.Run(catName+"/"+hc.name+"/"+prof.Name+"/"+selName, func(t *testing.T) {
						t.Parallel()
						h := openSnap(t, hc.dir)
						before := settingsOf(t, h, cat, prof)
						auditBefore := audit(t, h, cat, prof, nil)
						p := plan(t, h, cat, prof, sel, nil)
						t.Logf("%d changes, %d refused, %d manual", len(p.Changes()), len(p.Refused()), len(p.ManualSteps()))
						root := t.TempDir()
						out, err := Apply(ctx, h, p, Options{Root: root, Tool: "medharden", Version: "test"})
						require.NoError(t, err)
						assert.Empty(t, out.Verify.NotTaken, "every change reads back as planned")
						if catName == "test" {
							assert.Empty(t, out.Verify.Failing(), "every touched check passes after apply")
						}
						if n := len(p.Changes()); n > 0 {
							assert.NotEqual(t, before, settingsOf(t, h, cat, prof), "apply changed something")
							assert.Len(t, out.Changed, n)
						}
						rb, err := Rollback(ctx, h, out.Run, Options{Root: root, Catalog: cat})
						if len(p.Changes()) == 0 {
							require.Error(t, err, "no run exists when nothing changed")
							return
						}
						require.NoError(t, err)
						assert.Len(t, rb.Restored, len(p.Changes()))
						assert.Equal(t, before, settingsOf(t, h, cat, prof))
						auditAfter := audit(t, h, cat, prof, nil)
						for i := range auditBefore.Results {
							a, b := auditBefore.Results[i], auditAfter.Results[i]
							assert.Equal(t, a.Status, b.Status, a.ID)
							assert.Equal(t, a.Actual, b.Actual, a.ID)
						}

						// Twice is the same as once.
						rb2, err := Rollback(ctx, h, out.Run, Options{Root: root, Catalog: cat})
						require.NoError(t, err)
						assert.True(t, rb2.Already)
						assert.Equal(t, before, settingsOf(t, h, cat, prof))
						pend, err := Pending(root)
						require.NoError(t, err)
						assert.Empty(t, pend)
					})
				}
			}
		}
	}
}

// The plan of the fixture covers every kind of setting, so the round trip
// above exercises them all.
func TestFixturePlanCoversEveryKind(t *testing.T) {
	h := openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech}))
	p := plan(t, h, testCatalog(t), profileFor(t, false), "failed", nil)
	kinds := map[Kind]bool{}
	for _, s := range p.Changes() {
		kinds[s.Setting.Kind] = true
	}
	for _, k := range []Kind{KindRegistry, KindSecPol, KindRight, KindAudit, KindService, KindAccount} {
		assert.True(t, kinds[k], "no %s change in the fixture plan", k)
	}
	var absent, undefined bool
	for _, s := range p.Changes() {
		if !s.Before.Exists && s.Setting.Kind == KindRegistry {
			absent = true
		}
		if !s.Before.Exists && s.Setting.Kind == KindSecPol {
			undefined = true
		}
	}
	assert.True(t, absent, "a registry value that does not exist yet")
	assert.True(t, undefined, "a policy key that is not defined yet")
	require.NotEmpty(t, p.ManualSteps())
	assert.Equal(t, "MH-ACC-1", p.ManualSteps()[0].CheckID)
}

// A subcategory auditpol did not list comes back as "No Auditing", which
// is what Windows does with an unlisted subcategory.
func TestRollbackOfUnlistedAuditSubcategory(t *testing.T) {
	ctx := context.Background()
	h := openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech}))
	a := Address{Kind: KindAudit, Name: "{0cce9245-69ae-11d9-bed3-505054503030}", Label: "Removable Storage"}
	st, err := ReadSetting(ctx, h, a)
	require.NoError(t, err)
	require.False(t, st.Exists)
	f := checks.AuditFlags{Success: true}
	p := &Plan{Host: mustIdentify(t, h), Steps: []Step{{CheckID: "17.5.3", Setting: a, Before: st, Target: &Value{Audit: &f}}}}
	// A catalog whose fix writes that subcategory, as rollback requires.
	ch, ok := testCatalog(t).Get("17.5.1")
	require.True(t, ok)
	ch.Probe.Audit = &checks.AuditProbe{GUID: a.Name, Name: a.Label}
	cat, err := testCatalog(t).With(ch)
	require.NoError(t, err)
	root := t.TempDir()
	out, err := Apply(ctx, h, p, Options{Root: root})
	require.NoError(t, err)
	_, err = Rollback(ctx, h, out.Run, Options{Root: root, Catalog: cat})
	require.NoError(t, err)
	got, err := ReadSetting(ctx, h, a)
	require.NoError(t, err)
	assert.Equal(t, checks.AuditFlags{}, *got.Value.Audit)
}

func mustIdentify(t *testing.T, h checks.Host) Identity {
	id, err := Identify(context.Background(), h)
	require.NoError(t, err)
	return id
}

func TestSelections(t *testing.T) {
	h := openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech}))
	cat, prof := testCatalog(t), profileFor(t, false)
	ids := func(p *Plan) []string {
		var out []string
		for _, s := range p.Steps {
			out = append(out, s.CheckID)
		}
		return out
	}
	p := plan(t, h, cat, prof, "capability:AUDT", nil)
	assert.Equal(t, []string{"17.1.1", "17.5.1"}, ids(p))
	p = plan(t, h, cat, prof, "ids:2.3.11.7, 9.9.9", nil)
	assert.Equal(t, []string{"2.3.11.7"}, ids(p))
	require.Len(t, p.Skipped, 1)
	assert.Equal(t, "9.9.9", p.Skipped[0].CheckID)
	for _, bad := range []string{"all", "ids:", "capability:XYZ"} {
		_, err := ParseSelection(bad)
		assert.Error(t, err, bad)
	}
	s, err := ParseSelection("")
	require.NoError(t, err)
	assert.Equal(t, "failed", s.String())
}

// TestNamedPassingCheckIsTheOnlySkip: with ids:X, a named check that
// already passes is listed as skipped; the device's other passing checks
// were not asked for and are not listed.
func TestNamedPassingCheckIsTheOnlySkip(t *testing.T) {
	h, err := snapshot.Open(icuHardened)
	require.NoError(t, err)
	cat, err := checks.Builtin()
	require.NoError(t, err)
	prof, ok := checks.FindProfile("cis-win7-l1")
	require.True(t, ok)
	rep := audit(t, h, cat, prof, nil)
	passing := 0
	for _, r := range rep.Results {
		if r.Status == checks.Pass {
			passing++
		}
	}
	require.Greater(t, passing, 100)
	sel, err := ParseSelection("ids:1.1.1")
	require.NoError(t, err)
	p, err := NewPlan(context.Background(), h, cat, rep, sel, nil)
	require.NoError(t, err)
	assert.Empty(t, p.Steps)
	require.Len(t, p.Skipped, 1)
	assert.Equal(t, "1.1.1", p.Skipped[0].CheckID)
	assert.Contains(t, p.Skipped[0].Reason, "already meets the recommendation")
}
