//go:build windows

package live

import (
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"medharden/checks"
	"medharden/checks/credprobe"
)

var _ checks.CredentialTester = (*Host)(nil)

// LogonUserW arguments (winbase.h): a network logon validates the password
// without creating a logon session with a profile, and is what "Limit
// local account use of blank passwords to console logon only" refuses for
// a blank password (ERROR_ACCOUNT_RESTRICTION, no bad password counted).
const (
	logon32LogonNetwork    = 3
	logon32ProviderDefault = 0
)

var procLogonUserW = modadvapi32.NewProc("LogonUserW")

// userInfo3 has the layout of USER_INFO_3 (lmaccess.h): pointers and
// DWORDs, so Go's alignment matches C's on 386 and amd64.
type userInfo3 struct {
	Name, Password              *uint16
	PasswordAge, Priv           uint32
	HomeDir, Comment            *uint16
	Flags                       uint32
	ScriptPath                  *uint16
	AuthFlags                   uint32
	FullName, UsrComment, Parms *uint16
	Workstations                *uint16
	LastLogon, LastLogoff       uint32
	AcctExpires, MaxStorage     uint32
	UnitsPerWeek                uint32
	LogonHours                  *byte
	BadPwCount, NumLogons       uint32
	LogonServer                 *uint16
	CountryCode, CodePage       uint32
	UserID, PrimaryGroupID      uint32
	Profile, HomeDirDrive       *uint16
	PasswordExpired             uint32
}

// CredentialAPI is the credential probe's door to Windows.
func (h *Host) CredentialAPI() credprobe.API { return logonAPI{} }

type logonAPI struct{}

// Policy reads the lockout policy with NetUserModalsGet level 3; durations
// are in seconds, TIMEQ_FOREVER (an administrator must unlock) as zero.
func (logonAPI) Policy() (credprobe.Policy, error) {
	var m3 userModals3
	if err := readModals(3, unsafe.Pointer(&m3), unsafe.Sizeof(m3)); err != nil {
		return credprobe.Policy{}, err
	}
	secs := func(v uint32) time.Duration {
		if v == timeqForever {
			return 0
		}
		return time.Duration(v) * time.Second
	}
	return credprobe.Policy{Threshold: m3.LockoutThreshold, Window: secs(m3.LockoutObservationWindow), Duration: secs(m3.LockoutDuration)}, nil
}

// State reads usri3_bad_pw_count, usri3_password_age (seconds since the
// password was last set) and the UF_LOCKOUT and UF_ACCOUNTDISABLE flags
// with NetUserGetInfo level 3. USER_INFO_3 has no time of the last
// bad password, so the count is taken as inside the observation window.
func (logonAPI) State(account string) (credprobe.State, error) {
	name, err := windows.UTF16PtrFromString(account)
	if err != nil {
		return credprobe.State{}, err
	}
	var buf *byte
	if err := windows.NetUserGetInfo(nil, name, 3, &buf); err != nil {
		return credprobe.State{}, winErr("read account "+account+" (NetUserGetInfo level 3)", err)
	}
	defer windows.NetApiBufferFree(buf)
	u := (*userInfo3)(unsafe.Pointer(buf))
	return credprobe.State{
		BadCount:    u.BadPwCount,
		Locked:      u.Flags&ufLockout != 0,
		Disabled:    u.Flags&ufAccountDisable != 0,
		PasswordAge: time.Duration(u.PasswordAge) * time.Second,
	}, nil
}

// Logon asks LogonUserW for a network logon of a local account (domain
// "."): Code is GetLastError after a failure, 0 on success, when the
// token's user is read and the token closed at once. The password's UTF-16
// copy is cleared after the call.
func (logonAPI) Logon(account, password string) credprobe.Answer {
	if err := need(procLogonUserW); err != nil {
		return credprobe.Answer{Code: uint32(windows.ERROR_PROC_NOT_FOUND)}
	}
	name, err := windows.UTF16PtrFromString(account)
	if err != nil {
		return credprobe.Answer{Code: uint32(windows.ERROR_INVALID_PARAMETER)}
	}
	pw, err := windows.UTF16FromString(password)
	if err != nil {
		return credprobe.Answer{Code: uint32(windows.ERROR_INVALID_PARAMETER)}
	}
	defer func() {
		for i := range pw {
			pw[i] = 0
		}
	}()
	dot, _ := windows.UTF16PtrFromString(".")
	var tok windows.Token
	r, _, callErr := procLogonUserW.Call(uintptr(unsafe.Pointer(name)), uintptr(unsafe.Pointer(dot)),
		uintptr(unsafe.Pointer(&pw[0])), logon32LogonNetwork, logon32ProviderDefault, uintptr(unsafe.Pointer(&tok)))
	if r == 0 {
		code := uint32(windows.ERROR_GEN_FAILURE)
		if errno, ok := callErr.(windows.Errno); ok {
			code = uint32(errno)
		}
		return credprobe.Answer{Code: code}
	}
	defer tok.Close()
	ans := credprobe.Answer{}
	if u, err := tok.GetTokenUser(); err == nil {
		ans.SID = u.User.Sid.String()
	}
	return ans
}
