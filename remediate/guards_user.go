package remediate

import (
	"fmt"
	"strings"

	"medharden/checks"
)

// GuardUserHive refuses a per-user change outside the hive of the person
// a result names.
const GuardUserHive = "user-hive"

// userHive lets a user-scope setting change only in HKU\<SID> of a person
// of the device model: never in HKCU, which is the hive of whoever runs
// medharden (an administrator, not the clinical user), and never in the
// hive of an account that is not one of the device's people.
func (g *guards) userHive(s *Step) {
	key := s.Setting.Key
	if checks.IsHKCU(key) {
		why := "nobody who uses this device is known"
		if len(g.dev.Missing) > 0 {
			var parts []string
			for _, p := range []string{"session", "profiles", "autologon", "accounts"} {
				if m, ok := g.dev.Missing[p]; ok {
					parts = append(parts, p+": "+m)
				}
			}
			if len(parts) > 0 {
				why += " (" + strings.Join(parts, "; ") + ")"
			}
		}
		g.blockSuggest(s, GuardUserHive, s.Setting.Key+" is in HKCU, the hive of whoever runs medharden, and "+why+"; a per-user setting is changed only in the hive (HKU\\<SID>) of the person an audit result names", "")
		return
	}
	if sid, ok := checks.HiveUser(key); ok && !g.dev.HasUser(sid) {
		g.blockSuggest(s, GuardUserHive, s.Setting.Key+" is the hive of "+sid+", who is not one of the device's people (auto-logon account, operators, accounts with a profile, the collecting user), so it is not changed", "")
	}
}

// hiveUsers lists the people whose hives a plan's changes write, as
// "name (SID)", in plan order.
func hiveUsers(p *Plan) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range p.Changes() {
		if sid, ok := checks.HiveUser(s.Setting.Key); ok && !seen[sid] {
			seen[sid] = true
			out = append(out, checks.User{Name: s.Setting.Label, SID: sid}.String())
		}
	}
	return out
}

// hiveChecks makes a pack script stop before its first change when the
// hive of a person whose settings it changes is not loaded: reg import
// cannot create HKEY_USERS\<SID> itself. SIDs hold only S, digits and
// dashes (HiveUser), so they are safe on a cmd line.
func hiveChecks(b *strings.Builder, p *Plan) {
	var sids []string
	seen := map[string]bool{}
	for _, s := range p.Changes() {
		if sid, ok := checks.HiveUser(s.Setting.Key); ok && !seen[sid] && safeSID(sid) {
			seen[sid] = true
			sids = append(sids, sid)
		}
	}
	if len(sids) == 0 {
		return
	}
	b.WriteString("set \"MH_NOHIVE=\"\n")
	for _, sid := range sids {
		fmt.Fprintf(b, "reg query \"HKU\\%s\" >nul 2>&1\nif errorlevel 1 set \"MH_NOHIVE=%s\"\n", sid, sid)
	}
	b.WriteString("if not defined MH_NOHIVE goto hivesok\n")
	b.WriteString("echo The hive of %MH_NOHIVE% is not loaded: log on as that person (see README.txt), then run this script again. Nothing was changed.\nexit /b 2\n:hivesok\n")
}

func safeSID(sid string) bool {
	for _, r := range sid {
		if !(r == 'S' || r == '-' || (r >= '0' && r <= '9')) {
			return false
		}
	}
	return strings.HasPrefix(sid, "S-1-")
}
