package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// A French and a German Windows 7 on which nothing was renamed: the
// built-in accounts carry their language's default names (Administrateur
// and Invité, Administrator and Gast), which are not renames.
func TestLocalizedSamplesFailRenamedChecks(t *testing.T) {
	tests := []struct {
		snapshot, admin, guest string
	}{
		{"ICU-FR01-20261120-100000", "Administrateur", "Invité"},
		{"ICU-DE01-20261120-110000", "Administrator", "Gast"},
	}
	for _, tc := range tests {
		t.Run(tc.snapshot, func(t *testing.T) {
			code, out, stderr := runCLI("audit", "--snapshot", sample(tc.snapshot), "--profile", "cis-win7-l1", "--format", "json")
			require.Equal(t, 1, code, stderr)
			var rep checks.Report
			require.NoError(t, json.Unmarshal([]byte(out), &rep))
			got := map[string]checks.Result{}
			for _, r := range rep.Results {
				got[r.ID] = r
			}
			for id, name := range map[string]string{"2.3.1.4": tc.admin, "2.3.1.5": tc.guest, "MH-ACC-1": tc.admin} {
				r := got[id]
				assert.Equal(t, checks.Fail, r.Status, "%s: %s", id, r.Reason)
				assert.Contains(t, r.Reason, "default name "+name, id)
			}
		})
	}
}
