package credprobe

import (
	"fmt"
	"strings"
)

// Answer is what LogonUserW said: Code is GetLastError after a failed call,
// 0 after a successful one; SID is the token's user on success (the token
// is closed at once).
type Answer struct {
	Code uint32
	SID  string
}

// Win32 error codes LogonUserW answers with (winerror.h).
const (
	codeSuccess            = 0
	codeAccessDenied       = 5    // ERROR_ACCESS_DENIED
	codeLogonFailure       = 1326 // ERROR_LOGON_FAILURE: unknown user or bad password
	codeAccountRestriction = 1327 // ERROR_ACCOUNT_RESTRICTION: e.g. blank password refused off the console
	codeInvalidLogonHours  = 1328 // ERROR_INVALID_LOGON_HOURS
	codeInvalidWorkstation = 1329 // ERROR_INVALID_WORKSTATION
	codePasswordExpired    = 1330 // ERROR_PASSWORD_EXPIRED
	codeAccountDisabled    = 1331 // ERROR_ACCOUNT_DISABLED
	codeLogonTypeNotGrant  = 1385 // ERROR_LOGON_TYPE_NOT_GRANTED
	codeAccountExpired     = 1793 // ERROR_ACCOUNT_EXPIRED
	codePasswordMustChange = 1907 // ERROR_PASSWORD_MUST_CHANGE
	codeAccountLockedOut   = 1909 // ERROR_ACCOUNT_LOCKED_OUT
)

// verdict is what one answer means for the password tried.
type verdict int

const (
	// matches: the password is the account's. Windows checks the password
	// before the restrictions, so every refusal that is not 1326 comes
	// after a correct password: 1327 (with "Limit local account use of
	// blank passwords to console logon only" on, a network logon with the
	// right blank password is refused with it, and no bad password is
	// counted), 1330 and 1907 (expired), 1385 (network logon denied).
	matches verdict = iota
	// wrong: 1326, a bad password; it raised the account's bad count.
	wrong
	// stop: the account cannot be probed further (locked, disabled).
	stop
	// unknown: no conclusion (access denied, a restriction whose order
	// against the password check is not documented, anything else); the
	// account is not probed further.
	unknown
)

// judge classifies an answer for the account whose SID is sid. A success
// whose token is another account's (the "Guest only" network model of
// ForceGuest maps every network logon to Guest) proves nothing.
func judge(a Answer, sid string) (verdict, string) {
	switch a.Code {
	case codeSuccess:
		if a.SID != "" && sid != "" && !strings.EqualFold(a.SID, sid) {
			return unknown, "the logon was mapped to another account (" + a.SID + "; ForceGuest \"Guest only\" sharing model?)"
		}
		return matches, "logon succeeded"
	case codeAccountRestriction:
		return matches, "account restriction (1327) after the password was accepted"
	case codePasswordExpired, codePasswordMustChange:
		return matches, fmt.Sprintf("password accepted but expired (%d)", a.Code)
	case codeLogonTypeNotGrant:
		return matches, "password accepted but network logon is not granted (1385)"
	case codeLogonFailure:
		return wrong, ""
	case codeAccountLockedOut:
		return stop, "account is locked out (1909)"
	case codeAccountDisabled:
		return stop, "account is disabled (1331)"
	case codeAccessDenied:
		return unknown, "Windows refused the logon attempt: access denied (5)"
	case codeInvalidLogonHours, codeInvalidWorkstation, codeAccountExpired:
		return unknown, fmt.Sprintf("logon restriction %d hides whether the password matched", a.Code)
	}
	return unknown, fmt.Sprintf("unexpected answer, Windows error %d", a.Code)
}
