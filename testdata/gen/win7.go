package main

import "time"

// ICU-CS01: a Windows 7 SP1 Professional x64 patient-monitoring central
// station as the vendor delivers it. Windows defaults throughout, plus what
// vendor images typically change: the built-in Administrator enabled with
// a password that never expires, a service account without a required
// password, automatic logon of the operator account with its password in
// clear text in Winlogon, RDP on for remote support, Windows Update off by
// policy, the screen saver off, and an unquoted service path.

const icuSID = "S-1-5-21-1808340291-2837045102-3907411862"

// Interface GUIDs of the two NICs.
const (
	icuNicMon  = "{6C1B6F8E-2A4D-4E1F-9B3C-7D5E8F0A1B2C}" // patient-monitoring LAN, static
	icuNicHosp = "{A3F2C1D4-5B6E-4F70-8192-A3B4C5D6E7F8}" // hospital LAN, DHCP
)

func svchost7(group string) string { return `C:\Windows\system32\svchost.exe -k ` + group }

func icuVendor() *host {
	h := &host{
		name:  "ICU-CS01",
		start: time.Date(2026, 11, 18, 9, 30, 0, 0, cet),
		ver:   "Microsoft Windows [Version 6.1.7601]",
		x64:   true,
		reg:   win7Registry(),
		audit: win7DefaultAudit(),

		collector:    "Administrator",
		collectorSID: icuSID + "-500",
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
			"EnableAdminAccount":           "1", // vendor enabled it
			"EnableGuestAccount":           "0",
		},
		// The legacy categories read "no auditing" on Windows 7 even though
		// some subcategories are on: secpol.msc shows the same.
		eventAudit: map[string]string{
			"AuditSystemEvents": "0", "AuditLogonEvents": "0", "AuditObjectAccess": "0",
			"AuditPrivilegeUse": "0", "AuditPolicyChange": "0", "AuditAccountManage": "0",
			"AuditProcessTracking": "0", "AuditDSAccess": "0", "AuditAccountLogon": "0",
		},
		// Windows 7 defaults. Local accounts come out by name (Guest,
		// svcvendor); groups and well-known principals as *SID.
		rights: map[string][]string{
			"SeNetworkLogonRight":             {everyone, administrators, users, backupOperators},
			"SeBackupPrivilege":               {administrators, backupOperators},
			"SeChangeNotifyPrivilege":         {everyone, localService, networkService, administrators, users, backupOperators},
			"SeSystemtimePrivilege":           {localService, administrators},
			"SeCreatePagefilePrivilege":       {administrators},
			"SeDebugPrivilege":                {administrators},
			"SeRemoteShutdownPrivilege":       {administrators},
			"SeAuditPrivilege":                {localService, networkService},
			"SeIncreaseQuotaPrivilege":        {localService, networkService, administrators},
			"SeIncreaseBasePriorityPrivilege": {administrators},
			"SeLoadDriverPrivilege":           {administrators},
			"SeBatchLogonRight":               {administrators, backupOperators, perfLogUsers, "svcvendor"}, // the vendor's nightly export task
			"SeServiceLogonRight":             {allServices, "svcvendor"},                                   // HL7Gateway runs as .\svcvendor
			"SeInteractiveLogonRight":         {"Guest", administrators, users, backupOperators},
			"SeSecurityPrivilege":             {administrators},
			"SeSystemEnvironmentPrivilege":    {administrators},
			"SeProfileSingleProcessPrivilege": {administrators},
			"SeSystemProfilePrivilege":        {administrators, wdiServiceHost},
			"SeAssignPrimaryTokenPrivilege":   {localService, networkService},
			"SeRestorePrivilege":              {administrators, backupOperators},
			"SeShutdownPrivilege":             {administrators, users, backupOperators},
			"SeTakeOwnershipPrivilege":        {administrators},
			"SeDenyNetworkLogonRight":         {"Guest"},
			"SeDenyInteractiveLogonRight":     {"Guest"},
			"SeUndockPrivilege":               {administrators, users},
			"SeManageVolumePrivilege":         {administrators},
			"SeRemoteInteractiveLogonRight":   {administrators, rdpUsers},
			"SeImpersonatePrivilege":          {localService, networkService, administrators, serviceSID},
			"SeCreateGlobalPrivilege":         {localService, networkService, administrators, serviceSID},
			"SeIncreaseWorkingSetPrivilege":   {users},
			"SeTimeZonePrivilege":             {localService, administrators, users},
			"SeCreateSymbolicLinkPrivilege":   {administrators},
		},
	}
	h.wmi = map[string][]instance{
		"os": {{
			"BuildNumber": "7601", "Caption": "Microsoft Windows 7 Professional ", // WMI's trailing space
			"CSDVersion": "Service Pack 1", "CSName": "ICU-CS01",
			"InstallDate": "20150312101500.000000+060", "LastBootUpTime": "20261117061233.375199+060",
			"OperatingSystemSKU": "48", "OSArchitecture": "64-bit", "OSLanguage": "1033", "Version": "6.1.7601",
		}},
		"computersystem": {{
			"Domain": "WORKGROUP", "Manufacturer": "Dell Inc.", "Model": "OptiPlex 7010",
			"Name": "ICU-CS01", "PartOfDomain": "FALSE", "SystemType": "x64-based PC",
			"UserName": `ICU-CS01\operator`, "Workgroup": "WORKGROUP",
		}},
		"bios": {{
			"Manufacturer": "Dell Inc.", "ReleaseDate": "20180312000000.000000+000",
			"SerialNumber": "7XQ2B52", "SMBIOSBIOSVersion": "A29",
		}},
		"qfe":         hotfixRows(icuHotfixes),
		"nicconfig":   icuNICs(),
		"useraccount": accountRows(icuSID, icuAccounts()),
		"service":     serviceRows(win7Services()),
	}
	setDevice(h, icuSID, icuAccounts(), icuGroups(500), icuTasks, []int{500, 1000, 1001, 1003})
	// The vendor gave the auto-logon operator a screen saver policy of its
	// own: on, after an hour, and not password protected.
	h.userEdits = map[string]func(*registry, string){"operator": func(r *registry, root string) {
		r.set(root+`\Software\Policies\Microsoft\Windows\Control Panel\Desktop`,
			sz("ScreenSaveActive", "1"), sz("ScreenSaverIsSecure", "0"), sz("ScreenSaveTimeOut", "3600"))
	}}
	return h
}

// icuGroups: the auto-logon "operator" and the vendor's "svcvendor" are
// Users; "nurse", a second clinical user the vendor set up as a kiosk
// account, is a member of Users and of Guests, a group the CIS deny rights
// name. admin is the relative id of the administrator in use.
func icuGroups(admins ...int) []localGroup {
	return []localGroup{
		{name: "Administrators", sid: "S-1-5-32-544", rids: admins},
		{name: "Backup Operators", sid: "S-1-5-32-551"},
		{name: "Guests", sid: "S-1-5-32-546", rids: []int{501, 1003}},
		{name: "Performance Log Users", sid: "S-1-5-32-559"},
		{name: "Power Users", sid: "S-1-5-32-547"},
		{name: "Remote Desktop Users", sid: "S-1-5-32-555"},
		{name: "Users", sid: "S-1-5-32-545", rids: []int{1000, 1001, 1003}, system: []string{"INTERACTIVE", "Authenticated Users"}},
	}
}

// icuTasks: the vendor's nightly export runs as svcvendor (a batch logon).
var icuTasks = []task{
	{`\ACME\PM Central Nightly Export`, `ICU-CS01\svcvendor`},
	{`\Microsoft\Windows\Defrag\ScheduledDefrag`, "SYSTEM"},
	{`\Microsoft\Windows\SystemRestore\SR`, "SYSTEM"},
}

func icuAccounts() []account {
	return []account{
		{name: "Administrator", rid: 500, passwordRequired: true},                 // enabled, never expires
		{name: "Guest", rid: 501, disabled: true},                                 // Windows default
		{name: "operator", rid: 1000, passwordRequired: true},                     // auto-logon user
		{name: "svcvendor", rid: 1001, passwordRequired: false},                   // no password required
		{name: "nurse", rid: 1003, passwordRequired: true, passwordExpires: true}, // clinical user, also in Guests
	}
}

// A partial patch level: the 2015 image plus one 2016 service visit.
// No KB4012212/KB4012215 (MS17-010) and no KB4499175 (BlueKeep).
var icuHotfixes = [][3]string{
	{"KB2479943", "Security Update", "3/12/2015"},
	{"KB2534111", "Hotfix", "3/12/2015"},
	{"KB2552343", "Update", "3/12/2015"},
	{"KB2639308", "Security Update", "3/12/2015"},
	{"KB2670838", "Update", "3/12/2015"},
	{"KB2729094", "Update", "3/12/2015"},
	{"KB2731771", "Update", "3/12/2015"},
	{"KB2786081", "Update", "3/12/2015"},
	{"KB2813347", "Security Update", "3/12/2015"},
	{"KB2841134", "Update", "3/13/2015"},
	{"KB2871997", "Security Update", "3/13/2015"},
	{"KB2882822", "Update", "3/13/2015"},
	{"KB2888049", "Update", "3/13/2015"},
	{"KB3004375", "Security Update", "3/13/2015"},
	{"KB976902", "Update", "3/12/2015"},
	{"KB2999226", "Update", "6/20/2016"},
	{"KB3020369", "Update", "6/20/2016"},
	{"KB3035126", "Security Update", "6/20/2016"},
	{"KB3042058", "Update", "6/20/2016"},
	{"KB3046269", "Security Update", "6/20/2016"},
	{"KB3078601", "Security Update", "6/20/2016"},
	{"KB3109103", "Security Update", "6/20/2016"},
	{"KB3125574", "Update", "6/20/2016"},
	{"KB3138612", "Update", "6/20/2016"},
	{"KB3156417", "Update", "6/20/2016"},
}

func icuNICs() []instance {
	miniport := func(desc, mac string) instance {
		return instance{"Description": desc, "DHCPEnabled": "FALSE", "MACAddress": mac}
	}
	return []instance{
		miniport("WAN Miniport (SSTP)", ""),
		miniport("WAN Miniport (IKEv2)", ""),
		miniport("WAN Miniport (L2TP)", ""),
		miniport("WAN Miniport (PPTP)", ""),
		miniport("WAN Miniport (PPPOE)", ""),
		miniport("WAN Miniport (IPv6)", ""),
		miniport("WAN Miniport (Network Monitor)", ""),
		{
			"DefaultIPGateway": "", "Description": "Intel(R) 82579LM Gigabit Network Connection",
			"DHCPEnabled": "FALSE", "IPAddress": "{192.0.2.10;fe80::8c4d:2f1a:93b6:51e2}",
			"MACAddress": "F8:B1:56:A3:4C:19",
		},
		miniport("WAN Miniport (IP)", ""),
		miniport("Microsoft ISATAP Adapter", ""),
		miniport("RAS Async Adapter", "20:41:53:59:4E:FF"),
		{
			"DefaultIPGateway": "{198.51.100.1}", "Description": "Intel(R) Gigabit CT Desktop Adapter",
			"DHCPEnabled": "TRUE", "IPAddress": "{198.51.100.37;fe80::41b2:d8c3:7a10:2f64}",
			"MACAddress": "00:1B:21:C4:7E:02",
		},
		miniport("Teredo Tunneling Pseudo-Interface", ""),
		miniport("Microsoft ISATAP Adapter #2", ""),
	}
}

// win7Services: Windows 7 SP1 Professional defaults (Media Center and
// .NET 3.0 components present), SQL Server 2008 R2 Express for the
// vendor's database, and the vendor's own services. PMCentralSvc has the
// classic unquoted path with spaces.
func win7Services() []service {
	const (
		sys   = "LocalSystem"
		lsys  = "localSystem" // Windows 7 really spells some of them this way
		local = `NT AUTHORITY\LocalService`
		netw  = `NT AUTHORITY\NetworkService`
	)
	return []service{
		{"AeLookupSvc", "Manual", "Running", lsys, svchost7("netsvcs")},
		{"ALG", "Manual", "Stopped", local, `C:\Windows\System32\alg.exe`},
		{"AppIDSvc", "Manual", "Stopped", `NT Authority\LocalService`, svchost7("LocalServiceAndNoImpersonation")},
		{"Appinfo", "Manual", "Running", sys, svchost7("netsvcs")},
		{"AppMgmt", "Manual", "Stopped", sys, svchost7("netsvcs")},
		{"AudioEndpointBuilder", "Auto", "Running", sys, svchost7("LocalSystemNetworkRestricted")},
		{"AudioSrv", "Auto", "Running", local, svchost7("LocalServiceNetworkRestricted")},
		{"AxInstSV", "Manual", "Stopped", sys, svchost7("AxInstSVGroup")},
		{"BDESVC", "Manual", "Stopped", lsys, svchost7("netsvcs")},
		{"BFE", "Auto", "Running", local, svchost7("LocalServiceNoNetwork")},
		{"BITS", "Auto", "Running", sys, svchost7("netsvcs")},
		{"Browser", "Manual", "Running", sys, svchost7("netsvcs")},
		{"bthserv", "Manual", "Stopped", local, svchost7("bthsvcs")},
		{"CertPropSvc", "Manual", "Running", sys, svchost7("netsvcs")},
		{"clr_optimization_v2.0.50727_32", "Disabled", "Stopped", sys, `C:\Windows\Microsoft.NET\Framework\v2.0.50727\mscorsvw.exe`},
		{"clr_optimization_v2.0.50727_64", "Disabled", "Stopped", sys, `C:\Windows\Microsoft.NET\Framework64\v2.0.50727\mscorsvw.exe`},
		{"clr_optimization_v4.0.30319_32", "Auto", "Stopped", sys, `C:\Windows\Microsoft.NET\Framework\v4.0.30319\mscorsvw.exe`},
		{"clr_optimization_v4.0.30319_64", "Auto", "Stopped", sys, `C:\Windows\Microsoft.NET\Framework64\v4.0.30319\mscorsvw.exe`},
		{"COMSysApp", "Manual", "Stopped", sys, `C:\Windows\system32\dllhost.exe /Processid:{02D4B3F1-FD88-11D1-960D-00805FC79235}`},
		{"CryptSvc", "Auto", "Running", `NT Authority\NetworkService`, svchost7("NetworkService")},
		{"CscService", "Auto", "Running", sys, svchost7("LocalSystemNetworkRestricted")},
		{"DcomLaunch", "Auto", "Running", sys, svchost7("DcomLaunch")},
		{"defragsvc", "Manual", "Stopped", lsys, svchost7("defragsvc")},
		{"Dhcp", "Auto", "Running", `NT Authority\LocalService`, svchost7("LocalServiceNetworkRestricted")},
		{"Dnscache", "Auto", "Running", netw, svchost7("NetworkService")},
		{"dot3svc", "Manual", "Stopped", lsys, svchost7("LocalSystemNetworkRestricted")},
		{"DPS", "Auto", "Running", local, svchost7("LocalServiceNoNetwork")},
		{"EapHost", "Manual", "Stopped", lsys, svchost7("netsvcs")},
		{"EFS", "Manual", "Stopped", sys, `C:\Windows\System32\lsass.exe`},
		{"ehRecvr", "Manual", "Stopped", `NT AUTHORITY\networkService`, `C:\Windows\ehome\ehRecvr.exe`},
		{"ehSched", "Manual", "Stopped", `NT AUTHORITY\networkService`, `C:\Windows\ehome\ehsched.exe`},
		{"eventlog", "Auto", "Running", local, svchost7("LocalServiceNetworkRestricted")},
		{"EventSystem", "Auto", "Running", local, svchost7("LocalService")},
		{"Fax", "Manual", "Stopped", netw, `C:\Windows\system32\fxssvc.exe`},
		{"fdPHost", "Manual", "Stopped", local, svchost7("LocalService")},
		{"FDResPub", "Manual", "Stopped", local, svchost7("LocalServiceAndNoImpersonation")},
		{"FontCache", "Auto", "Running", local, svchost7("LocalServiceAndNoImpersonation")},
		{"FontCache3.0.0.0", "Manual", "Stopped", `NT Authority\LocalService`, `C:\Windows\Microsoft.NET\Framework64\v3.0\WPF\PresentationFontCache.exe`},
		{"gpsvc", "Auto", "Running", sys, svchost7("netsvcs")},
		{"hidserv", "Manual", "Stopped", sys, svchost7("LocalSystemNetworkRestricted")},
		{"hkmsvc", "Manual", "Stopped", lsys, svchost7("netsvcs")},
		{"HL7Gateway", "Auto", "Running", `.\svcvendor`, `"C:\Program Files (x86)\ACME Medical\HL7 Gateway\hl7gw.exe" -service`},
		{"HomeGroupListener", "Manual", "Stopped", sys, svchost7("LocalSystemNetworkRestricted")},
		{"HomeGroupProvider", "Manual", "Stopped", local, svchost7("LocalServiceNetworkRestricted")},
		{"idsvc", "Manual", "Stopped", sys, `"C:\Windows\Microsoft.NET\Framework64\v3.0\Windows Communication Foundation\infocard.exe"`},
		{"IKEEXT", "Manual", "Stopped", sys, svchost7("netsvcs")},
		{"IPBusEnum", "Manual", "Stopped", sys, svchost7("LocalSystemNetworkRestricted")},
		{"iphlpsvc", "Auto", "Running", sys, svchost7("NetSvcs")},
		{"KeyIso", "Manual", "Running", sys, `C:\Windows\system32\lsass.exe`},
		{"KtmRm", "Manual", "Stopped", netw, svchost7("NetworkServiceAndNoImpersonation")},
		{"LanmanServer", "Auto", "Running", sys, svchost7("netsvcs")},
		{"LanmanWorkstation", "Auto", "Running", netw, svchost7("NetworkService")},
		{"lltdsvc", "Manual", "Stopped", local, svchost7("LocalService")},
		{"lmhosts", "Auto", "Running", local, svchost7("LocalServiceNetworkRestricted")},
		{"Mcx2Svc", "Disabled", "Stopped", local, svchost7("LocalService")},
		{"MMCSS", "Auto", "Running", sys, svchost7("netsvcs")},
		{"MpsSvc", "Auto", "Running", `NT Authority\LocalService`, svchost7("LocalServiceNoNetwork")},
		{"MSDTC", "Manual", "Stopped", netw, `C:\Windows\System32\msdtc.exe`},
		{"MSiSCSI", "Manual", "Stopped", sys, svchost7("netsvcs")},
		{"msiserver", "Manual", "Stopped", sys, `C:\Windows\system32\msiexec.exe /V`},
		{"MSSQL$PMDB", "Auto", "Running", `NT AUTHORITY\NETWORK SERVICE`, `"c:\Program Files\Microsoft SQL Server\MSSQL10_50.PMDB\MSSQL\Binn\sqlservr.exe" -sPMDB`},
		{"napagent", "Manual", "Stopped", netw, svchost7("NetworkService")},
		{"Netlogon", "Manual", "Stopped", sys, `C:\Windows\system32\lsass.exe`},
		{"Netman", "Manual", "Running", sys, svchost7("LocalSystemNetworkRestricted")},
		{"netprofm", "Manual", "Running", local, svchost7("LocalService")},
		{"NlaSvc", "Auto", "Running", netw, svchost7("NetworkService")},
		{"nsi", "Auto", "Running", `NT Authority\LocalService`, svchost7("LocalService")},
		{"p2pimsvc", "Manual", "Stopped", local, svchost7("LocalServicePeerNet")},
		{"p2psvc", "Manual", "Stopped", local, svchost7("LocalServicePeerNet")},
		{"PcaSvc", "Auto", "Running", sys, svchost7("LocalSystemNetworkRestricted")},
		{"PeerDistSvc", "Manual", "Stopped", netw, svchost7("PeerDist")},
		{"PerfHost", "Manual", "Stopped", local, `C:\Windows\SysWow64\perfhost.exe`},
		{"pla", "Manual", "Stopped", local, svchost7("LocalServiceNoNetwork")},
		{"PlugPlay", "Auto", "Running", sys, svchost7("DcomLaunch")},
		{"PMCentralSvc", "Auto", "Running", sys, `C:\Program Files (x86)\ACME Medical\PM Central\bin\PMCentralSvc.exe`},
		{"PNRPAutoReg", "Manual", "Stopped", local, svchost7("LocalServicePeerNet")},
		{"PNRPsvc", "Manual", "Stopped", local, svchost7("LocalServicePeerNet")},
		{"PolicyAgent", "Manual", "Stopped", `NT Authority\NetworkService`, svchost7("NetworkServiceNetworkRestricted")},
		{"Power", "Auto", "Running", sys, svchost7("DcomLaunch")},
		{"ProfSvc", "Auto", "Running", sys, svchost7("netsvcs")},
		{"ProtectedStorage", "Manual", "Stopped", sys, `C:\Windows\system32\lsass.exe`},
		{"QWAVE", "Manual", "Stopped", local, svchost7("LocalServiceAndNoImpersonation")},
		{"RasAuto", "Manual", "Stopped", lsys, svchost7("netsvcs")},
		{"RasMan", "Manual", "Stopped", lsys, svchost7("netsvcs")},
		{"RemoteAccess", "Disabled", "Stopped", lsys, svchost7("netsvcs")},
		{"RemoteRegistry", "Manual", "Stopped", local, svchost7("regsvc")},
		{"RpcEptMapper", "Auto", "Running", netw, svchost7("RPCSS")},
		{"RpcLocator", "Manual", "Stopped", netw, `C:\Windows\system32\locator.exe`},
		{"RpcSs", "Auto", "Running", netw, svchost7("rpcss")},
		{"SamSs", "Auto", "Running", sys, `C:\Windows\system32\lsass.exe`},
		{"SCardSvr", "Manual", "Stopped", local, svchost7("LocalService")},
		{"Schedule", "Auto", "Running", sys, svchost7("netsvcs")},
		{"SCPolicySvc", "Manual", "Stopped", sys, svchost7("netsvcs")},
		{"SDRSVC", "Manual", "Stopped", lsys, svchost7("SDRSVC")},
		{"seclogon", "Manual", "Stopped", sys, svchost7("netsvcs")},
		{"SENS", "Auto", "Running", sys, svchost7("netsvcs")},
		{"SensrSvc", "Manual", "Stopped", local, svchost7("LocalServiceAndNoImpersonation")},
		{"SessionEnv", "Manual", "Running", lsys, svchost7("netsvcs")},
		{"SharedAccess", "Disabled", "Stopped", sys, svchost7("netsvcs")},
		{"ShellHWDetection", "Auto", "Running", sys, svchost7("netsvcs")},
		{"SNMPTRAP", "Manual", "Stopped", sys, `C:\Windows\System32\snmptrap.exe`},
		{"Spooler", "Auto", "Running", sys, `C:\Windows\System32\spoolsv.exe`},
		{"sppsvc", "Auto", "Stopped", netw, `C:\Windows\system32\sppsvc.exe`},
		{"sppuinotify", "Manual", "Stopped", local, svchost7("LocalService")},
		{"SQLBrowser", "Disabled", "Stopped", `NT AUTHORITY\LOCAL SERVICE`, `"c:\Program Files (x86)\Microsoft SQL Server\90\Shared\sqlbrowser.exe"`},
		{"SQLWriter", "Auto", "Running", sys, `"c:\Program Files\Microsoft SQL Server\90\Shared\sqlwriter.exe"`},
		{"SSDPSRV", "Manual", "Running", local, svchost7("LocalServiceAndNoImpersonation")},
		{"SstpSvc", "Manual", "Stopped", `NT Authority\LocalService`, svchost7("LocalService")},
		{"stisvc", "Manual", "Stopped", `NT Authority\LocalService`, svchost7("imgsvc")},
		{"swprv", "Manual", "Stopped", sys, svchost7("swprv")},
		{"SysMain", "Auto", "Running", sys, svchost7("LocalSystemNetworkRestricted")},
		{"TabletInputService", "Manual", "Stopped", sys, svchost7("LocalSystemNetworkRestricted")},
		{"TapiSrv", "Manual", "Stopped", netw, svchost7("NetworkService")},
		{"TBS", "Manual", "Stopped", local, svchost7("LocalServiceAndNoImpersonation")},
		{"TermService", "Manual", "Running", `NT Authority\NetworkService`, svchost7("NetworkService")},
		{"Themes", "Auto", "Running", sys, svchost7("netsvcs")},
		{"THREADORDER", "Manual", "Stopped", local, svchost7("LocalService")},
		{"TrkWks", "Auto", "Running", sys, svchost7("LocalSystemNetworkRestricted")},
		{"TrustedInstaller", "Manual", "Stopped", lsys, `C:\Windows\servicing\TrustedInstaller.exe`},
		{"UI0Detect", "Manual", "Stopped", sys, `C:\Windows\system32\UI0Detect.exe`},
		{"UmRdpService", "Manual", "Running", lsys, svchost7("LocalSystemNetworkRestricted")},
		{"upnphost", "Manual", "Stopped", local, svchost7("LocalServiceAndNoImpersonation")},
		{"UxSms", "Auto", "Running", lsys, svchost7("LocalSystemNetworkRestricted")},
		{"VaultSvc", "Manual", "Stopped", sys, `C:\Windows\system32\lsass.exe`},
		{"vds", "Manual", "Stopped", sys, `C:\Windows\System32\vds.exe`},
		{"VSS", "Manual", "Stopped", sys, `C:\Windows\system32\vssvc.exe`},
		{"W32Time", "Manual", "Stopped", local, svchost7("LocalService")},
		{"wbengine", "Manual", "Stopped", lsys, `"C:\Windows\system32\wbengine.exe"`},
		{"WbioSrvc", "Manual", "Stopped", sys, svchost7("WbioSvcGroup")},
		{"wcncsvc", "Manual", "Stopped", local, svchost7("LocalServiceAndNoImpersonation")},
		{"WcsPlugInService", "Manual", "Stopped", local, svchost7("wcssvc")},
		{"WdiServiceHost", "Manual", "Running", local, svchost7("LocalService")},
		{"WdiSystemHost", "Manual", "Running", sys, svchost7("LocalSystemNetworkRestricted")},
		{"WebClient", "Manual", "Stopped", local, svchost7("LocalService")},
		{"Wecsvc", "Manual", "Stopped", netw, svchost7("NetworkService")},
		{"wercplsupport", "Manual", "Stopped", lsys, svchost7("netsvcs")},
		{"WerSvc", "Manual", "Stopped", lsys, svchost7("WerSvcGroup")},
		{"WinDefend", "Auto", "Running", sys, svchost7("secsvcs")},
		{"WinHttpAutoProxySvc", "Manual", "Running", local, svchost7("LocalService")},
		{"Winmgmt", "Auto", "Running", lsys, svchost7("netsvcs")},
		{"WinRM", "Manual", "Stopped", netw, svchost7("NetworkService")},
		{"Wlansvc", "Manual", "Stopped", sys, svchost7("LocalSystemNetworkRestricted")},
		{"wmiApSrv", "Manual", "Stopped", lsys, `C:\Windows\system32\wbem\WmiApSrv.exe`},
		{"WMPNetworkSvc", "Manual", "Stopped", netw, `"C:\Program Files\Windows Media Player\wmpnetwk.exe"`},
		{"WPCSvc", "Manual", "Stopped", `NT Authority\LocalService`, svchost7("LocalServiceNetworkRestricted")},
		{"WPDBusEnum", "Manual", "Stopped", sys, svchost7("LocalSystemNetworkRestricted")},
		{"wscsvc", "Auto", "Running", local, svchost7("LocalServiceNetworkRestricted")},
		{"WSearch", "Auto", "Running", sys, `C:\Windows\system32\SearchIndexer.exe /Embedding`},
		{"wuauserv", "Auto", "Running", sys, svchost7("netsvcs")},
		{"wudfsvc", "Manual", "Stopped", sys, svchost7("LocalSystemNetworkRestricted")},
		{"WwanSvc", "Manual", "Stopped", lsys, svchost7("LocalServiceNoNetwork")},
	}
}
