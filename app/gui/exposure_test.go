package gui

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// The critical exposures head the list, marked, and MS17-010 and BlueKeep
// are one row each: the update check that found the same thing is folded
// into the exposure's row and shown in its detail.
func TestCriticalExposuresFirstAndOnce(t *testing.T) {
	h := newHarness(t)
	h.open()
	v := &h.m.results
	require.NotEmpty(t, v.rows)
	ids := map[string]int{}
	for i, r := range v.rows {
		ids[r.ID] = i
	}
	for _, tc := range []struct{ exposure, check string }{
		{"MH-EXP-MS17-010", "MH-PATCH-1"},
		{"MH-EXP-CVE-2019-0708", "MH-PATCH-3"},
	} {
		i, ok := ids[tc.exposure]
		require.True(t, ok, tc.exposure)
		_, twice := ids[tc.check]
		assert.False(t, twice, "%s is folded into %s", tc.check, tc.exposure)
		r := v.rows[i]
		require.Equal(t, checks.Fail, r.Status, "the sample is exposed")
		row := newResultRow(nil)
		l, ok := h.m.s.Linked(r.ID)
		require.True(t, ok)
		row.set(r, l.ID)
		assert.True(t, strings.HasPrefix(row.title.Text, "CRITICAL: "), row.title.Text)
		assert.Contains(t, row.title.Text, tc.check)

		v.list.Select(i)
		assert.Contains(t, labelsText(v.detail), "The same finding as "+tc.check)
	}
	// Critical exposures come before every other row.
	seenOther := false
	for _, r := range v.rows {
		if Critical(r) {
			assert.False(t, seenOther, "%s comes after a non-critical row", r.ID)
		} else {
			seenOther = true
		}
	}
	// Searching for the update check alone still finds it.
	v.search.SetText("MH-PATCH-1")
	require.Len(t, v.rows, 1)
	assert.Equal(t, "MH-PATCH-1", v.rows[0].ID)
}
