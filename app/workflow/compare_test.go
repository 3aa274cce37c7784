package workflow

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/remediate"
)

func ids(fs []Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.ID
	}
	return out
}

// The ICU central station's hardening visit: vendor image before,
// hardened after.
func TestCompareICUVisit(t *testing.T) {
	tests := []struct {
		name      string
		tailoring string
		why       string // of both remaining findings
		open      bool
	}{
		{"no tailoring", "", RemainManual, true},
		{"legacy waivers", "../testdata/legacy-icu.yaml", RemainWaived, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Config{})
			require.NoError(t, s.SetTailoring(tt.tailoring))
			c, err := s.Compare(context.Background(), sample(vendorICU), sample(hardenedICU))
			require.NoError(t, err)
			assert.Equal(t, "cis-win7-l1", c.Profile)
			// The before audit's 201 findings (failed or waived): 198
			// closed, 2 remaining, and MH-CRED-1, whose sign (a password
			// not required) is gone but which no snapshot can verify.
			require.Equal(t, 201, c.Before.Summary.Fail+c.Before.Summary.Waived)
			assert.Len(t, c.Closed, 198)
			assert.NotContains(t, ids(c.Closed), "MH-CRED-1", "never closed without a logon test")
			assert.Subset(t, ids(c.Closed), []string{"1.1.1", "1.1.4", "2.3.1.1", "5.2", "MH-ACC-1", "MH-PATCH-1", "19.1.3.1"})
			assert.Empty(t, c.Regressions)
			require.Equal(t, []string{"MH-ACC-4", "MH-EXP-EOS"}, ids(c.Remaining))
			for _, f := range c.Remaining {
				assert.Equal(t, tt.why, f.Why, f.ID)
				assert.NotEmpty(t, f.Reason, f.ID)
				if tt.why == RemainWaived {
					assert.Contains(t, f.Reason, "approved by Dr. A. Smith", f.ID)
				}
			}
			assert.Equal(t, tt.open, c.Open())
			for _, f := range c.Closed {
				assert.Contains(t, []string{"fail", "error"}, f.Before, f.ID)
				assert.Contains(t, []string{"pass", "waived"}, f.After, f.ID)
			}
			// The renamed Administrator is one of the settings changed.
			var renamed bool
			for _, d := range c.Changed {
				if d.Address.Kind == checks.KindAccount && d.Address.Name == checks.FieldName &&
					d.Baseline == `"Administrator"` && d.Now == `"mhadmin"` {
					renamed = true
				}
			}
			assert.True(t, renamed, "rename of the built-in Administrator")
			assert.Greater(t, len(c.Changed), 200)
		})
	}
}

func TestCompareRegression(t *testing.T) {
	// Reversed, every closed finding is a regression.
	c, err := New(Config{}).Compare(context.Background(), sample(hardenedICU), sample(vendorICU))
	require.NoError(t, err)
	assert.Len(t, c.Regressions, 199)
	assert.Contains(t, ids(c.Regressions), "1.1.1")
	assert.True(t, c.Open())
}

const pumpXP = "PUMPSRV-XP-20261119-084500"

func TestCompareOtherDevice(t *testing.T) {
	_, err := New(Config{}).Compare(context.Background(), sample(vendorICU), sample(pumpXP))
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrOtherDevice))
	var ie InputError
	assert.True(t, errors.As(err, &ie))
	assert.Contains(t, err.Error(), vendorICU)
	assert.Contains(t, err.Error(), pumpXP)
}

func TestWhyRemains(t *testing.T) {
	p := &remediate.Plan{
		Steps: []remediate.Step{
			{CheckID: "a", Guard: "rdp", Blocked: "would cut the session"},
			{CheckID: "b", Manual: "replace the device"},
			{CheckID: "c"},
		},
		Skipped: []remediate.Skip{{CheckID: "d", Reason: "do not touch"}},
	}
	tests := []struct{ id, why, reason string }{
		{"a", RemainRefused, "rdp: would cut the session"},
		{"b", RemainManual, "replace the device"},
		{"c", RemainFailing, "apply would change it: r"},
		{"d", RemainFailing, "do not touch"},
		{"e", RemainFailing, "r"},
	}
	for _, tt := range tests {
		why, reason := whyRemains(p, checks.Result{ID: tt.id, Reason: "r"})
		assert.Equal(t, tt.why, why, tt.id)
		assert.Equal(t, tt.reason, reason, tt.id)
	}
}
