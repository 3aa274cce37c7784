package checks

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"medharden/checks/credprobe"
)

// Check is one recommendation, as data. Definitions are immutable; results
// live in Result.
type Check struct {
	ID string `yaml:"id"`
	// Aliases are earlier ids of the same check (a corrected STIG id, a
	// renumbered recommendation): tailoring files that name them resolve.
	Aliases      []string  `yaml:"aliases,omitempty"`
	Title        string    `yaml:"title"`
	Level        string    `yaml:"level"` // L1, L2, BL, STIG or MH (medharden, beyond the benchmark)
	OS           []string  `yaml:"os"`    // win7, xp
	Capabilities []string  `yaml:"capabilities"`
	Rationale    string    `yaml:"rationale"`
	Probe        Probe     `yaml:"probe"`
	Expect       Predicate `yaml:"expect"`
	// Absent says what a missing setting means: "fail" (not configured; the
	// default), "pass" (for example a service that is not installed, or a
	// policy the benchmark's audit accepts as not configured) or
	// "notapplicable". WindowsDefault names the value Windows uses when
	// nothing is set: with Absent it only explains the verdict (a fail whose
	// default is equivalent, a pass whose default is weaker); without Absent
	// the default itself is judged.
	Absent         string   `yaml:"absent,omitempty"`
	WindowsDefault *Literal `yaml:"windows_default,omitempty"`
	Fix            Fix      `yaml:"fix"`
	// Secret marks a value that must never be shown (a stored password):
	// reports say whether it is set, never what it is.
	Secret bool `yaml:"secret,omitempty"`
	// Tradeoff names an emergency-access or usability cost of the fix.
	Tradeoff string `yaml:"tradeoff,omitempty"`
}

// Probe says where a check reads its setting. Exactly one field is set.
type Probe struct {
	Registry *RegistryProbe `yaml:"registry,omitempty"`
	SecPol   *SecPolProbe   `yaml:"secpol,omitempty"`
	Right    string         `yaml:"right,omitempty"`
	Audit    *AuditProbe    `yaml:"audit,omitempty"`
	Service  string         `yaml:"service,omitempty"`
	// Driver is a kernel driver's start type, read from its Services key
	// only: wmic's service list never names drivers.
	Driver   string        `yaml:"driver,omitempty"`
	Account  *AccountProbe `yaml:"account,omitempty"`
	Accounts *struct{}     `yaml:"accounts,omitempty"`
	Hotfix   []string      `yaml:"hotfix,omitempty"`
	Volumes  *struct{}     `yaml:"volumes,omitempty"`
	// Credentials tests the local accounts' passwords on the live host
	// (credentials.go); snapshots can only show indirect signs.
	Credentials *CredentialsProbe `yaml:"credentials,omitempty"`
}

// CredentialsProbe names the password test: "blank" or "vendor_default".
type CredentialsProbe struct {
	Test string `yaml:"test"`
}

// RegistryProbe reads one value. Fallback keys are read, in order, when the
// value is absent from Key (the firewall's local settings under the policy).
type RegistryProbe struct {
	Key      string   `yaml:"key"`
	Value    string   `yaml:"value"`
	Fallback []string `yaml:"fallback,omitempty"`
}

// SecPolProbe reads a key of secedit's export.
type SecPolProbe struct {
	Section string `yaml:"section"`
	Key     string `yaml:"key"`
}

// AuditProbe names an advanced audit subcategory by GUID; Name is for people.
type AuditProbe struct {
	GUID string `yaml:"guid"`
	Name string `yaml:"name"`
}

// AccountProbe selects a local account by relative id (500, 501).
type AccountProbe struct {
	RID string `yaml:"rid"`
}

// Fix is the remediation target. For registry checks Type names the value
// type (dword, sz, expand_sz, multi_sz); Value holds the target for every
// kind (a number, a string, a list of strings or SIDs, a start type word,
// or audit words). Manual, when set, says the change needs a person.
type Fix struct {
	Type   string   `yaml:"type,omitempty"`
	Value  *Literal `yaml:"value,omitempty"`
	Manual string   `yaml:"manual,omitempty"`
}

// Literal is a value written in the catalog: a scalar (number, word,
// string) or a list of scalars. Numbers stay text; the operators decide how
// to compare.
type Literal struct {
	Text  string
	Items []string
	List  bool
}

// UnmarshalYAML accepts a scalar or a sequence of scalars.
func (l *Literal) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		l.Text = n.Value
		return nil
	case yaml.SequenceNode:
		l.List = true
		l.Items = []string{}
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				return fmt.Errorf("line %d: list items must be plain values", c.Line)
			}
			l.Items = append(l.Items, c.Value)
		}
		return nil
	}
	return fmt.Errorf("line %d: expected a value or a list of values", n.Line)
}

// String renders the literal for people.
func (l Literal) String() string {
	if l.List {
		return "[" + strings.Join(l.Items, ", ") + "]"
	}
	return l.Text
}

// Predicate is the expectation: a closed set of operators, combinable.
type Predicate struct {
	Op     string      `yaml:"op,omitempty"`
	Value  *Literal    `yaml:"value,omitempty"`
	Min    *int64      `yaml:"min,omitempty"`
	Max    *int64      `yaml:"max,omitempty"`
	Values []string    `yaml:"values,omitempty"`
	Field  string      `yaml:"field,omitempty"`
	All    []Predicate `yaml:"all,omitempty"`
	Any    []Predicate `yaml:"any,omitempty"`
	Not    *Predicate  `yaml:"not,omitempty"`
	Where  *Predicate  `yaml:"where,omitempty"`
}

// Operators known to the engine.
var knownOps = map[string]bool{
	"eq": true, "ne": true, "gte": true, "lte": true, "range": true, "in": true,
	"empty": true, "nonempty": true, "set_eq": true, "subset": true, "superset": true,
	"none": true, "regex": true, "default_name": true,
}

// Catalog is the set of checks for every OS.
type Catalog struct {
	Checks []Check
	byID   map[string]int
}

// Profile is a named selection of checks.
type Profile struct {
	Name   string
	OS     string
	Levels []string
	Title  string
}

// Profiles are the selections a user can ask for. MH checks (medharden's
// own, beyond the benchmark) belong to every profile of their OS.
var Profiles = []Profile{
	{Name: "cis-win7-l1", OS: "win7", Levels: []string{"L1", "MH"}, Title: "CIS Windows 7 Level 1"},
	{Name: "cis-win7-l2", OS: "win7", Levels: []string{"L1", "L2", "MH"}, Title: "CIS Windows 7 Level 1 + Level 2"},
	{Name: "cis-win7-bl", OS: "win7", Levels: []string{"L1", "BL", "MH"}, Title: "CIS Windows 7 Level 1 + BitLocker"},
	{Name: "winxp", OS: "xp", Levels: []string{"STIG", "MH"}, Title: "Windows XP (DISA STIG based)"},
}

// FindProfile returns the profile by name.
func FindProfile(name string) (Profile, bool) {
	for _, p := range Profiles {
		if p.Name == name {
			return p, true
		}
	}
	return Profile{}, false
}

// DefaultProfile picks the profile for an OS family.
func DefaultProfile(family string) (Profile, bool) {
	for _, p := range Profiles {
		if p.OS == family {
			return p, true
		}
	}
	return Profile{}, false
}

// Select returns the checks of a profile, in catalog order.
func (c *Catalog) Select(p Profile) []Check {
	// Counted first: a Check is large, and every audit selects.
	n := 0
	for i := range c.Checks {
		if c.Checks[i].appliesTo(p) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]Check, 0, n)
	for i := range c.Checks {
		if c.Checks[i].appliesTo(p) {
			out = append(out, c.Checks[i])
		}
	}
	return out
}

func (ch Check) appliesTo(p Profile) bool {
	return contains(ch.OS, p.OS) && contains(p.Levels, ch.Level)
}

// Get returns a check by id or by one of its aliases.
func (c *Catalog) Get(id string) (Check, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Check{}, false
	}
	return c.Checks[i], true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

//go:embed catalog/*.yaml
var embedded embed.FS

var (
	builtinOnce sync.Once
	builtinCat  *Catalog
	builtinErr  error
)

// Builtin returns the catalog compiled into the program, decoded once: a
// catalog is never changed after loading.
func Builtin() (*Catalog, error) {
	builtinOnce.Do(func() { builtinCat, builtinErr = LoadCatalog(embedded, "catalog") })
	return builtinCat, builtinErr
}

// LoadCatalog reads every *.yaml file in dir, strictly: unknown fields,
// unknown operators, unknown capabilities and duplicate ids are errors.
func LoadCatalog(fsys fs.FS, dir string) (*Catalog, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("catalog: no *.yaml files in %s", dir)
	}
	sort.Strings(names)
	cat := &Catalog{byID: map[string]int{}}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var list []Check
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&list); err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("catalog %s: %w", name, err)
		}
		for _, ch := range list {
			if err := ch.validate(); err != nil {
				return nil, fmt.Errorf("catalog %s: check %q: %w", name, ch.ID, err)
			}
			for _, id := range append([]string{ch.ID}, ch.Aliases...) {
				if _, dup := cat.byID[id]; dup {
					return nil, fmt.Errorf("catalog %s: duplicate check id %q", name, id)
				}
				cat.byID[id] = len(cat.Checks)
			}
			cat.Checks = append(cat.Checks, ch)
		}
	}
	return cat, nil
}

// Capabilities of IEC/TR 80001-2-2, with the names used in MDS2 forms.
var Capabilities = map[string]string{
	"ALOF": "Automatic logoff",
	"AUDT": "Audit controls",
	"AUTH": "Authorization",
	"CNFS": "Configuration of security features",
	"CSUP": "Cyber security product upgrades",
	"DIDT": "Health data de-identification",
	"DTBK": "Data backup and disaster recovery",
	"EMRG": "Emergency access",
	"IGAU": "Health data integrity and authenticity",
	"MLDP": "Malware detection/protection",
	"NAUT": "Node authentication",
	"PAUT": "Person authentication",
	"PLOK": "Physical locks",
	"RDMP": "Third-party components in product lifecycle roadmaps",
	"SAHD": "System and application hardening",
	"SGUD": "Security guides",
	"STCF": "Health data storage confidentiality",
	"TXCF": "Transmission confidentiality",
	"TXIG": "Transmission integrity",
}

// CapabilityCodes lists the capability codes in alphabetical order.
func CapabilityCodes() []string {
	out := make([]string, 0, len(Capabilities))
	for c := range Capabilities {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

var (
	idPattern   = regexp.MustCompile(`^([0-9]+(\.[0-9]+)*|STIG:V-[0-9]+|MH-[A-Z]+-[0-9]+)$`)
	guidPattern = regexp.MustCompile(`^\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}$`)
	fixTypes    = map[string]bool{"dword": true, "sz": true, "expand_sz": true, "multi_sz": true}
	levels      = map[string]bool{"L1": true, "L2": true, "BL": true, "STIG": true, "MH": true}
)

func (ch Check) validate() error {
	switch {
	case !idPattern.MatchString(ch.ID):
		return fmt.Errorf("id must be a CIS number, STIG:V-n or MH-XXX-n")
	case !validIDs(ch.Aliases):
		return fmt.Errorf("aliases must be CIS numbers, STIG:V-n or MH-XXX-n")
	case strings.TrimSpace(ch.Title) == "":
		return fmt.Errorf("title is empty")
	case !levels[ch.Level]:
		return fmt.Errorf("unknown level %q", ch.Level)
	case len(ch.OS) == 0:
		return fmt.Errorf("os is empty")
	case len(ch.Capabilities) == 0:
		return fmt.Errorf("no capability")
	case strings.TrimSpace(ch.Rationale) == "":
		return fmt.Errorf("rationale is empty")
	case ch.Probe.count() != 1:
		return fmt.Errorf("probe must name exactly one source")
	}
	for _, o := range ch.OS {
		if o != "win7" && o != "xp" {
			return fmt.Errorf("unknown os %q", o)
		}
	}
	for _, c := range ch.Capabilities {
		if _, ok := Capabilities[c]; !ok {
			return fmt.Errorf("unknown capability %q", c)
		}
	}
	switch ch.Absent {
	case "", "fail", "pass", "notapplicable":
	default:
		return fmt.Errorf("absent must be fail, pass or notapplicable")
	}
	if ch.Absent == "notapplicable" && ch.WindowsDefault != nil {
		return fmt.Errorf("absent: notapplicable and windows_default exclude each other")
	}
	if r := ch.Probe.Registry; r != nil {
		if !strings.HasPrefix(strings.ToUpper(r.Key), "HKLM\\") && !strings.HasPrefix(strings.ToUpper(r.Key), "HKCU\\") {
			return fmt.Errorf("registry key must start with HKLM\\ or HKCU\\")
		}
		if ch.Fix.Manual == "" && !fixTypes[ch.Fix.Type] {
			return fmt.Errorf("registry fix needs type dword, sz, expand_sz or multi_sz")
		}
	}
	if a := ch.Probe.Audit; a != nil && !guidPattern.MatchString(a.GUID) {
		return fmt.Errorf("audit guid %q is not a {GUID}", a.GUID)
	}
	if ch.Fix.Manual == "" && ch.Fix.Value == nil {
		return fmt.Errorf("fix needs a value or manual steps")
	}
	if c := ch.Probe.Credentials; c != nil {
		// Judged by the probe (credentials.go), fixed by a person only.
		switch {
		case c.Test != string(credprobe.Blank) && c.Test != string(credprobe.VendorDefault):
			return fmt.Errorf("credentials test must be %s or %s", credprobe.Blank, credprobe.VendorDefault)
		case ch.Fix.Manual == "" || ch.Fix.Value != nil:
			return fmt.Errorf("a credentials check has a manual fix only")
		case !reflect.DeepEqual(ch.Expect, Predicate{}):
			return fmt.Errorf("a credentials check has no expect: the probe decides")
		}
		return nil
	}
	return ch.Expect.validate()
}

func validIDs(ids []string) bool {
	for _, id := range ids {
		if !idPattern.MatchString(id) {
			return false
		}
	}
	return true
}

func (p Predicate) validate() error {
	n := 0
	if p.Op != "" {
		n++
	}
	if len(p.All) > 0 {
		n++
	}
	if len(p.Any) > 0 {
		n++
	}
	if p.Not != nil {
		n++
	}
	if n != 1 {
		return fmt.Errorf("expect must have exactly one of op, all, any, not")
	}
	for _, sub := range append(append([]Predicate{}, p.All...), p.Any...) {
		if err := sub.validate(); err != nil {
			return err
		}
	}
	if p.Not != nil {
		return p.Not.validate()
	}
	if p.Op == "" {
		return nil
	}
	if !knownOps[p.Op] {
		return fmt.Errorf("unknown op %q", p.Op)
	}
	switch p.Op {
	case "eq", "ne", "gte", "lte":
		if p.Value == nil {
			return fmt.Errorf("op %s needs value", p.Op)
		}
	case "regex":
		if p.Value == nil {
			return fmt.Errorf("op regex needs value")
		}
		if _, err := regexp.Compile(p.Value.Text); err != nil {
			return fmt.Errorf("op regex: %w", err)
		}
	case "range":
		if p.Min == nil || p.Max == nil || *p.Min > *p.Max {
			return fmt.Errorf("op range needs min <= max")
		}
	case "in", "set_eq", "superset":
		if len(p.Values) == 0 {
			return fmt.Errorf("op %s needs values", p.Op)
		}
	case "none":
		if p.Where == nil {
			return fmt.Errorf("op none needs where")
		}
		return p.Where.validate()
	case "default_name":
		// The built-in account is named by its relative id, never by a name.
		if p.Value == nil || (p.Value.Text != RIDAdministrator && p.Value.Text != RIDGuest) {
			return fmt.Errorf("op default_name needs value %s (Administrator) or %s (Guest)", RIDAdministrator, RIDGuest)
		}
	}
	return nil
}
