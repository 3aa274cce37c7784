package snapshot

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// requireInputError: Open refuses the folder with a ParseError (exit 2)
// naming the file.
func requireInputError(t *testing.T, dir, file, msg string) {
	t.Helper()
	done := make(chan error, 1)
	go func() { _, err := Open(dir); done <- err }()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Open did not return")
	}
	require.Error(t, err)
	var pe *winfmt.ParseError
	require.True(t, errors.As(err, &pe), "%T %v", err, err)
	assert.Contains(t, pe.File, file, err.Error())
	assert.Contains(t, err.Error(), msg)
}

// A damaged file must never read as "nothing set": a secedit.inf without
// [Privilege Rights] would make every user right "No One" (a pass), an
// empty useraccount.csv "no accounts", an empty service.csv "nothing
// installed".
func TestDamagedFilesAreInputErrors(t *testing.T) {
	truncated := seceditINF[:strings.Index(seceditINF, "[Privilege Rights]")]
	zeros := make([]byte, 20<<10)
	noRID501 := strings.Replace(accountsCSV, "S-1-5-21-1-2-3-501", "S-1-5-21-1-2-3-1001", 1)
	header := "\nNode,Disabled,Lockout,Name,PasswordExpires,PasswordRequired,SID,Status\n"
	tests := []struct {
		name  string
		files map[string]string
		raw   map[string][]byte
		file  string
		msg   string
	}{
		{name: "secedit BOM only", raw: map[string][]byte{"secedit.inf": {0xFF, 0xFE}}, file: "secedit.inf", msg: "no [Unicode] section"},
		{name: "secedit zero-filled", raw: map[string][]byte{"secedit.inf": zeros}, file: "secedit.inf", msg: "NUL character"},
		{name: "secedit cut before [Privilege Rights]", files: map[string]string{"secedit.inf": truncated}, file: "secedit.inf", msg: "no [Privilege Rights] section"},
		{name: "secedit cut before [Version]", files: map[string]string{"secedit.inf": seceditINF[:strings.Index(seceditINF, "[Version]")]}, file: "secedit.inf", msg: "no [Version] section"},
		{name: "secedit right without '='", files: map[string]string{"secedit.inf": strings.Replace(seceditINF, "SeDenyNetworkLogonRight = Guest", "SeDenyNetworkLogonRight", 1)}, file: "secedit.inf", msg: "expected key = value in [Privilege Rights]"},
		{name: "secedit [Version] without signature", files: map[string]string{"secedit.inf": strings.Replace(seceditINF, "signature=\"$CHICAGO$\"", "signature=\"$WINDOWS 95$\"", 1)}, file: "secedit.inf", msg: "no signature"},
		{name: "secedit registry value with an open quote", files: map[string]string{"secedit.inf": strings.Replace(seceditINF, "NoLMHash=4,1", "NoLMHash=1,\"x", 1)}, file: "secedit.inf", msg: "[Registry Values] registry value of type 1: a double quote is not closed"},
		{name: "useraccount empty", files: map[string]string{"wmic/useraccount.csv": ""}, file: "useraccount.csv", msg: "no CSV header"},
		{name: "useraccount BOM and blank line", files: map[string]string{"wmic/useraccount.csv": "\n"}, file: "useraccount.csv", msg: "no CSV header"},
		{name: "useraccount zero-filled", raw: map[string][]byte{"wmic/useraccount.csv": zeros}, file: "useraccount.csv", msg: "NUL character"},
		{name: "useraccount header only", files: map[string]string{"wmic/useraccount.csv": header}, file: "useraccount.csv", msg: "no rows"},
		{name: "useraccount without Guest", files: map[string]string{"wmic/useraccount.csv": noRID501}, file: "useraccount.csv", msg: "RID 501"},
		{name: "useraccount SID twice", files: map[string]string{"wmic/useraccount.csv": accountsCSV + "WS1,TRUE,FALSE,operator,FALSE,TRUE,S-1-5-21-1-2-3-1000,Degraded\n"}, file: "useraccount.csv", msg: "first on line 5"},
		{name: "service empty", files: map[string]string{"wmic/service.csv": ""}, file: "service.csv", msg: "no CSV header"},
		{name: "service zero-filled", raw: map[string][]byte{"wmic/service.csv": zeros}, file: "service.csv", msg: "NUL character"},
		{name: "service cut short", files: map[string]string{"wmic/service.csv": serviceCSV[:strings.Index(serviceCSV, "WS1,RpcSs")]}, file: "service.csv", msg: "RpcSs"},
		{name: "service twice", files: map[string]string{"wmic/service.csv": serviceCSV + "WS1,remoteregistry,x,Auto,LocalSystem,Running\n"}, file: "service.csv", msg: "appears again"},
		{name: "os empty", files: map[string]string{"wmic/os.csv": ""}, file: "os.csv", msg: "no CSV header"},
		{name: "auditpol GUID twice", files: map[string]string{"auditpol.csv": auditCSV + "WS1,System,Logon,{0CCE9215-69AE-11D9-BED3-505054503030},No Auditing,,0\n"}, file: "auditpol.csv", msg: "appears again"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := minimalSnapshot(t)
			for name, content := range tc.files {
				require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), windowsText(content), 0o644))
			}
			for name, b := range tc.raw {
				require.NoError(t, os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), b, 0o644))
			}
			requireInputError(t, dir, tc.file, tc.msg)
		})
	}
}

// Optional classes may have no instances: wmic then writes no header.
func TestEmptyOptionalWMICIsNoInstances(t *testing.T) {
	dir := minimalSnapshot(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "wmic", "qfe.csv"), windowsText("\n"), 0o644))
	h, err := Open(dir)
	require.NoError(t, err)
	fixes, err := h.Hotfixes(context.Background())
	require.NoError(t, err)
	assert.Empty(t, fixes)
}

// A Group Policy template's entry-only sections ("name",mode,"SDDL") are
// data: the folder opens and reads as without them.
func TestGroupPolicySectionsAreData(t *testing.T) {
	gpo := strings.Replace(seceditINF, "[Version]", "[Service General Setting]\n\"seclogon\",4,\"\"\n"+
		"[Registry Keys]\n\"MACHINE\\SOFTWARE\",0,\"D:PAR(A;OICI;KA;;;BA)(A;CIIO;KA;;;CO)\"\n"+
		"[File Security]\n\"%SystemRoot%\\SYSVOL\",0,\"D:PAR(A;OICI;0x1200a9;;;AU)\"\n[Kerberos Policy]\nMaxTicketAge = 10\n[Version]", 1)
	gpo = strings.Replace(gpo, `signature="$CHICAGO$"`, "signature=$CHICAGO$", 1)
	plain, err := Open(minimalSnapshot(t))
	require.NoError(t, err)
	dir := minimalSnapshot(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "secedit.inf"), windowsText(gpo), 0o644))
	h, err := Open(dir)
	require.NoError(t, err)
	ctx := context.Background()
	for _, right := range []string{"SeNetworkLogonRight", "SeDenyNetworkLogonRight", "SeDebugPrivilege"} {
		want, err := plain.UserRight(ctx, right)
		require.NoError(t, err)
		got, err := h.UserRight(ctx, right)
		require.NoError(t, err)
		assert.Equal(t, want, got, right)
	}
	v, err := h.SecPolicy(ctx, "Kerberos Policy", "MaxTicketAge")
	require.NoError(t, err)
	assert.Equal(t, "10", v)
	rv, err := h.RegValue(ctx, `HKLM\System\CurrentControlSet\Control\Lsa`, "NoLMHash")
	require.NoError(t, err)
	assert.True(t, checks.DWORDValue(1).Equal(rv))
}

// secedit sections that templates may leave out make the checks that need
// them `error`, never "not defined".
func TestMissingSeceditSectionIsNotCollected(t *testing.T) {
	h, err := Open(minimalSnapshot(t)) // seceditINF has no [Event Audit]
	require.NoError(t, err)
	_, err = h.SecPolicy(context.Background(), "Event Audit", "AuditLogonEvents")
	assert.True(t, errors.Is(err, checks.ErrNotCollected), "%v", err)
	_, err = h.SecPolicy(context.Background(), "System Access", "LockoutDuration")
	assert.True(t, errors.Is(err, checks.ErrAbsent), "a key missing from a present section is not defined: %v", err)
}
