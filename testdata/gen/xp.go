package main

import "time"

// PUMPSRV-XP: a Windows XP Professional SP3 (5.1.2600) x86 infusion-pump
// server as delivered in October 2008 and never patched since: Windows XP
// defaults, plus the vendor's Pump Gateway, SQL Server 2005 Express, an
// IIS 5.1 FTP server for drug-library uploads, the Windows Firewall
// switched off in the standard (workgroup) profile, and a DefaultPassword
// left in Winlogon after automatic logon was turned off again.

const pumpSID = "S-1-5-21-1417001333-1004336348-725345543"

const pumpNic = "{4D36E972-0B1C-4A2E-8F3D-5C6B7A8E9F10}"

func svchostXP(group string) string { return `C:\WINDOWS\system32\svchost.exe -k ` + group }

func pumpXP() *host {
	h := &host{
		name:  "PUMPSRV-XP",
		start: time.Date(2026, 11, 19, 8, 45, 0, 0, cet),
		ver:   "Microsoft Windows XP [Version 5.1.2600]",
		xp:    true,
		reg:   xpRegistry(),

		collector: "Administrator", // no whoami on a plain XP: no SID logged
	}
	h.policy = secPolicy{
		systemAccess: map[string]string{
			"MinimumPasswordAge":           "0",
			"MaximumPasswordAge":           "42",
			"MinimumPasswordLength":        "0",
			"PasswordComplexity":           "0",
			"PasswordHistorySize":          "0",
			"LockoutBadCount":              "0",
			"RequireLogonToChangePassword": "0",
			"ForceLogoffWhenHourExpire":    "0",
			"NewAdministratorName":         `"Administrator"`,
			"NewGuestName":                 `"Guest"`,
			"ClearTextPassword":            "0",
			"LSAAnonymousNameLookup":       "0",
			"EnableAdminAccount":           "1",
			"EnableGuestAccount":           "0",
		},
		eventAudit: map[string]string{
			"AuditSystemEvents": "0", "AuditLogonEvents": "2", "AuditObjectAccess": "0", // vendor: failed logons
			"AuditPrivilegeUse": "0", "AuditPolicyChange": "0", "AuditAccountManage": "0",
			"AuditProcessTracking": "0", "AuditDSAccess": "0", "AuditAccountLogon": "0",
		},
		// Windows XP SP3 defaults. SUPPORT_388945a0 (the Help and Support
		// account) and Guest are local accounts, so secedit writes their names.
		rights: map[string][]string{
			"SeNetworkLogonRight":             {everyone, administrators, users, powerUsers, backupOperators},
			"SeBackupPrivilege":               {administrators, backupOperators},
			"SeChangeNotifyPrivilege":         {everyone, administrators, users, powerUsers, backupOperators},
			"SeSystemtimePrivilege":           {administrators, powerUsers},
			"SeCreatePagefilePrivilege":       {administrators},
			"SeDebugPrivilege":                {administrators},
			"SeRemoteShutdownPrivilege":       {administrators},
			"SeAuditPrivilege":                {localService, networkService},
			"SeIncreaseQuotaPrivilege":        {localService, networkService, administrators},
			"SeIncreaseBasePriorityPrivilege": {administrators},
			"SeLoadDriverPrivilege":           {administrators},
			"SeBatchLogonRight":               {"SUPPORT_388945a0"},
			"SeInteractiveLogonRight":         {"Guest", administrators, users, powerUsers, backupOperators},
			"SeSecurityPrivilege":             {administrators},
			"SeSystemEnvironmentPrivilege":    {administrators},
			"SeProfileSingleProcessPrivilege": {administrators, powerUsers},
			"SeSystemProfilePrivilege":        {administrators},
			"SeAssignPrimaryTokenPrivilege":   {localService, networkService},
			"SeRestorePrivilege":              {administrators, backupOperators},
			"SeShutdownPrivilege":             {administrators, users, powerUsers, backupOperators},
			"SeTakeOwnershipPrivilege":        {administrators},
			"SeDenyNetworkLogonRight":         {"SUPPORT_388945a0", "Guest"},
			"SeDenyInteractiveLogonRight":     {"SUPPORT_388945a0"},
			"SeUndockPrivilege":               {administrators, users, powerUsers},
			"SeRemoteInteractiveLogonRight":   {administrators, rdpUsers},
			"SeImpersonatePrivilege":          {localService, networkService, administrators, serviceSID},
			"SeCreateGlobalPrivilege":         {localService, networkService, administrators, serviceSID},
		},
	}
	h.wmi = map[string][]instance{
		"os": {{
			"BuildNumber": "2600", "Caption": "Microsoft Windows XP Professional",
			"CSDVersion": "Service Pack 3", "CSName": "PUMPSRV-XP",
			"InstallDate": "20081014113000.000000+060", "LastBootUpTime": "20261103071502.500000+060",
			"OSLanguage": "1033", "Version": "5.1.2600",
		}},
		"computersystem": {{
			"Domain": "WORKGROUP", "Manufacturer": "Dell Inc.", "Model": "OptiPlex 755",
			"Name": "PUMPSRV-XP", "PartOfDomain": "FALSE", "SystemType": "X86-based PC",
			"UserName": `PUMPSRV-XP\Administrator`, "Workgroup": "WORKGROUP",
		}},
		"bios": {{
			"Manufacturer": "Dell Inc.", "ReleaseDate": "20080407000000.000000+000",
			"SerialNumber": "4J8QRG1", "SMBIOSBIOSVersion": "A11",
		}},
		"qfe":         hotfixRows(pumpHotfixes),
		"nicconfig":   pumpNICs(),
		"useraccount": accountRows(pumpSID, pumpAccounts),
		"service":     serviceRows(xpServices()),
	}
	setDevice(h, pumpSID, pumpAccounts, []localGroup{
		{name: "Administrators", sid: "S-1-5-32-544", rids: []int{500}},
		{name: "Backup Operators", sid: "S-1-5-32-551"},
		{name: "Guests", sid: "S-1-5-32-546", rids: []int{501}},
		{name: "HelpServicesGroup", sid: pumpSID + "-1001", rids: []int{1002}},
		{name: "Power Users", sid: "S-1-5-32-547"},
		{name: "Remote Desktop Users", sid: "S-1-5-32-555"},
		{name: "Users", sid: "S-1-5-32-545", rids: []int{1003}, system: []string{"INTERACTIVE", "Authenticated Users"}},
	}, []task{{"PumpLogRotate", `NT AUTHORITY\SYSTEM`}}, []int{500, 1003})
	return h
}

// Patched up to October 2008's Patch Tuesday and frozen: no KB958644
// (MS08-067, out of band on 23 October 2008, Conficker) and no KB4012598
// (MS17-010 for XP, May 2017). XP's qfe leaves InstalledOn empty for most
// updates and lists odd entries such as "File 1".
var pumpHotfixes = [][3]string{
	{"File 1", "", ""},
	{"Q147222", "", ""},
	{"KB898461", "Update", ""},
	{"KB941569", "Security Update", ""},
	{"KB942288-v3", "Update", "10/14/2008"},
	{"KB946648", "Security Update", ""},
	{"KB950582", "Security Update", ""},
	{"KB950760", "Security Update", ""},
	{"KB950762", "Security Update", ""},
	{"KB951066", "Security Update", ""},
	{"KB951376-v2", "Security Update", ""},
	{"KB951698", "Security Update", ""},
	{"KB951748", "Security Update", ""},
	{"KB952954", "Security Update", ""},
	{"KB953838", "Security Update", ""},
	{"KB954211", "Security Update", ""},
	{"KB954600", "Security Update", ""},
	{"KB956803", "Security Update", "10/20/2008"},
	{"KB956841", "Security Update", "10/20/2008"},
}

var pumpAccounts = []account{
	{name: "Administrator", rid: 500, passwordRequired: true}, // enabled, never expires
	{name: "biomed", rid: 1003, passwordRequired: true},
	{name: "Guest", rid: 501, disabled: true},
	{name: "HelpAssistant", rid: 1000, disabled: true, passwordRequired: true},
	{name: "SUPPORT_388945a0", rid: 1002, disabled: true, passwordRequired: true},
}

func pumpNICs() []instance {
	miniport := func(desc, mac string) instance {
		return instance{"Description": desc, "DHCPEnabled": "FALSE", "MACAddress": mac}
	}
	return []instance{
		miniport("RAS Async Adapter", ""),
		miniport("WAN Miniport (L2TP)", ""),
		miniport("WAN Miniport (PPTP)", "50:50:54:50:30:30"),
		miniport("WAN Miniport (PPPOE)", "33:50:6F:45:30:30"),
		miniport("Direct Parallel", ""),
		miniport("WAN Miniport (IP)", ""),
		{
			"DefaultIPGateway": "{192.0.2.1}",
			"Description":      "Intel(R) 82566DM-2 Gigabit Network Connection - Packet Scheduler Miniport",
			"DHCPEnabled":      "FALSE", "IPAddress": "{192.0.2.40}", "MACAddress": "00:1E:4F:A2:93:7C",
		},
		miniport("WAN Miniport (IP) - Packet Scheduler Miniport", "92:B2:20:52:41:53"),
	}
}

// xpServices: Windows XP SP3 defaults (SP2 disabled Alerter, Messenger,
// ClipBook and NetDDE; Telnet is Disabled; Remote Registry is Automatic),
// plus IIS 5.1 FTP, SQL Server 2005 Express and the vendor's gateway.
func xpServices() []service {
	const (
		sys   = "LocalSystem"
		local = `NT AUTHORITY\LocalService`
		netw  = `NT AUTHORITY\NetworkService`
	)
	return []service{
		{"Alerter", "Disabled", "Stopped", local, svchostXP("LocalService")},
		{"ALG", "Manual", "Running", local, `C:\WINDOWS\System32\alg.exe`},
		{"AppMgmt", "Manual", "Stopped", sys, svchostXP("netsvcs")},
		{"AudioSrv", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"BITS", "Manual", "Stopped", sys, svchostXP("netsvcs")},
		{"Browser", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"CiSvc", "Manual", "Stopped", sys, `C:\WINDOWS\system32\cisvc.exe`},
		{"ClipSrv", "Disabled", "Stopped", sys, `C:\WINDOWS\system32\clipsrv.exe`},
		{"COMSysApp", "Manual", "Stopped", sys, `C:\WINDOWS\system32\dllhost.exe /Processid:{02D4B3F1-FD88-11D1-960D-00805FC79235}`},
		{"CryptSvc", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"DcomLaunch", "Auto", "Running", sys, `C:\WINDOWS\system32\svchost -k DcomLaunch`},
		{"Dhcp", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"dmadmin", "Manual", "Stopped", sys, `C:\WINDOWS\System32\dmadmin.exe /com`},
		{"dmserver", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"Dnscache", "Auto", "Running", netw, svchostXP("NetworkService")},
		{"ERSvc", "Auto", "Running", sys, svchostXP("WinErr")},
		{"Eventlog", "Auto", "Running", sys, `C:\WINDOWS\system32\services.exe`},
		{"EventSystem", "Manual", "Running", sys, svchostXP("netsvcs")},
		{"FastUserSwitchingCompatibility", "Manual", "Stopped", sys, svchostXP("netsvcs")},
		{"helpsvc", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"HidServ", "Disabled", "Stopped", sys, svchostXP("netsvcs")},
		{"HTTPFilter", "Manual", "Stopped", sys, `C:\WINDOWS\system32\lsass.exe`},
		{"IISADMIN", "Auto", "Running", sys, `C:\WINDOWS\system32\inetsrv\inetinfo.exe`},
		{"ImapiService", "Manual", "Stopped", sys, `C:\WINDOWS\system32\imapi.exe`},
		{"lanmanserver", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"lanmanworkstation", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"LmHosts", "Auto", "Running", local, svchostXP("LocalService")},
		{"Messenger", "Disabled", "Stopped", sys, svchostXP("netsvcs")},
		{"mnmsrvc", "Manual", "Stopped", sys, `C:\WINDOWS\system32\mnmsrvc.exe`},
		{"MSDTC", "Manual", "Stopped", netw, `C:\WINDOWS\system32\msdtc.exe`},
		{"MSFtpsvc", "Auto", "Running", sys, `C:\WINDOWS\system32\inetsrv\inetinfo.exe`},
		{"MSIServer", "Manual", "Stopped", sys, `C:\WINDOWS\system32\msiexec.exe /V`},
		{"MSSQL$PUMPDB", "Auto", "Running", netw, `"c:\Program Files\Microsoft SQL Server\MSSQL.1\MSSQL\Binn\sqlservr.exe" -sPUMPDB`},
		{"NetDDE", "Disabled", "Stopped", sys, `C:\WINDOWS\system32\netdde.exe`},
		{"NetDDEdsdm", "Disabled", "Stopped", sys, `C:\WINDOWS\system32\netdde.exe`},
		{"Netlogon", "Manual", "Stopped", sys, `C:\WINDOWS\system32\lsass.exe`},
		{"Netman", "Manual", "Running", sys, svchostXP("netsvcs")},
		{"Nla", "Manual", "Running", sys, svchostXP("netsvcs")},
		{"NtLmSsp", "Manual", "Running", sys, `C:\WINDOWS\system32\lsass.exe`},
		{"NtmsSvc", "Manual", "Stopped", sys, svchostXP("netsvcs")},
		{"PlugPlay", "Auto", "Running", sys, `C:\WINDOWS\system32\services.exe`},
		{"PolicyAgent", "Auto", "Running", sys, `C:\WINDOWS\system32\lsass.exe`},
		{"ProtectedStorage", "Auto", "Running", sys, `C:\WINDOWS\system32\lsass.exe`},
		{"PumpGateway", "Auto", "Running", sys, `"C:\Program Files\ACME Medical\Infusion Gateway\pgwsvc.exe" /service`},
		{"RasAuto", "Manual", "Stopped", sys, svchostXP("netsvcs")},
		{"RasMan", "Manual", "Stopped", sys, svchostXP("netsvcs")},
		{"RDSessMgr", "Manual", "Stopped", sys, `C:\WINDOWS\system32\sessmgr.exe`},
		{"RemoteAccess", "Disabled", "Stopped", sys, svchostXP("netsvcs")},
		{"RemoteRegistry", "Auto", "Running", local, svchostXP("LocalService")},
		{"RpcLocator", "Manual", "Stopped", sys, `C:\WINDOWS\system32\locator.exe`},
		{"RpcSs", "Auto", "Running", `NT Authority\NetworkService`, `C:\WINDOWS\system32\svchost -k rpcss`},
		{"RSVP", "Manual", "Stopped", sys, `C:\WINDOWS\system32\rsvp.exe`},
		{"SamSs", "Auto", "Running", sys, `C:\WINDOWS\system32\lsass.exe`},
		{"SCardSvr", "Manual", "Stopped", local, `C:\WINDOWS\System32\SCardSvr.exe`},
		{"Schedule", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"seclogon", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"SENS", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"SharedAccess", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"ShellHWDetection", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"Spooler", "Auto", "Running", sys, `C:\WINDOWS\system32\spoolsv.exe`},
		{"SQLBrowser", "Disabled", "Stopped", netw, `"c:\Program Files\Microsoft SQL Server\90\Shared\sqlbrowser.exe"`},
		{"SQLWriter", "Auto", "Running", sys, `"c:\Program Files\Microsoft SQL Server\90\Shared\sqlwriter.exe"`},
		{"srservice", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"SSDPSRV", "Manual", "Running", local, svchostXP("LocalService")},
		{"stisvc", "Auto", "Running", sys, svchostXP("imgsvc")},
		{"SwPrv", "Manual", "Stopped", sys, `C:\WINDOWS\System32\dllhost.exe /Processid:{FAA64A8F-1FF1-4F35-8B1E-DDE6AFEB6FB4}`},
		{"SysmonLog", "Manual", "Stopped", `NT Authority\NetworkService`, `C:\WINDOWS\system32\smlogsvc.exe`},
		{"TapiSrv", "Manual", "Running", sys, svchostXP("netsvcs")},
		{"TermService", "Manual", "Running", sys, `C:\WINDOWS\System32\svchost -k DComLaunch`},
		{"Themes", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"TlntSvr", "Disabled", "Stopped", sys, `C:\WINDOWS\system32\tlntsvr.exe`},
		{"TrkWks", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"upnphost", "Manual", "Stopped", local, svchostXP("LocalService")},
		{"UPS", "Manual", "Stopped", local, `C:\WINDOWS\System32\ups.exe`},
		{"VSS", "Manual", "Stopped", sys, `C:\WINDOWS\System32\vssvc.exe`},
		{"W32Time", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"WebClient", "Auto", "Running", local, svchostXP("LocalService")},
		{"winmgmt", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"WmdmPmSN", "Manual", "Stopped", sys, svchostXP("netsvcs")},
		{"Wmi", "Manual", "Stopped", sys, svchostXP("netsvcs")},
		{"WmiApSrv", "Manual", "Stopped", sys, `C:\WINDOWS\system32\wbem\wmiapsrv.exe`},
		{"wscsvc", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"wuauserv", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"WZCSVC", "Auto", "Running", sys, svchostXP("netsvcs")},
		{"xmlprov", "Manual", "Stopped", sys, svchostXP("netsvcs")},
	}
}

func xpRegistry() *registry {
	r := newRegistry()

	// Policies: nothing but the vendor's Windows Update switch-off.
	for _, store := range []string{"CA", "Disallowed", "Root", "Trust", "TrustedPeople", "TrustedPublisher"} {
		r.key(policies + `\Microsoft\SystemCertificates\` + store + `\Certificates`)
	}
	r.key(policies + `\Microsoft\Windows\IPSec\Policy\Local`)
	r.set(policies+`\Microsoft\Windows\WindowsUpdate\AU`, dword("NoAutoUpdate", 1)) // vendor

	r.set(cvPol+`\Explorer`, dword("NoDriveTypeAutoRun", 0x91))
	r.set(cvPol+`\NonEnum`, dword("{BDEADF00-C265-11D0-BCED-00A0C90AB50F}", 1))
	r.set(cvPol+`\System`,
		dword("dontdisplaylastusername", 0),
		sz("legalnoticecaption", ""),
		sz("legalnoticetext", ""),
		dword("shutdownwithoutlogon", 1),
		dword("undockwithoutlogon", 1),
	)

	// Winlogon: automatic logon was switched off again, but the password
	// stayed behind in clear text.
	r.set(winlogon,
		dword("AutoRestartShell", 1),
		sz("DefaultDomainName", "PUMPSRV-XP"),
		sz("DefaultUserName", "Administrator"),
		sz("LegalNoticeCaption", ""),
		sz("LegalNoticeText", ""),
		sz("PowerdownAfterShutdown", "0"),
		sz("ReportBootOk", "1"),
		sz("Shell", "Explorer.exe"),
		sz("ShutdownWithoutLogon", "0"),
		sz("System", ""),
		sz("Userinit", `C:\WINDOWS\system32\userinit.exe,`),
		sz("VmApplet", `rundll32 shell32,Control_RunDLL "sysdm.cpl"`),
		dword("SfcQuota", 0xffffffff),
		sz("allocatecdroms", "0"),
		sz("allocatedasd", "0"),
		sz("allocatefloppies", "0"),
		sz("cachedlogonscount", "10"),
		dword("forceunlocklogon", 0),
		dword("passwordexpirywarning", 0xe),
		sz("scremoveoption", "0"),
		dword("AllowMultipleTSSessions", 1),
		expand("UIHost", "logonui.exe"),
		dword("LogonType", 1),
		sz("Background", "0 0 0"),
		sz("DebugServerCommand", "no"),
		dword("SFCDisable", 0),
		sz("WinStationsDisabled", "0"),
		dword("HibernationPreviouslyEnabled", 1),
		dword("ShowLogonOptions", 0),
		sz("AltDefaultUserName", "Administrator"),
		sz("AltDefaultDomainName", "PUMPSRV-XP"),
		sz("AutoAdminLogon", "0"),
		sz("DefaultPassword", "pump2008"), // vendor leftover; the collector redacts it
	)
	r.set(winlogon+`\GPExtensions\{827D319E-6EAC-11D2-A4EA-00C04F79F83A}`,
		sz("", "Security"), expand("DllName", "scecli.dll"),
		sz("ProcessGroupPolicy", "SceProcessSecurityPolicyGPO"),
		dword("NoUserPolicy", 1), dword("NoGPOListChanges", 1))
	r.set(winlogon+`\GPExtensions\{35378EAC-683F-11D2-A89A-00C04FBBCFA2}`,
		sz("", "Registry"), expand("DllName", "userenv.dll"), sz("ProcessGroupPolicy", "ProcessGPORegistryPolicy"))
	for _, n := range []struct{ name, dll string }{
		{"crypt32chain", "crypt32.dll"}, {"cryptnet", "cryptnet.dll"}, {"cscdll", "cscdll.dll"},
		{"ScCertProp", "wlnotify.dll"}, {"Schedule", "wlnotify.dll"}, {"sclgntfy", "sclgntfy.dll"},
		{"SensLogn", "WlNotify.dll"}, {"termsrv", "wlnotify.dll"}, {"wlballoon", "wlnotify.dll"},
	} {
		r.set(winlogon+`\Notify\`+n.name, dword("Asynchronous", 1), expand("DllName", n.dll), dword("Impersonate", 1))
	}
	r.set(winlogon+`\SpecialAccounts\UserList`,
		dword("HelpAssistant", 0), dword("TsInternetUser", 0), dword("SQLAgentCmdExec", 0),
		dword("NetShowServices", 0), dword("IWAM_PUMPSRV-XP", 0), dword("IUSR_PUMPSRV-XP", 0),
		dword("SUPPORT_388945a0", 0))

	r.set(lsa,
		multi("Authentication Packages", "msv1_0"),
		binary("Bounds", 0x00, 0x30, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00),
		multi("Security Packages", "kerberos", "msv1_0", "schannel", "wdigest"),
		multi("Notification Packages", "scecli"),
		dword("auditbaseobjects", 0),
		dword("crashonauditfail", 0),
		binary("fullprivilegeauditing", 0x00),
		dword("ImpersonatePrivilegeUpgradeToolHasRun", 1),
		dword("lmcompatibilitylevel", 0),
		dword("disabledomaincreds", 0),
		dword("everyoneincludesanonymous", 0),
		dword("forceguest", 1), // XP Professional in a workgroup: simple file sharing
		dword("limitblankpassworduse", 1),
		dword("nodefaultadminowner", 1),
		dword("restrictanonymous", 0),
		dword("restrictanonymoussam", 1),
		dword("SecureBoot", 1),
		dword("fipsalgorithmpolicy", 0),
	)
	r.set(lsa+`\AccessProviders`, multi("ProviderOrder", "Windows NT Access Provider"))
	r.set(lsa+`\AccessProviders\Windows NT Access Provider`, expand("ProviderPath", `%SystemRoot%\system32\ntmarta.dll`))
	r.key(lsa + `\Audit`)
	r.key(lsa + `\Data`)
	r.key(lsa + `\GBG`)
	r.key(lsa + `\JD`)
	r.key(lsa + `\Kerberos`)
	r.set(lsa+`\MSV1_0`, dword("ntlmminclientsec", 0), dword("ntlmminserversec", 0))
	r.key(lsa + `\Skew1`)
	r.key(lsa + `\SSO`)

	r.set(sessMgr,
		multi("BootExecute", "autocheck autochk *"),
		dword("CriticalSectionTimeout", 0x278d00),
		dword("EnableMCA", 1),
		dword("EnableMCE", 0),
		multi("ExcludeFromKnownDlls"),
		dword("GlobalFlag", 0),
		dword("HeapDeCommitFreeBlockThreshold", 0),
		dword("HeapDeCommitTotalFreeThreshold", 0),
		dword("HeapSegmentCommit", 0),
		dword("HeapSegmentReserve", 0),
		dword("LicensedProcessors", 2),
		multi("ObjectDirectories", `\Windows`, `\RPC Control`),
		dword("ProtectionMode", 1),
		dword("RegisteredProcessors", 2),
		dword("ResourceTimeoutCount", 0x96),
		multi("SETUPEXECUTE"),
	)
	r.set(sessMgr+`\AppCompatibility`, binary("AppCompatCache", pseudo("PUMPSRV-XP AppCompatCache", 160)...))
	r.set(sessMgr+`\DOS Devices`,
		sz("AUX", `\DosDevices\COM1`), sz("MAILSLOT", `\Device\MailSlot`), sz("NUL", `\Device\Null`),
		sz("PIPE", `\Device\NamedPipe`), sz("PRN", `\DosDevices\LPT1`), sz("UNC", `\Device\Mup`))
	r.set(sessMgr+`\Environment`,
		expand("ComSpec", `%SystemRoot%\system32\cmd.exe`),
		sz("FP_NO_HOST_CHECK", "NO"),
		sz("NUMBER_OF_PROCESSORS", "2"),
		sz("OS", "Windows_NT"),
		expand("Path", `%SystemRoot%\system32;%SystemRoot%;%SystemRoot%\System32\Wbem;C:\Program Files\Microsoft SQL Server\90\Tools\binn\;C:\Program Files\ACME Medical\Infusion Gateway\bin`),
		sz("PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH"),
		sz("PROCESSOR_ARCHITECTURE", "x86"),
		sz("PROCESSOR_IDENTIFIER", "x86 Family 6 Model 15 Stepping 13, GenuineIntel"),
		sz("PROCESSOR_LEVEL", "6"),
		sz("PROCESSOR_REVISION", "0f0d"),
		expand("TEMP", `%SystemRoot%\TEMP`),
		expand("TMP", `%SystemRoot%\TEMP`),
		expand("windir", `%SystemRoot%`),
	)
	r.key(sessMgr + `\Executive`)
	r.key(sessMgr + `\FileRenameOperations`)
	r.set(sessMgr+`\kernel`, dword("ObCaseInsensitive", 1))
	r.set(sessMgr+`\KnownDLLs`,
		sz("advapi32", "advapi32.dll"), sz("comdlg32", "comdlg32.dll"), expand("DllDirectory", `%SystemRoot%\system32`),
		sz("gdi32", "gdi32.dll"), sz("kernel32", "kernel32.dll"), sz("ole32", "ole32.dll"),
		sz("rpcrt4", "rpcrt4.dll"), sz("shell32", "shell32.dll"), sz("user32", "user32.dll"))
	r.set(sessMgr+`\Memory Management`,
		dword("ClearPageFileAtShutdown", 0),
		dword("DisablePagingExecutive", 0),
		dword("LargeSystemCache", 0),
		dword("NonPagedPoolQuota", 0),
		dword("NonPagedPoolSize", 0),
		dword("PagedPoolQuota", 0),
		dword("PagedPoolSize", 0),
		dword("SecondLevelDataCache", 0),
		dword("SystemPages", 0),
		multi("PagingFiles", `C:\pagefile.sys 1536 3072`),
		dword("PhysicalAddressExtension", 1),
	)
	r.set(sessMgr+`\Memory Management\PrefetchParameters`, dword("EnablePrefetcher", 3), dword("VideoInitTime", 0x1f5))
	r.set(sessMgr+`\SubSystems`,
		expand("Debug", ""),
		expand("Kmode", `%SystemRoot%\system32\win32k.sys`),
		multi("Optional", "Os2", "Posix"),
		expand("Os2", `%SystemRoot%\system32\os2ss.exe`),
		expand("Posix", `%SystemRoot%\system32\psxss.exe`),
		multi("Required", "Debug", "Windows"),
		expand("Windows", `%SystemRoot%\system32\csrss.exe ObjectDirectory=\Windows SharedSection=1024,3072,512 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=winsrv:ConServerDllInitialization,2 ProfileControl=Off MaxRequestThreads=16`),
	)

	r.set(control+`\SecurePipeServers\winreg`, sz("Description", "Registry Server"))
	r.set(control+`\SecurePipeServers\winreg\AllowedPaths`, multi("Machine",
		`System\CurrentControlSet\Control\ProductOptions`,
		`System\CurrentControlSet\Control\Print\Printers`,
		`System\CurrentControlSet\Control\Server Applications`,
		`System\CurrentControlSet\Services\Eventlog`,
		`Software\Microsoft\OLAP Server`,
		`Software\Microsoft\Windows NT\CurrentVersion`,
		`System\CurrentControlSet\Control\ContentIndex`,
		`System\CurrentControlSet\Control\Terminal Server`,
		`System\CurrentControlSet\Control\Terminal Server\UserConfig`,
		`System\CurrentControlSet\Control\Terminal Server\DefaultUserConfiguration`))

	sp := control + `\SecurityProviders`
	r.set(sp, sz("SecurityProviders", "msapsspc.dll, schannel.dll, digest.dll, msnsspc.dll"))
	r.set(sp+`\SCHANNEL`, dword("EventLogging", 1))
	r.key(sp + `\SCHANNEL\Ciphers`)
	r.key(sp + `\SCHANNEL\CipherSuites`)
	r.key(sp + `\SCHANNEL\Hashes`)
	r.key(sp + `\SCHANNEL\KeyExchangeAlgorithms`)
	r.key(sp + `\SCHANNEL\Protocols`)
	r.set(sp+`\WDigest`, dword("DebugLevel", 0), dword("Negotiate", 0), dword("UTF8HTTP", 1), dword("UTF8SASL", 1))

	r.set(control+`\Print\Providers\LanMan Print Services\Servers`, dword("AddPrinterDrivers", 0))

	// Remote Desktop off (the XP default); Remote Assistance on.
	r.set(termSrv,
		dword("DeleteTempDirsOnExit", 1),
		dword("fDenyTSConnections", 1),
		dword("fAllowToGetHelp", 1),
		dword("fAllowFullControl", 1),
		dword("IdleWinStationPoolCount", 0),
		dword("PerSessionTempDir", 0),
		sz("ProductVersion", "5.1"),
		dword("TSAppCompat", 1),
		dword("TSEnabled", 1),
		dword("TSUserEnabled", 0),
	)
	r.set(termSrv+`\DefaultUserConfiguration`, dword("fInheritAutoLogon", 1), dword("fPromptForPassword", 0))
	r.set(termSrv+`\WinStations\RDP-Tcp`,
		dword("PortNumber", 0xd3d), dword("MinEncryptionLevel", 2), dword("fPromptForPassword", 0),
		dword("fInheritAutoLogon", 1), sz("WdName", "Microsoft RDP 5.1"), sz("PdName", "tcp"))

	r.set(lanSrv,
		dword("autodisconnect", 0xf),
		dword("enableforcedlogoff", 1),
		dword("enablesecuritysignature", 0),
		dword("requiresecuritysignature", 0),
		dword("restrictnullsessaccess", 1),
		multi("NullSessionPipes", "COMNAP", "COMNODE", `SQL\QUERY`, "SPOOLSS", "LLSRPC", "browser"),
		multi("NullSessionShares", "COMCFG", "DFS$"),
		dword("Lmannounce", 0),
		dword("Size", 1),
		binary("Guid", pseudo("PUMPSRV-XP LanmanServer Guid", 16)...),
		expand("ServiceDll", `%SystemRoot%\System32\srvsvc.dll`),
	)
	r.set(lanWks,
		dword("EnablePlainTextPassword", 0),
		dword("EnableSecuritySignature", 1),
		dword("RequireSecuritySignature", 0),
		expand("ServiceDll", `%SystemRoot%\System32\wkssvc.dll`),
	)
	r.set(services+`\Netlogon\Parameters`,
		dword("DisablePasswordChange", 0),
		dword("maximumpasswordage", 0x1e),
		dword("requiresignorseal", 1),
		dword("requirestrongkey", 0),
		dword("sealsecurechannel", 1),
		dword("signsecurechannel", 1),
		sz("Update", "no"),
	)
	r.set(tcpip,
		sz("NV Hostname", "PUMPSRV-XP"),
		expand("DataBasePath", `%SystemRoot%\System32\drivers\etc`),
		sz("NameServer", ""),
		dword("ForwardBroadcasts", 0),
		dword("IPEnableRouter", 0),
		sz("Domain", ""),
		sz("Hostname", "PUMPSRV-XP"),
		sz("SearchList", ""),
		dword("UseDomainNameDevolution", 1),
		dword("EnableICMPRedirect", 1),
		dword("DeadGWDetectDefault", 1),
		dword("DontAddDefaultGatewayDefault", 0),
		dword("EnableSecurityFilters", 0),
	)
	r.key(tcpip + `\Adapters\NdisWanIp`)
	r.key(tcpip + `\Adapters\` + pumpNic)
	r.key(tcpip + `\DNSRegisteredAdapters`)
	r.set(tcpip+`\Interfaces\`+pumpNic,
		dword("UseZeroBroadcast", 0),
		dword("EnableDeadGWDetect", 1),
		dword("EnableDHCP", 0),
		multi("IPAddress", "192.0.2.40"),
		multi("SubnetMask", "255.255.255.0"),
		multi("DefaultGateway", "192.0.2.1"),
		multi("DefaultGatewayMetric", "0"),
		sz("NameServer", "192.0.2.53"),
		sz("Domain", ""),
		dword("RegistrationEnabled", 1),
		dword("RegisterAdapterName", 0),
		multi("TCPAllowedPorts", "0"),
		multi("UDPAllowedPorts", "0"),
		multi("RawIPAllowedProtocols", "0"),
	)
	r.key(tcpip + `\PersistentRoutes`)
	r.set(tcpip+`\Winsock`,
		expand("HelperDllName", `%SystemRoot%\System32\wshtcpip.dll`),
		binary("Mapping", 0x0b, 0, 0, 0, 0x03, 0, 0, 0, 0x02, 0, 0, 0, 0x01, 0, 0, 0, 0x06, 0, 0, 0,
			0x02, 0, 0, 0, 0x01, 0, 0, 0, 0x00, 0, 0, 0, 0x02, 0, 0, 0, 0x00, 0, 0, 0, 0x06, 0, 0, 0),
		dword("MaxSockAddrLength", 0x10),
		dword("MinSockAddrLength", 0x10),
	)
	// No Tcpip6: IPv6 is not installed on this XP machine.
	r.set(netbt,
		dword("BcastNameQueryCount", 3),
		dword("BcastQueryTimeout", 0x2ee),
		dword("CacheTimeout", 0x927c0),
		dword("EnableLMHOSTS", 1),
		dword("EnableProxyRegCheck", 0),
		dword("NameServerPort", 0x89),
		dword("NameSrvQueryCount", 3),
		dword("NameSrvQueryTimeout", 0x5dc),
		sz("NbProvider", "_tcp"),
		dword("SessionKeepAlive", 0x36ee80),
		dword("Size/Small/Medium/Large", 1),
		sz("TransportBindName", `\Device\`),
	)
	r.set(netbt+`\Interfaces\Tcpip_`+pumpNic, multi("NameServerList"), dword("NetbiosOptions", 0))
	r.set(services+`\LDAP`, dword("LDAPClientIntegrity", 1))
	r.set(services+`\RasMan\Parameters`,
		expand("ServiceDll", `%SystemRoot%\System32\rasmans.dll`),
		multi("Medias", "rastapi"),
		dword("Logging", 0),
	)
	r.set(services+`\Eventlog\Security`,
		expand("File", `%SystemRoot%\system32\config\SecEvent.Evt`),
		dword("MaxSize", 0x80000),
		dword("Retention", 0x93a80),
		multi("Sources", "Security", "SC Manager", "Service Control Manager", "Spooler", "LSA", "Security Account Manager", "NetDDE object"),
	)
	r.set(services+`\Eventlog\Security\SC Manager`, expand("EventMessageFile", `%SystemRoot%\System32\MsAuditE.dll`))
	r.set(services+`\Eventlog\Security\Security`,
		expand("EventMessageFile", `%SystemRoot%\System32\MsAuditE.dll`),
		expand("ParameterMessageFile", `%SystemRoot%\System32\MsObjs.dll`),
		expand("CategoryMessageFile", `%SystemRoot%\System32\MsAuditE.dll`),
		dword("CategoryCount", 7))

	// Windows Firewall (XP SP2+): the vendor switched it off for the
	// standard (non-domain) profile, which is the one a workgroup PC uses.
	for _, p := range []struct {
		name string
		on   uint32
	}{{"DomainProfile", 1}, {"StandardProfile", 0}} {
		k := fwPolicy + `\` + p.name
		r.set(k, dword("EnableFirewall", p.on), dword("DoNotAllowExceptions", 0), dword("DisableNotifications", 0))
		r.set(k+`\AuthorizedApplications\List`,
			sz(`%windir%\system32\sessmgr.exe`, `%windir%\system32\sessmgr.exe:*:enabled:@xpsp2res.dll,-22019`),
			sz(`C:\Program Files\ACME Medical\Infusion Gateway\pgwsvc.exe`, `C:\Program Files\ACME Medical\Infusion Gateway\pgwsvc.exe:*:Enabled:ACME Pump Gateway`))
		r.set(k+`\GloballyOpenPorts\List`, sz("21:TCP", "21:TCP:*:Enabled:FTP (drug library upload)"))
		r.set(k+`\IcmpSettings`, dword("AllowInboundEchoRequest", 1))
		r.set(k+`\Services\FileAndPrint`, dword("Enabled", 1))
	}

	// No mrxsmb10 on XP: the SMB 1 client is mrxsmb itself.
	uninstallEntry(r, uninst, "{5B4E7A3C-2D1F-4A6E-8B9C-0D3E5F7A9B21}",
		"ACME Infusion Gateway 2.1", "2.1.0.77", "ACME Medical Systems", "20081014",
		`C:\Program Files\ACME Medical\Infusion Gateway\`, 0, true)
	uninstallEntry(r, uninst, "Microsoft SQL Server 2005",
		"Microsoft SQL Server 2005", "", "Microsoft Corporation", "20081014", "", 0, false)
	uninstallEntry(r, uninst, "{7131646D-CD3C-40F4-97B9-CD9E4E6262EF}",
		"Microsoft .NET Framework 2.0 Service Pack 1", "2.1.21022", "Microsoft Corporation", "20081014", "", 0x2c4b0, true)
	uninstallEntry(r, uninst, "{26A24AE4-039D-4CA4-87B4-2F83216007FF}",
		"Java(TM) 6 Update 7", "6.0.70", "Sun Microsystems, Inc.", "20081014", `C:\Program Files\Java\jre1.6.0_07\`, 0x16f5c, true)
	for _, kb := range []string{"KB951748", "KB956803", "KB956841"} {
		r.set(uninst+`\`+kb,
			sz("DisplayName", "Security Update for Windows XP ("+kb+")"),
			sz("ParentKeyName", "OperatingSystem"),
			sz("ParentDisplayName", "Windows XP - Software Updates"),
			sz("ReleaseType", "Security Update"),
			sz("Publisher", "Microsoft Corporation"),
			dword("NoModify", 1), dword("NoRepair", 1))
	}

	r.key(userPol + `\Microsoft`)
	r.set(userDesk,
		sz("ActiveWndTrkTimeout", "0"),
		sz("AutoEndTasks", "0"),
		sz("CaretWidth", "1"),
		sz("CoolSwitch", "1"),
		sz("CoolSwitchColumns", "7"),
		sz("CoolSwitchRows", "3"),
		sz("CursorBlinkRate", "530"),
		sz("DragFullWindows", "1"),
		sz("DragHeight", "4"),
		sz("DragWidth", "4"),
		sz("FontSmoothing", "2"),
		dword("FontSmoothingType", 2),
		sz("ForegroundFlashCount", "3"),
		dword("ForegroundLockTimeout", 0x30d40),
		sz("GridGranularity", "0"),
		sz("HungAppTimeout", "5000"),
		sz("LowPowerActive", "0"),
		sz("LowPowerTimeOut", "0"),
		sz("MenuShowDelay", "400"),
		sz("PaintDesktopVersion", "0"),
		sz("PowerOffActive", "0"),
		sz("PowerOffTimeOut", "0"),
		sz("SCRNSAVE.EXE", `C:\WINDOWS\system32\logon.scr`),
		sz("ScreenSaveActive", "1"),
		sz("ScreenSaverIsSecure", "0"),
		sz("ScreenSaveTimeOut", "600"),
		sz("TileWallpaper", "0"),
		binary("UserPreferencesMask", 0x9e, 0x3e, 0x07, 0x80),
		sz("WaitToKillAppTimeout", "20000"),
		sz("Wallpaper", ""),
		sz("WallpaperStyle", "2"),
		sz("WheelScrollLines", "3"),
	)
	r.set(userDesk+`\WindowMetrics`,
		sz("BorderWidth", "-15"),
		binary("CaptionFont", logfont(-11, 700, "Trebuchet MS")...),
		sz("CaptionHeight", "-375"),
		binary("IconFont", logfont(-11, 400, "Tahoma")...),
		binary("MenuFont", logfont(-11, 400, "Tahoma")...),
		binary("MessageFont", logfont(-11, 400, "Tahoma")...),
		sz("Shell Icon BPP", "32"),
		sz("Shell Icon Size", "32"),
		binary("StatusFont", logfont(-11, 400, "Tahoma")...),
	)

	// Read by secedit only.
	r.set(software+`\Microsoft\Windows NT\CurrentVersion\Setup\RecoveryConsole`,
		dword("SecurityLevel", 0), dword("SetCommand", 0))
	r.set(software+`\Microsoft\Driver Signing`, binary("Policy", 0x01))
	collectorExtras(r, true)
	return r
}
