package checks

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Device is what medharden knows about who uses a device and which
// accounts its software needs: the people who log on, the accounts
// services and scheduled tasks run as, and the local groups with their
// members as SIDs. Audit, plan, reports and the window all read it from
// here (BuildDevice); every remediation guard reasons over it.
//
// Names are only resolved on the way in; every comparison is made on SIDs,
// which no language changes. A principal whose SID cannot be resolved (a
// domain account, a name Windows localized) keeps its name and SID "".
type Device struct {
	People   []Person         `json:"people"`
	Services []ServiceAccount `json:"services,omitempty"`
	Tasks    []TaskAccount    `json:"tasks,omitempty"`
	Groups   []Group          `json:"groups,omitempty"`
	// Missing says, for each part that could not be read, why: keys
	// "autologon", "profiles", "session", "services", "tasks", "groups".
	// An unknown part is never taken as empty.
	Missing map[string]string `json:"missing,omitempty"`
}

// Roles of a person on the device.
const (
	RoleAutoLogon = "auto-logon account"
	RoleProfile   = "has a profile"
	RoleCollector = "ran the collector or runs medharden"
	RoleOperator  = "operator named in the tailoring file"
	RoleEmergency = "emergency account"
)

// Person is someone who logs on to the device.
type Person struct {
	Name  string   `json:"name"`
	SID   string   `json:"sid,omitempty"`
	Local bool     `json:"local"`
	Roles []string `json:"roles"`
}

// Operator tells whether the person operates the device and so needs to
// log on: the auto-logon account, the operators the tailoring names and
// whoever collected or runs medharden.
func (p Person) Operator() bool {
	return p.Has(RoleAutoLogon) || p.Has(RoleOperator) || p.Has(RoleCollector)
}

// Has tells whether the person has a role.
func (p Person) Has(role string) bool {
	for _, r := range p.Roles {
		if r == role {
			return true
		}
	}
	return false
}

// Describe names the person and why they matter: `"operator" (auto-logon
// account)`.
func (p Person) Describe() string {
	return fmt.Sprintf("%q (%s)", p.Name, strings.Join(p.Roles, ", "))
}

// ServiceAccount is the account one service runs as.
type ServiceAccount struct {
	Service   string `json:"service"`
	StartName string `json:"start_name"`
	SID       string `json:"sid,omitempty"`
	StartMode string `json:"start_mode"`
	Running   bool   `json:"running"`
	// BuiltIn is LocalSystem, LocalService or NetworkService, which need
	// no logon right.
	BuiltIn bool `json:"built_in"`
	// Local is a local user account of this computer.
	Local bool `json:"local"`
}

// Active tells whether the service starts automatically or is running.
func (s ServiceAccount) Active() bool {
	st, _ := ParseStartType(s.StartMode)
	return s.Running || (st == StartAuto && s.StartMode != "")
}

// TaskAccount is the account a scheduled task runs as.
type TaskAccount struct {
	Task    string `json:"task"`
	RunAs   string `json:"run_as"`
	SID     string `json:"sid,omitempty"`
	BuiltIn bool   `json:"built_in"`
}

// Group is a local group and its direct members.
type Group struct {
	Name    string   `json:"name"`
	SID     string   `json:"sid"`
	Members []Member `json:"members"`
}

// Member is a direct member of a group; SID is "" when it cannot be
// resolved (an account of a domain).
type Member struct {
	Name string `json:"name"`
	SID  string `json:"sid,omitempty"`
}

// ScheduledTask is one task as the host lists it. SID is the run-as
// account's SID where the host resolved it (the live host, with the
// system's own names); otherwise the device model resolves RunAs.
type ScheduledTask struct {
	Name  string
	RunAs string
	SID   string
}

// TaskSource is implemented by hosts that can list scheduled tasks with
// their run-as accounts. A host without it leaves the tasks unknown.
type TaskSource interface {
	ScheduledTasks(ctx context.Context) ([]ScheduledTask, error)
}

// GroupSource is implemented by hosts that read the local groups with
// their members as SIDs directly (the live host, through the Net API).
// BuildDevice prefers it to the WMI tables.
type GroupSource interface {
	LocalGroups(ctx context.Context) ([]Group, error)
}

// Declared is what a tailoring file says about people.
type Declared struct {
	Operators []string
	Emergency string
}

// Well-known SIDs of the service identities and the logon groups.
const (
	SIDLocalSystem    = "S-1-5-18"
	SIDLocalService   = "S-1-5-19"
	SIDNetworkService = "S-1-5-20"
	SIDEveryone       = "S-1-1-0"
	SIDAuthenticated  = "S-1-5-11"
	SIDLocalAccount   = "S-1-5-113"
	SIDLocalAdmin     = "S-1-5-114"
	SIDAdministrators = "S-1-5-32-544"
	SIDAnonymous      = "S-1-5-7"
)

const profileListKey = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList`
const winlogonKey = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon`

// BuildDevice reads the device model from a host. It never fails as a
// whole: a part that cannot be read is recorded in Missing, and the guards
// refuse what they then cannot prove safe.
func BuildDevice(ctx context.Context, h Host, d Declared) *Device {
	dev := &Device{Missing: map[string]string{}}
	info, _ := h.OS(ctx)
	r := newResolver(info.Hostname)
	accts, err := h.Accounts(ctx)
	if err != nil {
		dev.Missing["accounts"] = err.Error()
	}
	for _, a := range accts {
		r.add(info.Hostname, a.Name, a.SID)
		r.local[strings.ToUpper(a.SID)] = a.Name
	}
	inv, _ := h.(InventorySource)
	if gs, ok := h.(GroupSource); ok {
		if inv != nil {
			addSystemAccounts(ctx, inv, r)
		}
		groups, err := gs.LocalGroups(ctx)
		if err != nil {
			dev.Missing["groups"] = err.Error()
		}
		for _, g := range groups {
			r.add("", g.Name, g.SID)
			for _, m := range g.Members {
				if i := strings.LastIndexByte(m.Name, '\\'); i >= 0 {
					r.add(m.Name[:i], m.Name[i+1:], m.SID)
				}
			}
		}
		if err == nil {
			dev.Groups = groups
		}
	} else if inv != nil {
		dev.readGroups(ctx, inv, r)
	} else {
		dev.Missing["groups"] = "this host cannot list local groups"
	}

	add := func(name, sid, role string) {
		if sid == "" {
			sid = r.sid(name)
		}
		sid = strings.ToUpper(sid)
		_, local := r.local[sid]
		if n, ok := r.local[sid]; ok {
			name = n
		}
		for i := range dev.People {
			p := &dev.People[i]
			if (sid != "" && p.SID == sid) || (sid == "" && p.SID == "" && strings.EqualFold(p.Name, name)) {
				if !p.Has(role) {
					p.Roles = append(p.Roles, role)
				}
				return
			}
		}
		dev.People = append(dev.People, Person{Name: name, SID: sid, Local: local, Roles: []string{role}})
	}

	// The auto-logon account: Winlogon AutoAdminLogon="1" and DefaultUserName.
	if on, err := h.RegValue(ctx, winlogonKey, "AutoAdminLogon"); err == nil {
		if strings.TrimSpace(on.String()) == "1" {
			user, uerr := h.RegValue(ctx, winlogonKey, "DefaultUserName")
			dom, _ := h.RegValue(ctx, winlogonKey, "DefaultDomainName")
			if uerr == nil && strings.TrimSpace(user.String()) != "" {
				name := strings.TrimSpace(user.String())
				if dn := strings.TrimSpace(dom.String()); dn != "" && !strings.Contains(name, `\`) {
					name = dn + `\` + name
				}
				add(name, "", RoleAutoLogon)
			} else {
				dev.Missing["autologon"] = "AutoAdminLogon is on but DefaultUserName cannot be read"
			}
		}
	} else if !errors.Is(err, ErrAbsent) {
		dev.Missing["autologon"] = err.Error()
	}

	if s, ok := h.(SessionSource); ok {
		if sess, err := s.Session(ctx); err == nil && (sess.UserSID != "" || sess.UserName != "") {
			add(sess.UserName, sess.UserSID, RoleCollector)
		} else if err != nil {
			dev.Missing["session"] = err.Error()
		}
	} else {
		dev.Missing["session"] = "this host does not know who runs medharden"
	}
	for _, o := range d.Operators {
		add(o, sidOrEmpty(o), RoleOperator)
	}
	if d.Emergency != "" {
		add(d.Emergency, sidOrEmpty(d.Emergency), RoleEmergency)
	}

	// Every account with a profile (ProfileList\<SID>). Service identities
	// (S-1-5-18/19/20) have profiles too; they are not people.
	if inv != nil {
		sids, err := inv.RegSubkeys(ctx, profileListKey)
		if err != nil {
			dev.Missing["profiles"] = err.Error()
		}
		for _, sid := range sids {
			u := strings.ToUpper(sid)
			if !strings.HasPrefix(u, "S-1-5-21-") {
				continue
			}
			name := r.local[u]
			if name == "" {
				name = profileName(ctx, h, sid)
			}
			add(name, u, RoleProfile)
		}
	} else {
		dev.Missing["profiles"] = "this host cannot list profiles"
	}

	if inv != nil {
		dev.readServices(ctx, inv, r)
	} else {
		dev.Missing["services"] = "this host cannot list services"
	}
	if ts, ok := h.(TaskSource); ok {
		tasks, err := ts.ScheduledTasks(ctx)
		if err != nil {
			dev.Missing["tasks"] = err.Error()
		}
		for _, t := range tasks {
			sid := strings.ToUpper(t.SID)
			if sid == "" {
				sid = r.sid(t.RunAs)
			}
			dev.Tasks = append(dev.Tasks, TaskAccount{Task: t.Name, RunAs: t.RunAs, SID: sid, BuiltIn: builtInService(sid)})
		}
	} else {
		dev.Missing["tasks"] = fmt.Sprintf("%v: this host does not list scheduled tasks", ErrNotCollected)
	}
	return dev
}

func sidOrEmpty(s string) string {
	if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(s)), "S-1-") {
		return strings.ToUpper(strings.TrimSpace(s))
	}
	return ""
}

// profileName is the last folder of ProfileImagePath, the user's name when
// the profile was made; a SID when it cannot be read.
func profileName(ctx context.Context, h Host, sid string) string {
	v, err := h.RegValue(ctx, profileListKey+`\`+sid, "ProfileImagePath")
	if err != nil {
		return sid
	}
	p := strings.TrimRight(v.String(), `\`)
	if i := strings.LastIndexByte(p, '\\'); i >= 0 && i+1 < len(p) {
		return p[i+1:]
	}
	return sid
}

func builtInService(sid string) bool {
	switch sid {
	case SIDLocalSystem, SIDLocalService, SIDNetworkService:
		return true
	}
	return false
}

func (dev *Device) readServices(ctx context.Context, inv InventorySource, r *resolver) {
	rows, err := inv.WMI(ctx, "service")
	if err != nil {
		dev.Missing["services"] = err.Error()
		return
	}
	for _, row := range rows {
		if _, ok := row["StartName"]; !ok {
			dev.Missing["services"] = "the service list has no StartName column"
			dev.Services = nil
			return
		}
		sn := strings.TrimSpace(row["StartName"])
		if sn == "" {
			continue // a driver, or a service WMI shows without an account
		}
		sid := r.sid(sn)
		_, local := r.local[sid]
		dev.Services = append(dev.Services, ServiceAccount{
			Service: strings.TrimSpace(row["Name"]), StartName: sn, SID: sid,
			StartMode: strings.TrimSpace(row["StartMode"]),
			Running:   strings.EqualFold(strings.TrimSpace(row["State"]), "Running"),
			BuiltIn:   builtInService(sid), Local: local,
		})
	}
}

// groupRef matches a WMI object path as Win32_GroupUser writes it:
// \\HOST\root\cimv2:Win32_Group.Domain="HOST",Name="Administrators".
// Account and group names cannot hold a quote, so the pattern is exact.
var groupRef = regexp.MustCompile(`^(?:\\\\[^\\]*\\root\\cimv2:)?(Win32_\w+)\.Domain="([^"]*)",Name="([^"]*)"$`)

// ParseWMIRef splits a Win32_GroupUser reference into class, domain and
// name; ok is false when it is not one.
func ParseWMIRef(ref string) (class, domain, name string, ok bool) {
	m := groupRef.FindStringSubmatch(strings.TrimSpace(ref))
	if m == nil {
		return "", "", "", false
	}
	return m[1], m[2], m[3], true
}

// readGroups reads the local groups (wmic group: Domain, Name, SID), the
// system accounts (wmic sysaccount) and the memberships (wmic
// Win32_GroupUser). Group names are localized, so they are only mapped to
// SIDs through WMI's own table of the same machine.
func (dev *Device) readGroups(ctx context.Context, inv InventorySource, r *resolver) {
	groups, err := inv.WMI(ctx, "group")
	if err != nil {
		dev.Missing["groups"] = err.Error()
		return
	}
	addSystemAccounts(ctx, inv, r)
	index := map[string]int{}
	for _, row := range groups {
		sid := strings.ToUpper(strings.TrimSpace(row["SID"]))
		if !strings.HasPrefix(sid, "S-1-") {
			continue
		}
		r.add(row["Domain"], row["Name"], sid)
		index[sid] = len(dev.Groups)
		dev.Groups = append(dev.Groups, Group{Name: strings.TrimSpace(row["Name"]), SID: sid})
	}
	links, err := inv.WMI(ctx, "groupuser")
	if err != nil {
		dev.Missing["groups"] = err.Error()
		dev.Groups = nil
		return
	}
	for _, row := range links {
		_, gd, gn, ok1 := ParseWMIRef(row["GroupComponent"])
		_, md, mn, ok2 := ParseWMIRef(row["PartComponent"])
		if !ok1 || !ok2 {
			dev.Missing["groups"] = fmt.Sprintf("a Win32_GroupUser row is not understood: %q", row["GroupComponent"])
			dev.Groups = nil
			return
		}
		gi, ok := index[r.lookup(gd, gn)]
		if !ok {
			continue // a domain group: its members are not local knowledge
		}
		m := Member{Name: md + `\` + mn, SID: r.lookup(md, mn)}
		dev.Groups[gi].Members = append(dev.Groups[gi].Members, m)
	}
	sort.SliceStable(dev.Groups, func(i, j int) bool { return dev.Groups[i].SID < dev.Groups[j].SID })
}

// addSystemAccounts teaches the resolver the system accounts' names in the
// system's language (wmic sysaccount), where the host lists them.
func addSystemAccounts(ctx context.Context, inv InventorySource, r *resolver) {
	if sys, err := inv.WMI(ctx, "sysaccount"); err == nil {
		for _, row := range sys {
			r.add(row["Domain"], row["Name"], row["SID"])
		}
	}
}

// resolver maps names to SIDs: names the host's own tables give (local
// accounts, groups, system accounts, keyed by domain and name), the
// service-account spellings of the service manager, and the English
// well-known names.
type resolver struct {
	host  string
	names map[string]string // DOMAIN\NAME -> SID
	local map[string]string // SID -> name of a local user account
}

func newResolver(host string) *resolver {
	return &resolver{host: strings.ToUpper(host), names: map[string]string{}, local: map[string]string{}}
}

func (r *resolver) add(domain, name, sid string) {
	domain, name, sid = strings.ToUpper(strings.TrimSpace(domain)), strings.ToUpper(strings.TrimSpace(name)), strings.ToUpper(strings.TrimSpace(sid))
	if name == "" || !strings.HasPrefix(sid, "S-1-") {
		return
	}
	if domain == "" {
		domain = r.host
	}
	if _, dup := r.names[domain+`\`+name]; !dup {
		r.names[domain+`\`+name] = sid
	}
}

func (r *resolver) lookup(domain, name string) string {
	return r.names[strings.ToUpper(strings.TrimSpace(domain))+`\`+strings.ToUpper(strings.TrimSpace(name))]
}

// sid resolves a name as services, tasks, Winlogon and tailoring files
// write it: "LocalSystem", "NT AUTHORITY\LocalService", ".\svcvendor",
// "HOST\svcvendor", "svcvendor", or a SID. "" when it cannot.
func (r *resolver) sid(name string) string {
	n := strings.ToUpper(strings.TrimSpace(name))
	switch {
	case n == "":
		return ""
	case strings.HasPrefix(n, "S-1-"):
		return n
	case n == "LOCALSYSTEM" || n == "SYSTEM" || n == `NT AUTHORITY\SYSTEM`:
		return SIDLocalSystem
	case n == `NT AUTHORITY\LOCALSERVICE` || n == `NT AUTHORITY\LOCAL SERVICE` || n == "LOCAL SERVICE":
		return SIDLocalService
	case n == `NT AUTHORITY\NETWORKSERVICE` || n == `NT AUTHORITY\NETWORK SERVICE` || n == "NETWORK SERVICE":
		return SIDNetworkService
	}
	domain, user := r.host, n
	if i := strings.LastIndexByte(n, '\\'); i >= 0 {
		domain, user = n[:i], n[i+1:]
		if domain == "." || domain == "" {
			domain = r.host
		}
	}
	if sid, ok := r.names[domain+`\`+user]; ok {
		return sid
	}
	if domain == r.host {
		for sid, local := range r.local {
			if strings.EqualFold(local, user) {
				return sid
			}
		}
	}
	if sid, ok := WellKnownSID(n); ok {
		return sid
	}
	return ""
}

// Known tells whether the groups were collected.
func (dev *Device) Known(part string) bool {
	_, missing := dev.Missing[part]
	return !missing
}

// Principal is an account the guards reason about.
type Principal struct {
	Name  string
	SID   string
	Local bool
}

// Closure is every SID whose holding of a right reaches p through a logon
// of the given logon-type SID (S-1-5-4 interactive, S-1-5-3 batch,
// S-1-5-6 service, S-1-5-14 remote): its own SID, Everyone, Authenticated
// Users, the logon type, Local account for a local account, and every
// local group that contains one of these, directly or through another
// group. The name (upper case) stands for a principal without a SID.
func (dev *Device) Closure(p Principal, logonSID string) map[string]bool {
	set := map[string]bool{SIDEveryone: true, SIDAuthenticated: true}
	if logonSID != "" {
		set[logonSID] = true
	}
	if p.SID != "" {
		set[strings.ToUpper(p.SID)] = true
	}
	if p.Name != "" {
		set[strings.ToUpper(p.Name)] = true
		if i := strings.LastIndexByte(p.Name, '\\'); i >= 0 {
			set[strings.ToUpper(p.Name[i+1:])] = true
		}
	}
	if p.Local {
		set[SIDLocalAccount] = true
	}
	for changed := true; changed; {
		changed = false
		for _, g := range dev.Groups {
			if set[g.SID] {
				continue
			}
			for _, m := range g.Members {
				if (m.SID != "" && set[m.SID]) || (m.SID == "" && set[strings.ToUpper(m.Name)]) {
					set[g.SID] = true
					changed = true
					break
				}
			}
		}
	}
	if p.Local && set[SIDAdministrators] {
		set[SIDLocalAdmin] = true
	}
	return set
}

// IsGroup tells whether a SID is a local group of the device.
func (dev *Device) IsGroup(sid string) bool {
	for _, g := range dev.Groups {
		if strings.EqualFold(g.SID, sid) {
			return true
		}
	}
	return false
}

// Person returns the person with a SID, if the model knows one.
func (dev *Device) Person(sid string) (Person, bool) {
	for _, p := range dev.People {
		if p.SID != "" && strings.EqualFold(p.SID, sid) {
			return p, true
		}
	}
	return Person{}, false
}

// HiveReleaser is implemented by hosts that load people's hives to read
// and change their settings (the live host). ReleaseHives unloads them;
// the host loads them again when it next needs them. A front end that
// stays open (the window) calls it after each audit, plan and apply, so no
// hive stays loaded while nothing runs: a loaded hive keeps its person
// from logging on with their profile.
type HiveReleaser interface {
	ReleaseHives() error
}

// ReleaseHives unloads the hives h loaded, if it loads any.
func ReleaseHives(h Host) error {
	if r, ok := h.(HiveReleaser); ok {
		return r.ReleaseHives()
	}
	return nil
}
