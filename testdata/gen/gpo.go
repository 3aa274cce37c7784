package main

import (
	"os"
	"path/filepath"
	"strings"
)

// The vendor's validated baseline for ICU-CS01 as a GPO backup, laid out
// as the Group Policy Management Console writes one:
//
//	manifest.xml
//	{BACKUP-ID}\Backup.xml, bkupInfo.xml
//	{BACKUP-ID}\DomainSysvol\GPO\Machine\registry.pol
//	{BACKUP-ID}\DomainSysvol\GPO\Machine\microsoft\windows nt\SecEdit\GptTmpl.inf
//	{BACKUP-ID}\DomainSysvol\GPO\Machine\microsoft\windows nt\Audit\audit.csv
//	{BACKUP-ID}\DomainSysvol\GPO\User\registry.pol
//
// registry.pol is written here from Microsoft's format description
// ("PReg", version 1, [key;value;type;size;data] in UTF-16LE), not with
// medharden's writer. The values are the hardened sample's, so it meets
// the baseline and the vendor sample does not.

const (
	gpoDir      = "GPO-ICU-CS01-vendor-baseline"
	gpoBackupID = "{6B0F3C2A-1D4E-4F5A-9B7C-8D2E1F0A3B4C}"
	gpoGUID     = "{2E7A9C41-5B3D-4E6F-8A1B-C0D9E8F7A6B5}"
	gpoName     = "ICU-CS01 vendor baseline 2.4"
)

type polRec struct {
	key, name string
	typ       uint32
	data      []byte
}

// le32 is a little-endian DWORD.
func le32(n uint32) []byte {
	return []byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)}
}

func multiSZ(items ...string) []byte {
	var b []byte
	for _, s := range items {
		b = append(b, utf16z(s)...)
	}
	return append(b, 0, 0)
}

// preg encodes a registry.pol.
func preg(recs []polRec) []byte {
	out := []byte("PReg")
	out = append(out, le32(1)...)
	ch := func(c rune) []byte { return utf16le(string(c)) }
	for _, r := range recs {
		out = append(out, ch('[')...)
		out = append(out, utf16z(r.key)...)
		out = append(out, ch(';')...)
		out = append(out, utf16z(r.name)...)
		out = append(out, ch(';')...)
		out = append(out, le32(r.typ)...)
		out = append(out, ch(';')...)
		out = append(out, le32(uint32(len(r.data)))...)
		out = append(out, ch(';')...)
		out = append(out, r.data...)
		out = append(out, ch(']')...)
	}
	return out
}

func gpoFiles() map[string][]byte {
	machine := gpoBackupID + "/DomainSysvol/GPO/Machine/"
	pol := preg([]polRec{
		{`Software\Policies\Microsoft\Windows\Installer`, "AlwaysInstallElevated", 4, le32(0)},
		{`Software\Microsoft\Windows\CurrentVersion\Policies\Explorer`, "NoDriveTypeAutoRun", 4, le32(255)},
		{`Software\Policies\Microsoft\Windows NT\Terminal Services`, "fAllowToGetHelp", 4, le32(0)},
		{`System\CurrentControlSet\Control\Lsa`, "LmCompatibilityLevel", 4, le32(5)},
		{`Software\Microsoft\Windows NT\CurrentVersion\Winlogon`, "ScreenSaverGracePeriod", 1, utf16z("5")},
		{`System\CurrentControlSet\Control\SecurePipeServers\Winreg\AllowedExactPaths`, "Machine", 7,
			multiSZ(`System\CurrentControlSet\Control\ProductOptions`, `System\CurrentControlSet\Control\Server Applications`, `Software\Microsoft\Windows NT\CurrentVersion`)},
		// An instruction, not a value: the editor's "delete" of a policy.
		{`Software\Policies\Microsoft\Windows\WindowsUpdate\AU`, "**del.NoAutoUpdate", 1, utf16z(" ")},
	})
	userPol := preg([]polRec{
		{`Software\Policies\Microsoft\Windows\Control Panel\Desktop`, "ScreenSaveActive", 1, utf16z("1")},
	})
	inf := unicodeFile(crlf([]string{
		"[Unicode]",
		"Unicode=yes",
		"[System Access]",
		"MinimumPasswordLength = 14",
		"PasswordHistorySize = 24",
		"EnableGuestAccount = 0",
		"[Privilege Rights]",
		"SeTcbPrivilege = ",
		"SeDenyBatchLogonRight = *S-1-5-32-546",
		"[Registry Values]",
		`MACHINE\System\CurrentControlSet\Control\Lsa\NoLMHash=4,1`,
		`MACHINE\System\CurrentControlSet\Control\Lsa\RestrictAnonymousSAM=4,1`,
		"[Service General Setting]",
		`"Browser",4,""`,
		"[Version]",
		`signature="$CHICAGO$"`,
		"Revision=1",
	}))
	audit := []byte(crlf([]string{
		"Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value",
		",System,Credential Validation,{0CCE923F-69AE-11D9-BED3-505054503030},Success and Failure,,3",
		",System,Security State Change,{0CCE9210-69AE-11D9-BED3-505054503030},Success,,1",
		",System,Logon,{0CCE9215-69AE-11D9-BED3-505054503030},Success and Failure,,3",
	}))
	const ns = "http://www.microsoft.com/GroupPolicy/GPOOperations"
	inst := "<GPOGuid><![CDATA[" + gpoGUID + "]]></GPOGuid><GPODomain><![CDATA[hospital.example]]></GPODomain><GPODomainGuid/><GPODomainController/>" +
		"<BackupTime><![CDATA[2026-11-10T14:20:00]]></BackupTime><ID><![CDATA[" + gpoBackupID + "]]></ID><Comment/><GPODisplayName><![CDATA[" + gpoName + "]]></GPODisplayName>"
	ext := func(cse, desc, rel string) string {
		return `<GroupPolicyExtension bkp:ID="` + cse + `" bkp:DescName="` + desc + `"><FSObjectFile bkp:Path="%GPO_MACH_FSPATH%\` + rel + `" bkp:Location="DomainSysvol\GPO\Machine\` + rel + `"/></GroupPolicyExtension>`
	}
	backup := `<?xml version="1.0" encoding="utf-8"?><!-- Copyright (c) Microsoft Corporation.  All rights reserved. --><GroupPolicyBackupScheme bkp:version="2.0" bkp:type="GroupPolicyBackupTemplate" xmlns:bkp="` + ns + `" xmlns="` + ns + `">` + "\r\n" +
		"\t<GroupPolicyObject><SecurityGroups/><FilePaths/><GroupPolicyCoreSettings><ID><![CDATA[" + gpoGUID + "]]></ID><Domain><![CDATA[hospital.example]]></Domain><SecurityDescriptor/>" +
		"<DisplayName><![CDATA[" + gpoName + "]]></DisplayName><Options><![CDATA[0]]></Options><UserVersionNumber><![CDATA[1]]></UserVersionNumber><MachineVersionNumber><![CDATA[3]]></MachineVersionNumber>" +
		"<MachineExtensionGuids><![CDATA[[{35378EAC-683F-11D2-A89A-00C04FBBCFA2}{D02B1F72-3407-48AE-BA88-E8213C6761F1}][{827D319E-6EAC-11D2-A4EA-00C04F79F83A}{803E14A0-B4FB-11D0-A0D0-00A0C90F574B}][{F3CCC681-B74C-4060-9F26-CD84525DCA2A}{0F3F3735-573D-9804-99E4-AB2A69BA5FD4}]]]></MachineExtensionGuids>" +
		"<UserExtensionGuids/><WMIFilter/></GroupPolicyCoreSettings>\r\n\t\t" +
		ext("{35378EAC-683F-11D2-A89A-00C04FBBCFA2}", "Registry", "registry.pol") + "\r\n\t\t" +
		ext("{827D319E-6EAC-11D2-A4EA-00C04F79F83A}", "Security", `microsoft\windows nt\SecEdit\GptTmpl.inf`) + "\r\n\t\t" +
		ext("{F3CCC681-B74C-4060-9F26-CD84525DCA2A}", "Audit Policy Configuration", `microsoft\windows nt\Audit\audit.csv`) + "\r\n" +
		"\t</GroupPolicyObject>\r\n</GroupPolicyBackupScheme>\r\n"
	return map[string][]byte{
		"manifest.xml":                                       []byte(`<?xml version="1.0" encoding="utf-8"?><Backups xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="` + ns + `/Manifest" xmlns:mfst="` + ns + `/Manifest" mfst:version="1.0"><BackupInst>` + inst + "</BackupInst></Backups>\r\n"),
		gpoBackupID + "/Backup.xml":                          []byte(backup),
		gpoBackupID + "/bkupInfo.xml":                        []byte(`<BackupInst xmlns="` + ns + `/Manifest">` + inst + "</BackupInst>\r\n"),
		machine + "registry.pol":                             pol,
		machine + "microsoft/windows nt/SecEdit/GptTmpl.inf": inf,
		machine + "microsoft/windows nt/Audit/audit.csv":     audit,
		gpoBackupID + "/DomainSysvol/GPO/User/registry.pol":  userPol,
	}
}

// writeGPO writes the baseline's folder under root, replacing it.
func writeGPO(root string) (int, error) {
	dir := filepath.Join(root, gpoDir)
	if err := os.RemoveAll(dir); err != nil {
		return 0, err
	}
	files := gpoFiles()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return 0, err
		}
		if strings.HasPrefix(name, "..") {
			panic("gpo file outside the folder: " + name)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return 0, err
		}
	}
	return len(files), nil
}
