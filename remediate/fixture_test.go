package remediate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/snapshot"
	"medharden/checks/winfmt"
)

// windowsText encodes text as Windows tools write it: UTF-16LE with BOM, CRLF.
func windowsText(s string) []byte {
	return winfmt.UTF16File(strings.ReplaceAll(s, "\n", "\r\n"))
}

// Session lines of collect.log, as the collector writes them.
const (
	consoleTech = "user=ICU-CS01\\tech\nusersid=S-1-5-21-11-22-33-1000\nsession=Console\n"
	rdpTech     = "user=ICU-CS01\\tech\nusersid=S-1-5-21-11-22-33-1000\nsession=RDP-Tcp#0\n"
	consoleAdm  = "user=ICU-CS01\\Administrator\nusersid=S-1-5-21-11-22-33-500\nsession=Console\n"
	noSession   = ""
)

const (
	fxOS7 = "\nNode,BuildNumber,Caption,CSDVersion,CSName,OSArchitecture,OperatingSystemSKU,Version\n" +
		"%HOST%,7601,Microsoft Windows 7 Professional ,Service Pack 1,%HOST%,64-bit,48,6.1.7601\n"
	fxOSXP = "\nNode,BuildNumber,Caption,CSDVersion,CSName,Version\n" +
		"%HOST%,2600,Microsoft Windows XP Professional,Service Pack 3,%HOST%,5.1.2600\n"
	fxComputer = "\nNode,Domain,Name,PartOfDomain\n%HOST%,WORKGROUP,%HOST%,FALSE\n"
	fxSecedit  = "[Unicode]\nUnicode=yes\n[System Access]\nMinimumPasswordAge = 0\nMaximumPasswordAge = 42\n" +
		"MinimumPasswordLength = 8\nPasswordComplexity = 0\nPasswordHistorySize = 0\nLockoutBadCount = 0\n" +
		"RequireLogonToChangePassword = 0\nForceLogoffWhenHourExpire = 0\nNewAdministratorName = \"Administrator\"\n" +
		"NewGuestName = \"Guest\"\nClearTextPassword = 0\nLSAAnonymousNameLookup = 0\nEnableAdminAccount = 1\nEnableGuestAccount = 1\n" +
		"[Event Audit]\nAuditSystemEvents = 0\nAuditLogonEvents = 0\n" +
		"[Privilege Rights]\nSeNetworkLogonRight = *S-1-1-0,*S-1-5-32-544,*S-1-5-32-545,*S-1-5-32-551\n" +
		"SeInteractiveLogonRight = Guest,*S-1-5-32-544,*S-1-5-32-545,*S-1-5-32-551\n" +
		"SeRemoteInteractiveLogonRight = *S-1-5-32-544,*S-1-5-32-555\n" +
		"SeDenyNetworkLogonRight = vendorsvc\n" +
		"SeEnableDelegationPrivilege = *S-1-5-32-544\n" +
		"[Version]\nsignature=\"$CHICAGO$\"\nRevision=1\n"
	fxAudit = "Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\n" +
		"%HOST%,System,Credential Validation,{0cce923f-69ae-11d9-bed3-505054503030},No Auditing,,0\n" +
		"%HOST%,System,Logon,{0cce9215-69ae-11d9-bed3-505054503030},Success,,1\n"
	fxLsa = "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa]\n" +
		"\"LimitBlankPasswordUse\"=dword:00000001\n\"LmCompatibilityLevel\"=dword:00000003\n"
	fxServer = "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\LanManServer\\Parameters]\n" +
		"\"NullSessionPipes\"=hex(7):43,00,4f,00,4d,00,4e,00,41,00,50,00,00,00,53,00,51,00,4c,00,00,00,00,00\n" +
		"\"EnableSecuritySignature\"=dword:00000000\n"
	fxSystem = "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System]\n" +
		"\"LegalNoticeCaption\"=\"\"\n\"EnableLUA\"=dword:00000001\n"
	fxTS = "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services]\n" +
		"\"fDisableCdm\"=dword:00000000\n"
	fxAccounts = "\nNode,Disabled,Lockout,Name,PasswordExpires,PasswordRequired,SID,Status\n" +
		"%HOST%,FALSE,FALSE,Administrator,FALSE,TRUE,S-1-5-21-11-22-33-500,OK\n" +
		"%HOST%,FALSE,FALSE,Guest,FALSE,FALSE,S-1-5-21-11-22-33-501,OK\n" +
		"%HOST%,FALSE,FALSE,tech,TRUE,TRUE,S-1-5-21-11-22-33-1000,OK\n" +
		"%HOST%,FALSE,FALSE,breakglass,FALSE,TRUE,S-1-5-21-11-22-33-1001,OK\n" +
		"%HOST%,FALSE,FALSE,vendorsvc,FALSE,TRUE,S-1-5-21-11-22-33-1002,OK\n"
	fxServices = "\nNode,Name,PathName,StartMode,StartName,State\n" +
		"%HOST%,TermService,C:\\Windows\\System32\\svchost.exe -k NetworkService,Manual,NT Authority\\NetworkService,Running\n" +
		"%HOST%,SessionEnv,C:\\Windows\\System32\\svchost.exe -k netsvcs,Manual,LocalSystem,Running\n" +
		"%HOST%,UmRdpService,C:\\Windows\\System32\\svchost.exe -k LocalSystemNetworkRestricted,Manual,LocalSystem,Running\n" +
		"%HOST%,RemoteRegistry,C:\\Windows\\system32\\svchost.exe -k regsvc,Auto,NT AUTHORITY\\LocalService,Running\n" +
		"%HOST%,VendorMon,C:\\Program Files\\Vendor\\mon.exe,Auto,LocalSystem,Running\n" +
		// services every Windows has: a service.csv without them is damaged
		"%HOST%,eventlog,C:\\Windows\\System32\\svchost.exe -k LocalServiceNetworkRestricted,Auto,NT AUTHORITY\\LocalService,Running\n" +
		"%HOST%,PlugPlay,C:\\Windows\\system32\\svchost.exe -k DcomLaunch,Auto,LocalSystem,Running\n" +
		"%HOST%,RpcSs,C:\\Windows\\system32\\svchost.exe -k rpcss,Auto,NT AUTHORITY\\NetworkService,Running\n" +
		"%HOST%,SamSs,C:\\Windows\\system32\\lsass.exe,Auto,LocalSystem,Running\n" +
		"%HOST%,Winmgmt,C:\\Windows\\system32\\svchost.exe -k netsvcs,Auto,localSystem,Running\n"
)

// The device model's files: local groups and their members, system
// accounts, scheduled tasks, Winlogon without auto-logon.
const (
	fxGroups = "\nNode,Domain,Name,SID\n" +
		"%HOST%,%HOST%,Administrators,S-1-5-32-544\n%HOST%,%HOST%,Users,S-1-5-32-545\n" +
		"%HOST%,%HOST%,Guests,S-1-5-32-546\n%HOST%,%HOST%,Backup Operators,S-1-5-32-551\n" +
		"%HOST%,%HOST%,Remote Desktop Users,S-1-5-32-555\n"
	fxSysAccounts = "\nNode,Domain,Name,SID\n%HOST%,%HOST%,INTERACTIVE,S-1-5-4\n%HOST%,%HOST%,Authenticated Users,S-1-5-11\n"
	fxGroupUser   = "\nNode,GroupComponent,PartComponent\n" +
		"%HOST%,\\\\%HOST%\\root\\cimv2:Win32_Group.Domain=\"%HOST%\",Name=\"Administrators\",\\\\%HOST%\\root\\cimv2:Win32_UserAccount.Domain=\"%HOST%\",Name=\"Administrator\"\n" +
		"%HOST%,\\\\%HOST%\\root\\cimv2:Win32_Group.Domain=\"%HOST%\",Name=\"Administrators\",\\\\%HOST%\\root\\cimv2:Win32_UserAccount.Domain=\"%HOST%\",Name=\"tech\"\n" +
		"%HOST%,\\\\%HOST%\\root\\cimv2:Win32_Group.Domain=\"%HOST%\",Name=\"Administrators\",\\\\%HOST%\\root\\cimv2:Win32_UserAccount.Domain=\"%HOST%\",Name=\"breakglass\"\n" +
		"%HOST%,\\\\%HOST%\\root\\cimv2:Win32_Group.Domain=\"%HOST%\",Name=\"Users\",\\\\%HOST%\\root\\cimv2:Win32_SystemAccount.Domain=\"%HOST%\",Name=\"INTERACTIVE\"\n" +
		"%HOST%,\\\\%HOST%\\root\\cimv2:Win32_Group.Domain=\"%HOST%\",Name=\"Users\",\\\\%HOST%\\root\\cimv2:Win32_SystemAccount.Domain=\"%HOST%\",Name=\"Authenticated Users\"\n" +
		"%HOST%,\\\\%HOST%\\root\\cimv2:Win32_Group.Domain=\"%HOST%\",Name=\"Users\",\\\\%HOST%\\root\\cimv2:Win32_UserAccount.Domain=\"%HOST%\",Name=\"vendorsvc\"\n" +
		"%HOST%,\\\\%HOST%\\root\\cimv2:Win32_Group.Domain=\"%HOST%\",Name=\"Guests\",\\\\%HOST%\\root\\cimv2:Win32_UserAccount.Domain=\"%HOST%\",Name=\"Guest\"\n"
	fxTasks    = "\"HostName\",\"TaskName\",\"Run As User\"\n\"%HOST%\",\"\\Microsoft\\Windows\\Defrag\\ScheduledDefrag\",\"SYSTEM\"\n"
	fxWinlogon = "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon]\n\"AutoAdminLogon\"=\"0\"\n"
)

type fixtureOpts struct {
	// oldSnapshot leaves out the device model's files, as a collector
	// before 1.2 did.
	oldSnapshot bool
	// extra adds or replaces files (by slash path).
	extra   map[string]string
	host    string
	xp      bool
	session string
	// domain joins the computer to a domain.
	domain bool
	// disabled lists local accounts that are disabled in the snapshot.
	disabled []string
}

// writeFixture makes a collector folder for a small but complete host.
func writeFixture(t testing.TB, o fixtureOpts) string {
	t.Helper()
	if o.host == "" {
		o.host = "ICU-CS01"
	}
	osCSV, ver := fxOS7, "6.1.7601"
	if o.xp {
		osCSV, ver = fxOSXP, "5.1.2600"
	}
	files := map[string]string{
		"collect.log":             "medharden collector 1.0.0\nstart=2026-11-18 09:30:00\nos=Microsoft Windows [Version " + ver + "]\n" + o.session,
		"secedit.inf":             fxSecedit,
		"reg/lsa.reg":             fxLsa,
		"reg/lanmanserver.reg":    fxServer,
		"reg/system.reg":          fxSystem,
		"reg/ts.reg":              fxTS,
		"wmic/os.csv":             osCSV,
		"wmic/computersystem.csv": fxComputer,
		"wmic/useraccount.csv":    fxAccounts,
		"wmic/service.csv":        fxServices,
	}
	if !o.xp {
		files["auditpol.csv"] = fxAudit + otherSubcategories()
	}
	if !o.oldSnapshot {
		files["wmic/group.csv"] = fxGroups
		files["wmic/sysaccount.csv"] = fxSysAccounts
		files["wmic/groupuser.csv"] = fxGroupUser
		files["schtasks.csv"] = fxTasks
		files["reg/winlogon.reg"] = fxWinlogon
	}
	for name, content := range o.extra {
		files[name] = content
	}
	dir := filepath.Join(t.TempDir(), o.host+"-20261118-093000")
	if o.domain {
		files["wmic/computersystem.csv"] = "\nNode,Domain,Name,PartOfDomain\n%HOST%,HOSPITAL,%HOST%,TRUE\n"
	}
	for _, a := range o.disabled {
		files["wmic/useraccount.csv"] = strings.Replace(files["wmic/useraccount.csv"], "%HOST%,FALSE,FALSE,"+a+",", "%HOST%,TRUE,FALSE,"+a+",", 1)
	}
	for name, content := range files {
		content = strings.ReplaceAll(content, "%HOST%", o.host)
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

// otherSubcategories lists the rest of Windows 7's audit subcategories as
// "No Auditing", as auditpol /backup does.
func otherSubcategories() string {
	var b strings.Builder
	for n := 0x10; n <= 0x44; n++ {
		if n == 0x3f || n == 0x15 {
			continue // listed in fxAudit
		}
		fmt.Fprintf(&b, "%%HOST%%,System,Subcategory %x,{0cce92%02x-69ae-11d9-bed3-505054503030},No Auditing,,0\n", n, n)
	}
	return b.String()
}

func openSnap(t testing.TB, dir string) *snapshot.Host {
	t.Helper()
	h, err := snapshot.Open(dir)
	require.NoError(t, err)
	return h
}

func testCatalog(t testing.TB) *checks.Catalog {
	t.Helper()
	cat, err := checks.LoadCatalog(os.DirFS("testdata"), "catalog")
	require.NoError(t, err)
	return cat
}

func profileFor(t testing.TB, xp bool) checks.Profile {
	name := "cis-win7-l2"
	if xp {
		name = "winxp"
	}
	p, ok := checks.FindProfile(name)
	require.True(t, ok)
	return p
}

func audit(t testing.TB, h checks.Host, cat *checks.Catalog, p checks.Profile, tl *Tailoring) checks.Report {
	t.Helper()
	cat, err := tl.Tailor(cat)
	require.NoError(t, err)
	rep, err := checks.Audit(context.Background(), h, cat, p, tl.Options(checks.Options{Tool: "medharden", Version: "test"}))
	require.NoError(t, err)
	return rep
}

func plan(t testing.TB, h checks.Host, cat *checks.Catalog, p checks.Profile, sel string, tl *Tailoring) *Plan {
	t.Helper()
	s, err := ParseSelection(sel)
	require.NoError(t, err)
	pl, err := NewPlan(context.Background(), h, cat, audit(t, h, cat, p, tl), s, tl)
	require.NoError(t, err)
	return pl
}

// settingsOf reads the setting of every check of a profile that has one,
// including registry fallback keys: the state rollback must reproduce.
func settingsOf(t testing.TB, h checks.Host, cat *checks.Catalog, p checks.Profile) map[string]string {
	t.Helper()
	ctx := context.Background()
	accts, _ := h.Accounts(ctx)
	out := map[string]string{}
	read := func(label string, a Address) {
		st, err := ReadSetting(ctx, h, a)
		switch {
		case err != nil:
			out[label] = "error: " + errKind(err)
		case !st.Exists:
			out[label] = "absent"
		default:
			out[label] = showExact(a.Kind, st.Value)
		}
	}
	for _, ch := range cat.Select(p) {
		a, err := addressFor(ch, accts)
		if err != nil {
			continue
		}
		read(ch.ID+" "+a.String(), a)
		if a.Kind == KindAccount {
			other := a
			other.Name = FieldName
			if a.Name == FieldName {
				other.Name = FieldDisabled
			}
			read(ch.ID+" "+other.String(), other)
		}
		if r := ch.Probe.Registry; r != nil {
			for _, k := range r.Fallback {
				read(ch.ID+" fallback "+k, Address{Kind: KindRegistry, Key: k, Name: r.Value})
			}
		}
	}
	return out
}

func errKind(err error) string {
	for _, e := range []error{checks.ErrNotCollected, checks.ErrNotSupported, checks.ErrAccessDenied} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return err.Error()
}

// showExact renders a value with every byte, so that equal strings mean
// byte-identical settings.
func showExact(k Kind, v Value) string {
	switch k {
	case KindRegistry:
		return strconv.FormatUint(uint64(v.RegType), 10) + ":" + hexBytes(v.RegData)
	case KindRight:
		return strings.Join(v.SIDs, ",")
	}
	return v.Show(k)
}

func hexBytes(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
