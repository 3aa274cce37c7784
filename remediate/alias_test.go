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

// TestReusedV310NumbersNeedTheNumbering: a number CIS v3.1.0 and v3.2.0
// give to different recommendations is refused unless the file says which
// numbering it follows, and then names that one; tailoring twice keeps it.
func TestReusedV310NumbersNeedTheNumbering(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	waiver := "waivers:\n  - {id: \"2.3.17.3\", justification: vendor tool, approver: IT, expires: " + inAYear() + "}\n"
	override := "overrides:\n  \"18.5.4.1\": 2\n"
	tests := []struct {
		name, numbering, body string
		wantWaiver            string
		wantOverride          string
		wantErr               string
	}{
		{name: "waiver, no numbering", body: waiver, wantErr: "site.yaml:4: waiver for 2.3.17.3: this number is"},
		{name: "override, no numbering", body: override, wantErr: "add numbering: v3.2.0 or numbering: v3.1.0"},
		{name: "waiver, v3.1.0", numbering: "numbering: v3.1.0\n", body: waiver, wantWaiver: "2.3.17.2"},
		{name: "waiver, v3.2.0", numbering: "numbering: v3.2.0\n", body: waiver, wantWaiver: "2.3.17.3"},
		{name: "override, v3.1.0", numbering: "numbering: v3.1.0\n", body: override, wantOverride: "18.3.6"},
		{name: "override, v3.2.0", numbering: "numbering: v3.2.0\n", body: override, wantOverride: "18.5.4.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tl, err := ParseTailoring("site.yaml", []byte("profile: cis-win7-l1\n"+tc.numbering+tc.body))
			if tc.numbering == "" {
				tl, err = ParseTailoring("site.yaml", []byte("profile: cis-win7-l1\n\n"+tc.body))
			}
			require.NoError(t, err)
			_, err = tl.Tailor(cat)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			if tc.wantWaiver != "" {
				require.Len(t, tl.Waivers, 1)
				assert.Equal(t, tc.wantWaiver, tl.Waivers[0].ID)
			}
			if tc.wantOverride != "" {
				require.Len(t, tl.Overrides, 1)
				assert.Equal(t, tc.wantOverride, tl.Overrides[0].ID)
			}
			_, err = tl.Tailor(cat)
			require.NoError(t, err, "tailoring twice")
			if tc.wantWaiver != "" {
				assert.Equal(t, tc.wantWaiver, tl.Waivers[0].ID, "tailoring twice keeps the check")
			}
		})
	}
	_, err = ParseTailoring("site.yaml", []byte("numbering: v3\n"))
	assert.ErrorContains(t, err, "use v3.1.0 or v3.2.0")
}
