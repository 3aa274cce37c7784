package remediate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// A value stricter than the recommendation passes and no plan weakens it:
// LockoutDuration -1 (secedit's "until an administrator unlocks") and 0
// against "15 or more minutes".
func TestStricterValueIsNeverWeakened(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	prof := profileFor(t, false)
	for _, v := range []string{"-1", "0", "30"} {
		t.Run(v, func(t *testing.T) {
			dir := writeFixture(t, fixtureOpts{session: consoleTech})
			inf := strings.Replace(fxSecedit, "LockoutBadCount = 0\n", "LockoutBadCount = 5\nLockoutDuration = "+v+"\nResetLockoutCount = 15\n", 1)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "secedit.inf"), windowsText(inf), 0o644))
			h := openSnap(t, dir)
			rep := audit(t, h, cat, prof, nil)
			var got checks.Result
			for _, r := range rep.Results {
				if r.ID == "1.2.1" {
					got = r
				}
			}
			require.Equal(t, checks.Pass, got.Status, got.Reason)
			for _, sel := range []string{"failed", "ids:1.2.1", "capability:PAUT"} {
				p := plan(t, h, cat, prof, sel, nil)
				for _, st := range p.Steps {
					assert.NotEqual(t, "1.2.1", st.CheckID, "%s plans a change of a passing check", sel)
				}
			}
		})
	}
}
