package checks

import (
	"context"
	"encoding/binary"
	"errors"
	"strings"
	"unicode/utf16"
)

// Sentinel errors every Host returns, so that the engine can tell
// "the setting is not there" from "we could not look".
var (
	// ErrAbsent: the setting was looked for and does not exist
	// (registry value missing, policy not defined, service not installed).
	ErrAbsent = errors.New("absent")
	// ErrNotCollected: the source that would hold the setting is missing
	// (a snapshot without that file, an API that is not available).
	ErrNotCollected = errors.New("not collected")
	// ErrNotSupported: the feature does not exist on this edition or version
	// of Windows (BitLocker on Windows 7 Professional, auditpol on XP).
	ErrNotSupported = errors.New("not supported on this system")
	// ErrAccessDenied: the setting exists but the caller may not read or write it.
	ErrAccessDenied = errors.New("access denied")
)

// Host is the only door to the operating system. The snapshot host reads a
// collector folder; the live host reads the running Windows. Both answer
// the same questions the same way.
type Host interface {
	// OS identifies the system (version, edition, architecture).
	OS(ctx context.Context) (OSInfo, error)
	// RegValue reads one registry value. key is a full path such as
	// `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`; name "" is the default value.
	RegValue(ctx context.Context, key, name string) (RegValue, error)
	// SecPolicy reads a key of the security database as secedit exports it,
	// for example section "System Access", name "MinimumPasswordLength".
	SecPolicy(ctx context.Context, section, name string) (string, error)
	// UserRight returns the SIDs holding a privilege or logon right
	// ("SeNetworkLogonRight"). No holder is an empty slice, not ErrAbsent.
	UserRight(ctx context.Context, right string) ([]string, error)
	// AuditPolicy reads one advanced audit subcategory by its GUID.
	AuditPolicy(ctx context.Context, subcategoryGUID string) (AuditFlags, error)
	// ServiceStart reads a service's or driver's start type; ErrAbsent when
	// it is not installed.
	ServiceStart(ctx context.Context, name string) (StartType, error)
	// Accounts lists the local user accounts.
	Accounts(ctx context.Context) ([]Account, error)
	// Hotfixes lists installed updates (Win32_QuickFixEngineering).
	Hotfixes(ctx context.Context) ([]Hotfix, error)
	// Volumes lists BitLocker-capable volumes; ErrNotSupported on editions
	// without BitLocker.
	Volumes(ctx context.Context) ([]Volume, error)
	// Identity says what the host is: this computer or a snapshot folder.
	Identity() Identity
}

// Origin tells this computer from a collector snapshot.
type Origin int

const (
	// Live is the running Windows: changes are real.
	Live Origin = iota
	// Snapshot is a collector folder: changes go to an in-memory overlay.
	Snapshot
)

func (o Origin) String() string {
	if o == Snapshot {
		return "snapshot"
	}
	return "live"
}

// Identity is what a host is, fixed when it is opened, so that nothing
// downstream has to guess from the host's type. Wrappers that embed a host
// keep its identity.
type Identity struct {
	Origin Origin
	// Dir is the snapshot folder's absolute path ("" for Live).
	Dir string
	// CollectedAt is the collector's start time as it logged it
	// ("2026-11-18 09:30:00", the device's local time); "" when unknown.
	CollectedAt string
}

// OSInfo is what the catalog needs to know about the system.
type OSInfo struct {
	Hostname     string `json:"hostname"`
	Caption      string `json:"caption"`       // "Microsoft Windows 7 Professional"
	Version      string `json:"version"`       // "6.1.7601"
	ServicePack  string `json:"service_pack"`  // "Service Pack 1"
	Architecture string `json:"architecture"`  // "64-bit" / "32-bit"
	SKU          int    `json:"sku,omitempty"` // OperatingSystemSKU, 0 when unknown (XP)
	Domain       string `json:"domain,omitempty"`
	PartOfDomain bool   `json:"part_of_domain"`
	// Language is the install language (Win32_OperatingSystem.OSLanguage,
	// an LCID such as 1033); 0 when not collected. The built-in accounts
	// carry this language's names.
	Language int `json:"language,omitempty"`
}

// Family names the catalog family for a version: "win7", "xp" or "".
func (o OSInfo) Family() string {
	switch {
	case strings.HasPrefix(o.Version, "6.1."):
		return "win7"
	case strings.HasPrefix(o.Version, "5.1."), strings.HasPrefix(o.Version, "5.2."):
		return "xp"
	}
	return ""
}

// HasBitLocker tells whether the edition ships BitLocker: on Windows 7 only
// Ultimate and Enterprise do; XP never does.
func (o OSInfo) HasBitLocker() bool {
	if o.Family() != "win7" {
		return false
	}
	c := strings.ToLower(o.Caption)
	return strings.Contains(c, "ultimate") || strings.Contains(c, "enterprise")
}

// Registry value types, as Windows numbers them.
const (
	RegNone     uint32 = 0
	RegSZ       uint32 = 1
	RegExpandSZ uint32 = 2
	RegBinary   uint32 = 3
	RegDWORD    uint32 = 4
	RegMultiSZ  uint32 = 7
	RegQWORD    uint32 = 11
)

// RegValue is a registry value exactly as Windows stores it: its type and
// raw little-endian data (strings as UTF-16LE with their terminating NULs).
// Keeping the raw bytes is what makes byte-exact rollback possible.
type RegValue struct {
	Type uint32
	Data []byte
}

// DWORDValue builds a REG_DWORD.
func DWORDValue(v uint32) RegValue {
	b := make([]byte, 4)
	binary.LittleEndian.PutUint32(b, v)
	return RegValue{Type: RegDWORD, Data: b}
}

// StringValue builds a REG_SZ (or REG_EXPAND_SZ with typ).
func StringValue(typ uint32, s string) RegValue {
	return RegValue{Type: typ, Data: utf16z(s)}
}

// MultiStringValue builds a REG_MULTI_SZ.
func MultiStringValue(items []string) RegValue {
	var out []byte
	for _, s := range items {
		out = append(out, utf16z(s)...)
	}
	out = append(out, 0, 0)
	if len(items) == 0 {
		out = append(out, 0, 0)
	}
	return RegValue{Type: RegMultiSZ, Data: out}
}

// UTF16LE encodes s as UTF-16LE (surrogate pairs above U+FFFF), without a
// byte order mark or a terminating NUL: medharden's one UTF-16 encoder, for
// registry strings here and Windows' text files in winfmt.
func UTF16LE(s string) []byte {
	// Every UTF-8 byte gives at most two bytes: one allocation, with room
	// for utf16z's NUL. Ranging over s turns invalid UTF-8 into U+FFFD, as
	// []rune(s) does.
	b := make([]byte, 0, 2*len(s)+2)
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			b = append(b, byte(r1), byte(r1>>8), byte(r2), byte(r2>>8))
			continue
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// utf16z is s as the registry stores a string: UTF-16LE and a NUL.
func utf16z(s string) []byte {
	return append(UTF16LE(s), 0, 0)
}

func fromUTF16(b []byte) []uint16 {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return u
}

// Uint64 returns a DWORD or QWORD value.
func (v RegValue) Uint64() (uint64, bool) {
	switch {
	case v.Type == RegDWORD && len(v.Data) == 4:
		return uint64(binary.LittleEndian.Uint32(v.Data)), true
	case v.Type == RegQWORD && len(v.Data) == 8:
		return binary.LittleEndian.Uint64(v.Data), true
	}
	return 0, false
}

// String returns a REG_SZ or REG_EXPAND_SZ up to its first NUL.
func (v RegValue) String() string {
	u := fromUTF16(v.Data)
	for i, c := range u {
		if c == 0 {
			u = u[:i]
			break
		}
	}
	return string(utf16.Decode(u))
}

// Strings returns the items of a REG_MULTI_SZ, without the empty terminator.
func (v RegValue) Strings() []string {
	u := fromUTF16(v.Data)
	var out []string
	start := 0
	for i, c := range u {
		if c == 0 {
			if i == start {
				break // the double NUL ends the list
			}
			out = append(out, string(utf16.Decode(u[start:i])))
			start = i + 1
		}
	}
	if start < len(u) && u[len(u)-1] != 0 {
		out = append(out, string(utf16.Decode(u[start:])))
	}
	return out
}

// Equal reports whether two values have the same type and bytes.
func (v RegValue) Equal(o RegValue) bool {
	return v.Type == o.Type && string(v.Data) == string(o.Data)
}

// AuditFlags is an audit subcategory's setting.
type AuditFlags struct {
	Success bool `json:"success"`
	Failure bool `json:"failure"`
}

// String gives the words auditpol uses, in English whatever the locale.
func (a AuditFlags) String() string {
	switch {
	case a.Success && a.Failure:
		return "Success and Failure"
	case a.Success:
		return "Success"
	case a.Failure:
		return "Failure"
	}
	return "No Auditing"
}

// StartType is a service start type as stored in the registry (Start value).
type StartType uint32

const (
	StartBoot     StartType = 0
	StartSystem   StartType = 1
	StartAuto     StartType = 2
	StartManual   StartType = 3
	StartDisabled StartType = 4
)

var startNames = []string{"boot", "system", "automatic", "manual", "disabled"}

func (s StartType) String() string {
	if int(s) < len(startNames) {
		return startNames[s]
	}
	return "unknown"
}

// ParseStartType accepts the registry number or the WMI StartMode word
// (Boot, System, Auto, Manual, Disabled), which WMI never localizes.
func ParseStartType(s string) (StartType, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "0", "boot":
		return StartBoot, true
	case "1", "system":
		return StartSystem, true
	case "2", "auto", "automatic":
		return StartAuto, true
	case "3", "manual":
		return StartManual, true
	case "4", "disabled":
		return StartDisabled, true
	}
	return 0, false
}

// Account is a local user account. Password values are never read.
type Account struct {
	Name             string `json:"name"`
	SID              string `json:"sid"`
	Disabled         bool   `json:"disabled"`
	PasswordRequired bool   `json:"password_required"`
	PasswordExpires  bool   `json:"password_expires"`
	Lockout          bool   `json:"lockout"`
}

// RID is the last sub-authority of the SID: 500 is the built-in
// Administrator and 501 the Guest, whatever they are called.
func (a Account) RID() string {
	i := strings.LastIndexByte(a.SID, '-')
	if i < 0 {
		return ""
	}
	return a.SID[i+1:]
}

// Hotfix is one installed update.
type Hotfix struct {
	ID          string `json:"id"` // "KB4012212"
	InstalledOn string `json:"installed_on,omitempty"`
	Description string `json:"description,omitempty"`
}

// Volume is a BitLocker-capable volume. ProtectionStatus: 0 off, 1 on, 2 unknown.
type Volume struct {
	DriveLetter      string `json:"drive_letter"`
	ProtectionStatus int    `json:"protection_status"`
}

// InventorySource is what the device inventory reads beyond the checks:
// rows of a WMI class with the collector's columns (os, computersystem,
// bios, nicconfig, qfe, useraccount, service) and registry subkeys (the
// Uninstall lists). Both hosts implement it.
type InventorySource interface {
	// WMI returns the rows of a class, each a column -> value map.
	WMI(ctx context.Context, class string) ([]map[string]string, error)
	// RegSubkeys lists the direct subkeys of a key (names only).
	RegSubkeys(ctx context.Context, key string) ([]string, error)
}

// Session says who runs medharden and how, for remediation's safety guards
// (never lock out the logged-on operator, never cut the RDP session in use).
type Session struct {
	UserName string `json:"user_name"`
	UserSID  string `json:"user_sid"`
	// Remote is true in a Remote Desktop session.
	Remote bool `json:"remote"`
}

// SessionSource is implemented by hosts that know the current session: the
// live host asks Windows; the snapshot host reads what the collector logged.
type SessionSource interface {
	Session(ctx context.Context) (Session, error)
}
