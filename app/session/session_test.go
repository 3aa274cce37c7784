package session

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

func sample(name string) string { return filepath.Join("..", "..", "testdata", "snapshots", name) }

func TestPickProfile(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		snapshot, name, want, err string
	}{
		{"ICU-CS01-20261118-093000", "", "cis-win7-l1", ""},
		{"PUMPSRV-XP-20261119-084500", "", "winxp", ""},
		{"ICU-CS01-20261118-093000", "cis-win7-bl", "cis-win7-bl", ""},
		{"ICU-CS01-20261118-093000", "cis-win10", "", "unknown profile"},
	}
	for _, tc := range tests {
		t.Run(tc.snapshot+"/"+tc.name, func(t *testing.T) {
			tg, err := Open(sample(tc.snapshot))
			require.NoError(t, err)
			p, err := PickProfile(ctx, tg.Host, tc.name)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				var ue ErrUsage
				assert.True(t, errors.As(err, &ue))
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, p.Name)
		})
	}
}

func TestAuditAndWaive(t *testing.T) {
	tg, err := Open(sample("ICU-CS01-20261118-093000"))
	require.NoError(t, err)
	assert.True(t, filepath.IsAbs(tg.Source))
	assert.Equal(t, "2026-11-18 09:30:00", tg.CollectedAt)
	rep, err := Audit(context.Background(), tg, AuditOptions{Version: "test", Waive: func(id string) (string, bool) {
		return "vendor exception", id == "1.1.4"
	}})
	require.NoError(t, err)
	assert.Equal(t, "cis-win7-l1", rep.Profile)
	for _, r := range rep.Results {
		if r.ID == "1.1.4" {
			assert.Equal(t, checks.Waived, r.Status)
		}
	}
	assert.Equal(t, 1, rep.Summary.Waived)
}

func TestOpenLiveOffWindows(t *testing.T) {
	_, err := Open("")
	var ue ErrUsage
	require.True(t, errors.As(err, &ue), "%v", err)
}
