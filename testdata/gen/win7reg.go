package main

// The registry of ICU-CS01 as delivered: Windows 7 SP1 x64 defaults plus
// the vendor's changes, each marked "vendor".

func win7Registry() *registry {
	r := newRegistry()
	win7Policies(r)
	win7PoliciesCV(r)
	win7Winlogon(r)
	win7Lsa(r)
	win7SessionManager(r)
	win7Control(r)
	win7TerminalServer(r)
	win7Network(r)
	win7EventLogSecurity(r)
	win7Firewall(r)
	win7Uninstall(r)
	win7User(r)
	collectorExtras(r, false)
	// Read by secedit, not exported by the collector.
	r.set(software+`\Microsoft\Windows NT\CurrentVersion\Setup\RecoveryConsole`,
		dword("SecurityLevel", 0), dword("SetCommand", 0))
	return r
}

// HKLM\SOFTWARE\Policies: nothing managed by Group Policy except the
// vendor's Windows Update switch-off. No WindowsFirewall key.
func win7Policies(r *registry) {
	for _, store := range []string{"CA", "Disallowed", "Root", "trust", "TrustedPeople", "TrustedPublisher"} {
		for _, sub := range []string{"Certificates", "CRLs", "CTLs"} {
			r.key(policies + `\Microsoft\SystemCertificates\` + store + `\` + sub)
		}
	}
	r.key(policies + `\Microsoft\Windows\IPSec\Policy\Local`)
	r.key(policies + `\Microsoft\Windows\NetCache`)
	r.set(policies+`\Microsoft\Windows\safer\codeidentifiers`, dword("authenticodeenabled", 0))
	r.set(policies+`\Microsoft\Windows\WindowsUpdate\AU`, dword("NoAutoUpdate", 1)) // vendor
	r.key(policies + `\Microsoft\Windows Defender\Policy Manager`)
	r.key(policies + `\Microsoft\Windows NT\Printers`)
}

// HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies.
func win7PoliciesCV(r *registry) {
	r.key(cvPol + `\ActiveDesktop`)
	r.key(cvPol + `\Attachments`)
	r.set(cvPol+`\Explorer`,
		dword("ForceActiveDesktopOn", 0),
		dword("NoActiveDesktop", 1),
		dword("NoActiveDesktopChanges", 1),
		dword("NoDriveTypeAutoRun", 0x91), // AutoRun off for unknown and network drives only
	)
	r.set(cvPol+`\NonEnum`,
		dword("{BDEADF00-C265-11D0-BCED-00A0C90AB50F}", 1),
		dword("{6DFD7C5C-2451-11d3-A299-00C04F8EF6AF}", 0x40000021),
		dword("{0DF44EAA-FF21-4412-828E-260A8728E7F1}", 0x20),
	)
	r.set(cvPol+`\System`,
		dword("ConsentPromptBehaviorAdmin", 5),
		dword("ConsentPromptBehaviorUser", 3),
		dword("EnableInstallerDetection", 1),
		dword("EnableLUA", 1),
		dword("EnableSecureUIAPaths", 1),
		dword("EnableUIADesktopToggle", 0),
		dword("EnableVirtualization", 1),
		dword("PromptOnSecureDesktop", 1),
		dword("ValidateAdminCodeSignatures", 0),
		dword("dontdisplaylastusername", 0),
		sz("legalnoticecaption", ""),
		sz("legalnoticetext", ""),
		dword("scforceoption", 0),
		dword("shutdownwithoutlogon", 1),
		dword("undockwithoutlogon", 1),
		dword("DisableCAD", 1), // vendor: no Ctrl+Alt+Del (also the workgroup default)
	)
	r.set(cvPol+`\System\UIPI\Clipboard\ExceptionFormats`,
		dword("CF_TEXT", 1), dword("CF_BITMAP", 2), dword("CF_OEMTEXT", 7), dword("CF_DIB", 8),
		dword("CF_PALETTE", 9), dword("CF_UNICODETEXT", 0xd), dword("CF_DIBV5", 0x11))
}

func gpExtension(r *registry, guid, name, dll string, extra ...value) {
	vals := []value{sz("", name), expand("DllName", dll)}
	r.set(winlogon+`\GPExtensions\`+guid, append(vals, extra...)...)
}

// Winlogon: automatic logon of "operator" with the password in clear
// text (vendor). The collector redacts DefaultPassword.
func win7Winlogon(r *registry) {
	r.set(winlogon,
		dword("AutoRestartShell", 1),
		sz("Background", "0 0 0"),
		sz("CachedLogonsCount", "10"),
		sz("DebugServerCommand", "no"),
		sz("DefaultDomainName", "ICU-CS01"),
		sz("DefaultUserName", "operator"),
		dword("ForceUnlockLogon", 0),
		sz("LegalNoticeCaption", ""),
		sz("LegalNoticeText", ""),
		dword("PasswordExpiryWarning", 5),
		sz("PowerdownAfterShutdown", "0"),
		sz("PreCreateKnownFolders", "{A520A1A4-1780-4FF6-BD18-167343C5AF16}"),
		sz("ReportBootOk", "1"),
		sz("scremoveoption", "0"),
		sz("Shell", "explorer.exe"),
		dword("ShutdownFlags", 0x27),
		sz("ShutdownWithoutLogon", "0"),
		sz("Userinit", `C:\Windows\system32\userinit.exe,`),
		sz("VMApplet", "SystemPropertiesPerformance.exe /pagefile"),
		sz("WinStationsDisabled", "0"),
		sz("AutoAdminLogon", "1"),              // vendor
		sz("DefaultPassword", "Acme-ICU-2015"), // vendor; never leaves the host
		sz("LastUsedUsername", "operator"),
	)
	r.key(winlogon + `\AutoLogonChecked`)
	gpExtension(r, "{35378EAC-683F-11D2-A89A-00C04FBBCFA2}", "Registry", `%SystemRoot%\System32\gpsvc.dll`,
		dword("NoGPOListChanges", 1), dword("NoSlowLink", 1))
	gpExtension(r, "{827D319E-6EAC-11D2-A4EA-00C04F79F83A}", "Security", "scecli.dll",
		sz("ProcessGroupPolicyEx", "SceProcessSecurityPolicyGPOEx"),
		sz("GenerateGroupPolicy", "SceGenerateGroupPolicy"),
		dword("ExtensionRsopPlanningDebugLevel", 1),
		dword("MaxNoGPOListChangesInterval", 0x3c0),
		dword("NoUserPolicy", 1), dword("NoGPOListChanges", 1))
	gpExtension(r, "{F3CCC681-B74C-4060-9F26-CD84525DCA2A}", "Audit Policy Configuration", `%SystemRoot%\System32\auditcse.dll`,
		sz("ProcessGroupPolicyEx", "ProcessAuditPolicyGroupPolicyEx"),
		dword("NoUserPolicy", 1), dword("NoSlowLink", 1))
	r.set(winlogon+`\SpecialAccounts\UserList`, dword("svcvendor", 0)) // vendor: hide from the Welcome screen
}

func win7Lsa(r *registry) {
	r.set(lsa,
		dword("auditbaseobjects", 0),
		multi("Authentication Packages", "msv1_0"),
		binary("Bounds", 0x00, 0x30, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00),
		dword("crashonauditfail", 0),
		binary("fullprivilegeauditing", 0x00),
		dword("LimitBlankPasswordUse", 1),
		dword("NoLmHash", 1),
		multi("Notification Packages", "scecli"),
		multi("Security Packages", "kerberos", "msv1_0", "schannel", "wdigest", "tspkg", "pku2u"),
		dword("LsaPid", 0x1f4),
		dword("SecureBoot", 1),
		dword("disabledomaincreds", 0),
		dword("everyoneincludesanonymous", 0),
		dword("forceguest", 0),
		dword("restrictanonymous", 0),
		dword("restrictanonymoussam", 1),
	)
	r.set(lsa+`\AccessProviders`, multi("ProviderOrder", "Windows NT Access Provider"))
	r.set(lsa+`\AccessProviders\Windows NT Access Provider`, expand("ProviderPath", `%SystemRoot%\system32\ntmarta.dll`))
	r.key(lsa + `\Audit`)
	r.set(lsa+`\Credssp`, dword("DebugLogLevel", 0))
	r.key(lsa + `\Data`)
	r.set(lsa+`\FipsAlgorithmPolicy`, dword("Enabled", 0))
	r.key(lsa + `\GBG`)
	r.key(lsa + `\JD`)
	r.key(lsa + `\Kerberos`)
	r.set(lsa+`\MSV1_0`, dword("NtlmMinClientSec", 0x20000000), dword("NtlmMinServerSec", 0x20000000))
	r.key(lsa + `\Skew1`)
	r.key(lsa + `\SSO`)
	r.key(lsa + `\SspiCache`)
}

func win7SessionManager(r *registry) {
	r.set(sessMgr,
		multi("BootExecute", "autocheck autochk *"),
		dword("CriticalSectionTimeout", 0x278d00),
		multi("ExcludeFromKnownDlls"),
		dword("GlobalFlag", 0),
		dword("HeapDeCommitFreeBlockThreshold", 0),
		dword("HeapDeCommitTotalFreeThreshold", 0),
		dword("HeapSegmentCommit", 0),
		dword("HeapSegmentReserve", 0),
		dword("NumberOfInitialSessions", 2),
		multi("ObjectDirectories", `\Windows`, `\RPC Control`),
		dword("ProcessorControl", 2),
		dword("ProtectionMode", 1),
		dword("ResourceTimeoutCount", 0x96),
		multi("RunLevelExecute", "WinInit", "ServiceControlManager"),
		multi("RunLevelValidate", "ServiceControlManager"),
		multi("SETUPEXECUTE"),
	)
	r.set(sessMgr+`\AppCompatCache`, binary("AppCompatCache", pseudo("ICU-CS01 AppCompatCache", 240)...))
	r.set(sessMgr+`\DOS Devices`,
		sz("AUX", `\DosDevices\COM1`), sz("MAILSLOT", `\Device\MailSlot`), sz("NUL", `\Device\Null`),
		sz("PIPE", `\Device\NamedPipe`), sz("PRN", `\DosDevices\LPT1`), sz("UNC", `\Device\Mup`))
	r.set(sessMgr+`\Environment`,
		expand("ComSpec", `%SystemRoot%\system32\cmd.exe`),
		sz("FP_NO_HOST_CHECK", "NO"),
		sz("NUMBER_OF_PROCESSORS", "4"),
		sz("OS", "Windows_NT"),
		expand("Path", `%SystemRoot%\system32;%SystemRoot%;%SystemRoot%\System32\Wbem;%SYSTEMROOT%\System32\WindowsPowerShell\v1.0\;c:\Program Files\Microsoft SQL Server\100\Tools\Binn\;c:\Program Files\Microsoft SQL Server\100\DTS\Binn\;C:\Program Files (x86)\ACME Medical\PM Central\bin`),
		sz("PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC"),
		sz("PROCESSOR_ARCHITECTURE", "AMD64"),
		sz("PROCESSOR_IDENTIFIER", "Intel64 Family 6 Model 58 Stepping 9, GenuineIntel"),
		sz("PROCESSOR_LEVEL", "6"),
		sz("PROCESSOR_REVISION", "3a09"),
		expand("PSModulePath", `%SystemRoot%\system32\WindowsPowerShell\v1.0\Modules\`),
		expand("TEMP", `%SystemRoot%\TEMP`),
		expand("TMP", `%SystemRoot%\TEMP`),
		sz("USERNAME", "SYSTEM"),
		expand("windir", `%SystemRoot%`),
		sz("PMC_HOME", `C:\Program Files (x86)\ACME Medical\PM Central`), // vendor
	)
	r.key(sessMgr + `\Executive`)
	r.key(sessMgr + `\FileRenameOperations`)
	r.key(sessMgr + `\I/O System`)
	r.set(sessMgr+`\kernel`, dword("ObCaseInsensitive", 1), dword("DisableExceptionChainValidation", 1))
	r.set(sessMgr+`\KnownDLLs`,
		sz("_Wow64", "Wow64.dll"), sz("_Wow64cpu", "Wow64cpu.dll"), sz("_Wow64win", "Wow64win.dll"),
		sz("advapi32", "advapi32.dll"), sz("clbcatq", "clbcatq.dll"), sz("COMDLG32", "COMDLG32.dll"),
		expand("DllDirectory", `%SystemRoot%\system32`), expand("DllDirectory32", `%SystemRoot%\syswow64`),
		sz("gdi32", "gdi32.dll"), sz("kernel32", "kernel32.dll"), sz("ole32", "ole32.dll"),
		sz("RPCRT4", "rpcrt4.dll"), sz("SHELL32", "SHELL32.dll"), sz("user32", "user32.dll"))
	r.set(sessMgr+`\Memory Management`,
		dword("ClearPageFileAtShutdown", 0),
		dword("DisablePagingExecutive", 0),
		dword("LargeSystemCache", 0),
		dword("NonPagedPoolQuota", 0),
		dword("NonPagedPoolSize", 0),
		dword("PagedPoolQuota", 0),
		dword("PagedPoolSize", 0),
		dword("SecondLevelDataCache", 0),
		dword("SessionPoolSize", 4),
		dword("SessionViewSize", 0x30),
		dword("SystemPages", 0),
		multi("PagingFiles", `?:\pagefile.sys`),
		dword("PhysicalAddressExtension", 1),
		multi("ExistingPageFiles", `\??\C:\pagefile.sys`),
	)
	r.set(sessMgr+`\Memory Management\PrefetchParameters`,
		dword("EnablePrefetcher", 3), dword("EnableSuperfetch", 3), dword("BootId", 0x1b7),
		dword("BaseTime", 0x1c3d2f0a))
	r.key(sessMgr + `\Power`)
	r.key(sessMgr + `\Quota System`)
	r.set(sessMgr+`\SubSystems`,
		expand("Debug", ""),
		expand("Kmode", `\SystemRoot\System32\win32k.sys`),
		multi("Optional", "Posix"),
		multi("Required", "Debug", "Windows"),
		expand("Windows", `%SystemRoot%\system32\csrss.exe ObjectDirectory=\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1 ServerDll=winsrv:UserServerDllInitialization,3 ServerDll=winsrv:ConServerDllInitialization,2 ServerDll=sxssrv,4 ProfileControl=Off MaxRequestThreads=16`),
	)
	r.set(sessMgr+`\WOW`, sz("cmdline", `%SystemRoot%\system32\ntvdm.exe`))
}

// SecurePipeServers, SecurityProviders, printing.
func win7Control(r *registry) {
	r.set(control+`\SecurePipeServers\winreg`, sz("Description", "Registry Server"), dword("RemoteRegAccess", 1))
	r.set(control+`\SecurePipeServers\winreg\AllowedExactPaths`, multi("Machine",
		`System\CurrentControlSet\Control\ProductOptions`,
		`System\CurrentControlSet\Control\Server Applications`,
		`Software\Microsoft\Windows NT\CurrentVersion`))
	r.set(control+`\SecurePipeServers\winreg\AllowedPaths`, multi("Machine",
		`System\CurrentControlSet\Control\Print\Printers`,
		`System\CurrentControlSet\Services\Eventlog`,
		`Software\Microsoft\OLAP Server`,
		`Software\Microsoft\Windows NT\CurrentVersion\Print`,
		`Software\Microsoft\Windows NT\CurrentVersion\Windows`,
		`System\CurrentControlSet\Control\ContentIndex`,
		`System\CurrentControlSet\Control\Terminal Server`,
		`System\CurrentControlSet\Control\Terminal Server\UserConfig`,
		`System\CurrentControlSet\Control\Terminal Server\DefaultUserConfiguration`,
		`Software\Microsoft\Windows NT\CurrentVersion\Perflib`,
		`System\CurrentControlSet\Services\SysmonLog`))

	sp := control + `\SecurityProviders`
	r.set(sp, sz("SecurityProviders", "credssp.dll"))
	r.key(sp + `\SaslProfiles`)
	r.set(sp+`\SCHANNEL`, dword("EventLogging", 1))
	r.key(sp + `\SCHANNEL\Ciphers`)
	r.key(sp + `\SCHANNEL\CipherSuites`)
	r.key(sp + `\SCHANNEL\Hashes`)
	r.key(sp + `\SCHANNEL\KeyExchangeAlgorithms`)
	r.set(sp+`\SCHANNEL\Protocols\SSL 2.0\Client`, dword("DisabledByDefault", 1))
	r.set(sp+`\WDigest`,
		dword("DebugLevel", 0), sz("DigestEncryptionAlgorithms", "3des,rc4"),
		dword("Negotiate", 0), dword("UTF8HTTP", 1), dword("UTF8SASL", 1))

	r.set(control+`\Print\Providers\LanMan Print Services\Servers`, dword("AddPrinterDrivers", 0))
}

// Terminal Server: RDP enabled by the vendor for remote support, without
// Network Level Authentication so that old support laptops can connect.
func win7TerminalServer(r *registry) {
	r.set(termSrv,
		dword("AllowRemoteRPC", 0),
		dword("DelayConMgrTimeout", 0),
		dword("DeleteTempDirsOnExit", 1),
		dword("fDenyTSConnections", 0), // vendor: RDP on
		dword("fSingleSessionPerUser", 1),
		sz("NotificationTimeOut", "0"),
		dword("PerSessionTempDir", 0),
		multi("RCDependentServices", "CertPropSvc", "SessionEnv"),
		dword("SnapshotMonitors", 1),
		dword("StartRCM", 0),
		dword("TSUserEnabled", 0),
		dword("fAllowToGetHelp", 1),
		dword("fAllowFullControl", 1),
	)
	r.set(termSrv+`\AddIns\Clip Redirector`, sz("Name", "RDPClip"), dword("Type", 3))
	r.set(termSrv+`\DefaultUserConfiguration`,
		dword("fInheritAutoLogon", 1), dword("fPromptForPassword", 0), dword("MaxIdleTime", 0),
		dword("MaxDisconnectionTime", 0), dword("MinEncryptionLevel", 1))
	r.set(termSrv+`\WinStations`, dword("MaxInstanceCount", 0xffffffff))
	r.set(termSrv+`\WinStations\RDP-Tcp`,
		dword("PortNumber", 0xd3d),
		dword("fInheritAutoLogon", 1),
		dword("fPromptForPassword", 0),
		dword("MinEncryptionLevel", 2),
		dword("SecurityLayer", 1),
		dword("UserAuthentication", 0), // vendor: NLA off
		dword("MaxIdleTime", 0),
		dword("MaxDisconnectionTime", 0),
		dword("fDisableCdm", 0),
		sz("WdName", "Microsoft RDP 7.1"),
		sz("PdName", "tcp"),
		binary("SSLCertificateSHA1Hash", pseudo("ICU-CS01 RDP cert", 20)...),
	)
	r.key(termSrv + `\Wds\rdpwd\Tds\tcp`)
}

func win7Network(r *registry) {
	r.set(lanSrv,
		expand("ServiceDll", `%SystemRoot%\system32\srvsvc.dll`),
		dword("ServiceDllUnloadOnStop", 1),
		dword("EnableAuthenticateUserSharing", 0),
		multi("NullSessionPipes"),
		dword("autodisconnect", 0xf),
		dword("enableforcedlogoff", 1),
		dword("enablesecuritysignature", 0),
		dword("requiresecuritysignature", 0),
		dword("restrictnullsessaccess", 1),
		binary("Guid", pseudo("ICU-CS01 LanmanServer Guid", 16)...),
		multi("NullSessionShares"),
	)
	// The Workstation service key: Windows 7 loads the SMBv1 client
	// (MRxSmb10) with it, which 18.3.2 removes.
	r.set(services+`\LanmanWorkstation`,
		multi("DependOnService", "Bowser", "MRxSmb10", "MRxSmb20", "NSI"),
		sz("Description", `@%systemroot%\system32\wkssvc.dll,-1001`),
		sz("DisplayName", `@%systemroot%\system32\wkssvc.dll,-100`),
		dword("ErrorControl", 1),
		sz("Group", "NetworkProvider"),
		expand("ImagePath", `%SystemRoot%\System32\svchost.exe -k NetworkService`),
		sz("ObjectName", `NT AUTHORITY\NetworkService`),
		dword("Start", 2),
		dword("Type", 0x20),
	)
	r.set(lanWks,
		dword("EnablePlainTextPassword", 0),
		dword("EnableSecuritySignature", 1),
		dword("RequireSecuritySignature", 0),
		expand("ServiceDll", `%SystemRoot%\System32\wkssvc.dll`),
		dword("ServiceDllUnloadOnStop", 1),
		multi("OtherDomains"),
	)
	r.set(services+`\Netlogon\Parameters`,
		dword("DisablePasswordChange", 0),
		dword("MaximumPasswordAge", 0x1e),
		dword("RequireSignOrSeal", 1),
		dword("RequireStrongKey", 1),
		dword("SealSecureChannel", 1),
		dword("SignSecureChannel", 1),
		expand("ServiceDll", `%systemroot%\system32\netlogon.dll`),
		dword("ServiceDllUnloadOnStop", 1),
		sz("Update", "no"),
	)

	r.set(tcpip,
		sz("NV Hostname", "ICU-CS01"),
		expand("DataBasePath", `%SystemRoot%\System32\drivers\etc`),
		sz("NameServer", ""),
		dword("ForwardBroadcasts", 0),
		dword("IPEnableRouter", 0),
		sz("Domain", ""),
		sz("Hostname", "ICU-CS01"),
		sz("SearchList", ""),
		dword("UseDomainNameDevolution", 1),
		dword("EnableICMPRedirect", 1),
		dword("DeadGWDetectDefault", 1),
		dword("DontAddDefaultGatewayDefault", 0),
		sz("ICSDomain", "mshome.net"),
		dword("EnableWsd", 1),
		sz("DhcpNameServer", "198.51.100.53 198.51.100.54"),
		sz("DhcpDomain", "ward.example.org"),
		binary("NsiObjectSecurity", pseudo("ICU-CS01 NsiObjectSecurity", 92)...),
	)
	r.key(tcpip + `\Adapters\` + icuNicMon)
	r.key(tcpip + `\Adapters\` + icuNicHosp)
	r.key(tcpip + `\DNSRegisteredAdapters`)
	r.set(tcpip+`\Interfaces\`+icuNicMon,
		dword("EnableDHCP", 0),
		sz("Domain", ""),
		sz("NameServer", ""),
		multi("IPAddress", "192.0.2.10"),
		multi("SubnetMask", "255.255.255.0"),
		multi("DefaultGateway"),
		multi("DefaultGatewayMetric"),
		dword("RegisterAdapterName", 0),
		dword("RegistrationEnabled", 0),
	)
	r.set(tcpip+`\Interfaces\`+icuNicHosp,
		dword("EnableDHCP", 1),
		sz("Domain", ""),
		sz("NameServer", ""),
		sz("DhcpIPAddress", "198.51.100.37"),
		sz("DhcpSubnetMask", "255.255.255.0"),
		sz("DhcpServer", "198.51.100.2"),
		dword("Lease", 0x15180),
		dword("LeaseObtainedTime", 0x6a3bd9a1),
		dword("T1", 0x6a3c2b0f),
		dword("T2", 0x6a3c667d),
		dword("LeaseTerminatesTime", 0x6a3d2b21),
		dword("AddressType", 0),
		dword("IsServerNapAware", 0),
		dword("DhcpConnForceBroadcastFlag", 0),
		sz("DhcpNameServer", "198.51.100.53 198.51.100.54"),
		multi("DhcpDefaultGateway", "198.51.100.1"),
		multi("DhcpSubnetMaskOpt", "255.255.255.0"),
		binary("DhcpInterfaceOptions", pseudo("ICU-CS01 DhcpInterfaceOptions", 180)...),
		binary("DhcpGatewayHardware", 0xc6, 0x33, 0x64, 0x01, 0x06, 0x00, 0x00, 0x00, 0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e),
		dword("DhcpGatewayHardwareCount", 1),
		sz("DhcpDomain", "ward.example.org"),
	)
	r.key(tcpip + `\PersistentRoutes`)
	r.set(tcpip+`\Winsock`,
		expand("HelperDllName", `%SystemRoot%\System32\wshtcpip.dll`),
		binary("Mapping", 0x0b, 0, 0, 0, 0x03, 0, 0, 0, 0x02, 0, 0, 0, 0x01, 0, 0, 0, 0x06, 0, 0, 0,
			0x02, 0, 0, 0, 0x01, 0, 0, 0, 0x00, 0, 0, 0, 0x02, 0, 0, 0, 0x00, 0, 0, 0, 0x06, 0, 0, 0,
			0x00, 0, 0, 0, 0x00, 0, 0, 0, 0x06, 0, 0, 0, 0x00, 0, 0, 0, 0x01, 0, 0, 0, 0x06, 0, 0, 0),
		dword("MaxSockAddrLength", 0x10),
		dword("MinSockAddrLength", 0x10),
		dword("UseDelayedAcceptance", 0),
	)

	r.set(tcpip6,
		binary("Dhcpv6DUID", 0x00, 0x01, 0x00, 0x01, 0x1c, 0x8e, 0x4a, 0x12, 0xf8, 0xb1, 0x56, 0xa3, 0x4c, 0x19),
	)
	r.set(tcpip6+`\Interfaces\`+icuNicMon, dword("Dhcpv6Iaid", 0x0ef8b156))
	r.set(tcpip6+`\Interfaces\`+icuNicHosp, dword("Dhcpv6Iaid", 0x10001b21))
	r.set(tcpip6+`\Winsock`,
		expand("HelperDllName", `%SystemRoot%\System32\wship6.dll`),
		binary("Mapping", 0x0c, 0, 0, 0, 0x03, 0, 0, 0, 0x17, 0, 0, 0, 0x01, 0, 0, 0, 0x06, 0, 0, 0,
			0x17, 0, 0, 0, 0x01, 0, 0, 0, 0x00, 0, 0, 0, 0x17, 0, 0, 0, 0x00, 0, 0, 0, 0x06, 0, 0, 0),
		dword("MaxSockAddrLength", 0x1c),
		dword("MinSockAddrLength", 0x1c),
		dword("UseDelayedAcceptance", 0),
	)

	r.set(netbt,
		dword("BcastNameQueryCount", 3),
		dword("BcastQueryTimeout", 0x2ee),
		dword("CacheTimeout", 0x927c0),
		dword("EnableLMHOSTS", 1),
		dword("NameServerPort", 0x89),
		dword("NameSrvQueryCount", 3),
		dword("NameSrvQueryTimeout", 0x5dc),
		sz("NbProvider", "_tcp"),
		dword("SessionKeepAlive", 0x36ee80),
		dword("Size/Small/Medium/Large", 1),
		sz("TransportBindName", `\Device\`),
		dword("UseNewSmb", 1),
		sz("SMBDeviceName", `\Device\NetbiosSmb`),
		sz("DhcpScopeID", ""),
	)
	for _, nic := range []string{icuNicMon, icuNicHosp} {
		r.set(netbt+`\Interfaces\Tcpip_`+nic, multi("NameServerList"), dword("NetbiosOptions", 0))
	}

	r.set(services+`\LDAP`,
		dword("LDAPClientIntegrity", 1), dword("UseOldHostResolutionOrder", 0), dword("UseHostnameAsAlias", 0))
	r.set(services+`\RasMan\Parameters`,
		expand("ServiceDll", `%SystemRoot%\System32\rasmans.dll`),
		dword("ServiceDllUnloadOnStop", 1),
		multi("Medias", "rastapi"),
		dword("Logging", 0),
	)
	r.set(services+`\mrxsmb10`,
		multi("DependOnService", "mrxsmb"),
		sz("Description", "Implements the framework for the SMB 1.x filesystem protocol"),
		sz("DisplayName", "SMB 1.x MiniRedirector"),
		dword("ErrorControl", 1),
		sz("Group", "Network"),
		expand("ImagePath", `system32\DRIVERS\mrxsmb10.sys`),
		dword("Start", 2), // SMBv1 client driver loaded
		dword("Type", 2),
	)
	r.set(services+`\mrxsmb10\Enum`, sz("0", `Root\LEGACY_MRXSMB10\0000`), dword("Count", 1), dword("NextInstance", 1))
}

func win7EventLogSecurity(r *registry) {
	k := services + `\Eventlog\Security`
	r.set(k,
		sz("CustomSD", "O:BAG:SYD:(A;;0xf0005;;;SY)(A;;0x5;;;BA)(A;;0x1;;;S-1-5-32-573)"),
		expand("DisplayNameFile", `%SystemRoot%\system32\wevtapi.dll`),
		dword("DisplayNameID", 0x100),
		expand("File", `%SystemRoot%\System32\Winevt\Logs\Security.evtx`),
		dword("MaxSize", 0x1400000),
		sz("PrimaryModule", "Security"),
		dword("Retention", 0),
	)
	r.set(k+`\DS`, expand("EventMessageFile", `%SystemRoot%\system32\MsAuditE.dll`), sz("ObjectNames", ""))
	r.set(k+`\LSA`, expand("EventMessageFile", `%SystemRoot%\system32\MsAuditE.dll`))
	r.set(k+`\Microsoft-Windows-Security-Auditing`,
		sz("ProviderGuid", "{54849625-5478-4994-A5BA-3E3B0328C30D}"),
		expand("EventMessageFile", `%SystemRoot%\system32\adtschema.dll`),
		expand("MessageFileName", `%SystemRoot%\system32\adtschema.dll`))
	r.set(k+`\SC Manager`, expand("EventMessageFile", `%SystemRoot%\System32\MsAuditE.dll`))
	r.set(k+`\Security`, expand("EventMessageFile", `%SystemRoot%\System32\MsAuditE.dll`),
		expand("ParameterMessageFile", `%SystemRoot%\System32\MsObjs.dll`), dword("CategoryCount", 9))
	r.set(k+`\Security Account Manager`, expand("EventMessageFile", `%SystemRoot%\System32\MsAuditE.dll`))
}

// The local firewall (not Group Policy): on in every profile, with the
// vendor's inbound rules for RDP, file sharing and the HL7 listener.
func win7Firewall(r *registry) {
	profile := func(name string, log string) {
		r.set(fwPolicy+`\`+name,
			dword("DisableNotifications", 0),
			dword("EnableFirewall", 1),
			dword("DefaultInboundAction", 1),
			dword("DefaultOutboundAction", 0),
		)
		r.set(fwPolicy+`\`+name+`\Logging`,
			sz("LogFilePath", `%systemroot%\system32\LogFiles\Firewall\`+log),
			dword("LogFileSize", 0x1000),
			dword("LogDroppedPackets", 0),
			dword("LogSuccessfulConnections", 0),
		)
	}
	profile("DomainProfile", "pfirewall.log")
	profile("PublicProfile", "pfirewall.log")
	profile("StandardProfile", "pfirewall.log")
	r.set(fwPolicy+`\FirewallRules`,
		sz("RemoteDesktop-In-TCP", "v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=3389|App=System|Name=@FirewallAPI.dll,-28753|Desc=@FirewallAPI.dll,-28756|EmbedCtxt=@FirewallAPI.dll,-28752|"),
		sz("FPS-SMB-In-TCP", "v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|Profile=Private|LPort=445|App=System|Name=@FirewallAPI.dll,-28502|Desc=@FirewallAPI.dll,-28503|EmbedCtxt=@FirewallAPI.dll,-28502|"),
		sz("FPS-NB_Session-In-TCP", "v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|Profile=Private|LPort=139|App=System|Name=@FirewallAPI.dll,-28511|Desc=@FirewallAPI.dll,-28512|EmbedCtxt=@FirewallAPI.dll,-28502|"),
		sz("FPS-ICMP4-ERQ-In", "v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=1|Profile=Private|ICMP4=8:*|Name=@FirewallAPI.dll,-28543|Desc=@FirewallAPI.dll,-28544|EmbedCtxt=@FirewallAPI.dll,-28502|"),
		sz("RemoteAssistance-In-TCP", "v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|Profile=Private|App=%SystemRoot%\\system32\\msra.exe|Name=@FirewallAPI.dll,-33003|Desc=@FirewallAPI.dll,-33006|EmbedCtxt=@FirewallAPI.dll,-33002|Edge=TRUE|"),
		sz("WMI-WINMGMT-In-TCP", "v2.10|Action=Allow|Active=FALSE|Dir=In|Protocol=6|LPort=RPC|App=%SystemRoot%\\system32\\svchost.exe|Svc=winmgmt|Name=@FirewallAPI.dll,-34251|Desc=@FirewallAPI.dll,-34252|EmbedCtxt=@FirewallAPI.dll,-34250|"),
		sz("RemoteSvcAdmin-In-TCP", "v2.10|Action=Allow|Active=FALSE|Dir=In|Protocol=6|LPort=RPC|App=%SystemRoot%\\system32\\services.exe|Name=@FirewallAPI.dll,-29503|Desc=@FirewallAPI.dll,-29506|EmbedCtxt=@FirewallAPI.dll,-29502|"),
		sz("{8F1D2C3B-4A5E-4F60-9172-83A4B5C6D7E8}", `v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=6|LPort=2575|App=C:\Program Files (x86)\ACME Medical\HL7 Gateway\hl7gw.exe|Name=ACME HL7 Gateway (MLLP)|`),
		sz("{1E2D3C4B-5A69-4788-97A6-B5C4D3E2F101}", `v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=17|LPort=7001|App=C:\Program Files (x86)\ACME Medical\PM Central\bin\PMCentralSvc.exe|Name=ACME PM Central monitor stream|`),
	)
	r.key(fwPolicy + `\RestrictedServices\Configurable\System`)
	r.set(fwPolicy+`\RestrictedServices\Static\System`,
		sz("WSH-AudioSrv-Out", "v2.10|Action=Block|Active=TRUE|Dir=Out|App=%SystemRoot%\\system32\\svchost.exe|Svc=AudioSrv|Name=Block outbound traffic from AudioSrv|"),
		sz("WSH-Dhcp-In-UDP", "v2.10|Action=Allow|Active=TRUE|Dir=In|Protocol=17|LPort=68|RPort=67|App=%SystemRoot%\\system32\\svchost.exe|Svc=dhcp|Name=Allow inbound DHCP traffic|"),
	)
}

func uninstallEntry(r *registry, parent, name, display, version, publisher, date, location string, sizeKB uint32, msi bool) {
	vals := []value{
		sz("DisplayName", display),
		sz("DisplayVersion", version),
		sz("Publisher", publisher),
		sz("InstallDate", date),
		sz("InstallLocation", location),
		dword("EstimatedSize", sizeKB),
	}
	if msi {
		vals = append(vals,
			expand("UninstallString", "MsiExec.exe /X"+name),
			dword("NoModify", 1), dword("NoRepair", 1), dword("WindowsInstaller", 1),
			dword("Language", 0x409))
	}
	r.set(parent+`\`+name, vals...)
}

func win7Uninstall(r *registry) {
	for _, k := range []string{"AddressBook", "DirectDrawEx", "DXM_Runtime", "Fontcore", "IE40", "IE4Data",
		"IE5BAKEX", "IEData", "MobileOptionPack", "MPlayer2", "SchedulingAgent", "WIC"} {
		r.key(uninst + `\` + k)
	}
	r.set(uninst+`\Connection Manager`, dword("SystemComponent", 1))
	uninstallEntry(r, uninst, "{5FCE6D76-F5DC-37AB-B2B8-22AB8CEDB1D4}",
		"Microsoft Visual C++ 2008 Redistributable - x64 9.0.30729.6161", "9.0.30729.6161",
		"Microsoft Corporation", "20150312", "", 0x3264, true)
	uninstallEntry(r, uninst, "{92FB6C44-E685-45AD-9B20-CADF4CABA132} - 1033",
		"Microsoft .NET Framework 4.5.2", "4.5.51209", "Microsoft Corporation", "20150313", "", 0x2b4a8, false)
	uninstallEntry(r, uninst, "Microsoft SQL Server SQLServer2008R2",
		"Microsoft SQL Server 2008 R2 (64-bit)", "10.50.6000.34", "Microsoft Corporation", "20150312",
		`c:\Program Files\Microsoft SQL Server\`, 0, false)

	uninstallEntry(r, uninst32, "{3C1F2A7B-8D4E-4B6A-9F20-5E7D1C0B2A41}",
		"ACME PM Central Station 4.2", "4.2.1.318", "ACME Medical Systems", "20150312",
		`C:\Program Files (x86)\ACME Medical\PM Central\`, 0x4e200, true)
	uninstallEntry(r, uninst32, "{7B0E5D2C-1F3A-4E8B-A6C9-2D4F6B8A0C13}",
		"ACME HL7 Gateway 2.7", "2.7.0.112", "ACME Medical Systems", "20150312",
		`C:\Program Files (x86)\ACME Medical\HL7 Gateway\`, 0x5dc0, true)
	uninstallEntry(r, uninst32, "{26A24AE4-039D-4CA4-87B4-2F83216031FF}",
		"Java(TM) 6 Update 31", "6.0.310", "Oracle", "20150312", `C:\Program Files (x86)\Java\jre6\`, 0x17a2c, true)
	uninstallEntry(r, uninst32, "{AC76BA86-7AD7-1033-7B44-AA1000000001}",
		"Adobe Reader X (10.1.4)", "10.1.4", "Adobe Systems Incorporated", "20150312",
		`C:\Program Files (x86)\Adobe\Reader 10.0\Reader\`, 0x2c8c4, true)
	uninstallEntry(r, uninst32, "{9BE518E6-ECC6-35A9-88E4-87755C07200F}",
		"Microsoft Visual C++ 2008 Redistributable - x86 9.0.30729.6161", "9.0.30729.6161",
		"Microsoft Corporation", "20150312", "", 0x2c2c, true)
}

// HKCU of the account the collector ran under.
func win7User(r *registry) {
	r.key(userPol + `\Microsoft`)
	r.set(userDesk,
		dword("ActiveWndTrackTimeout", 0),
		sz("AutoEndTasks", "1"), // vendor: kiosk shutdown
		sz("BlockSendInputResets", "0"),
		dword("CaretTimeout", 0x1388),
		dword("CaretWidth", 1),
		dword("ClickLockTime", 0x4b0),
		sz("CoolSwitchColumns", "7"),
		sz("CoolSwitchRows", "3"),
		sz("CursorBlinkRate", "530"),
		sz("DockMoving", "1"),
		sz("DragFromMaximize", "1"),
		sz("DragFullWindows", "1"),
		sz("DragHeight", "4"),
		sz("DragWidth", "4"),
		dword("FocusBorderHeight", 1),
		dword("FocusBorderWidth", 1),
		sz("FontSmoothing", "2"),
		dword("FontSmoothingGamma", 0),
		dword("FontSmoothingOrientation", 1),
		dword("FontSmoothingType", 2),
		dword("ForegroundFlashCount", 7),
		dword("ForegroundLockTimeout", 0x30d40),
		sz("HungAppTimeout", "3000"),
		sz("LeftOverlapChars", "3"),
		dword("MaxMonitorDimension", 0x780),
		dword("MaxVirtualDesktopDimension", 0xf00),
		sz("MenuShowDelay", "400"),
		dword("MouseWheelRouting", 0),
		dword("PaintDesktopVersion", 0),
		sz("Pattern Upgrade", "TRUE"),
		sz("RightOverlapChars", "3"),
		sz("ScreenSaveActive", "0"), // vendor: a central station must never blank
		sz("ScreenSaveTimeOut", "600"),
		sz("SnapSizing", "1"),
		sz("TileWallpaper", "0"),
		binary("TranscodedImageCache", append(pseudo("ICU-CS01 TranscodedImageCache", 24),
			utf16z(`C:\Program Files (x86)\ACME Medical\PM Central\res\wallpaper.bmp`)...)...),
		dword("TranscodedImageCount", 1),
		binary("UserPreferencesMask", 0x9e, 0x1e, 0x07, 0x80, 0x12, 0x00, 0x00, 0x00),
		sz("WaitToKillAppTimeout", "20000"),
		sz("Wallpaper", `C:\Program Files (x86)\ACME Medical\PM Central\res\wallpaper.bmp`),
		dword("WallpaperOriginX", 0),
		dword("WallpaperOriginY", 0),
		sz("WallpaperStyle", "2"),
		sz("WheelScrollChars", "3"),
		sz("WheelScrollLines", "3"),
		sz("WindowArrangementActive", "1"),
	)
	r.set(userDesk+`\MuiCached`, multi("MachinePreferredUILanguages", "en-US"))
	r.set(userDesk+`\WindowMetrics`,
		sz("BorderWidth", "-15"),
		binary("CaptionFont", logfont(-12, 400, "Segoe UI")...),
		sz("CaptionHeight", "-330"),
		sz("CaptionWidth", "-330"),
		binary("IconFont", logfont(-12, 400, "Segoe UI")...),
		sz("IconTitleWrap", "1"),
		binary("MenuFont", logfont(-12, 400, "Segoe UI")...),
		sz("MenuHeight", "-285"),
		sz("MenuWidth", "-285"),
		binary("MessageFont", logfont(-12, 400, "Segoe UI")...),
		sz("MinAnimate", "1"),
		sz("PaddedBorderWidth", "-60"),
		sz("ScrollHeight", "-255"),
		sz("ScrollWidth", "-255"),
		sz("Shell Icon Size", "32"),
		binary("SmCaptionFont", logfont(-12, 400, "Segoe UI")...),
		sz("SmCaptionHeight", "-330"),
		sz("SmCaptionWidth", "-330"),
		binary("StatusFont", logfont(-12, 400, "Segoe UI")...),
		dword("AppliedDPI", 0x60),
	)
}
