package remediate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// A tailoring file written against a corrected id (STIG:V-14248 is now
// MH-XPRDP-1, STIG:V-4137 is now STIG:V-4437) still waives and overrides
// the same check.
func TestTailoringResolvesAliases(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	y := "waivers:\n  - {id: \"STIG:V-14248\", justification: vendor RDP, approver: IT, expires: " + inAYear() + "}\n" +
		"overrides:\n  \"STIG:V-4137\": 1\n"
	tl, err := ParseTailoring("site.yaml", []byte(y))
	require.NoError(t, err)
	h := openSnap(t, writeFixture(t, fixtureOpts{xp: true, session: consoleTech}))
	rep := audit(t, h, cat, profileFor(t, true), tl)
	tl.Mark(&rep)
	byID := map[string]checks.Result{}
	for _, r := range rep.Results {
		byID[r.ID] = r
	}
	assert.Equal(t, checks.Waived, byID["MH-XPRDP-1"].Status, byID["MH-XPRDP-1"].Reason)
	require.NotNil(t, byID["STIG:V-4437"].Override)
	assert.Equal(t, "1", byID["STIG:V-4437"].Override.Value)
	assert.Equal(t, "= 1", byID["STIG:V-4437"].Expected)
	_, old := byID["STIG:V-4137"]
	assert.False(t, old, "results carry the corrected id")
}
