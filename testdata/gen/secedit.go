package main

import (
	"fmt"
	"sort"
	"strings"
)

// secedit /export /cfg secedit.inf /areas SECURITYPOLICY USER_RIGHTS writes
// an INF in UTF-16LE with [Unicode], [System Access], [Event Audit],
// [Registry Values], [Privilege Rights] and [Version], keys in the order
// below. Keys without a setting are not written at all: with lockout off,
// LockoutDuration and ResetLockoutCount are missing, and a right nobody
// holds has no line.

var systemAccessOrder = []string{
	"MinimumPasswordAge", "MaximumPasswordAge", "MinimumPasswordLength",
	"PasswordComplexity", "PasswordHistorySize", "LockoutBadCount",
	"ResetLockoutCount", "LockoutDuration", "RequireLogonToChangePassword",
	"ForceLogoffWhenHourExpire", "NewAdministratorName", "NewGuestName",
	"ClearTextPassword", "LSAAnonymousNameLookup", "EnableAdminAccount",
	"EnableGuestAccount",
}

var eventAuditOrder = []string{
	"AuditSystemEvents", "AuditLogonEvents", "AuditObjectAccess",
	"AuditPrivilegeUse", "AuditPolicyChange", "AuditAccountManage",
	"AuditProcessTracking", "AuditDSAccess", "AuditAccountLogon",
}

// privilegeOrder is the order secedit writes [Privilege Rights] in. Note
// SeSystemtimePrivilege: that is the constant's real spelling
// (SE_SYSTEMTIME_NAME), not "SeSystemTimePrivilege".
var privilegeOrder = []string{
	"SeNetworkLogonRight", "SeBackupPrivilege", "SeChangeNotifyPrivilege",
	"SeSystemtimePrivilege", "SeCreatePagefilePrivilege", "SeDebugPrivilege",
	"SeRemoteShutdownPrivilege", "SeAuditPrivilege", "SeIncreaseQuotaPrivilege",
	"SeIncreaseBasePriorityPrivilege", "SeLoadDriverPrivilege",
	"SeBatchLogonRight", "SeServiceLogonRight", "SeInteractiveLogonRight",
	"SeSecurityPrivilege", "SeSystemEnvironmentPrivilege",
	"SeProfileSingleProcessPrivilege", "SeSystemProfilePrivilege",
	"SeAssignPrimaryTokenPrivilege", "SeRestorePrivilege", "SeShutdownPrivilege",
	"SeTakeOwnershipPrivilege", "SeDenyNetworkLogonRight",
	"SeDenyBatchLogonRight", "SeDenyServiceLogonRight",
	"SeDenyInteractiveLogonRight", "SeUndockPrivilege", "SeManageVolumePrivilege",
	"SeRemoteInteractiveLogonRight", "SeDenyRemoteInteractiveLogonRight",
	"SeImpersonatePrivilege", "SeCreateGlobalPrivilege",
	"SeIncreaseWorkingSetPrivilege", "SeTimeZonePrivilege",
	"SeCreateSymbolicLinkPrivilege",
	// Rights no default assigns; written here if a host assigns them.
	"SeTcbPrivilege", "SeMachineAccountPrivilege", "SeCreateTokenPrivilege",
	"SeCreatePermanentPrivilege", "SeLockMemoryPrivilege",
	"SeEnableDelegationPrivilege", "SeSyncAgentPrivilege", "SeRelabelPrivilege",
	"SeTrustedCredManAccessPrivilege",
}

// A registry value secedit knows as a security option, with the type code
// it writes (1 string, 3 binary, 4 DWORD, 7 multi-string) and the path in
// secedit's own casing. secedit writes only the ones present in the
// registry; an absent LmCompatibilityLevel has no line.
type seceditRegValue struct {
	path string // MACHINE\...\Name
	typ  int
	os   string // "", "xp" or "win7": which secedit knows it
}

var seceditRegValues = []seceditRegValue{
	{`MACHINE\Software\Microsoft\Driver Signing\Policy`, 3, "xp"},
	{`MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Setup\RecoveryConsole\SecurityLevel`, 4, ""},
	{`MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Setup\RecoveryConsole\SetCommand`, 4, ""},
	{`MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon\AllocateCDRoms`, 1, ""},
	{`MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon\AllocateDASD`, 1, ""},
	{`MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon\AllocateFloppies`, 1, ""},
	{`MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon\CachedLogonsCount`, 1, ""},
	{`MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon\ForceUnlockLogon`, 4, ""},
	{`MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon\PasswordExpiryWarning`, 4, ""},
	{`MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon\ScRemoveOption`, 1, ""},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\ConsentPromptBehaviorAdmin`, 4, "win7"},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\ConsentPromptBehaviorUser`, 4, "win7"},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\DisableCAD`, 4, ""},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\DontDisplayLastUserName`, 4, ""},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\EnableInstallerDetection`, 4, "win7"},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\EnableLUA`, 4, "win7"},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\EnableSecureUIAPaths`, 4, "win7"},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\EnableUIADesktopToggle`, 4, "win7"},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\EnableVirtualization`, 4, "win7"},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\FilterAdministratorToken`, 4, "win7"},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos\Parameters\SupportedEncryptionTypes`, 4, "win7"},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\LegalNoticeCaption`, 1, ""},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\LegalNoticeText`, 7, ""},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\PromptOnSecureDesktop`, 4, "win7"},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\ScForceOption`, 4, ""},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\ShutdownWithoutLogon`, 4, ""},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\UndockWithoutLogon`, 4, ""},
	{`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\ValidateAdminCodeSignatures`, 4, "win7"},
	{`MACHINE\Software\Policies\Microsoft\Cryptography\ForceKeyProtection`, 4, ""},
	{`MACHINE\Software\Policies\Microsoft\Windows\Safer\CodeIdentifiers\AuthenticodeEnabled`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\AuditBaseObjects`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\CrashOnAuditFail`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\DisableDomainCreds`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\EveryoneIncludesAnonymous`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\FIPSAlgorithmPolicy`, 4, "xp"},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\FIPSAlgorithmPolicy\Enabled`, 4, "win7"},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\ForceGuest`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\FullPrivilegeAuditing`, 3, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\LimitBlankPasswordUse`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\LmCompatibilityLevel`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\MSV1_0\AllowNullSessionFallback`, 4, "win7"},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\MSV1_0\NTLMMinClientSec`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\MSV1_0\NTLMMinServerSec`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\NoLMHash`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\pku2u\AllowOnlineID`, 4, "win7"},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\RestrictAnonymous`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\RestrictAnonymousSAM`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\SCENoApplyLegacyAuditPolicy`, 4, "win7"},
	{`MACHINE\System\CurrentControlSet\Control\Lsa\UseMachineId`, 4, "win7"},
	{`MACHINE\System\CurrentControlSet\Control\Print\Providers\LanMan Print Services\Servers\AddPrinterDrivers`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\SecurePipeServers\Winreg\AllowedExactPaths\Machine`, 7, "win7"},
	{`MACHINE\System\CurrentControlSet\Control\SecurePipeServers\Winreg\AllowedPaths\Machine`, 7, ""},
	{`MACHINE\System\CurrentControlSet\Control\Session Manager\Kernel\ObCaseInsensitive`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Session Manager\Memory Management\ClearPageFileAtShutdown`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Session Manager\ProtectionMode`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Control\Session Manager\SubSystems\optional`, 7, ""},
	{`MACHINE\System\CurrentControlSet\Services\LanManServer\Parameters\AutoDisconnect`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\LanManServer\Parameters\EnableForcedLogOff`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\LanManServer\Parameters\EnableSecuritySignature`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\LanManServer\Parameters\NullSessionPipes`, 7, ""},
	{`MACHINE\System\CurrentControlSet\Services\LanManServer\Parameters\NullSessionShares`, 7, ""},
	{`MACHINE\System\CurrentControlSet\Services\LanManServer\Parameters\RequireSecuritySignature`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\LanManServer\Parameters\RestrictNullSessAccess`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\LanManServer\Parameters\SmbServerNameHardeningLevel`, 4, "win7"},
	{`MACHINE\System\CurrentControlSet\Services\LanmanWorkstation\Parameters\EnablePlainTextPassword`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\LanmanWorkstation\Parameters\EnableSecuritySignature`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\LanmanWorkstation\Parameters\RequireSecuritySignature`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\LDAP\LDAPClientIntegrity`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\Netlogon\Parameters\DisablePasswordChange`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\Netlogon\Parameters\MaximumPasswordAge`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\Netlogon\Parameters\RequireSignOrSeal`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\Netlogon\Parameters\RequireStrongKey`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\Netlogon\Parameters\SealSecureChannel`, 4, ""},
	{`MACHINE\System\CurrentControlSet\Services\Netlogon\Parameters\SignSecureChannel`, 4, ""},
}

// secPolicy is what secedit reads from the security database.
type secPolicy struct {
	systemAccess map[string]string // values as written: 0, 42, "Administrator"
	eventAudit   map[string]string
	rights       map[string][]string // *SID, or an account name secedit resolved
}

func (p secPolicy) clone() secPolicy {
	c := secPolicy{systemAccess: map[string]string{}, eventAudit: map[string]string{}, rights: map[string][]string{}}
	for k, v := range p.systemAccess {
		c.systemAccess[k] = v
	}
	for k, v := range p.eventAudit {
		c.eventAudit[k] = v
	}
	for k, v := range p.rights {
		c.rights[k] = append([]string(nil), v...)
	}
	return c
}

// seceditINF renders the export. osName selects the registry values this
// version of secedit knows; their data comes from the registry itself, so
// the INF and the .reg exports can never disagree.
func seceditINF(p secPolicy, reg *registry, osName string) string {
	lines := []string{"[Unicode]", "Unicode=yes", "[System Access]"}
	for _, k := range systemAccessOrder {
		if v, ok := p.systemAccess[k]; ok {
			lines = append(lines, k+" = "+v)
		}
	}
	lines = append(lines, "[Event Audit]")
	for _, k := range eventAuditOrder {
		if v, ok := p.eventAudit[k]; ok {
			lines = append(lines, k+" = "+v)
		}
	}
	lines = append(lines, "[Registry Values]")
	var regLines []string
	for _, rv := range seceditRegValues {
		if rv.os != "" && rv.os != osName {
			continue
		}
		i := strings.LastIndexByte(rv.path, '\\')
		keyPath := `HKEY_LOCAL_MACHINE` + strings.TrimPrefix(rv.path[:i], "MACHINE")
		v, ok := reg.get(keyPath, rv.path[i+1:])
		if !ok {
			continue
		}
		regLines = append(regLines, rv.path+"="+seceditData(rv.typ, v))
	}
	sort.Slice(regLines, func(i, j int) bool {
		return strings.ToLower(regLines[i]) < strings.ToLower(regLines[j])
	})
	lines = append(lines, regLines...)
	lines = append(lines, "[Privilege Rights]")
	for _, k := range privilegeOrder {
		if v := p.rights[k]; len(v) > 0 {
			lines = append(lines, k+" = "+strings.Join(v, ","))
		}
	}
	for k := range p.rights {
		if !contains(privilegeOrder, k) {
			panic("secedit: right not in privilegeOrder: " + k)
		}
	}
	lines = append(lines, "[Version]", `signature="$CHICAGO$"`, "Revision=1")
	return crlf(lines)
}

func seceditData(typ int, v value) string {
	switch typ {
	case 1:
		return fmt.Sprintf(`1,"%s"`, v.str)
	case 3:
		return fmt.Sprintf("3,%d", v.data()[0])
	case 4:
		return fmt.Sprintf("4,%d", uint32(v.num))
	case 7:
		items := v.strs
		if v.kind == regSZ && v.str != "" {
			items = []string{v.str}
		}
		return "7," + strings.Join(items, ",")
	}
	panic("seceditData: type")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
