package credprobe

import (
	"fmt"
	"time"
)

// Per run and account: at most one blank attempt and MaxDefaults vendor
// default attempts; and never so many failures that fewer than Margin
// would remain before the lockout threshold.
const (
	Margin      = 2
	MaxDefaults = 3
)

// Policy is the lockout policy (USER_MODALS_INFO_3).
type Policy struct {
	// Threshold is the number of bad passwords that locks an account;
	// 0 means accounts are never locked out.
	Threshold uint32
	// Window is the observation window after which the bad-password count
	// starts again from zero.
	Window time.Duration
	// Duration is how long a locked account stays locked.
	Duration time.Duration
}

// State is an account's lockout state (USER_INFO_3).
type State struct {
	// BadCount is usri3_bad_pw_count.
	BadCount uint32
	// LastBad is when the last bad password was given; zero when unknown
	// (USER_INFO_3 does not carry it): the count then stands.
	LastBad  time.Time
	Locked   bool // UF_LOCKOUT
	Disabled bool // UF_ACCOUNTDISABLE
	// PasswordAge is usri3_password_age: how long ago the password was
	// last set.
	PasswordAge time.Duration
}

// Unlimited is what Allowed returns when no lockout threshold is set: the
// per-run limits alone bound the attempts.
const Unlimited = int(^uint(0) >> 1)

// Allowed is how many failed attempts may be made now so that, after them,
// at least Margin failures remain before the account would be locked out;
// 0 with the reason when none may. A count older than the observation
// window no longer counts, but only when its time is known.
func Allowed(p Policy, s State, now time.Time) (int, string) {
	switch {
	case s.Disabled:
		return 0, "account is disabled"
	case s.Locked:
		return 0, "account is locked out"
	case p.Threshold == 0:
		return Unlimited, ""
	}
	bad := s.BadCount
	if !s.LastBad.IsZero() && p.Window > 0 && now.Sub(s.LastBad) >= p.Window {
		bad = 0 // the observation window has passed: Windows starts again
	}
	if bad >= p.Threshold || p.Threshold-bad <= Margin {
		return 0, lockoutReason(p, bad)
	}
	return int(p.Threshold - bad - Margin), ""
}

func lockoutReason(p Policy, bad uint32) string {
	left := uint32(0)
	if bad < p.Threshold {
		left = p.Threshold - bad
	}
	return fmt.Sprintf("lockout budget: %d of %d bad passwords counted, %d left; the probe keeps a margin of %d",
		bad, p.Threshold, left, Margin)
}
