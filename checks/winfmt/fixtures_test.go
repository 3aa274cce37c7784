package winfmt

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

// The fixtures under testdata/ are stored in Windows' own encodings. Their
// text is kept here, readable; `go test -run TestFixtures -update`
// rewrites the files from it.
var update = flag.Bool("update", false, "rewrite testdata fixtures")

// utf16File encodes text as regedit and secedit write it: UTF-16LE, BOM,
// CRLF.
func utf16File(s string) []byte {
	return UTF16File(strings.ReplaceAll(s, "\n", "\r\n"))
}

// wmicFile encodes text as `wmic ... /format:csv > file` leaves it:
// UTF-16LE, BOM, CR CR LF line ends.
func wmicFile(s string) []byte {
	return UTF16File(strings.ReplaceAll(s, "\n", "\r\r\n"))
}

// ansiLFFile encodes text in Windows-1252 with LF only, as a repository
// with "* text=auto" stores it.
func ansiLFFile(s string) []byte {
	return bytes.ReplaceAll(ansiFile(s), []byte("\r\n"), []byte("\n"))
}

// ansiFile encodes text in Windows-1252 with CRLF.
func ansiFile(s string) []byte {
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(strings.ReplaceAll(s, "\n", "\r\n")))
	if err != nil {
		panic(err)
	}
	return b
}

// utf8BOMFile encodes text as UTF-8 with BOM and CRLF (Notepad's "UTF-8").
func utf8BOMFile(s string) []byte {
	return append([]byte{0xEF, 0xBB, 0xBF}, strings.ReplaceAll(s, "\n", "\r\n")...)
}

// regExport is regedit's own output: WriteReg must reproduce it byte for
// byte. The FriendlyTypeName wrapping is copied from a real export.
const regExport = `Windows Registry Editor Version 5.00

[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa]
@="default"
"auditbasedirectories"=dword:00000000
"LmCompatibilityLevel"=dword:00000005
"NoLMHash"=dword:00000001
"Authentication Packages"=hex(7):6d,00,73,00,76,00,31,00,5f,00,30,00,00,00,00,\
  00
"Security Packages"=hex(7):6b,00,65,00,72,00,62,00,65,00,72,00,6f,00,73,00,00,\
  00,6d,00,73,00,76,00,31,00,5f,00,30,00,00,00,00,00
"FriendlyTypeName"=hex(2):40,00,25,00,50,00,72,00,6f,00,67,00,72,00,61,00,6d,\
  00,46,00,69,00,6c,00,65,00,73,00,25,00,5c,00,57,00,69,00,6e,00,64,00,6f,00,\
  77,00,73,00,20,00,50,00,68,00,6f,00,74,00,6f,00,20,00,56,00,69,00,65,00,77,\
  00,65,00,72,00,5c,00,50,00,68,00,6f,00,74,00,6f,00,56,00,69,00,65,00,77,00,\
  65,00,72,00,2e,00,64,00,6c,00,6c,00,2c,00,2d,00,33,00,30,00,35,00,36,00,00,\
  00
"SecureBoot"=dword:00000001
"ProductType"="WinNT"
"Path"="C:\\Program Files\\Vendor \"Monitor\"\\bin"
"Binary"=hex:01,02,ff
"Empty"=hex:
"Qword"=hex(b):00,10,00,00,00,00,00,00
"None"=hex(0):
"Odd"=hex(1):41,00,42
"Short"=hex(4):01,02
"Vendor"=hex(20000000):de,ad
"Unicode"="Grüße € 😀"

[HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa\MSV1_0]
"NTLMMinClientSec"=dword:20080000
"Removed"=-
@=-

[-HKEY_LOCAL_MACHINE\SOFTWARE\Vendor\Obsolete]

[HKEY_CURRENT_USER\Software\Policies\Microsoft\Windows\Control Panel\Desktop]
"ScreenSaveActive"="1"
"ScreenSaverIsSecure"="1"
"ScreenSaveTimeOut"="900"

`

// regFeatures exercises what hand-edited files contain: comments, blank
// lines, spacing, continuations, unknown escapes, trailing comments.
// Stored as UTF-8 with BOM, which regedit also accepts.
const regFeatures = `Windows Registry Editor Version 5.00
; comment before any key
# hash comment

  [HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services]
"fDisableCdm" = dword:1
"MinEncryptionLevel"=DWORD:00000003 ; high
   "Spaced"="  a b  "
"Escapes"="back\\slash \"quoted\" unknown\q end\\"
"Quote\"Name\\"="x"
"Continued"=hex:01,02,\
      03,04,\
  05
"ContinuedNoSpace"=hex(7):61,00,00,\
00,00,00
"Tail"=hex:0a,0B,c ; one-digit byte
@="default value"
"Del"=-
[-HKEY_CURRENT_USER\Software\Obsolete]
[HKEY_USERS\.DEFAULT\Control Panel\Desktop\]
"Last"=hex:ff,
`

// regXP is a REGEDIT4 file as XP's regedit /a writes it, in ANSI.
const regXP = `REGEDIT4

[HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon]
"DefaultUserName"="Técnico"
"AllocateCDRoms"="1"
"CachedLogonsCount"="10"
"PasswordExpiryWarning"=dword:0000000e
"Userinit"=hex(2):25,53,79,73,74,65,6d,52,6f,6f,74,25,5c,e9,80,00
"Multi"=hex(7):61,00,e9,00,00
"Blob"=hex:00,01

`

const seceditINF = `[Unicode]
Unicode=yes
[System Access]
MinimumPasswordAge = 0
MaximumPasswordAge = 42
MinimumPasswordLength = 0
PasswordComplexity = 0
PasswordHistorySize = 0
LockoutBadCount = 0
RequireLogonToChangePassword = 0
ForceLogoffWhenHourExpire = 0
NewAdministratorName = "Administrator"
NewGuestName = "Guest"
ClearTextPassword = 0
LSAAnonymousNameLookup = 0
EnableAdminAccount = 0
EnableGuestAccount = 0
[Event Audit]
AuditSystemEvents = 0
AuditLogonEvents = 3
AuditObjectAccess = 0
AuditPrivilegeUse = 0
AuditPolicyChange = 1
AuditAccountManage = 0
AuditProcessTracking = 0
AuditDSAccess = 0
AuditAccountLogon = 0
[Registry Values]
MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Setup\RecoveryConsole\SecurityLevel=4,0
MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon\ScRemoveOption=1,"0"
MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon\CachedLogonsCount=1,10
MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\LegalNoticeCaption=1,"Authorized use only"
MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\LegalNoticeText=7,
MACHINE\System\CurrentControlSet\Control\Lsa\NoLMHash=4,1
MACHINE\System\CurrentControlSet\Control\Lsa\MSV1_0\NTLMMinClientSec=4,537395200
MACHINE\System\CurrentControlSet\Control\SecurePipeServers\Winreg\AllowedExactPaths\Machine=7,System\CurrentControlSet\Control\ProductOptions,System\CurrentControlSet\Control\Server Applications,Software\Microsoft\Windows NT\CurrentVersion
MACHINE\System\CurrentControlSet\Control\Session Manager\Environment\VendorHome=2,%SystemDrive%\Vendor
MACHINE\Software\Vendor\Monitor\Key=3,0a,0b,ff
[Privilege Rights]
SeNetworkLogonRight = *S-1-1-0,*S-1-5-32-544,*S-1-5-32-545,*S-1-5-32-551
SeBackupPrivilege = *S-1-5-32-544,*S-1-5-32-551
SeDenyNetworkLogonRight = Guest
SeServiceLogonRight = *S-1-5-80-0,svc_monitor
SeTrustedCredManAccessPrivilege = 
[Version]
signature="$CHICAGO$"
Revision=1
`

const wmicOS = `
Node,BuildNumber,Caption,CSDVersion,OSArchitecture,Version
WS-ICU-01,7601,Microsoft Windows 7 Professional ,Service Pack 1,64-bit,6.1.7601

`

const wmicService = `
Node,Name,PathName,StartMode
WS-ICU-01,VendorMon,"C:\Program Files\Vendor\mon.exe" -service,Auto
WS-ICU-01,VendorAgent,"C:\Program Files\Vendor\agent.exe",Manual
WS-ICU-01,Unquoted,C:\Program Files\Vendor\up date.exe,Auto
WS-ICU-01,Netman,C:\Windows\System32\svchost.exe -k LocalSystemNetworkRestricted,Manual
WS-ICU-01,Empty,,Disabled

`

const auditpolCSV = `Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value
WS-ICU-01,System,Audit Security System Extension,{0CCE9211-69AE-11D9-BED3-505054503030},Success and Failure,,3
WS-ICU-01,System,Audit Logon,{0CCE9215-69AE-11D9-BED3-505054503030},Success,,1
WS-ICU-01,System,Audit File System,{0CCE921D-69AE-11D9-BED3-505054503030},No Auditing,,0
,,Option:CrashOnAuditFail,,Disabled,,0
`

// gptTmplINF is a security template as Group Policy stores it
// (GptTmpl.inf): unquoted $CHICAGO$, Key=Value without spaces, the log and
// Kerberos sections, a logon notice with Group Policy's "," comma escape,
// and the entry-only sections that hold quoted fields without a key.
const gptTmplINF = `[Unicode]
Unicode=yes
[System Access]
MinimumPasswordLength=14
LockoutBadCount=10
NewAdministratorName = "Técnico"
[Kerberos Policy]
MaxTicketAge=10
[System Log]
MaximumLogSize=32768
RetentionDays=0
[Event Audit]
AuditLogonEvents=3
[Registry Values]
MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\LegalNoticeText=7,Authorized clinical staff only.,Activity is logged","  monitored"," and audited.
MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\LegalNoticeCaption=1,"Notice, please read"
MACHINE\System\CurrentControlSet\Control\Lsa\RestrictAnonymous=4,1
[Privilege Rights]
SeDenyNetworkLogonRight = *S-1-5-32-546,Guest
[Group Membership]
*S-1-5-32-544__Members = *S-1-5-21-1-2-3-500
[Service General Setting]
"seclogon",4,""
"RemoteRegistry",4,"D:AR(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)"
[Registry Keys]
"MACHINE\SOFTWARE",0,"D:PAR(A;CI;KA;;;BA)(A;CI;KR;;;BU)"
"machine\system\currentcontrolset\services\vendormon",2,""
[File Security]
"%SystemRoot%\System32\config",2,"D:PAR(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)"
"%ProgramFiles%\Vendor, Inc",0,"D:AR(A;OICI;0x1200a9;;;BU)"
[Version]
signature=$CHICAGO$
Revision=1
`

// ntTemplateINF is a hand-written template as DISA and vendors publish
// them: "$WINDOWS NT$", ';' comments, spaces around '=', LF only.
const ntTemplateINF = `; Security template for the vendor station
[Version]
signature="$WINDOWS NT$"
[Unicode]
Unicode=yes
; lockout until an administrator unlocks
[System Access]
LockoutDuration = -1
PasswordComplexity = 1
[Privilege Rights]
SeRemoteShutdownPrivilege = *S-1-5-32-544
`

// gpoAuditCSV is the audit.csv of a GPO backup: no machine name,
// lower-case GUIDs, "Audit ..." names, global object access rows with
// SDDL in Setting Value.
const gpoAuditCSV = `Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value
,System,Audit Credential Validation,{0cce923f-69ae-11d9-bed3-505054503030},Success and Failure,,3
,System,Audit Logoff,{0cce9216-69ae-11d9-bed3-505054503030},Success,,1
,System,Audit File System,{0cce921d-69ae-11d9-bed3-505054503030},Failure,,2
,,FileGlobalSacl,,,,S:(AU;FA;FRFW;;;WD)
,,Option:CrashOnAuditFail,,Disabled,,0
`

type fixture struct {
	name string
	data []byte
}

func fixtures() []fixture {
	return []fixture{
		{"regedit5_export.reg", utf16File(regExport)},
		{"regedit5_features.reg", utf8BOMFile(regFeatures)},
		{"regedit4_xp.reg", ansiFile(regXP)},
		{"secedit.inf", utf16File(seceditINF)},
		{"wmic_os.csv", wmicFile(wmicOS)},
		{"wmic_service.csv", wmicFile(wmicService)},
		{"auditpol.csv", ansiFile(auditpolCSV)},
		{"gpttmpl.inf", utf8BOMFile(gptTmplINF)},
		{"template_nt.inf", ansiLFFile(ntTemplateINF)},
		{"gpo_audit.csv", ansiFile(gpoAuditCSV)},
	}
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func TestFixturesUpToDate(t *testing.T) {
	for _, fx := range fixtures() {
		path := filepath.Join("testdata", fx.name)
		if *update {
			require.NoError(t, os.WriteFile(path, fx.data, 0o644))
			continue
		}
		got, err := os.ReadFile(path)
		require.NoError(t, err, "run go test -run TestFixtures -update")
		require.True(t, bytes.Equal(fx.data, got), "%s is stale: run go test -run TestFixtures -update", path)
	}
}
