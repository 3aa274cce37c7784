package remediate

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"medharden/checks"
)

// Guards over the device model (checks.Device): the people who operate the
// device, the accounts its services and scheduled tasks run as, and the
// local groups through which they hold their logon rights.
const (
	GuardOperator       = "operator-account"
	GuardServiceAccount = "service-account"
	GuardTaskAccount    = "task-account"
	GuardNotCollected   = "not-collected"
)

// logonRights maps each logon right to the logon-type SID a token carries
// for it; denyOf maps each deny right to the right it takes away.
var (
	logonRights = map[string]string{
		"SEINTERACTIVELOGONRIGHT":       sidInteractive,
		"SEREMOTEINTERACTIVELOGONRIGHT": sidRemoteLogon,
		"SENETWORKLOGONRIGHT":           sidNetwork,
		"SEBATCHLOGONRIGHT":             "S-1-5-3",
		"SESERVICELOGONRIGHT":           "S-1-5-6",
	}
	denyOf = map[string]string{
		"SEDENYINTERACTIVELOGONRIGHT":       "SEINTERACTIVELOGONRIGHT",
		"SEDENYREMOTEINTERACTIVELOGONRIGHT": "SEREMOTEINTERACTIVELOGONRIGHT",
		"SEDENYNETWORKLOGONRIGHT":           "SENETWORKLOGONRIGHT",
		"SEDENYBATCHLOGONRIGHT":             "SEBATCHLOGONRIGHT",
		"SEDENYSERVICELOGONRIGHT":           "SESERVICELOGONRIGHT",
	}
	// rightPart is the part of the model that says who needs a right.
	rightPart  = map[string]string{"SESERVICELOGONRIGHT": "services", "SEBATCHLOGONRIGHT": "tasks"}
	rightWords = map[string]string{
		"SEINTERACTIVELOGONRIGHT":       "local logon",
		"SEREMOTEINTERACTIVELOGONRIGHT": "Remote Desktop logon",
		"SENETWORKLOGONRIGHT":           "network logon",
		"SEBATCHLOGONRIGHT":             "batch logon (scheduled tasks)",
		"SESERVICELOGONRIGHT":           "service logon",
	}
)

// need is one account's need for a logon right.
type need struct {
	p     checks.Principal
	who   string // the person or service, for messages
	right string // upper-case logon right
	guard string
	// denyOnly: only adding a denial is refused (do-not-touch accounts,
	// whose exact rights the tailoring file does not say).
	denyOnly bool
	// tailorable: an override of the check in the tailoring file is the
	// site's decision and turns this protection off.
	tailorable bool
}

// deviceNeeds lists what the people, services and tasks of the model need.
func (g *guards) deviceNeeds() []need {
	var out []need
	for _, p := range g.dev.People {
		emergency := p.Has(checks.RoleEmergency)
		if !p.Operator() && !emergency {
			continue
		}
		pr := checks.Principal{Name: p.Name, SID: p.SID, Local: p.Local}
		guard, who := GuardOperator, "the operator "+p.Describe()
		if emergency && !p.Operator() {
			guard, who = GuardEmergency, "the emergency account "+p.Describe()
		}
		out = append(out, need{p: pr, who: who, right: "SEINTERACTIVELOGONRIGHT", guard: guard})
		if g.rdp {
			out = append(out, need{p: pr, who: who, right: "SEREMOTEINTERACTIVELOGONRIGHT", guard: guard})
		}
	}
	if g.t != nil {
		for _, a := range g.accts {
			if !g.t.doNotTouchAccount(a) {
				continue
			}
			pr := checks.Principal{Name: a.Name, SID: a.SID, Local: true}
			for r := range logonRights {
				out = append(out, need{p: pr, who: fmt.Sprintf("account %q (on the tailoring file's do-not-touch list)", a.Name), right: r, guard: GuardDoNotTouch, denyOnly: true})
			}
		}
	}
	for _, s := range g.dev.Services {
		if s.BuiltIn {
			continue
		}
		dnt := g.t.doNotTouchService(s.Service)
		if !dnt && !s.Active() {
			continue
		}
		who := fmt.Sprintf("service %s (runs as %s, %s", s.Service, s.StartName, strings.ToLower(s.StartMode))
		if s.Running {
			who += ", running"
		}
		if dnt {
			who += ", on the tailoring file's do-not-touch list"
		}
		who += ")"
		out = append(out, need{p: g.principal(s.SID, s.StartName), who: who, right: "SESERVICELOGONRIGHT", guard: GuardServiceAccount, tailorable: !dnt})
	}
	for _, t := range g.dev.Tasks {
		if t.BuiltIn || !userAccount(t.SID, t.RunAs) {
			continue
		}
		out = append(out, need{p: g.principal(t.SID, t.RunAs), who: fmt.Sprintf("scheduled task %s (runs as %s)", t.Task, t.RunAs), right: "SEBATCHLOGONRIGHT", guard: GuardTaskAccount})
	}
	return out
}

// userAccount tells whether a run-as entry names a user account (of this
// computer or a domain) rather than a group or a system identity: tasks
// that run as "INTERACTIVE" or "Users" run in a logged-on user's session.
func userAccount(sid, name string) bool {
	if sid != "" {
		return strings.HasPrefix(sid, "S-1-5-21-")
	}
	n := strings.ToUpper(strings.TrimSpace(name))
	return n != "" && n != "N/A"
}

func (g *guards) principal(sid, name string) checks.Principal {
	local := false
	for _, a := range g.accts {
		if sid != "" && strings.EqualFold(a.SID, sid) {
			local, name = true, a.Name
		}
	}
	return checks.Principal{Name: name, SID: sid, Local: local}
}

// deviceRight refuses a change of a logon right or a deny right that would
// take the right from an account the model says needs it, directly or
// through a group.
func (g *guards) deviceRight(s *Step) {
	name := strings.ToUpper(s.Setting.Name)
	grant, deny := name, false
	if r, ok := denyOf[name]; ok {
		grant, deny = r, true
	}
	logonSID, ok := logonRights[grant]
	if !ok {
		return
	}
	before, target := s.Before.Value.SIDs, s.Target.SIDs
	changed := removed(before, target)
	if deny {
		changed = removed(target, before) // the holders added
	}
	if len(changed) == 0 {
		return
	}
	if part := rightPart[grant]; part != "" && !g.dev.Known(part) {
		g.blockSuggest(s, GuardNotCollected, fmt.Sprintf("%s %s of %s, but the device's %s were not collected (%s), so it cannot be shown that no %s needs it", verbOf(deny), g.labels(changed), s.Setting.Name, partWords[part], g.dev.Missing[part], partWho[part]), "")
		return
	}
	groupsKnown := g.dev.Known("groups")
	var hits, unknown []string
	guard := ""
	for _, n := range g.needs {
		if n.right != grant || (n.denyOnly && !deny) || (n.tailorable && g.t.overridden(s.CheckID)) {
			continue
		}
		closure := g.dev.Closure(n.p, logonSID)
		if deny {
			for _, sid := range changed {
				if closure[strings.ToUpper(sid)] {
					hits = append(hits, fmt.Sprintf("%s (through %s)", n.who, g.label(sid)))
					guard = firstOf(guard, n.guard)
				} else if !groupsKnown && g.mayContain(sid, n.p) {
					unknown = append(unknown, fmt.Sprintf("%s may belong to %s", n.who, g.label(sid)))
				}
			}
			continue
		}
		via := holdsVia(before, closure)
		if via == "" || holdsVia(target, closure) != "" {
			if via == "" && !groupsKnown && holdsVia(target, closure) == "" {
				for _, sid := range changed {
					if g.mayContain(sid, n.p) {
						unknown = append(unknown, fmt.Sprintf("%s may hold it through %s", n.who, g.label(sid)))
						break
					}
				}
			}
			continue
		}
		hits = append(hits, fmt.Sprintf("%s (holds it through %s)", n.who, g.label(via)))
		guard = firstOf(guard, n.guard)
	}
	words := rightWords[grant]
	switch {
	case len(hits) > 0:
		what := "takes " + words + " (" + s.Setting.Name + ") away from"
		if deny {
			what = "would deny " + words + " to"
		}
		g.blockSuggest(s, guard, fmt.Sprintf("%s %s %s: %s", verbOf(deny), g.labels(changed), what, strings.Join(uniq(hits), "; ")), strings.Join(uniq(hits), "; "))
	case len(unknown) > 0:
		g.blockSuggest(s, GuardNotCollected, fmt.Sprintf("local group membership was not collected (%s), so %s %s of %s is refused: %s", g.dev.Missing["groups"], strings.ToLower(verbOf(deny)), g.labels(changed), s.Setting.Name, strings.Join(uniq(unknown), "; ")), "")
	}
}

var (
	partWords = map[string]string{"services": "service accounts", "tasks": "scheduled tasks"}
	partWho   = map[string]string{"services": "service account", "tasks": "scheduled task's run-as account"}
)

func verbOf(deny bool) string {
	if deny {
		return "Adding"
	}
	return "Removing"
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// removed lists the SIDs of a that b lacks.
func removed(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !has(b, s) {
			out = append(out, s)
		}
	}
	return out
}

func holdsVia(sids []string, closure map[string]bool) string {
	for _, s := range sids {
		if closure[strings.ToUpper(s)] {
			return s
		}
	}
	return ""
}

// label names a SID for people, with the local account or group name
// the device uses where the well-known list has none.
func (g *guards) label(sid string) string {
	if l := checks.SIDLabel(sid); l != sid {
		return l
	}
	for _, a := range g.accts {
		if strings.EqualFold(a.SID, sid) {
			return fmt.Sprintf("%q (%s)", a.Name, sid)
		}
	}
	for _, gr := range g.dev.Groups {
		if strings.EqualFold(gr.SID, sid) {
			return gr.Name + " (" + sid + ")"
		}
	}
	return sid
}

func (g *guards) labels(sids []string) string {
	out := make([]string, len(sids))
	for i, s := range sids {
		out[i] = g.label(s)
	}
	return strings.Join(out, ", ")
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// mayContain tells whether a holder could contain p when the group
// memberships are unknown: groups could; another user account, a service
// identity, Anonymous Logon or a logon type p does not have cannot.
func (g *guards) mayContain(sid string, p checks.Principal) bool {
	u := strings.ToUpper(sid)
	switch u {
	case sidAnonymous, checks.SIDLocalSystem, checks.SIDLocalService, checks.SIDNetworkService,
		sidNetwork, "S-1-5-3", sidInteractive, "S-1-5-6", sidRemoteLogon:
		return false
	case sidLocalAccount:
		return p.Local
	}
	if strings.HasPrefix(u, "S-1-5-80-") {
		return false // a service SID
	}
	for _, a := range g.accts {
		if strings.EqualFold(a.SID, u) {
			return false
		}
	}
	return true
}

// blockSuggest refuses a step and suggests the tailoring entry that
// records the finding as accepted when the site decides so.
//
// A step another guard refused already keeps that guard, and the reason
// grows by this one, so that every person and service it protects is named.
func (g *guards) blockSuggest(s *Step, guard, why, protects string) {
	if s.Blocked != "" {
		if !strings.Contains(s.Blocked, why) {
			s.Blocked += ". Also: " + why
		}
	} else {
		g.block(s, guard, "%s", why)
	}
	if s.Suggest != "" && protects == "" {
		return
	}
	just := "the change is refused by guard " + guard
	if protects != "" {
		just = "needed by " + protects
	}
	s.Suggest = "waivers:\n  - id: " + strconv.Quote(s.CheckID) +
		"\n    justification: " + strconv.Quote(just) +
		"\n    approver: \"<who accepts the risk>\"\n    expires: \"<yyyy-mm-dd, at most " + strconv.Itoa(MaxWaiverYears) + " years ahead>\""
}

// protectedAccount says why an account must not be disabled, renamed or
// have its password expire, and which guard protects it.
func (g *guards) protectedAccount(a *checks.Account) (guard, why string) {
	sid := strings.ToUpper(a.SID)
	if p, ok := g.dev.Person(sid); ok {
		switch {
		case p.Has(checks.RoleEmergency):
			return GuardEmergency, "it is the emergency account " + p.Describe()
		case p.Has(checks.RoleAutoLogon):
			return GuardOperator, "it is the account the device logs on with automatically " + p.Describe() + "; the clinical application would not start after the next restart"
		case p.Operator():
			return GuardOperator, "it is the operator " + p.Describe()
		}
	}
	var svcs []string
	for _, s := range g.dev.Services {
		if !s.BuiltIn && strings.EqualFold(s.SID, sid) {
			svcs = append(svcs, s.Service)
		}
	}
	if len(svcs) > 0 {
		sort.Strings(svcs)
		return GuardServiceAccount, "service " + strings.Join(svcs, ", ") + " runs as it and would not start"
	}
	for _, t := range g.dev.Tasks {
		if strings.EqualFold(t.SID, sid) {
			return GuardTaskAccount, "scheduled task " + t.Task + " runs as it and would fail"
		}
	}
	return "", ""
}

// passwordAge refuses a maximum password age that would make the password
// of an account nobody types in expire: the auto-logon account, service
// and task accounts.
func (g *guards) passwordAge(s *Step) {
	n, err := strconv.Atoi(strings.TrimSpace(s.Target.Text))
	if err != nil || n <= 0 {
		return
	}
	for i := range g.accts {
		a := &g.accts[i]
		if !a.PasswordExpires || a.Disabled {
			continue
		}
		guard, why := g.protectedAccount(a)
		if guard == GuardServiceAccount || guard == GuardTaskAccount || (guard == GuardOperator && strings.Contains(why, "automatically")) {
			g.blockSuggest(s, guard, fmt.Sprintf("a maximum password age of %d days makes the password of %q expire (its password is not set to never expire), and %s", n, a.Name, why), fmt.Sprintf("%q (%s)", a.Name, why))
		}
	}
}

// overridden tells whether the tailoring file overrides a check.
func (t *Tailoring) overridden(id string) bool {
	if t == nil {
		return false
	}
	for _, o := range t.Overrides {
		if o.ID == id {
			return true
		}
	}
	return false
}
