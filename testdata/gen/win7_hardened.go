package main

import "time"

// ICU-CS01 the same afternoon, after hardening to CIS Microsoft Windows 7
// Workstation Benchmark v3.1.0 Level 1 with a local Group Policy (LGPO)
// and a security template. Every L1 row of
// shared/reference/cis-win7-recommendations.csv is at its recommended
// value; L2-only rows keep the vendor's value, so a Level 2 audit still
// has findings. RDP stays on (allowed by L1) and so do the vendor's
// services. BitLocker rows (BL) do not apply: Professional has none.

const legalCaption = "ICU Central Station - Authorized Use Only"
const legalText = "This patient monitoring system is for authorized clinical staff only. Activity is logged and may be audited."

func icuHardened() *host {
	h := icuVendor()
	h.start = time.Date(2026, 11, 18, 15, 15, 0, 0, cet)
	h.auditUnicode = true // this copy of auditpol.csv is UTF-16LE: see README
	hardenWin7Registry(h.reg)
	h.collector, h.collectorSID = "biomedadm", icuSID+"-1002"
	h.userEdits = nil // the user policy below reaches every person's hive

	p := h.policy
	for k, v := range map[string]string{
		"MinimumPasswordAge":        "1",  // 1.1.3
		"MaximumPasswordAge":        "60", // 1.1.2
		"MinimumPasswordLength":     "14", // 1.1.4
		"PasswordComplexity":        "1",  // 1.1.5
		"PasswordHistorySize":       "24", // 1.1.1
		"LockoutBadCount":           "10", // 1.2.2
		"ResetLockoutCount":         "15", // 1.2.3
		"LockoutDuration":           "15", // 1.2.1
		"ForceLogoffWhenHourExpire": "1",  // 2.3.11.6
		"NewAdministratorName":      `"mhadmin"`,
		"NewGuestName":              `"nobody"`,
		"EnableAdminAccount":        "0",
		"EnableGuestAccount":        "0",
		"ClearTextPassword":         "0",
		"LSAAnonymousNameLookup":    "0",
	} {
		p.systemAccess[k] = v
	}
	// 2.2.x user rights. SeBatchLogonRight and SeServiceLogonRight are L2:
	// they keep the vendor's holders (svcvendor still logs on as a service).
	for right, holders := range map[string][]string{
		"SeNetworkLogonRight":               {administrators, rdpUsers},
		"SeIncreaseQuotaPrivilege":          {localService, networkService, administrators},
		"SeInteractiveLogonRight":           {administrators, users},
		"SeRemoteInteractiveLogonRight":     {administrators, rdpUsers},
		"SeBackupPrivilege":                 {administrators},
		"SeSystemtimePrivilege":             {localService, administrators},
		"SeTimeZonePrivilege":               {localService, administrators, users},
		"SeCreatePagefilePrivilege":         {administrators},
		"SeCreateGlobalPrivilege":           {localService, networkService, administrators, serviceSID},
		"SeCreateSymbolicLinkPrivilege":     {administrators},
		"SeDebugPrivilege":                  {administrators},
		"SeDenyNetworkLogonRight":           {guests, localAccount},
		"SeDenyBatchLogonRight":             {guests},
		"SeDenyServiceLogonRight":           {guests},
		"SeDenyInteractiveLogonRight":       {guests},
		"SeDenyRemoteInteractiveLogonRight": {guests, localAccount},
		"SeRemoteShutdownPrivilege":         {administrators},
		"SeAuditPrivilege":                  {localService, networkService},
		"SeImpersonatePrivilege":            {localService, networkService, administrators, serviceSID},
		"SeIncreaseBasePriorityPrivilege":   {administrators},
		"SeLoadDriverPrivilege":             {administrators},
		"SeSecurityPrivilege":               {administrators},
		"SeSystemEnvironmentPrivilege":      {administrators},
		"SeManageVolumePrivilege":           {administrators},
		"SeProfileSingleProcessPrivilege":   {administrators},
		"SeSystemProfilePrivilege":          {administrators, wdiServiceHost},
		"SeAssignPrimaryTokenPrivilege":     {localService, networkService},
		"SeRestorePrivilege":                {administrators},
		"SeShutdownPrivilege":               {administrators, users},
		"SeTakeOwnershipPrivilege":          {administrators},
	} {
		p.rights[right] = holders
	}

	// 17.x advanced audit policy.
	for sub, v := range map[string]int{
		"Credential Validation":           both,
		"Application Group Management":    both,
		"Computer Account Management":     both,
		"Other Account Management Events": both,
		"Security Group Management":       both,
		"User Account Management":         both,
		"Process Creation":                success,
		"Account Lockout":                 both,
		"Logoff":                          success,
		"Logon":                           both,
		"Other Logon/Logoff Events":       both,
		"Special Logon":                   success,
		"File Share":                      both,
		"Other Object Access Events":      both,
		"Audit Policy Change":             both,
		"Authentication Policy Change":    success,
		"Authorization Policy Change":     success,
		"Sensitive Privilege Use":         both,
		"IPsec Driver":                    both,
		"Other System Events":             both,
		"Security State Change":           success,
		"Security System Extension":       both,
		"System Integrity":                both,
		"Detailed File Share":             failure, // v3.2.0 17.6.1
		"MPSSVC Rule-Level Policy Change": both,    // v3.2.0 17.7.4
		"Other Policy Change Events":      failure, // v3.2.0 17.7.5
	} {
		h.audit[sub] = v
	}

	// 5.x services at Level 1; the L2 ones (RemoteRegistry, TermService,
	// LanmanServer, WinRM, ...) keep the vendor's start mode.
	svcs := win7Services()
	for _, name := range []string{"Browser", "HomeGroupListener", "HomeGroupProvider", "Mcx2Svc",
		"RpcLocator", "RemoteAccess", "SharedAccess", "SSDPSRV", "upnphost", "idsvc", "ehRecvr",
		"ehSched", "WMPNetworkSvc", "WinHttpAutoProxySvc"} {
		reconfigure(svcs, name, "Disabled", "Stopped")
	}
	svcs = append(svcs, service{"EMET_Service", "Auto", "Running", "LocalSystem", `"C:\Program Files (x86)\EMET 5.5\EMET_Service.exe"`}) // 18.9.24.1
	h.wmi["service"] = serviceRows(svcs)

	accts := []account{
		{name: "mhadmin", rid: 500, disabled: true, passwordRequired: true},           // renamed and disabled
		{name: "nobody", rid: 501, disabled: true},                                    // the Guest, renamed
		{name: "operator", rid: 1000, passwordRequired: true, passwordExpires: true},  // no more auto-logon
		{name: "svcvendor", rid: 1001, passwordRequired: true},                        // password set; a service account's never expires
		{name: "biomedadm", rid: 1002, passwordRequired: true, passwordExpires: true}, // the administrator now in use
		{name: "nurse", rid: 1003, passwordRequired: true, passwordExpires: true},     // still in Guests
	}
	h.wmi["useraccount"] = accountRows(icuSID, accts)
	setDevice(h, icuSID, accts, icuGroups(500, 1002), icuTasks, []int{500, 1000, 1001, 1002, 1003})

	h.wmi["qfe"] = hotfixRows(append(append([][3]string(nil), icuHotfixes...),
		[3]string{"KB4474419", "Security Update", "11/18/2026"}, // SHA-2 code signing, needed by the 2019 updates
		[3]string{"KB4490628", "Update", "11/18/2026"},          // servicing stack
		[3]string{"KB4012212", "Security Update", "11/18/2026"}, // MS17-010 (EternalBlue)
		[3]string{"KB4499175", "Security Update", "11/18/2026"}, // CVE-2019-0708 (BlueKeep)
	))
	h.wmi["os"][0]["LastBootUpTime"] = "20261118142211.500000+060"
	return h
}

// hardenWin7Registry applies the Level 1 registry settings. Comments give
// the CIS recommendation numbers.
func hardenWin7Registry(r *registry) {
	// Winlogon
	r.set(winlogon,
		sz("AutoAdminLogon", "0"),         // 18.4.1
		sz("AllocateDASD", "2"),           // 2.3.4.1
		sz("ScRemoveOption", "1"),         // 2.3.7.7
		sz("ScreenSaverGracePeriod", "5"), // 18.4.10
	)
	r.del(winlogon, "DefaultPassword")
	gpExtension(r, "{D76B9641-3288-4f75-942D-087DE603E3EA}", "AdmPwd", `C:\Program Files\LAPS\CSE\AdmPwd.dll`)

	// Security Options in CurrentVersion\Policies
	r.set(cvPol+`\System`,
		dword("DontDisplayLastUserName", 1),       // 2.3.7.1
		dword("DisableCAD", 0),                    // 2.3.7.2
		sz("LegalNoticeText", legalText),          // 2.3.7.3
		sz("LegalNoticeCaption", legalCaption),    // 2.3.7.4
		dword("FilterAdministratorToken", 1),      // 2.3.17.1
		dword("ConsentPromptBehaviorAdmin", 2),    // 2.3.17.3
		dword("ConsentPromptBehaviorUser", 0),     // 2.3.17.4
		dword("LocalAccountTokenFilterPolicy", 0), // 18.3.1
		dword("DisableBkGndGroupPolicy", 0),       // 18.8.21.4
		dword("LogonType", 0),                     // 18.8.27.1
	)
	r.set(cvPol+`\System\Audit`, dword("ProcessCreationIncludeCmdLine_Enabled", 0))           // 18.8.3.1
	r.set(cvPol+`\System\CredSSP\Parameters`, dword("AllowEncryptionOracle", 0))              // v3.2.0 18.8.4.1
	r.set(cvPol+`\System\Kerberos\Parameters`, dword("SupportedEncryptionTypes", 0x7ffffff8)) // 2.3.11.4
	r.set(cvPol+`\Explorer`,
		dword("NoDriveTypeAutoRun", 0xff),         // 18.9.8.3
		dword("NoAutorun", 1),                     // 18.9.8.2
		dword("NoWebServices", 1),                 // 18.8.22.1.5
		dword("PreXPSP2ShellProtocolBehavior", 0), // 18.9.30.4
	)
	r.set(cvPol+`\CredUI`, dword("EnumerateAdministrators", 0))                                          // 18.9.15.2
	r.set(cvPol+`\Windows\Sidebar`, dword("TurnOffSidebar", 1), dword("TurnOffUserInstalledGadgets", 1)) // 18.9.18.1-2

	// Lsa
	r.set(lsa,
		dword("RestrictAnonymous", 1),           // 2.3.10.3
		dword("DisableDomainCreds", 1),          // 2.3.10.4
		dword("SCENoApplyLegacyAuditPolicy", 1), // 2.3.2.1
		dword("UseMachineId", 1),                // 2.3.11.1
		dword("LmCompatibilityLevel", 5),        // 2.3.11.7
	)
	r.set(lsa+`\MSV1_0`,
		dword("NTLMMinClientSec", 0x20080000), // 2.3.11.9
		dword("NTLMMinServerSec", 0x20080000), // 2.3.11.10
		dword("allownullsessionfallback", 0),  // 2.3.11.2
	)
	r.set(lsa+`\pku2u`, dword("AllowOnlineID", 0)) // 2.3.11.3

	r.set(sessMgr, dword("SafeDllSearchMode", 1))                               // 18.4.9
	r.set(sessMgr+`\kernel`, dword("DisableExceptionChainValidation", 0))       // 18.3.5
	r.set(sessMgr+`\SubSystems`, multi("Optional"))                             // v3.2.0 2.3.16.1
	r.set(control+`\SecurityProviders\WDigest`, dword("UseLogonCredential", 0)) // 18.3.6

	// SMB
	r.set(lanSrv,
		dword("RequireSecuritySignature", 1),    // 2.3.9.2
		dword("EnableSecuritySignature", 1),     // 2.3.9.3
		dword("SmbServerNameHardeningLevel", 1), // 2.3.9.5
		dword("SMB1", 0),                        // 18.3.4
	)
	r.set(lanWks, dword("RequireSecuritySignature", 1))                                         // 2.3.8.1
	r.set(services+`\mrxsmb10`, dword("Start", 4))                                              // 18.3.3
	r.set(services+`\LanmanWorkstation`, multi("DependOnService", "Bowser", "MRxSmb20", "NSI")) // 18.3.2

	// MSS
	r.set(tcpip, dword("DisableIPSourceRouting", 2), dword("EnableICMPRedirect", 0)) // 18.4.3, 18.4.5
	r.set(tcpip6, dword("DisableIPSourceRouting", 2))                                // 18.4.2
	r.set(netbt, dword("NoNameReleaseOnDemand", 1), dword("NodeType", 2))            // 18.4.7, 18.5.4.1
	r.set(services+`\Eventlog\Security`, dword("WarningLevel", 90))                  // 18.4.13

	hardenWin7Policies(r)

	// LAPS and EMET are installed.
	uninstallEntry(r, uninst, "{EA8CB806-C109-4700-96B4-F1F268E5036C}",
		"Local Administrator Password Solution", "6.2.0.0", "Microsoft Corporation", "20261118",
		`C:\Program Files\LAPS\`, 0x3f4, true)
	uninstallEntry(r, uninst32, "{6F0C8A2D-3B1E-4C5A-9E7F-0D2B4A6C8E15}",
		"EMET 5.52", "5.52", "Microsoft Corporation", "20261118", `C:\Program Files (x86)\EMET 5.5\`, 0x2d50, true)

	// 19.1.3.x screen saver, user policy.
	r.set(userPol+`\Microsoft\Windows\Control Panel\Desktop`,
		sz("ScreenSaveActive", "1"),
		sz("SCRNSAVE.EXE", "scrnsave.scr"),
		sz("ScreenSaverIsSecure", "1"),
		sz("ScreenSaveTimeOut", "900"),
	)
	// 19.7.4.2 and 19.7.26.1, user policy under CurrentVersion\Policies.
	r.set(hkcu+`\Software\Microsoft\Windows\CurrentVersion\Policies\Attachments`, dword("ScanWithAntiVirus", 3))
	r.set(hkcu+`\Software\Microsoft\Windows\CurrentVersion\Policies\Explorer`, dword("NoInplaceSharing", 1))
}

// hardenWin7Policies writes HKLM\SOFTWARE\Policies as the local GPO leaves it.
func hardenWin7Policies(r *registry) {
	ms := policies + `\Microsoft`

	// 9.x Windows Firewall, all three profiles managed by policy.
	r.set(ms+`\WindowsFirewall`, dword("PolicyVersion", 0x20a))
	for _, p := range []struct{ name, log string }{
		{"DomainProfile", `%SYSTEMROOT%\System32\logfiles\firewall\domainfw.log`},
		{"PrivateProfile", `%SystemRoot%\System32\logfiles\firewall\privatefw.log`},
		{"PublicProfile", `%SystemRoot%\System32\logfiles\firewall\publicfw.log`},
	} {
		r.set(ms+`\WindowsFirewall\`+p.name,
			dword("EnableFirewall", 1),
			dword("DefaultInboundAction", 1),
			dword("DefaultOutboundAction", 0),
			dword("DisableNotifications", 1),
		)
		if p.name == "PublicProfile" {
			r.set(ms+`\WindowsFirewall\`+p.name,
				dword("AllowLocalPolicyMerge", 0),      // 9.3.5
				dword("AllowLocalIPsecPolicyMerge", 0)) // 9.3.6
		}
		r.set(ms+`\WindowsFirewall\`+p.name+`\Logging`,
			sz("LogFilePath", p.log),
			dword("LogFileSize", 16384),
			dword("LogDroppedPackets", 1),
			dword("LogSuccessfulConnections", 1),
		)
	}

	// 18.2.x LAPS
	r.set(policies+`\Microsoft Services\AdmPwd`,
		dword("PwdExpirationProtectionEnabled", 1),
		dword("AdmPwdEnabled", 1),
		dword("PasswordComplexity", 4),
		dword("PasswordLength", 15),
		dword("PasswordAgeDays", 30),
	)

	// 18.9.24.x EMET 5.52
	r.set(ms+`\EMET\SysSettings`, dword("ASLR", 3), dword("DEP", 2), dword("SEHOP", 2))
	r.set(ms+`\EMET\Defaults`, emetDefaults()...)

	r.set(ms+`\Internet Explorer\Feeds`, dword("DisableEnclosureDownload", 1)) // 18.9.59.1
	r.set(ms+`\Power\PowerSettings\0e796bdb-100d-47d6-a2d5-f7d2daa51f51`,
		dword("DCSettingIndex", 1), dword("ACSettingIndex", 1)) // 18.8.33.6.3-4
	r.set(ms+`\Windows Defender`, dword("DisableAntiSpyware", 0)) // 18.9.76.14

	nt := ms + `\Windows NT`
	r.set(nt+`\DNSClient`, dword("EnableMulticast", 0))                                       // 18.5.4.2
	r.set(nt+`\Printers`, dword("DisableWebPnPDownload", 1), dword("DisableHTTPPrinting", 1)) // 18.8.22.1.1, .7
	r.set(nt+`\Rpc`, dword("EnableAuthEpResolution", 1), dword("RestrictRemoteClients", 1))   // 18.8.36.1-2
	r.set(nt+`\Terminal Services`,
		dword("fAllowUnsolicited", 0),     // 18.8.35.1
		dword("fAllowToGetHelp", 0),       // 18.8.35.2
		dword("DisablePasswordSaving", 1), // 18.9.58.2.2
		dword("fDisableCdm", 1),           // 18.9.58.3.3.2
		dword("fPromptForPassword", 1),    // 18.9.58.3.9.1
		dword("fEncryptRPCTraffic", 1),    // 18.9.58.3.9.2
		dword("MinEncryptionLevel", 3),    // 18.9.58.3.9.3
		dword("SecurityLayer", 2),         // v3.2.0 18.9.59.3.9.3
		dword("UserAuthentication", 1),    // v3.2.0 18.9.59.3.9.4
		dword("DeleteTempDirsOnExit", 1),  // 18.9.58.3.11.1
		dword("PerSessionTempDir", 1),     // 18.9.58.3.11.2
	)

	w := ms + `\Windows`
	r.set(w+`\CredUI`, dword("DisablePasswordReveal", 1))          // 18.9.15.1
	r.set(w+`\DeviceInstall\Settings`, dword("AllowRemoteRPC", 0)) // 18.8.7.2
	for _, l := range []struct {
		name string
		size uint32
	}{{"Application", 32768}, {"Security", 196608}, {"Setup", 32768}, {"System", 32768}} {
		r.set(w+`\EventLog\`+l.name, sz("Retention", "0"), dword("MaxSize", l.size)) // 18.9.26.x
	}
	r.set(w+`\Explorer`,
		dword("NoAutoplayfornonVolume", 1),        // 18.9.8.1
		dword("NoDataExecutionPrevention", 0),     // 18.9.30.2
		dword("NoHeapTerminationOnCorruption", 0)) // 18.9.30.3
	r.set(w+`\Group Policy\{35378EAC-683F-11D2-A89A-00C04FBBCFA2}`,
		dword("NoBackgroundPolicy", 0), dword("NoGPOListChanges", 0)) // 18.8.21.2-3
	r.set(w+`\HomeGroup`, dword("DisableHomeGroup", 1))                                                         // 18.9.35.1
	r.set(w+`\Installer`, dword("EnableUserControl", 0), dword("AlwaysInstallElevated", 0))                     // 18.9.85.1-2
	r.set(w+`\Network Connections`, dword("NC_AllowNetBridge_NLA", 0), dword("NC_StdDomainUserSetLocation", 1)) // 18.5.11.2-3
	r.set(w+`\OneDrive`, dword("DisableFileSyncNGSC", 1), dword("DisableFileSync", 1))                          // 18.9.52.1-2
	r.set(w+`\PowerShell\ScriptBlockLogging`, dword("EnableScriptBlockLogging", 0))                             // 18.9.95.1
	r.set(w+`\PowerShell\Transcription`, dword("EnableTranscripting", 0))                                       // 18.9.95.2
	r.set(w+`\Windows Error Reporting\Consent`, dword("DefaultConsent", 1))                                     // 18.9.81.2.1
	r.set(w+`\Windows Search`, dword("AllowIndexingEncryptedStoresOrItems", 0))                                 // 18.9.60.2
	r.set(w+`\WindowsUpdate\AU`,
		dword("NoAutoUpdate", 0), // 18.9.101.2 (was 1: the vendor's switch-off)
		dword("AUOptions", 4),
		dword("ScheduledInstallDay", 0), // 18.9.101.3
		dword("ScheduledInstallTime", 3),
		dword("NoAUAsDefaultShutdownOption", 0),   // 18.9.101.4
		dword("NoAUShutdownOption", 0),            // 18.9.101.5
		dword("NoAutoRebootWithLoggedOnUsers", 0)) // 18.9.101.6
	r.set(w+`\WinRM\Client`, dword("AllowBasic", 0), dword("AllowUnencryptedTraffic", 0), dword("AllowDigest", 0))   // 18.9.97.1.x
	r.set(w+`\WinRM\Service`, dword("AllowBasic", 0), dword("AllowUnencryptedTraffic", 0), dword("DisableRunAs", 1)) // 18.9.97.2.1, .3, .4
}

// emetDefaults: the values EMET 5.5's Group Policy writes when "Default
// Protections for Internet Explorer", "... for Popular Software" and
// "... for Recommended Software" are enabled (18.9.24.3-5).
func emetDefaults() []value {
	var out []value
	for _, e := range [][2]string{
		{`*\Internet Explorer\iexplore.exe`, "+EAF+ eaf_modules:mshtml.dll;flash*.ocx;jscript*.dll;vbscript.dll;vgx.dll +ASR asr_modules:npjpi*.dll;jp2iexp.dll;vgx.dll;msxml4*.dll;wshom.ocx;scrrun.dll;vbscript.dll asr_zones:1;2"},
		{`*\7-Zip\7z.exe`, "-EAF"},
		{`*\7-Zip\7zFM.exe`, "-EAF"},
		{`*\7-Zip\7zG.exe`, "-EAF"},
		{`*\Google\Chrome\Application\chrome.exe`, "+EAF+ eaf_modules:chrome_child.dll"},
		{`*\Mozilla Firefox\firefox.exe`, "+EAF+ eaf_modules:mozjs.dll;xul.dll"},
		{`*\Mozilla Firefox\plugin-container.exe`, ""},
		{`*\Mozilla Thunderbird\thunderbird.exe`, ""},
		{`*\Mozilla Thunderbird\plugin-container.exe`, ""},
		{`*\Skype\Phone\Skype.exe`, "-EAF"},
		{`*\VideoLAN\VLC\vlc.exe`, ""},
		{`*\Windows Media Player\wmplayer.exe`, "-EAF -MandatoryASLR"},
		{`*\WinRAR\winrar.exe`, ""},
		{`*\WinZip\winzip32.exe`, ""},
		{`*\Adobe\*\Reader\AcroRd32.exe`, "+EAF+ eaf_modules:AcroRd32.dll;Acrofx32.dll;AcroForm.api"},
		{`*\Adobe\Acrobat*\Acrobat\Acrobat.exe`, "+EAF+ eaf_modules:AcroRd32.dll;Acrofx32.dll;AcroForm.api"},
		{`*\Java\jre*\bin\java.exe`, "-HeapSpray"},
		{`*\Java\jre*\bin\javaw.exe`, "-HeapSpray"},
		{`*\Java\jre*\bin\javaws.exe`, "-HeapSpray"},
		{`*\OFFICE1*\EXCEL.EXE`, "+ASR asr_modules:flash*.ocx"},
		{`*\OFFICE1*\OUTLOOK.EXE`, ""},
		{`*\OFFICE1*\POWERPNT.EXE`, "+ASR asr_modules:flash*.ocx"},
		{`*\OFFICE1*\WINWORD.EXE`, "+ASR asr_modules:flash*.ocx"},
		{`*\Windows NT\Accessories\wordpad.exe`, ""},
	} {
		out = append(out, sz(e[0], e[1]))
	}
	return out
}
