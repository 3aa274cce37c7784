package remediate

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/snapshot"
)

// A "must include" fix adds what is missing and never drops what a host
// already denies or audits.
func TestSupersetFixesKeepExistingEntries(t *testing.T) {
	ctx := context.Background()
	h, err := snapshot.Open(filepath.Join("..", "testdata", "snapshots", "ICU-CS01-20261118-093000"))
	require.NoError(t, err)
	guestSID := "S-1-5-21-1808340291-2837045102-3907411862-501"
	require.NoError(t, h.SetUserRight(ctx, "SeDenyBatchLogonRight", []string{guestSID}))
	require.NoError(t, h.SetAuditPolicy(ctx, "{0cce922b-69ae-11d9-bed3-505054503030}", checks.AuditFlags{Failure: true}))

	cat, err := checks.Builtin()
	require.NoError(t, err)
	p, _ := checks.FindProfile("cis-win7-l1")
	rep, err := checks.Audit(ctx, h, cat, p, checks.Options{})
	require.NoError(t, err)
	sel, err := ParseSelection("ids:2.2.17,17.3.1")
	require.NoError(t, err)
	plan, err := NewPlan(ctx, h, cat, rep, sel, nil)
	require.NoError(t, err)

	targets := map[string]*Value{}
	for _, st := range plan.Steps {
		targets[st.CheckID] = st.Target
	}
	require.NotNil(t, targets["2.2.17"])
	assert.ElementsMatch(t, []string{"S-1-5-32-546", guestSID}, targets["2.2.17"].SIDs)
	require.NotNil(t, targets["17.3.1"])
	assert.Equal(t, checks.AuditFlags{Success: true, Failure: true}, *targets["17.3.1"].Audit, "process creation keeps failure auditing")
}
