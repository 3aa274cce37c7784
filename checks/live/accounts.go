package live

import (
	"fmt"
	"strconv"
	"strings"

	"medharden/checks"
)

// USER_INFO flags (lmaccess.h) that the catalog looks at.
const (
	ufScript           = 0x0001
	ufAccountDisable   = 0x0002
	ufLockout          = 0x0010
	ufPasswdNotReqd    = 0x0020
	ufDontExpirePasswd = 0x10000
)

// userEntry is one account as NetUserEnum level 20 returns it.
type userEntry struct {
	Name  string
	Flags uint32
	RID   uint32
}

// accountFrom builds a checks.Account; the SID is the machine's account
// domain SID plus the RID, which is how the SAM itself names accounts.
func accountFrom(domainSID string, u userEntry) checks.Account {
	return checks.Account{
		Name:             u.Name,
		SID:              strings.ToUpper(domainSID) + "-" + strconv.FormatUint(uint64(u.RID), 10),
		Disabled:         u.Flags&ufAccountDisable != 0,
		PasswordRequired: u.Flags&ufPasswdNotReqd == 0,
		PasswordExpires:  u.Flags&ufDontExpirePasswd == 0,
		Lockout:          u.Flags&ufLockout != 0,
	}
}

// findAccount finds a local account by SID; never by name, because the
// built-in Administrator (RID 500) and Guest (RID 501) are renamed on
// hardened machines and localized everywhere else.
func findAccount(domainSID string, users []userEntry, sid string) (userEntry, error) {
	want := strings.ToUpper(strings.TrimSpace(sid))
	for _, u := range users {
		if accountFrom(domainSID, u).SID == want {
			return u, nil
		}
	}
	return userEntry{}, fmt.Errorf("local account %s: %w", sid, checks.ErrAbsent)
}

// disabledFlags sets or clears UF_ACCOUNTDISABLE, keeping the other flags.
// UF_SCRIPT must be set in every flags value written (lmaccess.h);
// UF_LOCKOUT is passed back as read, so a locked account stays locked.
func disabledFlags(flags uint32, disabled bool) uint32 {
	f := flags | ufScript
	if disabled {
		return f | ufAccountDisable
	}
	return f &^ ufAccountDisable
}

// validAccountName rejects what NetUserSetInfo would refuse with a less
// helpful message: empty, too long, or characters Windows forbids.
func validAccountName(name string) error {
	if strings.TrimSpace(name) != name || name == "" {
		return fmt.Errorf("account name %q: empty or padded with spaces", name)
	}
	if len([]rune(name)) > 20 {
		return fmt.Errorf("account name %q: longer than 20 characters", name)
	}
	if strings.ContainsAny(name, `"/\[]:;|=,+*?<>@`) || strings.Trim(name, ".") == "" {
		return fmt.Errorf("account name %q: contains a character Windows does not allow", name)
	}
	return nil
}
