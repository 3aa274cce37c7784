package live

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

func TestParseGUID(t *testing.T) {
	// Audit Credential Validation.
	want := guid{Data1: 0x0cce923f, Data2: 0x69ae, Data3: 0x11d9, Data4: [8]byte{0xbe, 0xd3, 0x50, 0x50, 0x54, 0x50, 0x30, 0x30}}
	for _, in := range []string{
		"{0cce923f-69ae-11d9-bed3-505054503030}",
		"0CCE923F-69AE-11D9-BED3-505054503030",
		" {0cce923f-69ae-11d9-bed3-505054503030} ",
	} {
		g, err := parseGUID(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, g, in)
	}
	for _, bad := range []string{"", "Credential Validation", "{0cce923f-69ae-11d9-bed3-50505450303}",
		"{0cce923g-69ae-11d9-bed3-505054503030}", "{0cce923f69ae-11d9-bed3-505054503030}", "0cce923f-69ae-11d9-bed3-505054503030}"} {
		_, err := parseGUID(bad)
		assert.Error(t, err, bad)
	}
}

// AuditingInformation values as AuditQuerySystemPolicy returns them.
func TestAuditFlags(t *testing.T) {
	assert.Equal(t, checks.AuditFlags{}, auditFlags(0))
	assert.Equal(t, checks.AuditFlags{Success: true}, auditFlags(1))
	assert.Equal(t, checks.AuditFlags{Failure: true}, auditFlags(2))
	assert.Equal(t, checks.AuditFlags{Success: true, Failure: true}, auditFlags(3))
	assert.Equal(t, checks.AuditFlags{}, auditFlags(4))

	assert.Equal(t, uint32(4), auditInfo(checks.AuditFlags{}), "no auditing must be NONE, 0 would change nothing")
	assert.Equal(t, uint32(1), auditInfo(checks.AuditFlags{Success: true}))
	assert.Equal(t, uint32(2), auditInfo(checks.AuditFlags{Failure: true}))
	assert.Equal(t, uint32(3), auditInfo(checks.AuditFlags{Success: true, Failure: true}))
	for _, f := range []checks.AuditFlags{{}, {Success: true}, {Failure: true}, {Success: true, Failure: true}} {
		assert.Equal(t, f, auditFlags(auditInfo(f)))
	}
}
