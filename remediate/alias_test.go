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

// A Windows 7 tailoring file written with CIS v3.1.0 numbers still waives
// the same setting under its v3.2.0 number.
func TestTailoringResolvesV310Numbers(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	y := "waivers:\n  - {id: \"18.9.101.4\", justification: vendor update tool, approver: IT, expires: " + inAYear() + "}\n"
	tl, err := ParseTailoring("site.yaml", []byte(y))
	require.NoError(t, err)
	h := openSnap(t, writeFixture(t, fixtureOpts{session: consoleTech}))
	rep := audit(t, h, cat, profileFor(t, false), tl)
	tl.Mark(&rep)
	byID := map[string]checks.Result{}
	for _, r := range rep.Results {
		byID[r.ID] = r
	}
	assert.Equal(t, checks.Waived, byID["18.9.102.4"].Status, byID["18.9.102.4"].Reason)
	_, old := byID["18.9.101.4"]
	assert.False(t, old, "results carry the v3.2.0 number")
}
