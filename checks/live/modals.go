package live

import (
	"fmt"
	"strconv"
	"strings"

	"medharden/checks"
)

// timeqForever is TIMEQ_FOREVER: "never" in the NetUserModals structures.
const timeqForever = 0xFFFFFFFF

// userModals0 has the layout of USER_MODALS_INFO_0 (all DWORDs, so the same
// on 386 and amd64); times are in seconds.
type userModals0 struct {
	MinPasswdLen    uint32
	MaxPasswdAge    uint32
	MinPasswdAge    uint32
	ForceLogoff     uint32
	PasswordHistLen uint32
}

// userModals3 has the layout of USER_MODALS_INFO_3; times in seconds.
type userModals3 struct {
	LockoutDuration          uint32
	LockoutObservationWindow uint32
	LockoutThreshold         uint32
}

// modalsLevel tells which NetUserModals level holds a [System Access] key:
// 0 or 3, or -1 when the key lives only in the security database.
func modalsLevel(section, name string) int {
	if !strings.EqualFold(section, "System Access") {
		return -1
	}
	switch strings.ToLower(name) {
	case "minimumpasswordage", "maximumpasswordage", "minimumpasswordlength",
		"passwordhistorysize", "forcelogoffwhenhourexpire":
		return 0
	case "lockoutbadcount", "resetlockoutcount", "lockoutduration":
		return 3
	}
	return -1
}

// modalsValue gives a key the way secedit /export writes it, so the live
// host and a snapshot of the same machine agree.
func modalsValue(m0 *userModals0, m3 *userModals3, name string) (string, error) {
	itoa := func(v uint32) string { return strconv.FormatUint(uint64(v), 10) }
	switch strings.ToLower(name) {
	case "minimumpasswordage":
		return itoa(m0.MinPasswdAge / 86400), nil
	case "maximumpasswordage":
		if m0.MaxPasswdAge == timeqForever {
			return "-1", nil
		}
		return itoa(m0.MaxPasswdAge / 86400), nil
	case "minimumpasswordlength":
		return itoa(m0.MinPasswdLen), nil
	case "passwordhistorysize":
		return itoa(m0.PasswordHistLen), nil
	case "forcelogoffwhenhourexpire":
		// Only "log off at once" (0 seconds) is the policy being on; secedit
		// has no words for other delays.
		if m0.ForceLogoff == 0 {
			return "1", nil
		}
		return "0", nil
	case "lockoutbadcount":
		return itoa(m3.LockoutThreshold), nil
	case "resetlockoutcount", "lockoutduration":
		// secedit leaves both out while lockout is off: "not defined".
		if m3.LockoutThreshold == 0 {
			return "", checks.ErrAbsent
		}
		if strings.EqualFold(name, "resetlockoutcount") {
			return itoa(m3.LockoutObservationWindow / 60), nil
		}
		if m3.LockoutDuration == timeqForever {
			return "-1", nil
		}
		return itoa(m3.LockoutDuration / 60), nil
	}
	return "", fmt.Errorf("[System Access] %s is not an account policy", name)
}

// setModals changes one key in m0 or m3. It keeps the lockout duration at
// least as long as the observation window, which NetUserModalsSet demands,
// by moving the other value along; a plan that sets both gets what it asks.
func setModals(m0 *userModals0, m3 *userModals3, name, value string) error {
	v := strings.TrimSpace(strings.Trim(strings.TrimSpace(value), `"`))
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return fmt.Errorf("[System Access] %s: %q is not a number", name, value)
	}
	bad := func(why string) error {
		return fmt.Errorf("[System Access] %s = %d: %s", name, n, why)
	}
	if n < -1 || n > 1<<31-1 {
		return bad("out of range")
	}
	days := func() (uint32, error) {
		if n < 0 || n > 999 {
			return 0, bad("must be 0 to 999 days")
		}
		return uint32(n) * 86400, nil
	}
	minutes := func() (uint32, error) {
		if n < 0 || n > 99999 {
			return 0, bad("must be 0 to 99999 minutes")
		}
		return uint32(n) * 60, nil
	}
	switch strings.ToLower(name) {
	case "minimumpasswordage":
		s, err := days()
		if err != nil {
			return err
		}
		m0.MinPasswdAge = s
	case "maximumpasswordage":
		// 0 and -1 both mean "never expires" in a security template.
		if n <= 0 {
			m0.MaxPasswdAge = timeqForever
			return nil
		}
		s, err := days()
		if err != nil {
			return err
		}
		m0.MaxPasswdAge = s
	case "minimumpasswordlength":
		if n < 0 || n > 14 {
			return bad("must be 0 to 14 characters")
		}
		m0.MinPasswdLen = uint32(n)
	case "passwordhistorysize":
		if n < 0 || n > 24 {
			return bad("must be 0 to 24 passwords")
		}
		m0.PasswordHistLen = uint32(n)
	case "forcelogoffwhenhourexpire":
		switch n {
		case 1:
			m0.ForceLogoff = 0
		case 0:
			m0.ForceLogoff = timeqForever
		default:
			return bad("must be 0 or 1")
		}
	case "lockoutbadcount":
		if n < 0 || n > 999 {
			return bad("must be 0 to 999 attempts")
		}
		m3.LockoutThreshold = uint32(n)
	case "lockoutduration":
		// 0 and -1 both mean "until an administrator unlocks it".
		if n <= 0 {
			m3.LockoutDuration = timeqForever
			return nil
		}
		s, err := minutes()
		if err != nil {
			return err
		}
		m3.LockoutDuration = s
		if m3.LockoutObservationWindow > s {
			m3.LockoutObservationWindow = s
		}
	case "resetlockoutcount":
		s, err := minutes()
		if err != nil {
			return err
		}
		if s == 0 {
			return bad("must be at least 1 minute")
		}
		m3.LockoutObservationWindow = s
		if m3.LockoutDuration != timeqForever && m3.LockoutDuration < s {
			m3.LockoutDuration = s
		}
	default:
		return fmt.Errorf("[System Access] %s is not an account policy", name)
	}
	return nil
}
