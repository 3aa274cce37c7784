package live

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

const machineSID = "S-1-5-21-1004336348-1177238915-682003330"

// NetUserEnum level 20 as Windows 7 returns it on a device whose built-in
// Administrator was renamed and whose Guest is disabled; flags are the raw
// usri20_flags (UF_SCRIPT and UF_NORMAL_ACCOUNT included).
var recordedUsers = []userEntry{
	{Name: "biomed-admin", Flags: 0x10203, RID: 500}, // disabled, password never expires
	{Name: "Guest", Flags: 0x10223, RID: 501},        // disabled, no password required
	{Name: "clinician", Flags: 0x0201, RID: 1000},
	{Name: "vendor", Flags: 0x10211, RID: 1001}, // locked out, never expires
}

func TestAccountFrom(t *testing.T) {
	want := []checks.Account{
		{Name: "biomed-admin", SID: machineSID + "-500", Disabled: true, PasswordRequired: true, PasswordExpires: false},
		{Name: "Guest", SID: machineSID + "-501", Disabled: true, PasswordRequired: false, PasswordExpires: false},
		{Name: "clinician", SID: machineSID + "-1000", Disabled: false, PasswordRequired: true, PasswordExpires: true},
		{Name: "vendor", SID: machineSID + "-1001", PasswordRequired: true, PasswordExpires: false, Lockout: true},
	}
	for i, u := range recordedUsers {
		assert.Equal(t, want[i], accountFrom("s-1-5-21-1004336348-1177238915-682003330", u))
	}
	assert.Equal(t, "500", accountFrom(machineSID, recordedUsers[0]).RID())
}

// The renamed Administrator is found by RID 500, never by its name.
func TestFindAccountBySID(t *testing.T) {
	u, err := findAccount(machineSID, recordedUsers, machineSID+"-500")
	require.NoError(t, err)
	assert.Equal(t, "biomed-admin", u.Name)

	u, err = findAccount(machineSID, recordedUsers, " s-1-5-21-1004336348-1177238915-682003330-501 ")
	require.NoError(t, err)
	assert.Equal(t, "Guest", u.Name)

	_, err = findAccount(machineSID, recordedUsers, "S-1-5-21-1-2-3-500")
	assert.True(t, errors.Is(err, checks.ErrAbsent))
	_, err = findAccount(machineSID, recordedUsers, "Administrator")
	assert.True(t, errors.Is(err, checks.ErrAbsent))
}

func TestDisabledFlags(t *testing.T) {
	assert.Equal(t, uint32(0x10201), disabledFlags(0x10203, false))
	assert.Equal(t, uint32(0x0203), disabledFlags(0x0201, true))
	assert.Equal(t, uint32(0x0203), disabledFlags(0x0200, true), "UF_SCRIPT is always written")
	assert.Equal(t, uint32(0x10213), disabledFlags(0x10211, true), "a locked account stays locked")
}

func TestValidAccountName(t *testing.T) {
	for _, ok := range []string{"biomed-admin", "Admin.1", "Gäst", "x"} {
		assert.NoError(t, validAccountName(ok), ok)
	}
	for _, bad := range []string{"", " admin", "admin ", "a/b", `a\b`, "a:b", "a*b", "...", "twenty-one-characters"} {
		assert.Error(t, validAccountName(bad), bad)
	}
}
