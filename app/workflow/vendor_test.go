package workflow

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/remediate"
)

const (
	win7Hardened = "ICU-CS01-20261118-151500"
	vendorGPO    = "GPO-ICU-CS01-vendor-baseline"
)

func vendorIDs(rep checks.Report) []checks.Result {
	var out []checks.Result
	for _, r := range rep.Results {
		if strings.HasPrefix(r.ID, "MH-GPO-") {
			out = append(out, r)
		}
	}
	return out
}

// The session judges the target against a vendor baseline: beside the
// profile's checks, or alone with the profile none.
func TestVendorBaselineAudit(t *testing.T) {
	ctx := context.Background()
	plain := New(Config{Version: "test"})
	cis, err := plain.Load(ctx, sample(win7Hardened))
	require.NoError(t, err)
	require.Empty(t, vendorIDs(cis))

	tests := []struct {
		name, profile, snap string
		results, pass, fail int
		wantProfile         string
	}{
		{"alone, hardened", NoProfile, win7Hardened, 17, 17, 0, "baseline ICU-CS01 vendor baseline 2.4"},
		{"alone, as delivered", NoProfile, win7, 17, 6, 11, "baseline ICU-CS01 vendor baseline 2.4"},
		{"beside the profile", "", win7Hardened, len(cis.Results) + 17, cis.Summary.Pass + 17, cis.Summary.Fail, cis.Profile + " + baseline ICU-CS01 vendor baseline 2.4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{Version: "test"})
			require.NoError(t, s.SetProfile(tc.profile))
			require.NoError(t, s.SetVendorBaseline(sample(vendorGPO)))
			rep, err := s.Load(ctx, sample(tc.snap))
			require.NoError(t, err)
			assert.Equal(t, tc.wantProfile, rep.Profile)
			assert.Len(t, rep.Results, tc.results)
			assert.Len(t, vendorIDs(rep), 17)
			assert.Equal(t, tc.pass, rep.Summary.Pass)
			assert.Equal(t, tc.fail, rep.Summary.Fail)
			assert.Equal(t, "MH-GPO-1", vendorIDs(rep)[0].ID, "the ids follow the baseline's order")
			if tc.profile == "" {
				assert.Equal(t, cis.Results, rep.Results[:len(cis.Results)], "the profile's results are unchanged, the baseline's after them")
			}
			// Audit again without the baseline: the profile's alone.
			if tc.profile == "" {
				require.NoError(t, s.SetVendorBaseline(""))
				rep, err = s.Audit(ctx)
				require.NoError(t, err)
				assert.Empty(t, vendorIDs(rep))
			}
		})
	}
}

func TestVendorBaselineRefusals(t *testing.T) {
	ctx := context.Background()
	s := New(Config{Version: "test"})
	require.NoError(t, s.SetProfile(NoProfile))
	_, err := s.Load(ctx, sample(win7Hardened))
	var ie InputError
	require.True(t, errors.As(err, &ie), "%v", err)
	assert.Contains(t, err.Error(), "judges a vendor baseline alone")

	require.NoError(t, s.SetVendorBaseline(sample(vendorGPO)))
	dir := t.TempDir()
	err = s.SetVendorBaseline(dir)
	require.True(t, errors.As(err, &ie), "%v", err)
	assert.Contains(t, err.Error(), "not a GPO backup")
	require.NotNil(t, s.VendorBaseline(), "a baseline that cannot be read leaves the one loaded")
	assert.Equal(t, "ICU-CS01 vendor baseline 2.4", s.VendorBaseline().Name)
}

// A waiver may name a baseline's check: it waives it when the audit judges
// that baseline, and is refused with the file and line when the audit
// judges none or the baseline has no such check.
func TestVendorBaselineWaivers(t *testing.T) {
	ctx := context.Background()
	s := New(Config{Version: "test"})
	require.NoError(t, s.SetProfile(NoProfile))
	require.NoError(t, s.SetVendorBaseline(sample(vendorGPO)))
	rep, err := s.Load(ctx, sample(win7))
	require.NoError(t, err)
	failed := ""
	for _, r := range rep.Results {
		if r.Status == checks.Fail {
			failed = r.ID
			break
		}
	}
	require.NotEmpty(t, failed)

	expires := time.Now().AddDate(1, 0, 0).Format("2006-01-02")
	write := func(id string) string {
		p := filepath.Join(t.TempDir(), "site.yaml")
		require.NoError(t, os.WriteFile(p, []byte(fmt.Sprintf("waivers:\n  - id: %s\n    justification: the pump's service needs it\n    approver: IT security\n    expires: %s\n", id, expires)), 0o600))
		return p
	}

	waived := write(failed)
	require.NoError(t, s.SetTailoring(waived))
	rep, err = s.Audit(ctx)
	require.NoError(t, err)
	assert.Equal(t, 10, rep.Summary.Fail)
	assert.Equal(t, 1, rep.Summary.Waived)
	for _, r := range rep.Results {
		if r.ID == failed {
			assert.Equal(t, checks.Waived, r.Status)
			assert.Contains(t, r.Reason, "the pump's service needs it")
		}
	}
	ev, err := s.Evidence(ctx, EvidenceOptions{})
	require.NoError(t, err)
	require.Len(t, ev.Data.Waivers, 1)
	assert.Equal(t, failed, ev.Data.Waivers[0].Check)
	assert.Equal(t, waived+":2", ev.Data.Waivers[0].Source)

	tests := []struct {
		name, id string
		baseline bool
		want     string
	}{
		{"no baseline", failed, false, "this audit judges none"},
		{"beyond the baseline", "MH-GPO-99", true, `unknown check "MH-GPO-99": the vendor baseline ICU-CS01 vendor baseline 2.4 sets 17 settings`},
		{"not as the ids are written", "MH-GPO-01", true, `unknown check "MH-GPO-01"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{Version: "test"})
			if tc.baseline {
				require.NoError(t, s.SetVendorBaseline(sample(vendorGPO)))
			}
			f := write(tc.id)
			require.NoError(t, s.SetTailoring(f), "the id is checked by the audit, which knows the baseline")
			_, err := s.Load(ctx, sample(win7))
			var ie InputError
			require.True(t, errors.As(err, &ie), "%v", err)
			assert.Contains(t, err.Error(), f+":2: ")
			assert.Contains(t, err.Error(), tc.want)
			_, audited := s.Report()
			assert.False(t, audited, "nothing is audited")
		})
	}
}

// The plan changes the benchmark's checks; the baseline's findings are
// skips saying how their values are set, never "not in the catalog".
func TestVendorBaselinePlan(t *testing.T) {
	ctx := context.Background()
	plain := New(Config{Version: "test", Runs: t.TempDir()})
	_, err := plain.Load(ctx, sample(win7))
	require.NoError(t, err)
	sel, err := ParseSelection("failed")
	require.NoError(t, err)
	want, err := plain.Plan(ctx, sel)
	require.NoError(t, err)

	s := New(Config{Version: "test", Runs: t.TempDir()})
	require.NoError(t, s.SetVendorBaseline(sample(vendorGPO)))
	_, err = s.Load(ctx, sample(win7))
	require.NoError(t, err)
	p, err := s.Plan(ctx, sel)
	require.NoError(t, err)
	assert.Equal(t, len(want.Steps), len(p.Steps), "the same changes")
	vendor := 0
	for _, sk := range p.Skipped {
		assert.NotEqual(t, "not in the catalog", sk.Reason, sk.CheckID)
		if strings.HasPrefix(sk.CheckID, "MH-GPO-") {
			vendor++
			assert.Contains(t, sk.Reason, "vendor baseline")
		}
	}
	assert.Equal(t, 11, vendor, "each failed setting of the baseline")

	ids, err := ParseSelection("ids:MH-GPO-1")
	require.NoError(t, err)
	p, err = s.Plan(ctx, ids)
	require.NoError(t, err)
	assert.Empty(t, p.Steps)
	named := 0
	for _, sk := range p.Skipped {
		if sk.CheckID == "MH-GPO-1" {
			named++
			assert.NotContains(t, sk.Reason, "not a check of profile")
		}
	}
	assert.Equal(t, 1, named, "the named setting is skipped once, saying why")
}

// A vendor baseline becomes a tailoring file of the overrides where the
// vendor's values differ from the benchmark's, as 'baseline import'
// writes it; bad input is an input error and nothing is written.
func TestImportBaseline(t *testing.T) {
	tests := []struct {
		name, profile string
		overrides     int
	}{
		{"every profile", "", 2},
		{"one profile, named in the file: its checks only", "cis-win7-l1", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{Version: "test"})
			require.NoError(t, s.SetProfile(tc.profile))
			out := filepath.Join(t.TempDir(), "t.yaml")
			tr, err := s.ImportBaseline(sample(vendorGPO), out)
			require.NoError(t, err)
			assert.Equal(t, "ICU-CS01 vendor baseline 2.4", tr.Baseline.Name)
			assert.Len(t, tr.Baseline.Settings, 17)
			assert.Len(t, tr.Overrides, tc.overrides)
			tl, err := remediate.LoadTailoring(out)
			require.NoError(t, err)
			assert.Len(t, tl.Overrides, tc.overrides)
			assert.Equal(t, tc.profile, tl.Profile)
		})
	}

	bad := filepath.Join(t.TempDir(), "bad")
	require.NoError(t, os.MkdirAll(bad, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bad, "audit.csv"), []byte("Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\r\n,System,Logon,{0CCE9215-69AE-11D9-BED3-505054503030},Success,,9\r\n"), 0o600))
	refused := []struct {
		name, profile, path, want string
	}{
		{"malformed baseline", "", bad, filepath.Join(bad, "audit.csv") + ":2:"},
		{"missing baseline", "", filepath.Join(bad, "nope"), "nope"},
		{"profile none", NoProfile, sample(vendorGPO), "no checks to override"},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{Version: "test"})
			require.NoError(t, s.SetProfile(tc.profile))
			out := filepath.Join(t.TempDir(), "t.yaml")
			_, err := s.ImportBaseline(tc.path, out)
			var ie InputError
			require.ErrorAs(t, err, &ie)
			assert.Contains(t, err.Error(), tc.want)
			assert.NoFileExists(t, out)
		})
	}
}
