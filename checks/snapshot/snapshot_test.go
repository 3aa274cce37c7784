package snapshot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/hosttest"
	"medharden/checks/winfmt"
)

// windowsText encodes text as Windows tools write it: UTF-16LE with a BOM
// and CRLF line ends.
func windowsText(s string) []byte {
	return winfmt.UTF16File(strings.ReplaceAll(s, "\n", "\r\n"))
}

// writeSnapshot makes a snapshot folder from name -> content; contents are
// written as UTF-16LE unless the name ends in .log.
func writeSnapshot(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		data := windowsText(content)
		if strings.HasSuffix(name, ".log") {
			data = []byte(strings.ReplaceAll(content, "\n", "\r\n"))
		}
		require.NoError(t, os.WriteFile(p, data, 0o644))
	}
	return dir
}

const (
	osCSV = "\nNode,BuildNumber,Caption,CSDVersion,CSName,OSArchitecture,OperatingSystemSKU,Version\n" +
		"WS1,7601,Microsoft Windows 7 Professional ,Service Pack 1,WS1,64-bit,48,6.1.7601\n"
	seceditINF = "[Unicode]\nUnicode=yes\n[System Access]\nMinimumPasswordLength = 8\nNewAdministratorName = \"Administrator\"\n" +
		"[Registry Values]\nMACHINE\\System\\CurrentControlSet\\Control\\Lsa\\NoLMHash=4,1\n" +
		"[Privilege Rights]\nSeNetworkLogonRight = *S-1-1-0,*S-1-5-32-544,Administrators,operator\nSeDenyNetworkLogonRight = Guest\n" +
		"[Version]\nsignature=\"$CHICAGO$\"\nRevision=1\n"
	lsaREG = "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa]\n" +
		"\"LimitBlankPasswordUse\"=dword:00000001\n\"NoLMHash\"=dword:00000001\n\n" +
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\MSV1_0]\n\"NTLMMinClientSec\"=dword:20080000\n"
	accountsCSV = "\nNode,Disabled,Lockout,Name,PasswordExpires,PasswordRequired,SID,Status\n" +
		"WS1,FALSE,FALSE,Administrator,FALSE,TRUE,S-1-5-21-1-2-3-500,OK\n" +
		"WS1,TRUE,FALSE,Guest,FALSE,FALSE,S-1-5-21-1-2-3-501,Degraded\n" +
		"WS1,FALSE,FALSE,operator,FALSE,TRUE,S-1-5-21-1-2-3-1000,OK\n"
	serviceCSV = "\nNode,Name,PathName,StartMode,StartName,State\n" +
		"WS1,RemoteRegistry,C:\\Windows\\system32\\svchost.exe -k regsvc,Manual,NT AUTHORITY\\LocalService,Stopped\n" +
		"WS1,Browser,C:\\Windows\\System32\\svchost.exe -k netsvcs,Disabled,LocalSystem,Stopped\n" +
		alwaysServicesCSV
	// alwaysServicesCSV are rows of services every Windows has.
	alwaysServicesCSV = "WS1,eventlog,C:\\Windows\\System32\\svchost.exe -k LocalServiceNetworkRestricted,Auto,NT AUTHORITY\\LocalService,Running\n" +
		"WS1,PlugPlay,C:\\Windows\\system32\\svchost.exe -k DcomLaunch,Auto,LocalSystem,Running\n" +
		"WS1,RpcSs,C:\\Windows\\system32\\svchost.exe -k rpcss,Auto,NT Authority\\NetworkService,Running\n" +
		"WS1,SamSs,C:\\Windows\\system32\\lsass.exe,Auto,LocalSystem,Running\n" +
		"WS1,Winmgmt,C:\\Windows\\system32\\svchost.exe -k netsvcs,Auto,localSystem,Running\n"
	auditCSV = "Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\n" +
		"WS1,System,Anmeldung,{0cce9215-69ae-11d9-bed3-505054503030},Erfolg,,1\n" +
		"WS1,System,Kontoverwaltung,{0CCE9235-69AE-11D9-BED3-505054503030},Erfolg und Fehler,,3\n"
)

func minimalSnapshot(t *testing.T) string {
	return writeSnapshot(t, map[string]string{
		"collect.log":          "medharden collector 1.0.0\nstart=2026-11-18 09:30:00\nos=Microsoft Windows [Version 6.1.7601]\n",
		"secedit.inf":          seceditINF,
		"auditpol.csv":         auditCSV,
		"reg/lsa.reg":          lsaREG,
		"wmic/os.csv":          osCSV,
		"wmic/useraccount.csv": accountsCSV,
		"wmic/service.csv":     serviceCSV,
	})
}

func TestReadsEverySource(t *testing.T) {
	ctx := context.Background()
	h, err := Open(minimalSnapshot(t))
	require.NoError(t, err)

	info, err := h.OS(ctx)
	require.NoError(t, err)
	assert.Equal(t, "win7", info.Family())
	assert.Equal(t, "Microsoft Windows 7 Professional", info.Caption)
	id := h.Identity()
	assert.Equal(t, checks.Snapshot, id.Origin)
	assert.Equal(t, "2026-11-18 09:30:00", id.CollectedAt)
	assert.True(t, filepath.IsAbs(id.Dir), id.Dir)

	v, err := h.RegValue(ctx, `HKLM\System\CurrentControlSet\Control\Lsa\MSV1_0`, "ntlmminclientsec")
	require.NoError(t, err)
	n, _ := v.Uint64()
	assert.Equal(t, uint64(0x20080000), n)

	_, err = h.RegValue(ctx, `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`, "RestrictAnonymous")
	assert.True(t, errors.Is(err, checks.ErrAbsent), "covered key, missing value: %v", err)

	_, err = h.RegValue(ctx, `HKLM\SOFTWARE\Policies\Microsoft\Windows\Explorer`, "NoAutoplayfornonVolume")
	assert.True(t, errors.Is(err, checks.ErrNotCollected), "no export covers it: %v", err)

	s, err := h.SecPolicy(ctx, "system access", "minimumpasswordlength")
	require.NoError(t, err)
	assert.Equal(t, "8", s)
	_, err = h.SecPolicy(ctx, "System Access", "LockoutDuration")
	assert.True(t, errors.Is(err, checks.ErrAbsent))

	sids, err := h.UserRight(ctx, "SeNetworkLogonRight")
	require.NoError(t, err)
	assert.Equal(t, []string{"S-1-1-0", "S-1-5-32-544", "S-1-5-32-544", "S-1-5-21-1-2-3-1000"}, sids)
	sids, err = h.UserRight(ctx, "SeDenyNetworkLogonRight")
	require.NoError(t, err)
	assert.Equal(t, []string{"S-1-5-21-1-2-3-501"}, sids, "a local account name resolves through its SID")
	sids, err = h.UserRight(ctx, "SeTcbPrivilege")
	require.NoError(t, err)
	assert.Empty(t, sids)

	a, err := h.AuditPolicy(ctx, "{0cce9215-69ae-11d9-bed3-505054503030}")
	require.NoError(t, err)
	assert.Equal(t, checks.AuditFlags{Success: true}, a, "localized words are ignored; Setting Value counts")
	a, err = h.AuditPolicy(ctx, "{0cce9235-69ae-11d9-bed3-505054503030}")
	require.NoError(t, err)
	assert.Equal(t, checks.AuditFlags{Success: true, Failure: true}, a)

	st, err := h.ServiceStart(ctx, "remoteregistry")
	require.NoError(t, err)
	assert.Equal(t, checks.StartManual, st)
	_, err = h.ServiceStart(ctx, "TlntSvr")
	assert.True(t, errors.Is(err, checks.ErrAbsent))

	accts, err := h.Accounts(ctx)
	require.NoError(t, err)
	require.Len(t, accts, 3)
	assert.Equal(t, "500", accts[0].RID())
	assert.True(t, accts[1].Disabled)

	_, err = h.Hotfixes(ctx)
	assert.True(t, errors.Is(err, checks.ErrNotCollected))
	_, err = h.Volumes(ctx)
	assert.True(t, errors.Is(err, checks.ErrNotSupported), "Professional has no BitLocker: %v", err)
}

func TestSeceditRegistryValuesServeUncoveredKeys(t *testing.T) {
	dir := writeSnapshot(t, map[string]string{"secedit.inf": seceditINF, "wmic/os.csv": osCSV})
	h, err := Open(dir)
	require.NoError(t, err)
	v, err := h.RegValue(context.Background(), `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`, "NoLMHash")
	require.NoError(t, err)
	assert.Equal(t, checks.DWORDValue(1), v)
}

func TestLaterExportWins(t *testing.T) {
	dir := minimalSnapshot(t)
	later := filepath.Join(dir, "reg", "a-manual.reg")
	require.NoError(t, os.WriteFile(later, windowsText("Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa]\n\"NoLMHash\"=dword:00000000\n"), 0o644))
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "reg", "lsa.reg"), old, old))
	h, err := Open(dir)
	require.NoError(t, err)
	v, err := h.RegValue(context.Background(), `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`, "NoLMHash")
	require.NoError(t, err)
	assert.Equal(t, checks.DWORDValue(0), v, "a-manual.reg sorts first by name but was written later")
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		raw   map[string][]byte
		file  string // the file the error must name
		line  int
	}{
		{name: "empty folder"},
		{name: "foreign folder", raw: map[string][]byte{"notes.txt": []byte("hello"), "photo.jpg": {0xff, 0xd8}}},
		{name: "corrupt reg", files: map[string]string{"wmic/os.csv": osCSV, "reg/lsa.reg": "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\X]\n\"A\"=dword:zz\n"}, file: "lsa.reg", line: 4},
		{name: "reg that is not a reg file", files: map[string]string{"reg/x.reg": "hello\n"}, file: "x.reg", line: 1},
		{name: "corrupt secedit", files: map[string]string{"secedit.inf": "[System Access]\nthis is not a key value line\n"}, file: "secedit.inf", line: 2},
		{name: "odd-length utf-16", files: map[string]string{"wmic/os.csv": osCSV}, raw: map[string][]byte{"secedit.inf": {0xff, 0xfe, 0x5b}}, file: "secedit.inf"},
		{name: "auditpol without GUID column", files: map[string]string{"secedit.inf": seceditINF, "auditpol.csv": "Machine Name,Subcategory\nWS1,Logon\n"}, file: "auditpol.csv", line: 1},
		{name: "useraccount without SID column", files: map[string]string{"secedit.inf": seceditINF, "wmic/useraccount.csv": "\nNode,Name,Disabled\nWS1,a,FALSE\n"}, file: "useraccount.csv", line: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeSnapshot(t, tc.files)
			for name, b := range tc.raw {
				require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
			}
			_, err := Open(dir)
			require.Error(t, err)
			if tc.file == "" {
				assert.True(t, errors.Is(err, ErrNotSnapshot), "%v", err)
				return
			}
			assert.Contains(t, err.Error(), tc.file)
			var pe *winfmt.ParseError
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			if tc.line > 0 {
				assert.Equal(t, tc.line, pe.Line, err.Error())
			}
		})
	}
	_, err := Open(filepath.Join(t.TempDir(), "missing"))
	assert.Error(t, err)
}

func TestConformance(t *testing.T) {
	dir := minimalSnapshot(t)
	hosttest.Run(t, hosttest.Fixture{
		Open: func(t *testing.T) checks.HostWriter {
			h, err := Open(dir)
			require.NoError(t, err)
			return h
		},
		Key:        `HKLM\SOFTWARE\medharden-test`,
		Service:    "RemoteRegistry",
		AccountSID: "S-1-5-21-1-2-3-1000",
	})
}

func TestInventorySource(t *testing.T) {
	ctx := context.Background()
	h, err := Open(minimalSnapshot(t))
	require.NoError(t, err)
	rows, err := h.WMI(ctx, "OS")
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, "6.1.7601", rows[0]["Version"])
	assert.NotContains(t, rows[0], "Node")
	_, err = h.WMI(ctx, "bios")
	assert.True(t, errors.Is(err, checks.ErrNotCollected))

	keys, err := h.RegSubkeys(ctx, `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa`)
	require.NoError(t, err)
	assert.Equal(t, []string{"MSV1_0"}, keys)
	_, err = h.RegSubkeys(ctx, `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`)
	assert.True(t, errors.Is(err, checks.ErrNotCollected))
}

// reg.exe returns 1 for every failure, so a failed export proves nothing:
// only an absent= line (the collector found the parent key without it)
// makes its values absent; otherwise they are not collected, and a value
// that secedit's [Registry Values] holds is still read from there.
func TestFailedExport(t *testing.T) {
	const (
		autorun  = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\IniFileMapping\Autorun.inf`
		winlogon = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon`
		lsa      = `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`
		head     = "medharden collector 1.1.0\nstart=2026-11-18 09:30:00\nos=Microsoft Windows [Version 6.1.7601]\n"
	)
	failed := "rc=1 cmd=reg export \"" + autorun + "\" \"C:\\out\\reg\\autorun-inf.reg\" /y\n" +
		"rc=1 cmd=reg export \"" + winlogon + "\" \"C:\\Temp\\mh-winlogon.reg\" /y\n" +
		"rc=1 cmd=reg export \"" + lsa + "\" \"C:\\out\\reg\\lsa.reg\" /y\n"
	tests := []struct {
		name, log string
		key, val  string
		want      error // nil: a value is read
	}{
		{"failed export alone is not collected", head + failed, autorun, "", checks.ErrNotCollected},
		{"failed Winlogon export hides no DefaultPassword", head + failed, winlogon, "DefaultPassword", checks.ErrNotCollected},
		{"absent= proves the key does not exist", head + failed + "rc=0 cmd=reg query \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\IniFileMapping\" (existence probe)\nabsent=" + autorun + "\n", autorun, "", checks.ErrAbsent},
		{"absent= covers the keys below", head + "absent=" + autorun + "\n", autorun + `\Sub`, "x", checks.ErrAbsent},
		{"secedit still serves a failed export's values", head + failed, lsa, "NoLMHash", nil},
		{"old collector logs prove nothing either", "medharden collector 1.0.0\n" + failed, autorun, "", checks.ErrNotCollected},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeSnapshot(t, map[string]string{"secedit.inf": seceditINF, "wmic/os.csv": osCSV, "collect.log": tc.log})
			h, err := Open(dir)
			require.NoError(t, err)
			v, err := h.RegValue(context.Background(), tc.key, tc.val)
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, checks.DWORDValue(1), v)
				return
			}
			assert.True(t, errors.Is(err, tc.want), "%v", err)
		})
	}
}

func TestSessionFromCollectLog(t *testing.T) {
	dir := minimalSnapshot(t)
	h, err := Open(dir)
	require.NoError(t, err)
	_, err = h.Session(context.Background())
	assert.True(t, errors.Is(err, checks.ErrNotCollected), "no user= line: %v", err)

	log := "medharden collector 1.0.0\nos=Microsoft Windows [Version 6.1.7601]\nuser=WS1\\biomed\nusersid=s-1-5-21-1-2-3-1000\nsession=RDP-Tcp#3\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "collect.log"), []byte(log), 0o644))
	h, err = Open(dir)
	require.NoError(t, err)
	s, err := h.Session(context.Background())
	require.NoError(t, err)
	assert.Equal(t, checks.Session{UserName: `WS1\biomed`, UserSID: "S-1-5-21-1-2-3-1000", Remote: true}, s)
}

// A [-KEY] entry deletes the key and its subkeys for what came before it;
// what a later block writes is there again.
func TestRegDeletions(t *testing.T) {
	const h = "Windows Registry Editor Version 5.00\n\n"
	dir := writeSnapshot(t, map[string]string{
		"secedit.inf": seceditINF, "wmic/os.csv": osCSV,
		"reg/a.reg": h + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n\"Top\"=dword:1\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X\\A]\n\"Old\"=dword:1\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X\\B]\n\"Kept\"=dword:1\n",
		"reg/b.reg": h + "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n[-HKEY_LOCAL_MACHINE\\SOFTWARE\\X\\A]\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X\\A\\C]\n\"New\"=dword:2\n[-HKEY_LOCAL_MACHINE\\SOFTWARE\\X\\B\\Gone]\n",
	})
	old := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "reg", "a.reg"), old, old))
	host, err := Open(dir)
	require.NoError(t, err)
	ctx := context.Background()
	_, err = host.RegValue(ctx, `HKLM\SOFTWARE\X\A`, "Old")
	assert.True(t, errors.Is(err, checks.ErrAbsent), "deleted with its key: %v", err)
	v, err := host.RegValue(ctx, `HKLM\SOFTWARE\X\A\C`, "New")
	require.NoError(t, err)
	assert.Equal(t, checks.DWORDValue(2), v, "written after the deletion")
	_, err = host.RegValue(ctx, `HKLM\SOFTWARE\X\B`, "Kept")
	require.NoError(t, err, "deleting a subkey keeps its parent")
	keys, err := host.RegSubkeys(ctx, `HKLM\SOFTWARE\X`)
	require.NoError(t, err)
	assert.Equal(t, []string{"A", "B"}, keys)
	keys, err = host.RegSubkeys(ctx, `HKLM\SOFTWARE\X\A`)
	require.NoError(t, err)
	assert.Equal(t, []string{"C"}, keys)
}

// Many deletions after many keys must not take quadratic time.
func TestManyRegDeletionsAreFast(t *testing.T) {
	var b strings.Builder
	b.WriteString("Windows Registry Editor Version 5.00\n\n")
	const n = 50000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\K%d]\n\"V\"=dword:1\n", i)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\X%d]\n", i)
	}
	dir := writeSnapshot(t, map[string]string{"secedit.inf": seceditINF, "wmic/os.csv": osCSV, "reg/big.reg": b.String()})
	start := time.Now()
	h, err := Open(dir)
	require.NoError(t, err)
	assert.Less(t, time.Since(start), 10*time.Second)
	_, err = h.RegValue(context.Background(), `HKLM\SOFTWARE\Policies\K7`, "V")
	require.NoError(t, err)
}

// TestAuditPolicyLookup: a subcategory is found whatever the case, braces
// and blanks of either GUID; the first of two equal rows answers; a bad
// Setting Value is an error naming the file and line.
func TestAuditPolicyLookup(t *testing.T) {
	ctx := context.Background()
	dir := writeSnapshot(t, map[string]string{
		"collect.log": "medharden collector 1.0.0\nstart=2026-11-18 09:30:00\n",
		"reg/lsa.reg": lsaREG,
		"auditpol.csv": "Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\n" +
			"WS1,System,Logon, {0cce9215-69ae-11d9-bed3-505054503030} ,Success,,1\n" +
			"WS1,System,Logon, {0cce9215-69ae-11d9-bed3-505054503030} ,Success,,1\n" +
			"WS1,System,Bad,{0CCE9216-69AE-11D9-BED3-505054503030},?,,7\n",
	})
	h, err := Open(dir)
	require.NoError(t, err)
	for _, guid := range []string{"{0CCE9215-69AE-11D9-BED3-505054503030}", "0cce9215-69ae-11d9-bed3-505054503030", " {0cce9215-69ae-11d9-BED3-505054503030} "} {
		a, err := h.AuditPolicy(ctx, guid)
		require.NoError(t, err, guid)
		assert.Equal(t, checks.AuditFlags{Success: true}, a, guid)
	}
	_, err = h.AuditPolicy(ctx, "{0cce9217-69ae-11d9-bed3-505054503030}")
	assert.ErrorIs(t, err, checks.ErrAbsent)
	_, err = h.AuditPolicy(ctx, "{0cce9216-69ae-11d9-bed3-505054503030}")
	var pe *winfmt.ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, filepath.Join(dir, "auditpol.csv"), pe.File)
	assert.Equal(t, 4, pe.Line)
}
