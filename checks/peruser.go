package checks

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Per-user settings. A check whose registry probe reads HKCU is about one
// person's own hive, not the machine: the audit judges it for each person
// of the device model (Device.Users), reading HKU\<SID> in place of HKCU,
// and every such result names the person (Result.User). Plans change only
// the hive of the person a result names.

// User is the person a user-scope result is about.
type User struct {
	Name string `json:"name"`
	SID  string `json:"sid,omitempty"`
	// problem says why this person's settings cannot be read at all (no
	// SID, no profile); the result is then `error` with this reason.
	problem string
}

// Problem says why this person's settings cannot be read at all (no SID,
// no profile); "" when they can.
func (u User) Problem() string { return u.problem }

// String is how reports name the person: `operator (S-1-5-21-...-1000)`.
func (u User) String() string {
	if u.SID == "" {
		return u.Name
	}
	if u.Name == "" || strings.EqualFold(u.Name, u.SID) {
		return u.SID
	}
	return u.Name + " (" + u.SID + ")"
}

const (
	hkcuPrefix = `HKCU\`
	hkuPrefix  = `HKU\`
)

// splitUserRoot returns the path below HKCU, or "" when key is not there.
func splitUserRoot(key string) (string, bool) {
	k := strings.TrimLeft(key, `\`)
	for _, root := range []string{hkcuPrefix, `HKEY_CURRENT_USER\`} {
		if len(k) >= len(root) && strings.EqualFold(k[:len(root)], root) {
			return k[len(root):], true
		}
	}
	return "", false
}

// UserScope tells whether the check reads a user's own hive (HKCU).
func (ch Check) UserScope() bool {
	if ch.Probe.Registry == nil {
		return false
	}
	_, ok := splitUserRoot(ch.Probe.Registry.Key)
	return ok
}

// UserKey is key with HKCU replaced by the hive HKU\<sid>; keys of other
// hives are returned unchanged.
func UserKey(key, sid string) string {
	if rest, ok := splitUserRoot(key); ok {
		return hkuPrefix + strings.ToUpper(sid) + `\` + rest
	}
	return key
}

// HiveUser returns the SID of a key under HKU\<SID>\ (a user's hive, not
// .DEFAULT or a SID's _Classes hive).
func HiveUser(key string) (string, bool) {
	k := strings.TrimLeft(key, `\`)
	for _, root := range []string{hkuPrefix, `HKEY_USERS\`} {
		if len(k) > len(root) && strings.EqualFold(k[:len(root)], root) {
			rest := k[len(root):]
			sid := rest
			if i := strings.IndexByte(rest, '\\'); i >= 0 {
				sid = rest[:i]
			}
			sid = strings.ToUpper(sid)
			if strings.HasPrefix(sid, "S-1-") && !strings.HasSuffix(sid, "_CLASSES") {
				return sid, true
			}
		}
	}
	return "", false
}

// IsHKCU tells whether a key is in HKCU, the hive of whoever runs the
// reader: a change there would reach the wrong person.
func IsHKCU(key string) bool {
	_, ok := splitUserRoot(key)
	return ok
}

// ForUser returns a copy of the check that reads the hive HKU\<sid>
// instead of HKCU.
func (ch Check) ForUser(sid string) Check {
	if ch.Probe.Registry == nil {
		return ch
	}
	rp := *ch.Probe.Registry
	rp.Key = UserKey(rp.Key, sid)
	rp.Fallback = make([]string, len(ch.Probe.Registry.Fallback))
	for i, f := range ch.Probe.Registry.Fallback {
		rp.Fallback[i] = UserKey(f, sid)
	}
	ch.Probe.Registry = &rp
	return ch
}

// userRank orders the people: the clinical operator first (auto-logon
// account, then the tailoring file's operators), then every other account
// with a profile, the collecting user last.
func userRank(p Person) int {
	switch {
	case p.Has(RoleAutoLogon):
		return 0
	case p.Has(RoleOperator):
		return 1
	case p.Has(RoleProfile):
		return 2
	}
	return 3
}

// Users lists the people whose own settings the user-scope checks judge:
// the auto-logon account, the operators of the tailoring file, every local
// account with a profile and the collecting user, in that order. Service
// identities (LocalSystem, ...) are not people. A person whose SID is not
// known or who has no profile is listed with the reason, so that their
// results are `error`, never a silent pass.
func (dev *Device) Users() []User {
	var people []Person
	for _, p := range dev.People {
		if !p.Operator() && !p.Has(RoleProfile) {
			continue
		}
		if p.SID != "" && !strings.HasPrefix(p.SID, "S-1-5-21-") {
			continue // LocalSystem running medharden, a well-known group
		}
		people = append(people, p)
	}
	sort.SliceStable(people, func(i, j int) bool { return userRank(people[i]) < userRank(people[j]) })
	out := make([]User, 0, len(people))
	for _, p := range people {
		u := User{Name: p.Name, SID: p.SID}
		switch {
		case p.SID == "":
			u.problem = fmt.Sprintf("the SID of %s is not known (not a local account of this computer), so the hive that holds their settings cannot be found", p.Describe())
		case !p.Has(RoleProfile) && dev.Known("profiles"):
			u.problem = fmt.Sprintf("%s has no profile on this device (no ProfileList entry): their hive does not exist until they first log on", p.Describe())
		}
		out = append(out, u)
	}
	return out
}

// EvaluateUser runs a user-scope check against one person's hive.
func EvaluateUser(ctx context.Context, h Host, ch Check, u User) Result {
	if u.problem != "" {
		r := newResult(ch)
		r.Status, r.Actual = Error, "unknown"
		r.Reason = fmt.Sprintf("%v: %s", ErrNotCollected, u.problem)
		r.User = &User{Name: u.Name, SID: u.SID}
		return r
	}
	r := Evaluate(ctx, h, ch.ForUser(u.SID))
	r.User = &User{Name: u.Name, SID: u.SID}
	return r
}

// HasUser tells whether a SID is a person whose own hive the user-scope
// checks judge (and a plan may change).
func (dev *Device) HasUser(sid string) bool {
	for _, u := range dev.Users() {
		if u.problem == "" && strings.EqualFold(u.SID, sid) {
			return true
		}
	}
	return false
}
