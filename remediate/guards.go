package remediate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"medharden/checks"
)

// Guard names, as plans and tests refer to them.
const (
	GuardLoggedOn   = "logged-on-account"
	GuardLastAdmin  = "last-admin"
	GuardLogonRight = "operator-logon-right"
	GuardRDP        = "remote-desktop"
	GuardDoNotTouch = "do-not-touch"
	GuardEmergency  = "emergency-account"
	GuardUnknown    = "session-unknown"
)

// Well-known SIDs the guards reason about.
const (
	sidEveryone       = "S-1-1-0"
	sidNetwork        = "S-1-5-2"
	sidInteractive    = "S-1-5-4"
	sidAuthenticated  = "S-1-5-11"
	sidRemoteLogon    = "S-1-5-14"
	sidLocalAccount   = "S-1-5-113"
	sidLocalAdmin     = "S-1-5-114"
	sidAdministrators = "S-1-5-32-544"
	sidGuests         = "S-1-5-32-546"
	sidRemoteDesktop  = "S-1-5-32-555"
	sidAnonymous      = "S-1-5-7"
	ridAdministrator  = "500"
	ridGuest          = "501"
	servicesKey       = `HKLM\SYSTEM\CURRENTCONTROLSET\SERVICES\`
)

// rdpServices carry Remote Desktop; disabling one ends remote management.
var rdpServices = []string{"TermService", "SessionEnv", "UmRdpService"}

// Logon rights and the logon type they govern. "always" rights protect the
// console; the others matter when the device is managed over Remote
// Desktop (with Network Level Authentication, RDP also needs network logon).
var (
	allowRights = map[string]struct {
		logonSID string
		always   bool
	}{
		"SEINTERACTIVELOGONRIGHT":       {sidInteractive, true},
		"SEREMOTEINTERACTIVELOGONRIGHT": {sidRemoteLogon, false},
		"SENETWORKLOGONRIGHT":           {sidNetwork, false},
	}
	denyRights = map[string]struct {
		logonSID string
		always   bool
	}{
		"SEDENYINTERACTIVELOGONRIGHT":       {sidInteractive, true},
		"SEDENYREMOTEINTERACTIVELOGONRIGHT": {sidRemoteLogon, false},
		"SEDENYNETWORKLOGONRIGHT":           {sidNetwork, false},
	}
)

// guards holds what the safety checks know about the host and simulates
// the account changes of the steps allowed so far, so that two steps
// together cannot do what each alone may not.
type guards struct {
	t        *Tailoring
	session  *checks.Session
	operator *checks.Account // the operator's local account, when local
	// operatorDomain is true when the operator is known not to be a local
	// account (a domain account on a joined computer).
	operatorDomain bool
	rdp            bool
	rdpReason      string
	accts          []checks.Account
	acctErr        error
	emergency      *checks.Account
	disabled       map[string]bool   // SID -> disabled, after the allowed steps
	renamed        map[string]string // SID -> name, after the allowed steps
	dev            *checks.Device
	needs          []need
}

func newGuards(ctx context.Context, h checks.Host, t *Tailoring, p *Plan) *guards {
	g := &guards{t: t, disabled: map[string]bool{}, renamed: map[string]string{}}
	g.accts, g.acctErr = h.Accounts(ctx)
	if g.acctErr != nil {
		p.Warnings = append(p.Warnings, "the local accounts cannot be read ("+g.acctErr.Error()+"); changes to accounts are refused")
	}
	for _, a := range g.accts {
		g.disabled[strings.ToUpper(a.SID)] = a.Disabled
	}
	if s, err := sessionOf(ctx, h); errors.Is(err, errNoSession) {
		p.SessionNote = err.Error()
	} else if err != nil {
		p.SessionNote = "who is logged on is unknown: " + err.Error()
	} else if s.UserSID == "" && s.UserName == "" {
		p.SessionNote = "who is logged on is unknown: no user name or SID recorded"
	} else {
		g.session = &s
		p.Session = &s
	}
	if g.session != nil {
		for i := range g.accts {
			a := &g.accts[i]
			if (g.session.UserSID != "" && strings.EqualFold(a.SID, g.session.UserSID)) ||
				(g.session.UserSID == "" && strings.EqualFold(a.Name, stripDomain(g.session.UserName))) {
				g.operator = a
			}
		}
		// Not a local account: a domain account, if the computer is joined.
		if info, err := h.OS(ctx); err == nil && info.PartOfDomain &&
			g.operator == nil && g.acctErr == nil && g.session.UserSID != "" && len(g.accts) > 0 {
			g.operatorDomain = true
		}
	}
	switch {
	case g.session == nil:
		g.rdp, g.rdpReason = true, "the session is unknown, so it may be a Remote Desktop session"
	case g.session.Remote:
		g.rdp, g.rdpReason = true, "the operator is connected over Remote Desktop"
	case t != nil && t.RDPManagement:
		g.rdp, g.rdpReason = true, "the tailoring file declares Remote Desktop as the management path (rdp_management: true)"
	}
	p.RDP, p.RDPReason = g.rdp, g.rdpReason
	var decl checks.Declared
	if t != nil {
		decl = checks.Declared{Operators: t.Operators, Emergency: t.EmergencyAccount}
	}
	g.dev = checks.BuildDevice(ctx, h, decl)
	p.Device = g.dev
	for _, part := range []string{"groups", "services", "tasks", "profiles", "autologon"} {
		if why, missing := g.dev.Missing[part]; missing {
			p.Warnings = append(p.Warnings, fmt.Sprintf("the device model lacks its %s (%s); changes that could affect them are refused", part, why))
		}
	}
	g.needs = g.deviceNeeds()
	if t != nil && t.EmergencyAccount != "" {
		for i := range g.accts {
			a := &g.accts[i]
			if strings.EqualFold(a.Name, stripDomain(t.EmergencyAccount)) || strings.EqualFold(a.SID, t.EmergencyAccount) {
				g.emergency = a
			}
		}
		switch {
		case g.emergency == nil:
			p.Warnings = append(p.Warnings, fmt.Sprintf("the emergency account %q named in the tailoring file is not a local account of this host; it cannot be protected", t.EmergencyAccount))
		case g.emergency.Disabled:
			p.Warnings = append(p.Warnings, fmt.Sprintf("the emergency account %q is disabled: emergency access does not work now", g.emergency.Name))
		}
	}
	return g
}

func (g *guards) block(s *Step, guard, format string, a ...interface{}) {
	if s.Blocked == "" {
		s.Guard, s.Blocked = guard, fmt.Sprintf(format, a...)
	}
}

func (g *guards) operatorName() string {
	if g.session == nil {
		return "the operator"
	}
	n := g.session.UserName
	if n == "" {
		n = g.session.UserSID
	}
	return "the operator " + n
}

// check runs every guard on a step and, when none refuses it, records its
// effect on accounts.
func (g *guards) check(s *Step) {
	a, v := s.Setting, *s.Target
	switch a.Kind {
	case KindSecPol:
		if !strings.EqualFold(a.Key, "System Access") {
			return
		}
		switch strings.ToLower(a.Name) {
		case "enableadminaccount":
			g.account(s, g.byRID(ridAdministrator), ridAdministrator, disableFlag(v.Text), nil)
		case "enableguestaccount":
			g.account(s, g.byRID(ridGuest), ridGuest, disableFlag(v.Text), nil)
		case "newadministratorname":
			name := unquote(v.Text)
			g.account(s, g.byRID(ridAdministrator), ridAdministrator, nil, &name)
		case "newguestname":
			name := unquote(v.Text)
			g.account(s, g.byRID(ridGuest), ridGuest, nil, &name)
		case "lockoutbadcount", "lockoutduration", "resetlockoutcount":
			g.lockoutWarning(s)
		case "maximumpasswordage":
			g.passwordAge(s)
		}
	case KindAccount:
		var acct *checks.Account
		for i := range g.accts {
			if strings.EqualFold(g.accts[i].SID, a.Key) {
				acct = &g.accts[i]
			}
		}
		rid := ""
		if i := strings.LastIndexByte(a.Key, '-'); i >= 0 {
			rid = a.Key[i+1:]
		}
		if a.Name == FieldName {
			name := v.Text
			g.account(s, acct, rid, nil, &name)
		} else {
			g.account(s, acct, rid, v.Disabled, nil)
		}
	case KindRight:
		g.right(s)
		g.deviceRight(s)
	case KindService:
		if g.t.doNotTouchService(a.Name) {
			g.block(s, GuardDoNotTouch, "service %s is on the tailoring file's do-not-touch list", a.Name)
		}
		if v.Start != nil && *v.Start == checks.StartDisabled && isRDPService(a.Name) && g.rdp {
			g.block(s, GuardRDP, "disabling %s ends Remote Desktop, and %s", a.Name, g.rdpReason)
		}
	case KindRegistry:
		g.userHive(s)
		key := normalizeKey(a.Key)
		if svc := serviceOfKey(key); svc != "" {
			if g.t.doNotTouchService(svc) {
				g.block(s, GuardDoNotTouch, "%s belongs to service %s, which is on the tailoring file's do-not-touch list", a, svc)
			}
			if isRDPService(svc) && strings.EqualFold(a.Name, "Start") && g.rdp {
				if n, ok := v.Reg().Uint64(); ok && n == uint64(checks.StartDisabled) {
					g.block(s, GuardRDP, "disabling %s ends Remote Desktop, and %s", svc, g.rdpReason)
				}
			}
		}
		if strings.EqualFold(a.Name, "fDenyTSConnections") && g.rdp {
			if n, ok := v.Reg().Uint64(); ok && n != 0 {
				g.block(s, GuardRDP, "fDenyTSConnections=1 refuses every Remote Desktop connection, and %s", g.rdpReason)
			}
		}
	}
}

func disableFlag(text string) *bool {
	switch strings.TrimSpace(unquote(text)) {
	case "0":
		return boolPtr(true)
	case "1":
		return boolPtr(false)
	}
	return nil
}

func isRDPService(name string) bool {
	for _, s := range rdpServices {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// serviceOfKey returns the service a registry key configures, if any
// (HKLM\SYSTEM\CurrentControlSet\Services\<name>\...).
func serviceOfKey(nk string) string {
	rest := ""
	switch {
	case strings.HasPrefix(nk, servicesKey):
		rest = nk[len(servicesKey):]
	case strings.HasPrefix(nk, `HKLM\SYSTEM\CONTROLSET`):
		parts := strings.SplitN(nk, `\`, 5)
		if len(parts) >= 5 && parts[3] == "SERVICES" {
			rest = parts[4]
		}
	}
	if i := strings.IndexByte(rest, '\\'); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

func (g *guards) byRID(rid string) *checks.Account {
	for i := range g.accts {
		if g.accts[i].RID() == rid {
			return &g.accts[i]
		}
	}
	return nil
}

// account guards a change to one local account: disable (non-nil) or rename.
func (g *guards) account(s *Step, acct *checks.Account, rid string, disable *bool, rename *string) {
	if disable != nil && !*disable {
		if acct != nil {
			g.disabled[strings.ToUpper(acct.SID)] = false
		}
		return // enabling locks nobody out
	}
	if disable == nil && rename == nil {
		return
	}
	verb := "disabling"
	if rename != nil {
		verb = "renaming"
		if acct != nil && strings.EqualFold(g.currentName(acct), *rename) {
			return
		}
	}
	who := "the account with relative id " + rid
	if acct != nil {
		who = fmt.Sprintf("account %q (%s)", g.currentName(acct), acct.SID)
	}
	if g.acctErr != nil || (acct == nil && len(g.accts) == 0) {
		g.block(s, GuardUnknown, "the local accounts cannot be read, so %s %s could lock someone out", verb, who)
		return
	}
	if acct == nil {
		return // no such account: nothing changes
	}
	if g.session == nil && rid != ridGuest {
		g.block(s, GuardUnknown, "%s %s is refused because it is not known who is logged on, and it may be the operator's own account", verb, who)
		return
	}
	if g.isOperator(acct) {
		g.block(s, GuardLoggedOn, "%s is logged on as %s; %s it would end the session and lock them out. Log on with another administrator account first", g.operatorName(), who, verb)
		return
	}
	if g.t.doNotTouchAccount(*acct) {
		g.block(s, GuardDoNotTouch, "%s is on the tailoring file's do-not-touch list", who)
		return
	}
	if g.emergency != nil && strings.EqualFold(g.emergency.SID, acct.SID) {
		g.block(s, GuardEmergency, "%s is the declared emergency (break-glass) account; it must stay enabled and keep its name", who)
		return
	}
	if guard, why := g.protectedAccount(acct); guard != "" {
		g.blockSuggest(s, guard, fmt.Sprintf("%s %s is refused: %s", verb, who, why), who+": "+why)
		return
	}
	if disable != nil {
		g.disabled[strings.ToUpper(acct.SID)] = true
		// The Guest account is never an administrator.
		if rid != ridGuest && !g.adminLeft() {
			g.disabled[strings.ToUpper(acct.SID)] = false
			g.block(s, GuardLastAdmin, "after %s %s no enabled administrator account would be known to remain: %s", verb, who, g.adminsWhy())
			return
		}
	} else {
		g.renamed[strings.ToUpper(acct.SID)] = *rename
	}
}

func (g *guards) currentName(a *checks.Account) string {
	if n, ok := g.renamed[strings.ToUpper(a.SID)]; ok {
		return n
	}
	return a.Name
}

func (g *guards) isOperator(a *checks.Account) bool {
	return g.operator != nil && strings.EqualFold(g.operator.SID, a.SID)
}

// adminLeft tells whether an enabled administrator is known to remain: the
// built-in Administrator, or the operator, who must be an administrator to
// change these settings at all.
func (g *guards) adminLeft() bool {
	if a := g.byRID(ridAdministrator); a != nil && !g.disabled[strings.ToUpper(a.SID)] {
		return true
	}
	if g.operatorDomain {
		return true
	}
	return g.operator != nil && !g.disabled[strings.ToUpper(g.operator.SID)]
}

func (g *guards) adminsWhy() string {
	if g.session == nil {
		return "the logged-on administrator is unknown"
	}
	if g.operator != nil && g.operator.RID() == ridAdministrator {
		return "the operator is the built-in Administrator"
	}
	return "the built-in Administrator would be disabled and no other enabled administrator account is known"
}

// operatorGroups are SIDs the operator certainly belongs to for a logon
// type: its own SID, Everyone, Authenticated Users, Administrators (changing
// these settings needs administrator rights) and the logon-type group.
func (g *guards) operatorGroups(logonSID string) map[string]bool {
	m := map[string]bool{sidEveryone: true, sidAuthenticated: true, sidAdministrators: true, logonSID: true}
	if g.session != nil && g.session.UserSID != "" {
		m[strings.ToUpper(g.session.UserSID)] = true
	}
	if g.operator != nil {
		m[strings.ToUpper(g.operator.SID)] = true
	}
	return m
}

func holds(sids []string, groups map[string]bool) bool {
	for _, s := range sids {
		if groups[strings.ToUpper(s)] {
			return true
		}
	}
	return false
}

func has(sids []string, sid string) bool {
	for _, s := range sids {
		if strings.EqualFold(s, sid) {
			return true
		}
	}
	return false
}

func (g *guards) right(s *Step) {
	name := strings.ToUpper(s.Setting.Name)
	before, target := s.Before.Value.SIDs, s.Target.SIDs
	if r, ok := allowRights[name]; ok && (r.always || g.rdp) {
		groups := g.operatorGroups(r.logonSID)
		why := "it is the operator's logon right"
		if !r.always {
			why = g.rdpReason
		}
		if holds(before, groups) && !holds(target, groups) {
			g.block(s, GuardLogonRight, "%s would lose %s (the new holders %s include none of the operator's accounts or groups), and %s", g.operatorName(), s.Setting.Name, s.Target.Show(KindRight), why)
		} else if g.session == nil && !holds(target, groups) && removes(before, target) {
			g.block(s, GuardUnknown, "it is not known who is logged on, so removing holders of %s could lock the operator out", s.Setting.Name)
		}
		if name == "SEREMOTEINTERACTIVELOGONRIGHT" && g.rdp {
			for _, sid := range []string{sidAdministrators, sidRemoteDesktop} {
				if has(before, sid) && !has(target, sid) {
					g.block(s, GuardRDP, "removing %s from %s cuts Remote Desktop access, and %s", checks.SIDLabel(sid), s.Setting.Name, g.rdpReason)
				}
			}
		}
	}
	d, ok := denyRights[name]
	if !ok {
		return
	}
	for _, sid := range target {
		if has(before, sid) {
			continue
		}
		sid = strings.ToUpper(sid)
		if g.t != nil {
			for _, a := range g.accts {
				if strings.EqualFold(a.SID, sid) && g.t.doNotTouchAccount(a) {
					g.block(s, GuardDoNotTouch, "account %q is on the tailoring file's do-not-touch list and must not be denied %s", a.Name, s.Setting.Name)
				}
			}
		}
		if g.emergency != nil && (strings.EqualFold(sid, g.emergency.SID) || sid == sidLocalAccount || sid == sidEveryone || sid == sidAuthenticated || sid == d.logonSID) {
			if d.always {
				g.block(s, GuardEmergency, "adding %s to %s would keep the emergency account %q from logging on", checks.SIDLabel(sid), s.Setting.Name, g.emergency.Name)
			} else {
				s.Warnings = append(s.Warnings, fmt.Sprintf("the emergency account %q will be denied %s (it is covered by %s)", g.emergency.Name, s.Setting.Name, checks.SIDLabel(sid)))
			}
		}
		if !d.always && !g.rdp {
			continue
		}
		if g.denySafe(sid) {
			continue
		}
		why := "it is the operator's logon"
		guard := GuardLogonRight
		if !d.always {
			why, guard = g.rdpReason, GuardRDP
		}
		if g.session == nil {
			g.block(s, GuardUnknown, "it is not known who is logged on, and adding %s to %s could deny the operator's own logon", checks.SIDLabel(sid), s.Setting.Name)
		} else {
			g.block(s, guard, "adding %s to %s could deny %s logon (they may belong to it), and %s", checks.SIDLabel(sid), s.Setting.Name, g.operatorName(), why)
		}
	}
}

func removes(before, target []string) bool {
	for _, s := range before {
		if !has(target, s) {
			return true
		}
	}
	return false
}

// denySafe tells whether denying a logon to sid cannot include the operator.
func (g *guards) denySafe(sid string) bool {
	switch sid {
	case sidGuests, sidAnonymous:
		return true
	case sidLocalAccount, sidLocalAdmin:
		// Covers every local account: safe only for a domain operator.
		return g.operatorDomain
	}
	if g.session == nil {
		return false
	}
	for _, a := range g.accts {
		if strings.EqualFold(a.SID, sid) {
			return !g.isOperator(&a)
		}
	}
	return false // a group that may contain the operator
}

func (g *guards) lockoutWarning(s *Step) {
	switch {
	case g.t == nil || g.t.EmergencyAccount == "":
		s.Warnings = append(s.Warnings, "account lockout applies to every account, including whoever needs emergency access; no emergency (break-glass) account is declared in a tailoring file")
	case g.emergency != nil && g.emergency.RID() == ridAdministrator:
		s.Warnings = append(s.Warnings, fmt.Sprintf("account lockout applies to the emergency account %q over the network; as the built-in Administrator it can still log on at the console", g.emergency.Name))
	default:
		s.Warnings = append(s.Warnings, fmt.Sprintf("account lockout also applies to the emergency account %q: wrong passwords can lock it when it is needed most; keep its password sealed and tested", g.t.EmergencyAccount))
	}
}
