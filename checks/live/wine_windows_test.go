//go:build windows

package live

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
	"golang.org/x/sys/windows/svc/mgr"

	"medharden/checks"
	"medharden/checks/hosttest"
)

// These tests change the registry and the service manager, so they run only
// where asked (MEDHARDEN_WINE=1, set by testdata/wine-test.sh in a throwaway
// prefix). Wine implements both for real. Its LSA, NetUserModals*, audit
// policy and secedit are stubs or fake success: TestWineStubsDoNotCrash only
// checks that those calls come back; their logic is tested on recorded
// results in the files without a build tag.
func wineHost(tb testing.TB) *Host {
	tb.Helper()
	if os.Getenv("MEDHARDEN_WINE") != "1" {
		tb.Skip("set MEDHARDEN_WINE=1 (testdata/wine-test.sh) to run the tests that change the system")
	}
	return newHost()
}

const testKey = `HKLM\SOFTWARE\medharden-test`

func deleteTestKey(t *testing.T) {
	for _, view := range []uint32{registry.WOW64_64KEY, registry.WOW64_32KEY} {
		k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE`, registry.ALL_ACCESS|view)
		if err != nil {
			continue
		}
		deleteTree(k, "medharden-test", view)
		k.Close()
	}
}

func deleteTree(parent registry.Key, name string, view uint32) {
	if k, err := registry.OpenKey(parent, name, registry.ALL_ACCESS|view); err == nil {
		subs, _ := k.ReadSubKeyNames(-1)
		for _, s := range subs {
			deleteTree(k, s, view)
		}
		k.Close()
	}
	regDeleteKeyEx(parent, name, view)
}

// regDeleteKeyEx deletes in the given view; registry.DeleteKey cannot.
func regDeleteKeyEx(parent registry.Key, name string, view uint32) {
	p, _ := windows.UTF16PtrFromString(name)
	procRegDeleteKeyExW.Call(uintptr(parent), uintptr(unsafe.Pointer(p)), uintptr(view), 0)
}

func TestWineRegistryRoundTrip(t *testing.T) {
	h := wineHost(t)
	ctx := context.Background()
	deleteTestKey(t)
	defer deleteTestKey(t)

	big := bytes.Repeat([]byte{0xA5}, 70000) // past the first read buffer
	values := map[string]checks.RegValue{
		"dword":          checks.DWORDValue(0xDEADBEEF),
		"dword-be":       {Type: 5, Data: []byte{0, 0, 0, 1}},
		"qword":          {Type: checks.RegQWORD, Data: []byte{1, 2, 3, 4, 5, 6, 7, 8}},
		"sz":             checks.StringValue(checks.RegSZ, "Authorized use only – Ünïcödé"),
		"expand-sz":      checks.StringValue(checks.RegExpandSZ, `%SystemRoot%\system32`),
		"multi-sz":       checks.MultiStringValue([]string{`System\CurrentControlSet\Control\ProductOptions`, "two"}),
		"multi-sz-empty": checks.MultiStringValue(nil),
		"binary":         {Type: checks.RegBinary, Data: []byte{0, 1, 2, 0xff}},
		"binary-empty":   {Type: checks.RegBinary, Data: []byte{}},
		"binary-big":     {Type: checks.RegBinary, Data: big},
		"none":           {Type: checks.RegNone, Data: []byte{9}},
		"":               checks.StringValue(checks.RegSZ, "the default value"),
	}
	_, err := h.RegValue(ctx, testKey, "dword")
	require.True(t, errors.Is(err, checks.ErrAbsent), "missing key: %v", err)

	for name, v := range values {
		require.NoError(t, h.SetRegValue(ctx, testKey+`\sub\deeper`, name, v), name)
	}
	for name, want := range values {
		got, err := h.RegValue(ctx, testKey+`\sub\deeper`, name)
		require.NoError(t, err, name)
		assert.Equal(t, want.Type, got.Type, name)
		assert.True(t, bytes.Equal(want.Data, got.Data), "%s: %x", name, got.Data)
	}
	// String data without its NUL gets one, as on Windows.
	require.NoError(t, h.SetRegValue(ctx, testKey+`\sub\deeper`, "sz-no-nul", checks.RegValue{Type: checks.RegSZ, Data: []byte{'a', 0, 'b', 0}}))
	got, err := h.RegValue(ctx, testKey+`\sub\deeper`, "sz-no-nul")
	require.NoError(t, err)
	assert.Equal(t, checks.StringValue(checks.RegSZ, "ab"), got)
	require.NoError(t, h.DeleteRegValue(ctx, testKey+`\sub\deeper`, "sz-no-nul"))

	got, _ = h.RegValue(ctx, testKey+`\sub\deeper`, "expand-sz")
	assert.Equal(t, `%SystemRoot%\system32`, got.String(), "REG_EXPAND_SZ comes back unexpanded")

	// The 64-bit view: what we wrote is not in Wow6432Node.
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\medharden-test\sub\deeper`, registry.QUERY_VALUE|registry.WOW64_32KEY)
	if err == nil {
		_, _, verr := k.GetIntegerValue("dword")
		k.Close()
		assert.True(t, errors.Is(verr, registry.ErrNotExist), "value leaked into the 32-bit view")
	} else {
		assert.True(t, errors.Is(err, registry.ErrNotExist), "%v", err)
	}
	k, err = registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\medharden-test\sub\deeper`, registry.QUERY_VALUE|registry.WOW64_64KEY)
	require.NoError(t, err)
	n, _, err := k.GetIntegerValue("dword")
	k.Close()
	require.NoError(t, err)
	assert.Equal(t, uint64(0xDEADBEEF), n)

	// Overwrite with another type, then delete twice.
	require.NoError(t, h.SetRegValue(ctx, testKey+`\sub\deeper`, "dword", checks.StringValue(checks.RegSZ, "1")))
	got, err = h.RegValue(ctx, testKey+`\sub\deeper`, "dword")
	require.NoError(t, err)
	assert.Equal(t, checks.RegSZ, got.Type)
	for name := range values {
		require.NoError(t, h.DeleteRegValue(ctx, testKey+`\sub\deeper`, name), name)
		require.NoError(t, h.DeleteRegValue(ctx, testKey+`\sub\deeper`, name), "deleting twice")
		_, err := h.RegValue(ctx, testKey+`\sub\deeper`, name)
		assert.True(t, errors.Is(err, checks.ErrAbsent), "%s: %v", name, err)
	}
	require.NoError(t, h.DeleteRegValue(ctx, testKey+`\no\such\key`, "x"))

	assert.Error(t, h.SetRegValue(ctx, `HKXX\SOFTWARE`, "x", checks.DWORDValue(1)))
	assert.Error(t, h.SetRegValue(ctx, `HKLM`, "x", checks.DWORDValue(1)))
}

func TestWineRegistryHKCU(t *testing.T) {
	h := wineHost(t)
	ctx := context.Background()
	key := `HKCU\Software\medharden-test`
	defer registry.DeleteKey(registry.CURRENT_USER, `Software\medharden-test`)
	require.NoError(t, h.SetRegValue(ctx, key, "ScreenSaveActive", checks.StringValue(checks.RegSZ, "1")))
	v, err := h.RegValue(ctx, key, "ScreenSaveActive")
	require.NoError(t, err)
	assert.Equal(t, "1", v.String())
}

// A person's hive under HKEY_USERS: read, write and the rollback sequence
// (restore, delete the value apply created, delete the keys it created)
// in the hive of the logged-on user, which is also HKCU. A hive that is
// not loaded is "not collected" for reads and writes, and nothing is
// created under HKEY_USERS.
func TestWineUserHive(t *testing.T) {
	h := wineHost(t)
	ctx := context.Background()
	sess, err := h.Session(ctx)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(sess.UserSID, "S-1-5-21-"), "Wine's user has a SID: %q", sess.UserSID)
	sid := sess.UserSID
	defer registry.DeleteKey(registry.CURRENT_USER, `Software\medharden-test\Desktop`)
	defer registry.DeleteKey(registry.CURRENT_USER, `Software\medharden-test`)
	base := `HKU\` + sid + `\Software\medharden-test`
	key := base + `\Desktop`
	ok, err := h.RegKeyExists(ctx, base)
	require.NoError(t, err)
	require.False(t, ok)

	require.NoError(t, h.SetRegValue(ctx, key, "ScreenSaverIsSecure", checks.StringValue(checks.RegSZ, "0")))
	v, err := h.RegValue(ctx, key, "ScreenSaverIsSecure")
	require.NoError(t, err)
	assert.Equal(t, "0", v.String())
	v, err = h.RegValue(ctx, `HKCU\Software\medharden-test\Desktop`, "ScreenSaverIsSecure")
	require.NoError(t, err, "HKU\\<own SID> is HKCU")
	assert.Equal(t, "0", v.String())

	// apply: a new value in a new key; rollback: the old value back
	// exactly, the new one deleted, the created keys deleted.
	require.NoError(t, h.SetRegValue(ctx, key, "ScreenSaverIsSecure", checks.StringValue(checks.RegSZ, "1")))
	require.NoError(t, h.SetRegValue(ctx, key+`\Sub`, "ScreenSaveTimeOut", checks.StringValue(checks.RegSZ, "900")))
	require.NoError(t, h.SetRegValue(ctx, key, "ScreenSaverIsSecure", checks.StringValue(checks.RegSZ, "0")))
	require.NoError(t, h.DeleteRegValue(ctx, key+`\Sub`, "ScreenSaveTimeOut"))
	gone, err := h.DeleteEmptyRegKey(ctx, key+`\Sub`)
	require.NoError(t, err)
	assert.True(t, gone)
	v, err = h.RegValue(ctx, key, "ScreenSaverIsSecure")
	require.NoError(t, err)
	assert.True(t, checks.StringValue(checks.RegSZ, "0").Equal(v), "restored byte for byte")
	ok, err = h.RegKeyExists(ctx, key+`\Sub`)
	require.NoError(t, err)
	assert.False(t, ok)

	const absent = "S-1-5-21-0-0-0-1999"
	_, err = h.RegValue(ctx, `HKU\`+absent+`\Software\Policies`, "x")
	assert.ErrorIs(t, err, checks.ErrNotCollected)
	assert.ErrorIs(t, h.SetRegValue(ctx, `HKU\`+absent+`\Software\medharden-test`, "x", checks.DWORDValue(1)), checks.ErrNotCollected)
	_, err = h.RegKeyExists(ctx, `HKU\`+absent+`\Software`)
	assert.ErrorIs(t, err, checks.ErrNotCollected)
	_, err = registry.OpenKey(registry.USERS, absent, registry.QUERY_VALUE)
	assert.True(t, errors.Is(err, registry.ErrNotExist), "nothing was created under HKEY_USERS: %v", err)
}

func TestWineServiceStartType(t *testing.T) {
	h := wineHost(t)
	ctx := context.Background()

	_, err := h.ServiceStart(ctx, "medharden-no-such-service")
	assert.True(t, errors.Is(err, checks.ErrAbsent), "%v", err)
	assert.True(t, errors.Is(h.SetServiceStart(ctx, "medharden-no-such-service", checks.StartDisabled), checks.ErrAbsent))

	// A service Wine ships, changed and restored.
	before, err := h.ServiceStart(ctx, "Spooler")
	require.NoError(t, err)
	defer func() { assert.NoError(t, h.SetServiceStart(ctx, "Spooler", before)) }()
	for _, st := range []checks.StartType{checks.StartDisabled, checks.StartManual, checks.StartAuto} {
		require.NoError(t, h.SetServiceStart(ctx, "Spooler", st))
		got, err := h.ServiceStart(ctx, "Spooler")
		require.NoError(t, err)
		assert.Equal(t, st, got)
		// Windows writes Start before ChangeServiceConfig returns; Wine's
		// services.exe may write it a moment later.
		var n uint64
		for i := 0; i < 20; i++ {
			reg, err := h.RegValue(ctx, `HKLM\SYSTEM\CurrentControlSet\Services\Spooler`, "Start")
			require.NoError(t, err)
			if n, _ = reg.Uint64(); n == uint64(st) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if n != uint64(st) {
			t.Logf("Wine has not written Services\\Spooler\\Start = %d yet (still %d); the SCM is what counts", st, n)
		}
	}
	require.NoError(t, h.SetServiceStart(ctx, "Spooler", before))
	got, err := h.ServiceStart(ctx, "Spooler")
	require.NoError(t, err)
	assert.Equal(t, before, got)
}

// A kernel driver goes through the same calls (mrxsmb10 on Windows 7).
func TestWineDriverStartType(t *testing.T) {
	h := wineHost(t)
	ctx := context.Background()
	m, err := mgr.Connect()
	require.NoError(t, err)
	defer m.Disconnect()
	const name = "medharden-test-drv"
	if old, err := m.OpenService(name); err == nil {
		_ = old.Delete()
		old.Close()
	}
	s, err := m.CreateService(name, `C:\windows\system32\drivers\null.sys`, mgr.Config{
		ServiceType: windows.SERVICE_KERNEL_DRIVER, StartType: uint32(checks.StartSystem), ErrorControl: mgr.ErrorNormal,
	})
	require.NoError(t, err)
	defer func() { _ = s.Delete(); s.Close() }()

	got, err := h.ServiceStart(ctx, name)
	require.NoError(t, err)
	assert.Equal(t, checks.StartSystem, got)
	require.NoError(t, h.SetServiceStart(ctx, name, checks.StartDisabled))
	got, err = h.ServiceStart(ctx, name)
	require.NoError(t, err)
	assert.Equal(t, checks.StartDisabled, got)
	assert.Error(t, h.SetServiceStart(ctx, name, checks.StartType(7)))
}

func TestWineOS(t *testing.T) {
	h := wineHost(t)
	info, err := h.OS(context.Background())
	require.NoError(t, err)
	t.Logf("%+v", info)
	assert.NotEmpty(t, info.Hostname)
	assert.Regexp(t, `^\d+\.\d+\.\d+$`, info.Version)
	assert.Equal(t, "64-bit", info.Architecture, "wine64 emulates 64-bit Windows for both builds")
	assert.True(t, strings.HasPrefix(info.Caption, "Microsoft Windows"), info.Caption)
}

// Wine has no BitLocker namespace: the answer must be "not supported",
// named after the edition, not an error.
func TestWineWMI(t *testing.T) {
	h := wineHost(t)
	ctx := context.Background()
	fixes, err := h.Hotfixes(ctx)
	require.NoError(t, err)
	t.Logf("%d hotfixes: %+v", len(fixes), fixes)
	_, err = h.Volumes(ctx)
	require.Error(t, err)
	assert.True(t, errors.Is(err, checks.ErrNotSupported), "%v", err)
	t.Log(err)
}

// Wine's security APIs are stubs. These calls must come back (value or
// error) without crashing the process; nothing more can be checked here.
func TestWineStubsDoNotCrash(t *testing.T) {
	h := wineHost(t)
	ctx := context.Background()
	for _, k := range []string{"MinimumPasswordLength", "LockoutDuration"} {
		v, err := h.SecPolicy(ctx, "System Access", k)
		t.Logf("SecPolicy %s: %q, %v", k, v, err)
	}
	// secedit is a stub too: whatever it answers, it runs once per host.
	for _, k := range []string{"PasswordComplexity", "NewAdministratorName", "EnableGuestAccount"} {
		v, err := h.SecPolicy(ctx, "System Access", k)
		t.Logf("SecPolicy %s: %q, %v", k, v, err)
	}
	assert.Equal(t, 1, h.exports, "one secedit /export per host")
	sids, err := h.UserRight(ctx, "SeNetworkLogonRight")
	t.Logf("UserRight: %v, %v", sids, err)
	f, err := h.AuditPolicy(ctx, "{0cce923f-69ae-11d9-bed3-505054503030}")
	t.Logf("AuditPolicy: %v, %v", f, err)
	accts, err := h.Accounts(ctx)
	t.Logf("Accounts: %+v, %v", accts, err)
	t.Logf("IsElevated: %v", IsElevated())
}

func BenchmarkLiveRegistryRead(b *testing.B) {
	h := wineHost(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := h.RegValue(ctx, `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`, "CurrentBuildNumber"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLiveRegistryAbsent(b *testing.B) {
	h := wineHost(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := h.RegValue(ctx, `HKLM\SOFTWARE\Policies\Microsoft\Windows\medharden-absent`, "x"); !errors.Is(err, checks.ErrAbsent) {
			b.Fatal(err)
		}
	}
}

func BenchmarkLiveServiceStart(b *testing.B) {
	h := wineHost(b)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if _, err := h.ServiceStart(ctx, "Spooler"); err != nil {
			b.Fatal(err)
		}
	}
}

// Rollback deletes the keys an apply created, and only when empty.
func TestWineDeleteEmptyRegKey(t *testing.T) {
	h := wineHost(t)
	ctx := context.Background()
	deleteTestKey(t)
	defer deleteTestKey(t)
	deep := testKey + `\created\deeper`
	ok, err := h.RegKeyExists(ctx, deep)
	require.NoError(t, err)
	require.False(t, ok)
	require.NoError(t, h.SetRegValue(ctx, deep, "v", checks.DWORDValue(1)))
	require.NoError(t, h.SetRegValue(ctx, testKey+`\created`, "foreign", checks.DWORDValue(2)))
	for _, k := range []string{testKey, testKey + `\created`, deep} {
		ok, err := h.RegKeyExists(ctx, k)
		require.NoError(t, err)
		assert.True(t, ok, k)
	}
	gone, err := h.DeleteEmptyRegKey(ctx, deep)
	require.NoError(t, err)
	assert.False(t, gone, "a key with a value stays")
	require.NoError(t, h.DeleteRegValue(ctx, deep, "v"))
	gone, err = h.DeleteEmptyRegKey(ctx, deep)
	require.NoError(t, err)
	assert.True(t, gone)
	ok, err = h.RegKeyExists(ctx, deep)
	require.NoError(t, err)
	assert.False(t, ok)
	// Not in the 32-bit view either, and deleting again is done.
	_, err = registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\medharden-test\created\deeper`, registry.QUERY_VALUE|registry.WOW64_32KEY)
	assert.True(t, errors.Is(err, registry.ErrNotExist), "%v", err)
	gone, err = h.DeleteEmptyRegKey(ctx, deep)
	require.NoError(t, err)
	assert.False(t, gone)
	gone, err = h.DeleteEmptyRegKey(ctx, testKey+`\created`)
	require.NoError(t, err)
	assert.False(t, gone, "a key with someone else's value stays")
	gone, err = h.DeleteEmptyRegKey(ctx, testKey)
	require.NoError(t, err)
	assert.False(t, gone, "a key with a subkey stays")
	_, err = h.DeleteEmptyRegKey(ctx, `HKLM\SOFTWARE`)
	assert.Error(t, err, "top-level keys are never deleted")
}

// wineStubs are the parts of the conformance suite Wine cannot show, and
// why (as seen with Wine 8 when the suite ran unskipped). Each is reported
// as a skip with its reason; their logic is tested on recorded results.
var wineStubs = map[string]string{
	"secpol":   "Wine's NetUserModalsGet fails (NERR 2140) and its secedit /export writes no template",
	"rights":   "Wine's LsaAddAccountRights reports success and LsaEnumerateAccountsWithUserRight then lists no one",
	"audit":    "Wine's advapi32 has no AuditSetSystemPolicy, so the host answers \"not supported\" as on XP",
	"accounts": "Wine's netapi32 does not implement NetUserSetInfo: calling it aborts the process",
}

// The live host passes the suite the snapshot host passes, on what Wine
// implements for real (the registry and the service manager).
func TestWineConformance(t *testing.T) {
	wineHost(t)
	deleteTestKey(t)
	defer deleteTestKey(t)
	hosttest.Run(t, hosttest.Fixture{
		Open:    func(t *testing.T) checks.HostWriter { return newHost() },
		Key:     testKey,
		Service: "Spooler",
		// No AccountSID: the accounts part is skipped.
		Skip: wineStubs,
	})
}

var procRegSaveKeyW = modadvapi32.NewProc("RegSaveKeyW")

// medhardenMounts lists the HKU\medharden-live-* hives loaded now.
func medhardenMounts(t *testing.T) []string {
	k, err := registry.OpenKey(registry.USERS, "", registry.ENUMERATE_SUB_KEYS)
	require.NoError(t, err)
	defer k.Close()
	names, err := k.ReadSubKeyNames(-1)
	require.NoError(t, err)
	var m []string
	for _, n := range names {
		if isLeftoverMount(n) {
			m = append(m, n)
		}
	}
	return m
}

// A person who is not logged on: the live host loads the NTUSER.DAT their
// ProfileList entry names (a REG_EXPAND_SZ path), reads and writes it as
// HKU\<SID>, rolls back, and unloads it on Close; a killed run's leftover
// is unloaded by the next run; a profile without a hive file is "not
// collected" with the reason.
func TestWineUnloadedHive(t *testing.T) {
	h := wineHost(t)
	ctx := context.Background()
	const sid = "S-1-5-21-1111-2222-3333-1999"
	const plKey = `SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\`
	dir, err := os.MkdirTemp("", "medharden-profiles")
	require.NoError(t, err)
	defer os.RemoveAll(dir)
	require.NoError(t, os.Mkdir(filepath.Join(dir, "nurse"), 0o755))
	file := filepath.Join(dir, "nurse", "NTUSER.DAT")

	// An NTUSER.DAT-like hive file: RegSaveKey of a key made for it.
	enablePrivileges("SeBackupPrivilege", "SeRestorePrivilege")
	src, _, err := registry.CreateKey(registry.CURRENT_USER, `Software\medharden-hivesrc\Control Panel\Desktop`, registry.ALL_ACCESS)
	require.NoError(t, err)
	require.NoError(t, src.SetStringValue("ScreenSaveActive", "0"))
	src.Close()
	root, err := registry.OpenKey(registry.CURRENT_USER, `Software\medharden-hivesrc`, registry.ALL_ACCESS)
	require.NoError(t, err)
	pf, _ := windows.UTF16PtrFromString(file)
	r, _, _ := procRegSaveKeyW.Call(uintptr(root), uintptr(unsafe.Pointer(pf)), 0)
	root.Close()
	if sw, err := registry.OpenKey(registry.CURRENT_USER, `Software`, registry.ALL_ACCESS); err == nil {
		deleteTree(sw, "medharden-hivesrc", 0)
		sw.Close()
	}
	require.Zero(t, r, "RegSaveKey: %v", windows.Errno(r))

	// Its ProfileList entry, with a variable to expand.
	t.Setenv("MEDHARDEN_TEST_PROFILES", dir)
	pl, _, err := registry.CreateKey(registry.LOCAL_MACHINE, plKey+sid, registry.ALL_ACCESS|registry.WOW64_64KEY)
	require.NoError(t, err)
	require.NoError(t, pl.SetExpandStringValue("ProfileImagePath", `%MEDHARDEN_TEST_PROFILES%\nurse`))
	pl.Close()
	defer registry.DeleteKey(registry.LOCAL_MACHINE, plKey+sid)
	_, err = registry.OpenKey(registry.USERS, sid, registry.QUERY_VALUE)
	require.True(t, errors.Is(err, registry.ErrNotExist), "the hive is not loaded: %v", err)

	key := `HKU\` + sid + `\Control Panel\Desktop`
	v, err := h.RegValue(ctx, key, "ScreenSaveActive")
	require.NoError(t, err)
	assert.Equal(t, "0", v.String(), "read from the file")
	assert.Equal(t, []string{mountName(sid)}, medhardenMounts(t))

	// apply, then rollback: the old value back, the new one and its key gone.
	require.NoError(t, h.SetRegValue(ctx, key, "ScreenSaveActive", checks.StringValue(checks.RegSZ, "1")))
	require.NoError(t, h.SetRegValue(ctx, key+`\Sub`, "ScreenSaveTimeOut", checks.StringValue(checks.RegSZ, "900")))
	v, err = h.RegValue(ctx, key, "ScreenSaveActive")
	require.NoError(t, err)
	assert.Equal(t, "1", v.String())
	subs, err := h.RegSubkeys(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, []string{"Sub"}, subs)
	require.NoError(t, h.SetRegValue(ctx, key, "ScreenSaveActive", checks.StringValue(checks.RegSZ, "0")))
	require.NoError(t, h.DeleteRegValue(ctx, key+`\Sub`, "ScreenSaveTimeOut"))
	gone, err := h.DeleteEmptyRegKey(ctx, key+`\Sub`)
	require.NoError(t, err)
	assert.True(t, gone)
	v, err = h.RegValue(ctx, key, "ScreenSaveActive")
	require.NoError(t, err)
	assert.True(t, checks.StringValue(checks.RegSZ, "0").Equal(v), "rolled back byte for byte")
	ok, err := h.RegKeyExists(ctx, key+`\Sub`)
	require.NoError(t, err)
	assert.False(t, ok)
	require.NoError(t, h.Close())
	assert.Empty(t, medhardenMounts(t), "Close unloads the hive")
	_, err = h.RegValue(ctx, key, "ScreenSaveActive")
	assert.Error(t, err, "a closed host loads no hive")
	assert.Empty(t, medhardenMounts(t))

	// A new host loads the file again. Windows writes a loaded hive to its
	// file; Wine keeps it in memory and drops the changes on unload.
	h2 := newHost()
	require.NoError(t, h2.SetRegValue(ctx, key, "ScreenSaverIsSecure", checks.StringValue(checks.RegSZ, "1")))
	require.NoError(t, h2.Close())
	h3 := newHost()
	v, err = h3.RegValue(ctx, key, "ScreenSaveActive")
	require.NoError(t, err)
	assert.Equal(t, "0", v.String(), "loaded again")
	v, err = h3.RegValue(ctx, key, "ScreenSaverIsSecure")
	if errors.Is(err, checks.ErrAbsent) {
		t.Log("Wine did not write the loaded hive back to NTUSER.DAT on unload")
	} else {
		require.NoError(t, err)
		assert.Equal(t, "1", v.String(), "the write reached NTUSER.DAT")
	}
	require.NoError(t, h3.Close())
	assert.Empty(t, medhardenMounts(t))

	// Two runs at once. The first holds the machine-wide hive lock while
	// its hive is loaded: the second neither unloads it as a leftover nor
	// loads a copy, and says why. ReleaseHives unloads the hive and gives
	// the lock up; the first host loads it again when it next needs it.
	defer func(w time.Duration) { hiveLockWait = w }(hiveLockWait)
	hiveLockWait = 300 * time.Millisecond
	first, second := newHost(), newHost()
	defer first.Close()
	defer second.Close()
	_, err = first.RegValue(ctx, key, "ScreenSaveActive")
	require.NoError(t, err)
	if l, _, err := acquireHiveLock(0); err == nil {
		l.Release()
		t.Fatal("the hive lock is free while a run has a hive loaded")
	}
	_, err = second.RegValue(ctx, key, "ScreenSaveActive")
	require.ErrorIs(t, err, checks.ErrNotCollected)
	assert.Contains(t, err.Error(), `another medharden run is using the people's hives it loaded (lock Global\medharden-hives)`)
	assert.Equal(t, []string{mountName(sid)}, medhardenMounts(t), "the first run's hive stays loaded")
	require.NoError(t, first.ReleaseHives())
	assert.Empty(t, medhardenMounts(t), "released after the audit")
	v, err = first.RegValue(ctx, key, "ScreenSaveActive")
	require.NoError(t, err, "loaded again when needed")
	assert.Equal(t, "0", v.String())
	require.NoError(t, first.ReleaseHives())
	third := newHost()
	defer third.Close()
	_, err = third.RegValue(ctx, key, "ScreenSaveActive")
	require.NoError(t, err, "the lock was given up")
	require.NoError(t, third.Close())
	assert.Empty(t, medhardenMounts(t))

	// A run killed with the hive loaded: the next run unloads it.
	require.NoError(t, regLoadKey(mountName(sid), file))
	assert.Equal(t, []string{mountName(sid)}, medhardenMounts(t))
	unloadLeftovers()
	assert.Empty(t, medhardenMounts(t), "leftover unloaded")

	// The offline collector, which cannot take the hive lock, has the hive
	// loaded under its own name while it exports it: a run that starts
	// meanwhile neither unloads it as a leftover nor loads a second copy,
	// and says why.
	require.NoError(t, regLoadKey(collectorMount(sid), file))
	collectorLoaded := func() bool {
		k, err := registry.OpenKey(registry.USERS, collectorMount(sid), registry.QUERY_VALUE)
		if err != nil {
			return false
		}
		k.Close()
		return true
	}
	hc := newHost()
	_, err = hc.RegValue(ctx, key, "ScreenSaveActive")
	require.ErrorIs(t, err, checks.ErrNotCollected)
	assert.Contains(t, err.Error(), `the offline collector (medharden-collect.cmd) has it loaded as HKU\`+collectorMount(sid))
	require.NoError(t, hc.Close())
	unloadLeftovers()
	assert.True(t, collectorLoaded(), "the collector's hive is left alone")
	assert.Empty(t, medhardenMounts(t))
	require.NoError(t, regUnLoadKey(collectorMount(sid)))
	assert.False(t, collectorLoaded())

	// A profile whose hive file is missing: not collected, with the reason.
	const sid2 = "S-1-5-21-1111-2222-3333-1998"
	pl, _, err = registry.CreateKey(registry.LOCAL_MACHINE, plKey+sid2, registry.ALL_ACCESS|registry.WOW64_64KEY)
	require.NoError(t, err)
	require.NoError(t, pl.SetExpandStringValue("ProfileImagePath", `%MEDHARDEN_TEST_PROFILES%\nobody`))
	pl.Close()
	defer registry.DeleteKey(registry.LOCAL_MACHINE, plKey+sid2)
	h4 := newHost()
	defer h4.Close()
	_, err = h4.RegValue(ctx, `HKU\`+sid2+`\Control Panel\Desktop`, "ScreenSaveActive")
	require.ErrorIs(t, err, checks.ErrNotCollected)
	assert.Contains(t, err.Error(), filepath.Join(dir, "nobody", "NTUSER.DAT"))
	assert.ErrorIs(t, h4.SetRegValue(ctx, `HKU\`+sid2+`\Software\x`, "x", checks.DWORDValue(1)), checks.ErrNotCollected)
	assert.Empty(t, medhardenMounts(t))
}

// The local groups through the Net API. Where Wine implements
// NetLocalGroupEnum and NetLocalGroupGetMembers, the built-in
// Administrators group is found by its SID; where it stubs them (Wine
// lists no groups and reports success), the read is "not collected" with
// the reason and never yields an empty or partial list. The logic is tested
// on recorded answers (TestReadGroupsRecorded).
func TestWineLocalGroups(t *testing.T) {
	h := wineHost(t)
	groups, err := h.LocalGroups(context.Background())
	if err != nil {
		assert.Nil(t, groups)
		assert.ErrorIs(t, err, checks.ErrNotCollected)
		t.Logf("local groups not readable here: %v", err)
		return
	}
	t.Logf("%d local groups", len(groups))
	var admins *checks.Group
	for i := range groups {
		if groups[i].SID == "S-1-5-32-544" {
			admins = &groups[i]
		}
	}
	require.NotNil(t, admins, "Administrators (S-1-5-32-544) among %v", groups)
	t.Logf("Administrators is %q with %d members", admins.Name, len(admins.Members))
}

// Scheduled tasks from the definitions in System32\Tasks (through
// Sysnative for the 32-bit binary): names resolved to SIDs by the system,
// and a damaged definition makes the list "not collected", naming it.
func TestWineScheduledTasks(t *testing.T) {
	h := wineHost(t)
	ctx := context.Background()
	dir, err := tasksDir()
	require.NoError(t, err)
	mine := filepath.Join(dir, "medharden-test")
	require.NoError(t, os.MkdirAll(mine, 0o755))
	defer os.RemoveAll(mine)
	for _, n := range []string{"vendor-export.xml", "system-sid.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "tasks", n))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(mine, strings.TrimSuffix(n, ".xml")), b, 0o644))
	}
	user := os.Getenv("USERNAME")
	require.NotEmpty(t, user)
	self := `<?xml version="1.0" encoding="UTF-16"?><Task xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task"><Principals><Principal id="Author"><UserId>` + user + `</UserId></Principal></Principals><Actions Context="Author"><Exec><Command>x.exe</Command></Exec></Actions></Task>`
	require.NoError(t, os.WriteFile(filepath.Join(mine, "Self"), utf16File(self), 0o644))

	tasks, err := h.ScheduledTasks(ctx)
	require.NoError(t, err)
	got := map[string]checks.ScheduledTask{}
	for _, tk := range tasks {
		got[tk.Name] = tk
	}
	assert.Equal(t, checks.ScheduledTask{Name: `\medharden-test\system-sid`, RunAs: "S-1-5-18", SID: "S-1-5-18"}, got[`\medharden-test\system-sid`])
	assert.Equal(t, checks.ScheduledTask{Name: `\medharden-test\vendor-export`, RunAs: `ICU-CS01\svcvendor`}, got[`\medharden-test\vendor-export`], "an account this system does not know keeps its name")
	assert.True(t, strings.HasPrefix(got[`\medharden-test\Self`].SID, "S-1-5-21-"), "%s resolved by LookupAccountName: %+v", user, got[`\medharden-test\Self`])

	b, err := os.ReadFile(filepath.Join("testdata", "tasks", "bad-no-account.xml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(mine, "Broken"), b, 0o644))
	_, err = h.ScheduledTasks(ctx)
	require.ErrorIs(t, err, checks.ErrNotCollected)
	assert.Contains(t, err.Error(), filepath.Join(mine, "Broken"))
}

// utf16File is text as Windows writes a task definition: UTF-16LE with a BOM.
func utf16File(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}
