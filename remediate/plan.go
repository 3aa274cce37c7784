package remediate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"medharden/checks"
)

// now is the clock of plans, backups and journals; tests replace it.
var now = time.Now

// Selection says which checks a plan fixes.
type Selection struct {
	// Mode is "failed" (every failed check), "capability" (the failed
	// checks of one 80001-2-2 capability) or "ids" (the checks named).
	Mode       string
	Capability string
	IDs        []string
}

// ParseSelection reads "failed", "capability:AUTH" or "ids:1.1.1,2.3.1.1".
func ParseSelection(s string) (Selection, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" || s == "failed":
		return Selection{Mode: "failed"}, nil
	case strings.HasPrefix(s, "capability:"):
		c := strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(s, "capability:")))
		if _, ok := checks.Capabilities[c]; !ok {
			return Selection{}, fmt.Errorf("unknown capability %q; use one of %s", c, strings.Join(checks.CapabilityCodes(), ", "))
		}
		return Selection{Mode: "capability", Capability: c}, nil
	case strings.HasPrefix(s, "ids:"):
		var ids []string
		for _, id := range strings.Split(strings.TrimPrefix(s, "ids:"), ",") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return Selection{}, errors.New("ids: names no check; write ids:1.1.1,2.3.1.1")
		}
		return Selection{Mode: "ids", IDs: ids}, nil
	}
	return Selection{}, fmt.Errorf("unknown selection %q; use failed, capability:CODE or ids:ID,ID", s)
}

func (s Selection) String() string {
	switch s.Mode {
	case "capability":
		return "capability:" + s.Capability
	case "ids":
		return "ids:" + strings.Join(s.IDs, ",")
	}
	return "failed"
}

// Wants tells whether the selection asks to fix a result.
func (s Selection) Wants(r checks.Result) bool { return s.wants(r) }

func (s Selection) wants(r checks.Result) bool {
	switch s.Mode {
	case "ids":
		for _, id := range s.IDs {
			if id == r.ID {
				return true
			}
		}
		return false
	case "capability":
		if r.Status != checks.Fail {
			return false
		}
		for _, c := range r.Capabilities {
			if c == s.Capability {
				return true
			}
		}
		return false
	}
	return r.Status == checks.Fail
}

// Identity says which system a plan or backup belongs to.
type Identity struct {
	Hostname    string `json:"hostname"`
	OS          string `json:"os"`
	Version     string `json:"version"`
	Source      string `json:"source"`             // "live" or "snapshot"
	Snapshot    string `json:"snapshot,omitempty"` // the snapshot folder
	CollectedAt string `json:"collected_at,omitempty"`
}

// Identify describes the host.
func Identify(ctx context.Context, h checks.Host) (Identity, error) {
	info, err := h.OS(ctx)
	if err != nil {
		return Identity{}, fmt.Errorf("identify host: %w", err)
	}
	hid := h.Identity()
	id := Identity{Hostname: info.Hostname, OS: strings.TrimSpace(info.Caption), Version: info.Version,
		Source: hid.Origin.String(), Snapshot: hid.Dir, CollectedAt: hid.CollectedAt}
	return id, nil
}

func (id Identity) String() string {
	s := id.Hostname
	if s == "" {
		s = "(unknown host)"
	}
	s += " (" + strings.TrimSpace(id.OS+" "+id.Version) + ")"
	if id.Source == "snapshot" {
		s += ", snapshot " + id.Snapshot
	}
	return s
}

// Plan is the list of changes remediation would make, computed without
// changing anything: the CLI prints it, the GUI shows it, apply executes it.
type Plan struct {
	Created   string   `json:"created"`
	Host      Identity `json:"host"`
	Profile   string   `json:"profile"`
	Selection string   `json:"selection"`
	Tailoring string   `json:"tailoring,omitempty"`
	// Session is who runs medharden; nil when it cannot be known, in which
	// case SessionNote says why and every guard assumes the worst.
	Session     *checks.Session `json:"session,omitempty"`
	SessionNote string          `json:"session_note,omitempty"`
	// RDP is set when the Remote Desktop guards are on, RDPReason says why.
	RDP       bool     `json:"rdp_guarded"`
	RDPReason string   `json:"rdp_reason,omitempty"`
	Steps     []Step   `json:"steps"`
	Skipped   []Skip   `json:"skipped,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
	// Device is the device model the guards reasoned over.
	Device *checks.Device `json:"device,omitempty"`

	checks map[string]checks.Check
}

// Step is one check's change.
type Step struct {
	CheckID string  `json:"check"`
	Title   string  `json:"title"`
	Setting Address `json:"setting"`
	Before  State   `json:"before"`
	// Target is nil for manual steps.
	Target *Value `json:"target,omitempty"`
	// Manual, when set, is what a person has to do instead.
	Manual string `json:"manual,omitempty"`
	// Guard names the safety guard that refused the change, Blocked says why.
	Guard   string `json:"guard,omitempty"`
	Blocked string `json:"blocked,omitempty"`
	// Suggest is the tailoring entry that records a refused finding as
	// accepted, for the site to complete if it decides so.
	Suggest  string   `json:"suggest,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Tradeoff string   `json:"tradeoff,omitempty"`
}

// Automatic tells whether apply will make this change.
func (s Step) Automatic() bool { return s.Target != nil && s.Manual == "" && s.Blocked == "" }

// Skip is a selected or noteworthy check the plan does not change.
type Skip struct {
	CheckID string `json:"check"`
	Reason  string `json:"reason"`
}

// Changes returns the steps apply will make, in order.
func (p *Plan) Changes() []Step {
	var out []Step
	for _, s := range p.Steps {
		if s.Automatic() {
			out = append(out, s)
		}
	}
	return out
}

// Refused returns the steps a guard blocked.
func (p *Plan) Refused() []Step {
	var out []Step
	for _, s := range p.Steps {
		if s.Blocked != "" {
			out = append(out, s)
		}
	}
	return out
}

// ManualSteps returns what a person has to do.
func (p *Plan) ManualSteps() []Step {
	var out []Step
	for _, s := range p.Steps {
		if s.Manual != "" {
			out = append(out, s)
		}
	}
	return out
}

// NewPlan computes what remediation would change. It reads the host but
// never writes. rep is an audit of the same host with the same (tailored)
// catalog; t may be nil.
func NewPlan(ctx context.Context, h checks.Host, cat *checks.Catalog, rep checks.Report, sel Selection, t *Tailoring) (*Plan, error) {
	id, err := Identify(ctx, h)
	if err != nil {
		return nil, err
	}
	cat, err = t.Tailor(cat)
	if err != nil {
		return nil, err
	}
	p := &Plan{
		Created:   now().UTC().Format(time.RFC3339),
		Host:      id,
		Profile:   rep.Profile,
		Selection: sel.String(),
		checks:    map[string]checks.Check{},
	}
	if t != nil {
		p.Tailoring = t.File
	}
	pl := &planner{ctx: ctx, h: h, sel: sel, p: p, g: newGuards(ctx, h, t, p), seen: map[string]int{}}
	for _, r := range rep.Results {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		pl.add(cat, r)
	}
	if sel.Mode == "ids" {
		inReport := map[string]bool{}
		for _, r := range rep.Results {
			inReport[r.ID] = true
		}
		for _, id := range sel.IDs {
			if !inReport[id] {
				p.Skipped = append(p.Skipped, Skip{id, "not a check of profile " + rep.Profile})
			}
		}
	}
	for _, w := range t.Expired() {
		p.Warnings = append(p.Warnings, fmt.Sprintf("%s:%d: the waiver for %s expired on %s; the finding shows again", t.File, w.Line, w.ID, w.Expires))
	}
	return p, nil
}

// planner holds what NewPlan builds up from one result to the next.
type planner struct {
	ctx  context.Context
	h    checks.Host
	sel  Selection
	p    *Plan
	g    *guards
	seen map[string]int // setting -> index of the step that changes it
}

// add plans one result: skipped with the reason, or handed to change.
func (pl *planner) add(cat *checks.Catalog, r checks.Result) {
	p, sel := pl.p, pl.sel
	if sel.Mode == "ids" && r.Status == checks.Pass && sel.wants(r) {
		// A check that passes is never changed, even when named: its
		// value may be stricter than the fix (lockout -1 against 15).
		p.Skipped = append(p.Skipped, Skip{r.ID, "already meets the recommendation (" + r.Actual + "); nothing to change"})
		return
	}
	if !sel.wants(r) {
		switch r.Status {
		case checks.Waived:
			p.Skipped = append(p.Skipped, Skip{r.ID, r.Reason})
		case checks.Error:
			if sel.Mode != "ids" {
				p.Skipped = append(p.Skipped, Skip{r.ID, "could not be evaluated, so it is not changed: " + r.Reason})
			}
		}
		return
	}
	ch, ok := cat.Get(r.ID)
	if !ok {
		p.Skipped = append(p.Skipped, Skip{r.ID, "not in the catalog"})
		return
	}
	p.checks[ch.ID] = ch
	if r.User != nil {
		// A user-scope check changes only the hive of the person the
		// result names.
		if r.User.SID == "" {
			p.Skipped = append(p.Skipped, Skip{r.ID, "the hive of " + r.User.Name + " cannot be found (SID unknown), so nothing is changed: " + r.Reason})
			return
		}
		ch = ch.ForUser(r.User.SID)
	}
	pl.change(ch, r)
}

// change makes the step for a check the selection wants changed: manual,
// blocked with the reason, or automatic once the guards agree.
func (pl *planner) change(ch checks.Check, r checks.Result) {
	ctx, p, g := pl.ctx, pl.p, pl.g
	st := Step{CheckID: ch.ID, Title: ch.Title, Tradeoff: ch.Tradeoff}
	if ch.Fix.Manual != "" {
		st.Manual = ch.Fix.Manual
		if a, err := addressFor(ch, g.accts); err == nil {
			st.Setting = a
		}
		p.Steps = append(p.Steps, st)
		return
	}
	a, err := addressFor(ch, g.accts)
	if err != nil {
		st.Manual = err.Error()
		p.Steps = append(p.Steps, st)
		return
	}
	if r.User != nil {
		a.Label = r.User.Name
	}
	st.Setting = a
	before, err := ReadSetting(ctx, pl.h, a)
	if err != nil {
		st.Guard = "unreadable"
		st.Blocked = fmt.Sprintf("the current value of %s cannot be read (%v), so it could not be backed up; nothing is changed", a, err)
		p.Steps = append(p.Steps, st)
		return
	}
	st.Before = before
	if !before.Exists && (a.Kind == KindService || a.Kind == KindAccount) {
		p.Skipped = append(p.Skipped, Skip{ch.ID, a.String() + ": not present on this system, nothing to change"})
		return
	}
	target, err := targetValue(ch, g.accts)
	if err != nil {
		st.Guard = "invalid-target"
		st.Blocked = "the catalog's fix cannot be used: " + err.Error()
		p.Steps = append(p.Steps, st)
		return
	}
	if ch.Expect.Op == "superset" && before.Exists {
		// "Must include" checks (deny rights, audit flags) add what is
		// missing and keep what is already there: replacing the list
		// would drop existing denials or auditing.
		target = withBefore(a.Kind, before.Value, target)
	}
	if a.Kind == KindSecPol && before.Exists && isQuoted(before.Value.Text) && !isQuoted(target.Text) {
		target.Text = strconv.Quote(target.Text)
	}
	st.Target = &target
	if before.Exists && before.Value.Equal(a.Kind, target) {
		p.Skipped = append(p.Skipped, Skip{ch.ID, a.String() + " already holds the target value " + target.Show(a.Kind)})
		return
	}
	if i, dup := pl.seen[SettingID(a)]; dup {
		other := p.Steps[i]
		if other.Target != nil && other.Target.Equal(a.Kind, target) {
			p.Skipped = append(p.Skipped, Skip{ch.ID, "the same change is made by step " + other.CheckID})
			return
		}
		st.Guard = "conflict"
		st.Blocked = fmt.Sprintf("check %s sets %s to %s; two checks disagree, so this one is not applied", other.CheckID, a, other.Target.Show(a.Kind))
		p.Steps = append(p.Steps, st)
		return
	}
	g.check(&st)
	if st.Automatic() {
		pl.seen[SettingID(a)] = len(p.Steps)
	}
	p.Steps = append(p.Steps, st)
}

func isQuoted(s string) bool { return len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' }

func unquote(s string) string {
	if isQuoted(s) {
		return s[1 : len(s)-1]
	}
	return s
}

// AddressFor names the setting a check's probe reads; accounts are found
// by relative id among accts. Imported baselines find the catalog's check
// for a setting through it.
func AddressFor(ch checks.Check, accts []checks.Account) (Address, error) {
	return addressFor(ch, accts)
}

func addressFor(ch checks.Check, accts []checks.Account) (Address, error) {
	p := ch.Probe
	switch p.Kind() {
	case KindRegistry:
		return Address{Kind: KindRegistry, Key: p.Registry.Key, Name: p.Registry.Value}, nil
	case KindSecPol:
		return Address{Kind: KindSecPol, Key: p.SecPol.Section, Name: p.SecPol.Key}, nil
	case KindRight:
		return Address{Kind: KindRight, Name: p.Right}, nil
	case KindAudit:
		return Address{Kind: KindAudit, Name: p.Audit.GUID, Label: p.Audit.Name}, nil
	case KindService:
		return Address{Kind: KindService, Name: p.Service}, nil
	case KindAccount:
		field := FieldDisabled
		if strings.EqualFold(ch.Fix.Type, FieldName) {
			field = FieldName
		}
		for _, a := range accts {
			if a.RID() == p.Account.RID {
				return Address{Kind: KindAccount, Key: a.SID, Name: field, Label: a.Name}, nil
			}
		}
		return Address{}, fmt.Errorf("no local account with relative id %s was found, so there is nothing to change automatically", p.Account.RID)
	}
	return Address{}, fmt.Errorf("a %s check has no automatic fix", p.Kind())
}

// targetValue converts a check's fix into a typed value. accts resolves
// account names in user-right lists; nil resolves only SIDs and the
// well-known names.
func targetValue(ch checks.Check, accts []checks.Account) (Value, error) {
	lit := ch.Fix.Value
	if lit == nil {
		return Value{}, errors.New("no fix value")
	}
	items := lit.Items
	if !lit.List && lit.Text != "" {
		items = []string{lit.Text}
	}
	switch ch.Probe.Kind() {
	case KindRegistry:
		if lit.List && ch.Fix.Type != "multi_sz" {
			return Value{}, fmt.Errorf("a list is only a value for multi_sz, not %s", ch.Fix.Type)
		}
		switch ch.Fix.Type {
		case "dword":
			n, err := parseNumber(lit.Text, 32)
			if err != nil {
				return Value{}, fmt.Errorf("%q is not a DWORD: %v", lit.Text, err)
			}
			return regValue(checks.DWORDValue(uint32(n))), nil
		case "sz":
			return regValue(checks.StringValue(checks.RegSZ, lit.Text)), nil
		case "expand_sz":
			return regValue(checks.StringValue(checks.RegExpandSZ, lit.Text)), nil
		case "multi_sz":
			return regValue(checks.MultiStringValue(items)), nil
		}
		return Value{}, fmt.Errorf("unknown registry type %q", ch.Fix.Type)
	case KindSecPol:
		if lit.List {
			return Value{}, errors.New("a security-policy key takes one value, not a list")
		}
		text := lit.Text
		if k := strings.ToLower(ch.Probe.SecPol.Key); (k == "newadministratorname" || k == "newguestname") && !isQuoted(text) {
			text = strconv.Quote(text) // secedit writes account names in quotes
		}
		return Value{Text: text}, nil
	case KindRight:
		sids := make([]string, 0, len(items))
		for _, it := range items {
			sid, err := resolveSID(it, accts)
			if err != nil {
				return Value{}, err
			}
			sids = append(sids, sid)
		}
		return Value{SIDs: sids}, nil
	case KindAudit:
		f, err := parseAudit(lit)
		if err != nil {
			return Value{}, err
		}
		return Value{Audit: &f}, nil
	case KindService:
		st, ok := checks.ParseStartType(lit.Text)
		if lit.List || !ok {
			return Value{}, fmt.Errorf("%q is not a start type (automatic, manual, disabled)", lit.String())
		}
		return Value{Start: startPtr(st)}, nil
	case KindAccount:
		if strings.EqualFold(ch.Fix.Type, FieldName) {
			if strings.TrimSpace(lit.Text) == "" {
				return Value{}, errors.New("a new account name is empty")
			}
			return Value{Text: lit.Text}, nil
		}
		switch strings.ToLower(lit.Text) {
		case "true", "disabled":
			return Value{Disabled: boolPtr(true)}, nil
		case "false", "enabled":
			return Value{Disabled: boolPtr(false)}, nil
		}
		return Value{}, fmt.Errorf("%q is not an account state (disabled or enabled)", lit.Text)
	}
	return Value{}, fmt.Errorf("a %s check has no automatic fix", ch.Probe.Kind())
}

func parseNumber(s string, bits int) (uint64, error) {
	s = strings.TrimSpace(s)
	if len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X") {
		return strconv.ParseUint(s[2:], 16, bits)
	}
	return strconv.ParseUint(s, 10, bits)
}

func resolveSID(item string, accts []checks.Account) (string, error) {
	it := strings.TrimPrefix(strings.TrimSpace(item), "*")
	if strings.HasPrefix(strings.ToUpper(it), "S-1-") {
		return strings.ToUpper(it), nil
	}
	if sid, ok := checks.WellKnownSID(it); ok {
		return sid, nil
	}
	for _, a := range accts {
		if strings.EqualFold(a.Name, stripDomain(it)) {
			return a.SID, nil
		}
	}
	return "", fmt.Errorf("cannot resolve %q to a SID; write the SID in the catalog or tailoring", item)
}

func parseAudit(lit *checks.Literal) (checks.AuditFlags, error) {
	var f checks.AuditFlags
	words := lit.Items
	if !lit.List {
		switch strings.ToLower(strings.TrimSpace(lit.Text)) {
		case "success and failure":
			return checks.AuditFlags{Success: true, Failure: true}, nil
		case "no auditing", "none", "":
			return f, nil
		}
		words = []string{lit.Text}
	}
	for _, w := range words {
		switch strings.ToLower(strings.TrimSpace(w)) {
		case "success":
			f.Success = true
		case "failure":
			f.Failure = true
		default:
			return f, fmt.Errorf("%q is not an audit setting (success, failure)", w)
		}
	}
	return f, nil
}

// withBefore merges the current holders or audit flags into a target.
func withBefore(kind Kind, before, target Value) Value {
	switch kind {
	case KindRight:
		seen := map[string]bool{}
		var sids []string
		for _, sid := range append(append([]string{}, target.SIDs...), before.SIDs...) {
			if !seen[strings.ToUpper(sid)] {
				seen[strings.ToUpper(sid)] = true
				sids = append(sids, sid)
			}
		}
		target.SIDs = sids
	case KindAudit:
		if before.Audit != nil && target.Audit != nil {
			f := checks.AuditFlags{Success: before.Audit.Success || target.Audit.Success, Failure: before.Audit.Failure || target.Audit.Failure}
			target.Audit = &f
		}
	}
	return target
}
