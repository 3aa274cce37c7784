// Package wazuh writes a profile's checks as a Wazuh Security
// Configuration Assessment (SCA) policy, so that Wazuh agents on the
// devices evaluate them continuously.
//
// Only what SCA reads without running a command is exported: registry
// values under HKLM and the Start value of services and drivers. Security
// policy, user rights, audit policy and accounts would need secedit,
// auditpol or net.exe, whose output is localized; medharden never judges
// localized command output, so those checks are listed as not expressible,
// with the reason, in a comment at the top of the policy.
//
// A check's verdict on a missing value is the catalog's: the exporter asks
// the engine itself (Evaluate on a host where nothing exists) and picks
// the SCA rule form that gives the same verdict. SCA makes a content rule
// on a missing value non-applicable, so:
//   - missing fails:  condition all, the value must exist and match;
//   - missing passes: condition any, "not" the value exists, or it matches;
//   - missing is not applicable: condition all, the content rule alone.
package wazuh

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"medharden/checks"
)

// BaseID is the first block's first check id; each profile has its own
// block of IDBlock ids, because Wazuh wants check ids unique across all
// policies an agent runs. The ids themselves come from the committed map
// (IDFile), never from a check's place in the profile.
const (
	BaseID  = 80000
	IDBlock = 1000
)

// Policy is an SCA policy file, in the field order Wazuh documents.
type Policy struct {
	Policy       Meta        `yaml:"policy"`
	Requirements Requirement `yaml:"requirements"`
	Checks       []Check     `yaml:"checks"`
}

// Meta is the policy section.
type Meta struct {
	ID          string   `yaml:"id"`
	File        string   `yaml:"file"`
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	References  []string `yaml:"references"`
}

// Requirement is what a system must be for the policy to run at all.
type Requirement struct {
	Title       string   `yaml:"title"`
	Description string   `yaml:"description"`
	Condition   string   `yaml:"condition"`
	Rules       []string `yaml:"rules"`
}

// Check is one SCA check.
type Check struct {
	ID          int                   `yaml:"id"`
	Title       string                `yaml:"title"`
	Description string                `yaml:"description"`
	Rationale   string                `yaml:"rationale"`
	Remediation string                `yaml:"remediation"`
	Compliance  []map[string][]string `yaml:"compliance"`
	Condition   string                `yaml:"condition"`
	Rules       []string              `yaml:"rules"`
}

// Skipped is a check SCA cannot express, and why.
type Skipped struct {
	ID     string
	Reason string
}

// versions are the CurrentVersion values of each profile's Windows.
var versions = map[string]string{"win7": "6.1", "xp": "5.1"}

const servicesKey = `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Services\`

// Build turns a profile's checks into a policy; file is the policy file's
// name as the agent will see it.
func Build(p checks.Profile, list []checks.Check, file string) (Policy, []Skipped, error) {
	m, err := builtinIDs()
	if err != nil {
		return Policy{}, nil, err
	}
	return build(p, list, file, m)
}

func build(p checks.Profile, list []checks.Check, file string, m idMap) (Policy, []Skipped, error) {
	blk, ok := m.block(p.Name)
	if !ok {
		return Policy{}, nil, fmt.Errorf("profile %s has no SCA id block in %s", p.Name, IDFile)
	}
	ver, ok := versions[p.OS]
	if !ok {
		return Policy{}, nil, fmt.Errorf("profile %s: no Windows version for %s", p.Name, p.OS)
	}
	id := "medharden_" + strings.NewReplacer("-", "_").Replace(p.Name)
	pol := Policy{
		Policy: Meta{
			ID:          id,
			File:        file,
			Name:        "medharden " + p.Title,
			Description: "Registry-backed checks of medharden's " + p.Name + " profile for medical-device workstations, with IEC/TR 80001-2-2 capabilities.",
			References:  []string{"https://www.cisecurity.org/cis-benchmarks/"},
		},
		Requirements: Requirement{
			Title:       "Check that the system is Windows NT " + ver,
			Description: "Requirements for running the " + p.Name + " policy.",
			Condition:   "all",
			Rules:       []string{`r:HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion -> CurrentVersion -> ` + ver},
		},
	}
	var skipped []Skipped
	for _, ch := range list {
		id, ok := blk.IDs[ch.ID]
		if !ok {
			return Policy{}, nil, fmt.Errorf("check %s of %s has no SCA id in %s (go test ./checks/wazuh -run TestIDMap -update adds it)", ch.ID, p.Name, IDFile)
		}
		cond, rules, why := Rules(ch)
		if why != "" {
			skipped = append(skipped, Skipped{ID: ch.ID, Reason: why})
			continue
		}
		pol.Checks = append(pol.Checks, Check{
			ID:          id,
			Title:       ch.Title,
			Description: "medharden check " + ch.ID + ": " + ch.Probe.Describe() + ", expected " + absent(ch).Expected + ".",
			Rationale:   oneLine(ch.Rationale),
			Remediation: remediation(ch),
			Compliance:  compliance(ch),
			Condition:   cond,
			Rules:       rules,
		})
	}
	return pol, skipped, nil
}

// Write writes the policy as YAML after a comment that lists the checks
// left out, so a reviewer sees the whole profile accounted for.
func Write(w io.Writer, pol Policy, skipped []Skipped) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Security Configuration Assessment\n# %s, written by medharden.\n", pol.Policy.Name)
	fmt.Fprintf(&b, "# %d checks expressed; %d checks SCA cannot express:\n", len(pol.Checks), len(skipped))
	for _, s := range skipped {
		fmt.Fprintf(&b, "#   %s: %s\n", s.ID, s.Reason)
	}
	b.WriteString("\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(pol); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Rules gives a check's SCA condition and rules, or why it has none.
func Rules(ch checks.Check) (cond string, rules []string, why string) {
	var exists, loc string
	words := false
	switch ch.Probe.Kind() {
	case checks.KindRegistry:
		r := ch.Probe.Registry
		switch {
		case ch.UserScope():
			return "", nil, "a per-user (HKCU) setting: the Wazuh agent runs as SYSTEM and reads no user's hive"
		case len(r.Fallback) > 0:
			return "", nil, "read from fallback keys in order when the value is absent, which SCA rules cannot express"
		case r.Value == "":
			return "", nil, "reads a key's default value, which an SCA rule cannot name"
		}
		key, ok := hklm(r.Key)
		if !ok || !plain(r.Value) {
			return "", nil, "the key or value name holds characters SCA's rule syntax reserves"
		}
		exists = "r:" + key + " -> " + r.Value
		loc = exists
	case checks.KindService, checks.KindDriver:
		name := ch.Probe.Service + ch.Probe.Driver
		if !plain(name) || strings.Contains(name, `\`) {
			return "", nil, "the service name holds characters SCA's rule syntax reserves"
		}
		exists = "r:" + servicesKey + name
		loc = exists + " -> Start"
		words = true
	case checks.KindSecPol, checks.KindRight, checks.KindAudit, checks.KindAccount, checks.KindAccounts:
		return "", nil, string(ch.Probe.Kind()) + " setting: SCA reads it only through secedit, auditpol or net.exe output, which is localized"
	default:
		return "", nil, string(ch.Probe.Kind()) + " probe: SCA has no rule that reads it"
	}
	content, why := contentRule(ch.Expect, words)
	if why != "" {
		return "", nil, why
	}
	match := loc + " -> " + content
	switch absent(ch).Status {
	case checks.Pass:
		return "any", []string{"not " + exists, match}, ""
	case checks.NotApplicable:
		return "all", []string{match}, ""
	case checks.Fail:
		return "all", []string{exists, match}, ""
	}
	return "", nil, "the catalog gives no verdict for a missing value"
}

// absent is the engine's result when the setting does not exist.
func absent(ch checks.Check) checks.Result {
	return checks.Evaluate(context.Background(), nothing{}, ch)
}

// contentRule is the SCA content operator for an expectation on a number
// (a DWORD, or a start type when words is set).
func contentRule(p checks.Predicate, words bool) (string, string) {
	switch {
	case p.Field != "":
		return "", "compares a field of a record, which SCA cannot read"
	case len(p.All) > 0:
		parts := make([]string, 0, len(p.All))
		for _, sub := range p.All {
			s, why := contentRule(sub, words)
			if why != "" {
				return "", why
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " && "), ""
	case p.Not != nil:
		if p.Not.Op == "eq" && p.Not.Field == "" {
			q := *p.Not
			q.Op = "ne"
			return contentRule(q, words)
		}
		return "", "a negated expectation SCA cannot express in one rule"
	case len(p.Any) > 0:
		return "", "alternative expectations (any): SCA has no OR inside one rule, and separate rules would make a missing value not applicable"
	}
	ops := map[string]string{"eq": "==", "ne": "!=", "gte": ">=", "lte": "<="}
	switch p.Op {
	case "eq", "ne", "gte", "lte":
		n, ok := number(p.Value, words)
		if !ok {
			return "", "compares text, which medharden does case-insensitively and SCA case-sensitively"
		}
		return compare(ops[p.Op], n), ""
	case "range":
		if *p.Min < 0 {
			return "", "a negative bound, which a registry number cannot hold"
		}
		return compare(">=", uint64(*p.Min)) + " && " + compare("<=", uint64(*p.Max)), ""
	case "in":
		return "", "a list of accepted values: SCA has no OR inside one rule, and separate rules would make a missing value not applicable"
	}
	return "", "operator " + p.Op + " has no SCA form"
}

func compare(op string, n uint64) string {
	return `n:^(\d+) compare ` + op + " " + strconv.FormatUint(n, 10)
}

// number reads a literal as an unsigned number; with words, a start type
// word (disabled, manual, ...) is its Start value.
func number(l *checks.Literal, words bool) (uint64, bool) {
	if l == nil || l.List {
		return 0, false
	}
	if words {
		st, ok := checks.ParseStartType(l.Text)
		return uint64(st), ok
	}
	n, err := strconv.ParseUint(strings.TrimSpace(l.Text), 10, 32)
	return n, err == nil
}

// hklm spells an HKLM key as SCA rules do; other hives are refused.
func hklm(key string) (string, bool) {
	const short = `HKLM\`
	if len(key) <= len(short) || !strings.EqualFold(key[:len(short)], short) || !plain(key) {
		return "", false
	}
	path := key[len(short):]
	for _, part := range strings.Split(path, `\`) {
		if part == "" {
			return "", false
		}
	}
	return `HKEY_LOCAL_MACHINE\` + path, true
}

// plain says a name can stand in a rule: no separator of the rule grammar,
// no quote or line break, no space at either end.
func plain(s string) bool {
	return s != "" && s == strings.TrimSpace(s) && !strings.Contains(s, "->") &&
		!strings.Contains(s, "&&") && !strings.ContainsAny(s, "'\"\r\n\t")
}

func remediation(ch checks.Check) string {
	f := ch.Fix
	if f.Manual != "" {
		return oneLine(f.Manual)
	}
	if f.Value == nil {
		return "See medharden check " + ch.ID + "."
	}
	what := ch.Probe.Describe()
	if f.Type != "" {
		return fmt.Sprintf("Set %s to %s (%s), for example with medharden remediate.", what, f.Value.String(), strings.ToUpper("reg_"+f.Type))
	}
	return fmt.Sprintf("Set %s to %s, for example with medharden remediate.", what, f.Value.String())
}

// compliance names the check in its benchmark and its 80001-2-2
// capabilities.
func compliance(ch checks.Check) []map[string][]string {
	var std map[string][]string
	switch {
	case strings.HasPrefix(ch.ID, "STIG:"):
		std = map[string][]string{"stig": {strings.TrimPrefix(ch.ID, "STIG:")}}
	case strings.HasPrefix(ch.ID, "MH-"):
		std = map[string][]string{"medharden": {ch.ID}}
	default:
		std = map[string][]string{"cis": {ch.ID}}
	}
	return []map[string][]string{std, {"iec_80001_2_2": append([]string(nil), ch.Capabilities...)}}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// nothing is a host on which no setting exists: the engine's verdict on it
// is the catalog's verdict on a missing value.
type nothing struct{}

func (nothing) OS(context.Context) (checks.OSInfo, error) { return checks.OSInfo{}, checks.ErrAbsent }
func (nothing) RegValue(context.Context, string, string) (checks.RegValue, error) {
	return checks.RegValue{}, checks.ErrAbsent
}
func (nothing) SecPolicy(context.Context, string, string) (string, error) {
	return "", checks.ErrAbsent
}
func (nothing) UserRight(context.Context, string) ([]string, error) { return nil, checks.ErrAbsent }
func (nothing) AuditPolicy(context.Context, string) (checks.AuditFlags, error) {
	return checks.AuditFlags{}, checks.ErrAbsent
}
func (nothing) ServiceStart(context.Context, string) (checks.StartType, error) {
	return 0, checks.ErrAbsent
}
func (nothing) Accounts(context.Context) ([]checks.Account, error) { return nil, checks.ErrAbsent }
func (nothing) Hotfixes(context.Context) ([]checks.Hotfix, error)  { return nil, checks.ErrAbsent }
func (nothing) Volumes(context.Context) ([]checks.Volume, error)   { return nil, checks.ErrAbsent }
func (nothing) Identity() checks.Identity                          { return checks.Identity{} }
