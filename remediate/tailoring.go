package remediate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"medharden/assets"
	"medharden/checks"
	"medharden/checks/winfmt"
)

// MaxWaiverYears bounds a waiver's expiry date: at most this many years
// after the day the tailoring file is read. An accepted risk is reviewed,
// not waived for good.
const MaxWaiverYears = 3

// MaxTailoringSize caps a tailoring file: a real one is a few kilobytes,
// and the cap keeps a hostile file from exhausting memory.
const MaxTailoringSize = 1 << 20

// Tailoring is a site's or vendor's adjustment of the benchmark for one
// kind of device: which profile, which findings are accepted (waivers),
// what must never be touched, the emergency account, whether RDP is how the
// device is managed, and values that replace the benchmark's.
type Tailoring struct {
	File    string
	Profile string
	Waivers []Waiver
	// LegacyWaivers accept end-of-support and unpatched-exposure findings
	// of a device that cannot be patched, with compensating controls.
	LegacyWaivers    []LegacyWaiver
	DoNotTouch       DoNotTouch
	EmergencyAccount string
	// Operators are the accounts that operate the device (clinical users);
	// the guards keep their logon and their accounts as they are.
	Operators []string
	// Numbering is the CIS Windows 7 numbering the file's ids follow
	// ("v3.1.0" or "v3.2.0"); only needed for a number both releases use
	// for different recommendations (checks.V310Reused).
	Numbering string
	// RDPManagement declares Remote Desktop as the management path, so the
	// RDP guards hold even when the operator sits at the console.
	RDPManagement bool
	Overrides     []Override
	// Now is the clock for waiver expiry; nil means time.Now.
	Now func() time.Time
	// ProfileLine is where the profile is named, for messages.
	ProfileLine int
}

// Waiver accepts one finding until a date.
type Waiver struct {
	ID            string
	Justification string
	Approver      string
	Expires       string // yyyy-mm-dd, valid through that day
	Line          int
}

// LegacyWaiver accepts an end-of-support or unpatched-exposure finding
// (MH-EXP-*, MH-PATCH-*) under the hospital's legacy-device policy: only
// with the compensating controls recorded, until the next review.
type LegacyWaiver struct {
	ID              string
	Justification   string
	Approver        string
	NetworkSegment  string // the segment or VLAN that isolates the device
	FirewallRule    string // the rule that limits what reaches it
	VendorStatement string // the vendor's statement that it cannot be patched
	NextReview      string // yyyy-mm-dd, valid through that day
	Line            int
}

var legacyFields = []string{"id", "justification", "approver", "network_segment", "firewall_rule", "vendor_statement", "next_review"}

// DoNotTouch lists what remediation must leave alone (the clinical
// application's services and accounts).
type DoNotTouch struct {
	Services []string
	Accounts []string
}

// Override replaces a check's target and expected value.
type Override struct {
	ID    string
	Value checks.Literal
	Line  int
}

// LoadTailoring reads and checks a tailoring file.
func LoadTailoring(path string) (*Tailoring, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tailoring: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxTailoringSize+1))
	if err != nil {
		return nil, fmt.Errorf("tailoring %s: %w", path, err)
	}
	return ParseTailoring(path, b)
}

var yamlLine = regexp.MustCompile(`line (\d+):?\s*`)

// ParseTailoring parses a tailoring file strictly: unknown fields, anchors
// and aliases, duplicate keys, bad dates and incomplete waivers are errors
// that name the file and line (*winfmt.ParseError).
func ParseTailoring(name string, b []byte) (*Tailoring, error) {
	perr := func(line int, format string, a ...interface{}) error {
		return &winfmt.ParseError{File: name, Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	if len(b) > MaxTailoringSize {
		return nil, perr(0, "file is larger than %d bytes; a tailoring file is a few kilobytes", MaxTailoringSize)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, perr(0, "empty file")
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, yamlError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, perr(extra.Line, "a second YAML document; a tailoring file holds one")
	} else if !errors.Is(err, io.EOF) {
		return nil, yamlError(name, err)
	}
	// Aliases could expand a small file into a huge one (billion laughs);
	// a tailoring file never needs them.
	if err := noAliases(name, &doc, 0); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, perr(doc.Line, "expected a mapping of settings")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, perr(root.Line, "expected a mapping of settings (profile, numbering, waivers, legacy_waivers, do_not_touch, emergency_account, operators, rdp_management, overrides)")
	}
	t := &Tailoring{File: name}
	err := eachField(name, root, "tailoring", []string{"profile", "numbering", "waivers", "legacy_waivers", "do_not_touch", "emergency_account", "operators", "rdp_management", "overrides"}, func(key string, k, v *yaml.Node) error {
		switch key {
		case "profile":
			s, err := scalarString(name, v, "profile")
			if err != nil {
				return err
			}
			if _, ok := checks.FindProfile(s); !ok {
				return perr(v.Line, "unknown profile %q; use one of %s", s, profileList())
			}
			t.Profile, t.ProfileLine = s, v.Line
		case "numbering":
			s, err := scalarString(name, v, "numbering")
			if err != nil {
				return err
			}
			if s != "v3.1.0" && s != "v3.2.0" {
				return perr(v.Line, "numbering %q: use v3.1.0 or v3.2.0 (CIS Windows 7)", s)
			}
			t.Numbering = s
		case "waivers":
			return t.parseWaivers(name, v)
		case "legacy_waivers":
			return t.parseLegacyWaivers(name, v)
		case "do_not_touch":
			return eachField(name, v, "do_not_touch", []string{"services", "accounts"}, func(key string, _, v *yaml.Node) error {
				list, err := scalarList(name, v, "do_not_touch."+key)
				if err != nil {
					return err
				}
				if key == "services" {
					t.DoNotTouch.Services = list
				} else {
					t.DoNotTouch.Accounts = list
				}
				return nil
			})
		case "emergency_account":
			s, err := scalarString(name, v, "emergency_account")
			if err != nil {
				return err
			}
			if strings.TrimSpace(s) == "" {
				return perr(v.Line, "emergency_account is empty")
			}
			t.EmergencyAccount = strings.TrimSpace(s)
		case "rdp_management":
			if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
				return perr(v.Line, "rdp_management must be true or false")
			}
			t.RDPManagement = strings.EqualFold(v.Value, "true")
		case "overrides":
			return t.parseOverrides(name, v)
		case "operators":
			list, err := scalarList(name, v, "operators")
			if err != nil {
				return err
			}
			t.Operators = list
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, w := range t.Waivers {
		if assets.LegacyFinding(w.ID) {
			return nil, perr(w.Line, "%s is an end-of-support or unpatched-exposure finding: waive it under legacy_waivers with the compensating controls (%s)", w.ID, strings.Join(legacyFields[3:], ", "))
		}
		for _, l := range t.LegacyWaivers {
			if l.ID == w.ID {
				return nil, perr(l.Line, "check %s is already waived at line %d", w.ID, w.Line)
			}
		}
	}
	return t, nil
}

// reviewDate reads a waiver's yyyy-mm-dd date, at most MaxWaiverYears ahead.
func reviewDate(name string, v *yaml.Node, key, s string) error {
	d, err := time.Parse("2006-01-02", s)
	if err != nil || d.Format("2006-01-02") != s {
		return &winfmt.ParseError{File: name, Line: v.Line, Msg: fmt.Sprintf("%s %q is not a date; write it as yyyy-mm-dd, for example 2027-06-30", key, s)}
	}
	if limit := time.Now().AddDate(MaxWaiverYears, 0, 0); d.After(limit) {
		return &winfmt.ParseError{File: name, Line: v.Line, Msg: fmt.Sprintf("%s %s is more than %d years ahead; a waiver may run until %s at the latest, then it is reviewed and renewed", key, s, MaxWaiverYears, limit.Format("2006-01-02"))}
	}
	return nil
}

func (t *Tailoring) parseLegacyWaivers(name string, n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return &winfmt.ParseError{File: name, Line: n.Line, Msg: "legacy_waivers must be a list of {" + strings.Join(legacyFields, ", ") + "}"}
	}
	seen := map[string]int{}
	for _, item := range n.Content {
		w := LegacyWaiver{Line: item.Line}
		fields := map[string]*string{"id": &w.ID, "justification": &w.Justification, "approver": &w.Approver,
			"network_segment": &w.NetworkSegment, "firewall_rule": &w.FirewallRule, "vendor_statement": &w.VendorStatement, "next_review": &w.NextReview}
		err := eachField(name, item, "legacy waiver", legacyFields, func(key string, _, v *yaml.Node) error {
			s, err := scalarString(name, v, "legacy waiver "+key)
			if err != nil {
				return err
			}
			s = strings.TrimSpace(s)
			if err := oneLine(s); err != nil {
				return &winfmt.ParseError{File: name, Line: v.Line, Msg: fmt.Sprintf("legacy waiver %s: %v", key, err)}
			}
			switch {
			case key == "id" && !assets.LegacyFinding(s):
				return &winfmt.ParseError{File: name, Line: v.Line, Msg: fmt.Sprintf("%q is not an end-of-support or unpatched-exposure finding; legacy_waivers take MH-EXP-* and MH-PATCH-* ids, other findings go under waivers", s)}
			case key == "next_review" && s != "":
				if err := reviewDate(name, v, key, s); err != nil {
					return err
				}
			}
			*fields[key] = s
			return nil
		})
		if err != nil {
			return err
		}
		var missing []string
		for _, f := range legacyFields {
			if *fields[f] == "" {
				missing = append(missing, f)
			}
		}
		if len(missing) > 0 {
			return &winfmt.ParseError{File: name, Line: item.Line, Msg: "legacy waiver needs " + strings.Join(missing, ", ") + " (a device that cannot be patched is accepted only with its compensating controls and a review date)"}
		}
		if first, dup := seen[w.ID]; dup {
			return &winfmt.ParseError{File: name, Line: item.Line, Msg: fmt.Sprintf("check %s is already waived at line %d", w.ID, first)}
		}
		seen[w.ID] = item.Line
		t.LegacyWaivers = append(t.LegacyWaivers, w)
	}
	return nil
}

func (t *Tailoring) parseWaivers(name string, n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		return &winfmt.ParseError{File: name, Line: n.Line, Msg: "waivers must be a list of {id, justification, approver, expires}"}
	}
	seen := map[string]int{}
	for _, item := range n.Content {
		w := Waiver{Line: item.Line}
		err := eachField(name, item, "waiver", []string{"id", "justification", "approver", "expires"}, func(key string, _, v *yaml.Node) error {
			s, err := scalarString(name, v, "waiver "+key)
			if err != nil {
				return err
			}
			s = strings.TrimSpace(s)
			switch key {
			case "id":
				w.ID = s
			case "justification":
				w.Justification = s
			case "approver":
				w.Approver = s
			case "expires":
				if err := reviewDate(name, v, key, s); err != nil {
					return err
				}
				w.Expires = s
			}
			return nil
		})
		if err != nil {
			return err
		}
		var missing []string
		for _, f := range []struct{ name, val string }{{"id", w.ID}, {"justification", w.Justification}, {"approver", w.Approver}, {"expires", w.Expires}} {
			if f.val == "" {
				missing = append(missing, f.name)
			}
		}
		if len(missing) > 0 {
			return &winfmt.ParseError{File: name, Line: item.Line, Msg: "waiver needs " + strings.Join(missing, ", ") + " (a waiver without a reason, an approver and an expiry date is not accepted)"}
		}
		if first, dup := seen[w.ID]; dup {
			return &winfmt.ParseError{File: name, Line: item.Line, Msg: fmt.Sprintf("check %s is already waived at line %d", w.ID, first)}
		}
		seen[w.ID] = item.Line
		t.Waivers = append(t.Waivers, w)
	}
	return nil
}

func (t *Tailoring) parseOverrides(name string, n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return &winfmt.ParseError{File: name, Line: n.Line, Msg: `overrides must map check ids to values, for example "1.2.2": 5`}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || strings.TrimSpace(k.Value) == "" {
			return &winfmt.ParseError{File: name, Line: k.Line, Msg: "override key must be a check id"}
		}
		if seen[k.Value] {
			return &winfmt.ParseError{File: name, Line: k.Line, Msg: fmt.Sprintf("check %s is overridden twice", k.Value)}
		}
		seen[k.Value] = true
		var lit checks.Literal
		switch v.Kind {
		case yaml.ScalarNode:
			if v.Tag == "!!null" {
				return &winfmt.ParseError{File: name, Line: v.Line, Msg: fmt.Sprintf("override for %s has no value", k.Value)}
			}
			lit.Text = v.Value
		case yaml.SequenceNode:
			lit.List, lit.Items = true, []string{}
			for _, c := range v.Content {
				if c.Kind != yaml.ScalarNode {
					return &winfmt.ParseError{File: name, Line: c.Line, Msg: "override list items must be plain values"}
				}
				lit.Items = append(lit.Items, c.Value)
			}
		default:
			return &winfmt.ParseError{File: name, Line: v.Line, Msg: fmt.Sprintf("override for %s must be a value or a list of values", k.Value)}
		}
		t.Overrides = append(t.Overrides, Override{ID: k.Value, Value: lit, Line: k.Line})
	}
	return nil
}

func yamlError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = strings.Replace(msg, m[0], "", 1)
	}
	return &winfmt.ParseError{File: name, Line: line, Msg: "not valid YAML: " + msg}
}

func noAliases(name string, n *yaml.Node, depth int) error {
	if depth > 32 {
		return &winfmt.ParseError{File: name, Line: n.Line, Msg: "nested too deeply"}
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return &winfmt.ParseError{File: name, Line: n.Line, Msg: "YAML anchors and aliases (&, *) are not allowed in a tailoring file"}
	}
	for _, c := range n.Content {
		if err := noAliases(name, c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// eachField walks a mapping, refusing unknown and repeated keys.
func eachField(name string, n *yaml.Node, what string, known []string, fn func(key string, k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return &winfmt.ParseError{File: name, Line: n.Line, Msg: what + " must be a mapping with " + strings.Join(known, ", ")}
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ok := false
		for _, x := range known {
			if k.Value == x {
				ok = true
			}
		}
		if k.Kind != yaml.ScalarNode || !ok {
			return &winfmt.ParseError{File: name, Line: k.Line, Msg: fmt.Sprintf("unknown field %q in %s (known fields: %s)", k.Value, what, strings.Join(known, ", "))}
		}
		if first, dup := seen[k.Value]; dup {
			return &winfmt.ParseError{File: name, Line: k.Line, Msg: fmt.Sprintf("field %q repeats line %d", k.Value, first)}
		}
		seen[k.Value] = k.Line
		if err := fn(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

func scalarString(name string, n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", &winfmt.ParseError{File: name, Line: n.Line, Msg: what + " must be a single value"}
	}
	return n.Value, nil
}

func scalarList(name string, n *yaml.Node, what string) ([]string, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, &winfmt.ParseError{File: name, Line: n.Line, Msg: what + " must be a list, for example [VendorMonitor]"}
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		s, err := scalarString(name, c, what+" item")
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(s) == "" {
			return nil, &winfmt.ParseError{File: name, Line: c.Line, Msg: what + " has an empty item"}
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out, nil
}

func profileList() string {
	names := make([]string, len(checks.Profiles))
	for i, p := range checks.Profiles {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

func (t *Tailoring) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// Waive tells whether a check is waived today; it fits checks.Options.Waive.
// An expired waiver no longer hides the finding.
func (t *Tailoring) Waive(id string) (string, bool) {
	if t == nil {
		return "", false
	}
	today := t.now().Format("2006-01-02")
	for _, w := range t.Waivers {
		if w.ID == id && today <= w.Expires {
			return fmt.Sprintf("%s (approved by %s, until %s)", w.Justification, w.Approver, w.Expires), true
		}
	}
	if w, ok := t.legacy(id); ok {
		return fmt.Sprintf("legacy device: %s (approved by %s, next review %s)", w.Justification, w.Approver, w.NextReview), true
	}
	return "", false
}

// legacy returns the legacy waiver of a finding while its review date has
// not passed.
func (t *Tailoring) legacy(id string) (LegacyWaiver, bool) {
	today := t.now().Format("2006-01-02")
	for _, w := range t.LegacyWaivers {
		if w.ID == id && today <= w.NextReview {
			return w, true
		}
	}
	return LegacyWaiver{}, false
}

// Expired lists the waivers whose date has passed, so the CLI can say that
// their findings show again.
func (t *Tailoring) Expired() []Waiver {
	if t == nil {
		return nil
	}
	today := t.now().Format("2006-01-02")
	var out []Waiver
	for _, w := range t.Waivers {
		if today > w.Expires {
			out = append(out, w)
		}
	}
	return out
}

// Options sets the tailoring's waivers into audit options.
func (t *Tailoring) Options(opt checks.Options) checks.Options {
	if t != nil {
		opt.Waive = t.Waive
		opt.Declared = t.Declared()
	}
	return opt
}

// Declared is what the tailoring file says about the device's people.
func (t *Tailoring) Declared() checks.Declared {
	if t == nil {
		return checks.Declared{}
	}
	return checks.Declared{Operators: t.Operators, Emergency: t.EmergencyAccount}
}

// BaselineIDPrefix starts the id of every check made from a vendor
// baseline (remediate/gpo): MH-GPO-n is its n-th setting. Such checks are
// not in the catalog, so Tailor leaves a waiver naming one to the audit
// that judges the baseline, which refuses it when there is none.
const BaselineIDPrefix = "MH-GPO-"

// Tailor returns the catalog with the overrides applied: each overridden
// check gets the value as its fix target and as its expectation (equal,
// or the same set for lists). Unknown check ids are errors naming the line.
// Tailoring twice gives the same catalog as once.
func (t *Tailoring) Tailor(cat *checks.Catalog) (*checks.Catalog, error) {
	if t == nil {
		return cat, nil
	}
	// An id may be a check's alias (an earlier id): it becomes the
	// check's own id, so waivers and marks find the results.
	for i, w := range t.Waivers {
		if strings.HasPrefix(w.ID, BaselineIDPrefix) {
			continue // a vendor baseline's check: the audit that judges the baseline checks the id
		}
		ch, err := t.lookup(cat, w.ID, w.Line, "waiver")
		if err != nil {
			return nil, err
		}
		t.Waivers[i].ID = ch.ID
	}
	for i, o := range t.Overrides {
		ch, err := t.lookup(cat, o.ID, o.Line, "override")
		if err != nil {
			return nil, err
		}
		t.Overrides[i].ID = ch.ID
	}
	// Every id is now a check's own id, which is v3.2.0 numbering: a
	// second Tailor must not map them again.
	t.Numbering = "v3.2.0"
	for _, w := range t.LegacyWaivers {
		if _, ok := cat.Get(w.ID); !ok && !assets.ExposureResult(w.ID) {
			return nil, &winfmt.ParseError{File: t.File, Line: w.Line, Msg: fmt.Sprintf("legacy waiver for unknown check %q", w.ID)}
		}
	}
	if len(t.Overrides) == 0 {
		return cat, nil
	}
	changed := make([]checks.Check, 0, len(t.Overrides))
	for _, o := range t.Overrides {
		ch, _ := cat.Get(o.ID)
		ch, err := overrideCheck(ch, o.Value)
		if err != nil {
			return nil, &winfmt.ParseError{File: t.File, Line: o.Line, Msg: fmt.Sprintf("override for %s: %v", o.ID, err)}
		}
		changed = append(changed, ch)
	}
	out, err := cat.With(changed...)
	if err != nil {
		return nil, fmt.Errorf("tailoring %s: %w", t.File, err)
	}
	return out, nil
}

// lookup finds the check an id names, by its id or an alias. A CIS
// Windows 7 number that v3.1.0 and v3.2.0 give to different
// recommendations is taken in the numbering the file declares, and refused
// when it declares none: a waiver must never silently change its subject.
func (t *Tailoring) lookup(cat *checks.Catalog, id string, line int, what string) (checks.Check, error) {
	if was, ok := checks.V310Reused[id]; ok {
		switch t.Numbering {
		case "v3.1.0":
			id = was
		case "v3.2.0":
		default:
			now, _ := cat.Get(id)
			old, _ := cat.Get(was)
			return checks.Check{}, &winfmt.ParseError{File: t.File, Line: line, Msg: fmt.Sprintf(
				"%s for %s: this number is %q in CIS Windows 7 v3.2.0 but was %q (now %s) in v3.1.0; add numbering: v3.2.0 or numbering: v3.1.0 to the file",
				what, id, now.Title, old.Title, was)}
		}
	}
	ch, ok := cat.Get(id)
	if !ok {
		return checks.Check{}, &winfmt.ParseError{File: t.File, Line: line, Msg: fmt.Sprintf("%s for unknown check %q", what, id)}
	}
	return ch, nil
}

func overrideCheck(ch checks.Check, v checks.Literal) (checks.Check, error) {
	switch ch.Probe.Kind() {
	case KindRegistry, KindSecPol, KindRight, KindAudit, KindService:
	case checks.KindCredentials:
		return ch, errors.New("a logon test has no value to set; to accept its finding, waive it (justification, approver, expires)")
	default:
		return ch, fmt.Errorf("a %s check has no single value to override", ch.Probe.Kind())
	}
	if ch.Secret {
		return ch, errors.New("the check reads a secret value, which a tailoring file cannot set")
	}
	if err := overrideType(ch, v); err != nil {
		return ch, err
	}
	lit := v
	ch.Fix.Value = &lit
	if v.List {
		items := append([]string{}, v.Items...)
		ch.Expect = checks.Predicate{Op: "set_eq", Values: items}
		if len(items) == 0 {
			// set_eq needs values; "nothing" is an empty subset.
			ch.Expect = checks.Predicate{Op: "subset", Values: []string{}}
		}
	} else {
		ch.Expect = checks.Predicate{Op: "eq", Value: &checks.Literal{Text: v.Text}}
	}
	// A target that cannot be converted is an error now, not at apply.
	if _, err := targetValue(ch, nil); err != nil {
		return ch, err
	}
	return ch, nil
}

// secpolRange is what Windows accepts for each numeric security-policy key
// (secpol.msc and secedit refuse the rest); -1 is secedit's "never" for
// the password age and "until an administrator unlocks" for the lockout.
// The [Event Audit] keys of XP take 0 (none) to 3 (success and failure).
var secpolRange = map[string][2]int64{
	"minimumpasswordage":        {0, 998},
	"maximumpasswordage":        {-1, 999},
	"minimumpasswordlength":     {0, 14},
	"passwordhistorysize":       {0, 24},
	"passwordcomplexity":        {0, 1},
	"cleartextpassword":         {0, 1},
	"lockoutbadcount":           {0, 999},
	"resetlockoutcount":         {1, 99999},
	"lockoutduration":           {-1, 99999},
	"enableguestaccount":        {0, 1},
	"enableadminaccount":        {0, 1},
	"lsaanonymousnamelookup":    {0, 1},
	"forcelogoffwhenhourexpire": {0, 1},
}

// overrideType checks that an override has the type of the check's
// setting: a whole number in the setting's range where the setting is a
// number, an account name where it names an account, one line of text
// where it is text.
func overrideType(ch checks.Check, v checks.Literal) error {
	catalogNumber := ch.Fix.Value != nil && !ch.Fix.Value.List && isWholeNumber(ch.Fix.Value.Text)
	switch ch.Probe.Kind() {
	case KindSecPol:
		if v.List {
			return errors.New("a security-policy key takes one value, not a list")
		}
		key := ch.Probe.SecPol.Key
		switch k := strings.ToLower(key); {
		case k == "newadministratorname" || k == "newguestname":
			return accountName(strings.Trim(v.Text, `"`))
		case secpolRange[k] != [2]int64{}:
			r := secpolRange[k]
			return numberIn(v.Text, key, r[0], r[1])
		case strings.EqualFold(ch.Probe.SecPol.Section, "Event Audit"):
			return numberIn(v.Text, key, 0, 3)
		case catalogNumber:
			return numberIn(v.Text, key, -1<<31, 1<<31-1)
		}
		return oneLine(v.Text)
	case KindRegistry:
		items := v.Items
		if !v.List {
			items = []string{v.Text}
		}
		for _, it := range items {
			if err := oneLine(it); err != nil {
				return err
			}
		}
		if ch.Fix.Type == "dword" {
			// A DWORD written as a decimal or 0x hex number (targetValue
			// checks it fits 32 bits).
			if _, err := parseNumber(v.Text, 32); err != nil || v.List {
				return fmt.Errorf("%q is not a DWORD: %s takes a number from 0 to 4294967295", v.String(), ch.Probe.Registry.Value)
			}
		} else if catalogNumber && !v.List && !isWholeNumber(v.Text) {
			// A number stored as text (ScreenSaveTimeOut, CachedLogonsCount).
			return fmt.Errorf("%q is not a whole number, which %s holds", v.Text, ch.Probe.Registry.Value)
		}
	}
	return nil
}

func isWholeNumber(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

func numberIn(s, key string, lo, hi int64) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("%q is not a whole number; %s takes %d to %d", s, key, lo, hi)
	}
	if n < lo || n > hi {
		return fmt.Errorf("%d is out of range; %s takes %d to %d", n, key, lo, hi)
	}
	return nil
}

func oneLine(s string) error {
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%q holds a line break or another control character", s)
		}
	}
	return nil
}

// accountName applies Windows' rules for a local account name: 1 to 20
// characters, none of " / \ [ ] : ; | = , + * ? < >, not only dots and
// spaces.
func accountName(s string) error {
	if err := oneLine(s); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(s) == "" || strings.Trim(s, ". ") == "":
		return fmt.Errorf("%q is not an account name", s)
	case utf8.RuneCountInString(s) > 20:
		return fmt.Errorf("%q is longer than the 20 characters of an account name", s)
	case strings.ContainsAny(s, `"/\[]:;|=,+*?<>`):
		return fmt.Errorf(`%q is not an account name: Windows refuses " / \ [ ] : ; | = , + * ? < > in one`, s)
	}
	return nil
}

// Mark records in a report what the tailoring changed: the report names
// the file; a result judged against an override names the file, line and
// value; an expired waiver
// becomes a note that its check is judged again.
func (t *Tailoring) Mark(rep *checks.Report) {
	if t == nil {
		return
	}
	rep.Tailoring = t.File
	for i := range rep.Results {
		for _, o := range t.Overrides {
			if o.ID == rep.Results[i].ID {
				rep.Results[i].Override = &checks.Override{File: t.File, Line: o.Line, Value: o.Value.String()}
			}
		}
		if w, ok := t.legacy(rep.Results[i].ID); ok && rep.Results[i].Status == checks.Waived {
			rep.Results[i].Compensating = &checks.Compensating{File: t.File, Line: w.Line, NetworkSegment: w.NetworkSegment,
				FirewallRule: w.FirewallRule, VendorStatement: w.VendorStatement, NextReview: w.NextReview}
		}
	}
	for _, w := range t.Expired() {
		rep.Notes = append(rep.Notes, fmt.Sprintf("The waiver for %s (%s:%d) expired on %s; the check is judged again.", w.ID, t.File, w.Line, w.Expires))
	}
	today := t.now().Format("2006-01-02")
	for _, w := range t.LegacyWaivers {
		if today > w.NextReview {
			rep.Notes = append(rep.Notes, fmt.Sprintf("The legacy-device waiver for %s (%s:%d) was due for review on %s; the finding is judged again until its compensating controls are reviewed.", w.ID, t.File, w.Line, w.NextReview))
		}
	}
}

// doNotTouchService tells whether a service is on the do-not-touch list.
func (t *Tailoring) doNotTouchService(name string) bool {
	if t == nil {
		return false
	}
	for _, s := range t.DoNotTouch.Services {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// doNotTouchAccount tells whether an account (by name or SID) is listed.
func (t *Tailoring) doNotTouchAccount(a checks.Account) bool {
	if t == nil {
		return false
	}
	for _, s := range t.DoNotTouch.Accounts {
		if strings.EqualFold(s, a.Name) || strings.EqualFold(s, a.SID) || strings.EqualFold(stripDomain(s), a.Name) {
			return true
		}
	}
	return false
}

func stripDomain(s string) string {
	if i := strings.LastIndexByte(s, '\\'); i >= 0 {
		return s[i+1:]
	}
	return s
}
