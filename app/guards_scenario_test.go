package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/remediate"
)

// The hospital's tailoring of issue 12: the plan removes nothing that
// svcvendor, HL7Gateway or the auto-logon operator needs, and says for each
// refused step whom it protects.
func TestPlanProtectsVendorAndOperator(t *testing.T) {
	tl := filepath.Join(t.TempDir(), "icu.yaml")
	require.NoError(t, os.WriteFile(tl, []byte("do_not_touch:\n  services: [PMCentralSvc, HL7Gateway]\n  accounts: [svcvendor]\nemergency_account: breakglass\nrdp_management: true\n"), 0o644))
	args := []string{"plan", "--snapshot", sample(win7Vendor), "--profile", "cis-win7-l2", "--tailoring", tl}
	code, text, stderr := runCLI(args...)
	require.Equal(t, 0, code, stderr)
	code, js, stderr := runCLI(append(args, "--format", "json")...)
	require.Equal(t, 0, code, stderr)
	var p remediate.Plan
	require.NoError(t, json.Unmarshal([]byte(js), &p))

	const (
		svcvendor = "S-1-5-21-1808340291-2837045102-3907411862-1001"
		operator  = "S-1-5-21-1808340291-2837045102-3907411862-1000"
	)
	refused := map[string]remediate.Step{}
	for _, s := range p.Steps {
		if s.Blocked != "" {
			refused[s.CheckID] = s
		}
		if !s.Automatic() {
			continue
		}
		a := s.Setting
		switch a.Kind {
		case remediate.KindRight:
			// No logon right loses svcvendor, and no deny right gains a
			// principal svcvendor or the operator logs on through.
			if !strings.HasPrefix(strings.ToUpper(a.Name), "SEDENY") {
				for _, sid := range s.Before.Value.SIDs {
					if strings.EqualFold(sid, svcvendor) {
						assert.Contains(t, s.Target.SIDs, sid, "%s takes %s from svcvendor", s.CheckID, a.Name)
					}
				}
			} else {
				for _, sid := range s.Target.SIDs {
					for _, bad := range []string{svcvendor, operator, "S-1-5-113", "S-1-5-32-545", "S-1-1-0", "S-1-5-11"} {
						if strings.EqualFold(sid, bad) {
							assert.Contains(t, s.Before.Value.SIDs, sid, "%s adds %s to %s", s.CheckID, sid, a.Name)
						}
					}
				}
			}
		case remediate.KindAccount:
			assert.NotEqual(t, svcvendor, a.Key, "%s changes svcvendor", s.CheckID)
			assert.NotEqual(t, operator, a.Key, "%s changes the operator", s.CheckID)
		case remediate.KindService:
			assert.NotContains(t, []string{"hl7gateway", "pmcentralsvc"}, strings.ToLower(a.Name))
		}
	}
	for id, want := range map[string][]string{
		"2.2.29": {"service HL7Gateway", `.\svcvendor`, "do-not-touch"},
		"2.2.28": {`scheduled task \ACME\PM Central Nightly Export`, "svcvendor"},
		"2.2.20": {`the operator "operator" (auto-logon account`, `account "svcvendor"`},
		"2.2.16": {`account "svcvendor"`},
	} {
		s, ok := refused[id]
		require.True(t, ok, "%s is refused", id)
		for _, w := range want {
			assert.Contains(t, s.Blocked, w, id)
		}
		assert.Contains(t, text, s.Blocked, "the plan text says why %s is refused", id)
		assert.Contains(t, s.Suggest, `id: "`+id+`"`)
	}
	assert.Contains(t, text, `person "operator" (auto-logon account`)
	assert.Contains(t, text, `service HL7Gateway runs as .\svcvendor`)
	assert.Contains(t, text, "to accept it instead, add to the tailoring file")
}
