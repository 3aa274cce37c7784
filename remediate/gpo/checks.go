package gpo

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"medharden/checks"
	"medharden/remediate"
)

// IDPrefix starts the id of every check made from a baseline: MH-GPO-1 is
// the baseline's first setting, in the order its files set them.
const IDPrefix = remediate.BaselineIDPrefix

// HasCheck tells whether id names one of the baseline's checks: MH-GPO-n
// with n from 1 to the number of its settings, written as Checks writes it.
func (b *Baseline) HasCheck(id string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(id, IDPrefix))
	return err == nil && n >= 1 && n <= len(b.Settings) && id == IDPrefix+strconv.Itoa(n)
}

// DefaultCapability is the 80001-2-2 capability of a setting the catalog
// has no check for: a baseline's setting hardens the system.
const DefaultCapability = "SAHD"

// Capabilities indexes the catalog's capabilities by setting: the
// capabilities of every check that reads the same setting (remediate's
// SettingID, which compares addresses as Windows does).
func Capabilities(cat *checks.Catalog) map[string][]string {
	out := map[string][]string{}
	for _, ch := range cat.Checks {
		a, err := remediate.AddressFor(ch, nil)
		if err != nil {
			continue
		}
		id := remediate.SettingID(a)
		out[id] = union(out[id], ch.Capabilities)
	}
	return out
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range append(append([]string{}, a...), b...) {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// Checks turns every setting into a check judged against the baseline's
// own value, carrying the capabilities the catalog gives the setting.
func (b *Baseline) Checks(cat *checks.Catalog) []checks.Check {
	caps := Capabilities(cat)
	out := make([]checks.Check, 0, len(b.Settings))
	for i, s := range b.Settings {
		c := caps[remediate.SettingID(s.Address)]
		if len(c) == 0 {
			c = []string{DefaultCapability}
		}
		ch := checks.Check{
			ID:           IDPrefix + strconv.Itoa(i+1),
			Title:        "Baseline " + b.Name + ": " + s.Address.String() + " is " + s.Value.Show(s.Address.Kind),
			Level:        "MH",
			OS:           []string{"win7", "xp"},
			Capabilities: c,
			Rationale:    "The vendor baseline " + b.Name + " sets this value (" + s.Source + ").",
		}
		probeFor(&ch, s)
		out = append(out, ch)
	}
	return out
}

// probeFor fills in where the check reads the setting, what it expects
// and the fix: the baseline's value, compared as the engine compares the
// catalog's.
func probeFor(ch *checks.Check, s Setting) {
	a, v := s.Address, s.Value
	switch a.Kind {
	case checks.KindRegistry:
		ch.Probe.Registry = &checks.RegistryProbe{Key: a.Key, Value: a.Name}
		r := v.Reg()
		switch r.Type {
		case checks.RegDWORD, checks.RegQWORD:
			n, _ := r.Uint64()
			text := strconv.FormatUint(n, 10)
			ch.Expect = eq(text)
			ch.Fix = checks.Fix{Type: "dword", Value: &checks.Literal{Text: text}}
			if r.Type == checks.RegQWORD {
				ch.Fix = checks.Fix{Manual: "Set the REG_QWORD value " + text + " as the baseline does."}
			}
		case checks.RegSZ, checks.RegExpandSZ:
			ch.Expect = eq(r.String())
			typ := "sz"
			if r.Type == checks.RegExpandSZ {
				typ = "expand_sz"
			}
			ch.Fix = checks.Fix{Type: typ, Value: &checks.Literal{Text: r.String()}}
		case checks.RegMultiSZ:
			items := r.Strings()
			ch.Expect = setEq(items)
			ch.Fix = checks.Fix{Type: "multi_sz", Value: &checks.Literal{List: true, Items: append([]string{}, items...)}}
		default:
			h := strings.TrimPrefix(v.Show(a.Kind), "hex:")
			ch.Expect = eq(h)
			ch.Fix = checks.Fix{Manual: "Set the value (registry type " + strconv.FormatUint(uint64(r.Type), 10) + ") as the baseline does."}
		}
	case checks.KindSecPol:
		ch.Probe.SecPol = &checks.SecPolProbe{Section: a.Key, Key: a.Name}
		text := unquote(v.Text)
		ch.Expect = eq(text)
		ch.Fix = checks.Fix{Value: &checks.Literal{Text: v.Text}}
	case checks.KindRight:
		ch.Probe.Right = a.Name
		ch.Expect = setEq(v.SIDs)
		if len(v.SIDs) == 0 {
			ch.Expect = checks.Predicate{Op: "subset", Values: []string{}}
		}
		ch.Fix = checks.Fix{Value: &checks.Literal{List: true, Items: append([]string{}, v.SIDs...)}}
	case checks.KindAudit:
		ch.Probe.Audit = &checks.AuditProbe{GUID: a.Name, Name: a.Label}
		words := auditWords(*v.Audit)
		ch.Expect = setEq(words)
		ch.Fix = checks.Fix{Value: &checks.Literal{List: true, Items: words}}
	case checks.KindService:
		ch.Probe.Service = a.Name
		word := v.Start.String()
		ch.Expect = eq(word)
		ch.Fix = checks.Fix{Value: &checks.Literal{Text: word}}
		if *v.Start == checks.StartDisabled {
			// A service that is not installed cannot run either.
			ch.Absent = "pass"
		}
	}
}

func eq(s string) checks.Predicate {
	return checks.Predicate{Op: "eq", Value: &checks.Literal{Text: s}}
}

// setEq expects exactly these items; set_eq needs values, so no item is
// "empty" (a user right held by nobody is the empty subset, "No One").
func setEq(items []string) checks.Predicate {
	if len(items) == 0 {
		return checks.Predicate{Op: "empty"}
	}
	return checks.Predicate{Op: "set_eq", Values: append([]string{}, items...)}
}

func auditWords(f checks.AuditFlags) []string {
	words := []string{}
	if f.Success {
		words = append(words, "success")
	}
	if f.Failure {
		words = append(words, "failure")
	}
	return words
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// Catalog is the baseline's checks as a catalog, and the profile that
// selects them on a system of the given family (win7, xp).
func (b *Baseline) Catalog(cat *checks.Catalog, family string) (*checks.Catalog, checks.Profile, error) {
	c, err := checks.NewCatalog(b.Checks(cat))
	if err != nil {
		return nil, checks.Profile{}, err
	}
	return c, checks.Profile{Name: "baseline", OS: family, Levels: []string{"MH"}, Title: "Vendor baseline " + b.Name}, nil
}

// Audit judges a host against the baseline with the engine every audit
// uses: the same results, statuses and exit codes.
func Audit(ctx context.Context, h checks.Host, b *Baseline, cat *checks.Catalog, opt checks.Options) (checks.Report, error) {
	info, err := h.OS(ctx)
	if err != nil {
		return checks.Report{}, err
	}
	bc, p, err := b.Catalog(cat, info.Family())
	if err != nil {
		return checks.Report{}, err
	}
	return checks.Audit(ctx, h, bc, p, opt)
}
