package gpo

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"medharden/checks"
	"medharden/remediate"
)

// Override is one value of the baseline that replaces the benchmark's.
type Override struct {
	CheckID string
	Value   checks.Literal
	// Benchmark is the check's own target; Source where the baseline sets it.
	Benchmark checks.Literal
	Source    string
}

// Tailored is a baseline turned into tailoring: the overrides, the
// settings the catalog has no check for, and the checks whose value the
// baseline sets in a way a tailoring file cannot carry (with why).
type Tailored struct {
	Baseline  *Baseline
	Profile   string
	Overrides []Override
	Uncovered []Setting
	Refused   []string
}

// Tailor compares each setting of the baseline with the catalog's checks
// for the same setting (of the profile, when one is named): where the
// vendor's value differs from the check's target, it becomes an override.
// Every override is checked by the tailoring file's own rules (Windows'
// ranges, the setting's type) before it is kept.
func Tailor(b *Baseline, cat *checks.Catalog, profile string) (*Tailored, error) {
	out := &Tailored{Baseline: b, Profile: profile}
	var p checks.Profile
	if profile != "" {
		var ok bool
		if p, ok = checks.FindProfile(profile); !ok {
			return nil, fmt.Errorf("unknown profile %q", profile)
		}
	}
	bySetting := map[string][]checks.Check{}
	for _, ch := range cat.Checks {
		a, err := remediate.AddressFor(ch, nil)
		if err != nil {
			continue
		}
		id := remediate.SettingID(a)
		bySetting[id] = append(bySetting[id], ch)
	}
	for _, s := range b.Settings {
		list := bySetting[remediate.SettingID(s.Address)]
		if len(list) == 0 {
			out.Uncovered = append(out.Uncovered, s)
			continue
		}
		for _, ch := range list {
			if profile != "" && !(contains(ch.OS, p.OS) && contains(p.Levels, ch.Level)) {
				continue
			}
			if ch.Fix.Value == nil || ch.Secret {
				continue
			}
			lit, ok := literalFor(ch, s)
			if !ok {
				out.Refused = append(out.Refused, fmt.Sprintf("%s: the baseline's %s (%s) does not fit the check's %s value", ch.ID, s.Value.Show(s.Address.Kind), s.Source, typeName(ch)))
				continue
			}
			if sameLiteral(lit, *ch.Fix.Value) {
				continue
			}
			t := &remediate.Tailoring{File: "baseline " + b.Name, Numbering: "v3.2.0", Overrides: []remediate.Override{{ID: ch.ID, Value: lit}}}
			if _, err := t.Tailor(cat); err != nil {
				out.Refused = append(out.Refused, fmt.Sprintf("%s: the baseline's %s (%s) cannot be an override: %v", ch.ID, s.Value.Show(s.Address.Kind), s.Source, err))
				continue
			}
			out.Overrides = append(out.Overrides, Override{CheckID: ch.ID, Value: lit, Benchmark: *ch.Fix.Value, Source: s.Source})
		}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func typeName(ch checks.Check) string {
	if ch.Fix.Type != "" {
		return ch.Fix.Type
	}
	return string(ch.Probe.Kind())
}

// literalFor writes the baseline's value as the check's target is written
// in the catalog.
func literalFor(ch checks.Check, s Setting) (checks.Literal, bool) {
	v := s.Value
	switch s.Address.Kind {
	case checks.KindRegistry:
		r := v.Reg()
		switch ch.Fix.Type {
		case "dword":
			if n, ok := r.Uint64(); ok && r.Type == checks.RegDWORD {
				return checks.Literal{Text: strconv.FormatUint(n, 10)}, true
			}
		case "sz", "expand_sz":
			if r.Type == checks.RegSZ || r.Type == checks.RegExpandSZ {
				return checks.Literal{Text: r.String()}, true
			}
		case "multi_sz":
			if r.Type == checks.RegMultiSZ {
				return checks.Literal{List: true, Items: append([]string{}, r.Strings()...)}, true
			}
		}
		return checks.Literal{}, false
	case checks.KindSecPol:
		return checks.Literal{Text: unquote(v.Text)}, true
	case checks.KindRight:
		return checks.Literal{List: true, Items: append([]string{}, v.SIDs...)}, true
	case checks.KindAudit:
		return checks.Literal{List: true, Items: auditWords(*v.Audit)}, true
	case checks.KindService:
		return checks.Literal{Text: v.Start.String()}, true
	}
	return checks.Literal{}, false
}

// sameLiteral compares values as the engine does: numbers by value, text
// without regard to case, lists as sets.
func sameLiteral(a, b checks.Literal) bool {
	if a.List != b.List {
		return false
	}
	if !a.List {
		x, ex := strconv.ParseInt(strings.TrimSpace(unquote(a.Text)), 10, 64)
		y, ey := strconv.ParseInt(strings.TrimSpace(unquote(b.Text)), 10, 64)
		if ex == nil && ey == nil {
			return x == y
		}
		return strings.EqualFold(strings.TrimSpace(unquote(a.Text)), strings.TrimSpace(unquote(b.Text)))
	}
	norm := func(items []string) string {
		out := make([]string, 0, len(items))
		for _, s := range items {
			out = append(out, strings.ToUpper(strings.TrimPrefix(strings.TrimSpace(s), "*")))
		}
		sort.Strings(out)
		return strings.Join(dedupe(out), "\x00")
	}
	return norm(a.Items) == norm(b.Items)
}

func dedupe(sorted []string) []string {
	var out []string
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// YAML writes the tailoring file: a header naming the baseline, the
// profile when one was named, the overrides with the benchmark's value
// beside each, and, in comments, the settings the catalog does not cover
// and the values no override can carry.
func (t *Tailored) YAML() []byte {
	var w strings.Builder
	line := func(format string, a ...interface{}) { w.WriteString(fmt.Sprintf(format, a...) + "\n") }
	line("# Tailoring from the vendor baseline %s (%s).", comment(t.Baseline.Name), comment(t.Baseline.Path))
	line("# Each override is the vendor's value where it differs from the benchmark's target.")
	line("# Judge every setting of the baseline itself with: medharden audit --baseline %s", comment(t.Baseline.Path))
	if t.Profile != "" {
		line("profile: %s", t.Profile)
	}
	line("numbering: v3.2.0")
	if len(t.Overrides) == 0 {
		line("overrides: {}")
	} else {
		line("overrides:")
		for _, o := range t.Overrides {
			line("  %s: %s  # benchmark: %s; set at %s", yamlQuote(o.CheckID), yamlLiteral(o.Value), comment(o.Benchmark.String()), comment(o.Source))
		}
	}
	if len(t.Refused) > 0 {
		line("#")
		line("# Values of the baseline no override can carry (%d):", len(t.Refused))
		for _, r := range t.Refused {
			line("#   %s", comment(r))
		}
	}
	if len(t.Uncovered) > 0 {
		line("#")
		line("# Settings of the baseline the benchmark has no check for (%d):", len(t.Uncovered))
		for _, s := range t.Uncovered {
			line("#   %s = %s (%s)", comment(s.Address.String()), comment(s.Value.Show(s.Address.Kind)), comment(s.Source))
		}
	}
	if len(t.Baseline.Skipped) > 0 {
		line("#")
		line("# Not read as settings (%d):", len(t.Baseline.Skipped))
		for _, s := range t.Baseline.Skipped {
			line("#   %s", comment(s))
		}
	}
	return []byte(w.String())
}

// comment makes text safe inside a YAML comment: one line, printable,
// and short (a logon notice would fill the screen).
func comment(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 120 {
		s = string(r[:117]) + "..."
	}
	return s
}

// yamlQuote writes a double-quoted YAML scalar; strconv's escapes (\n,
// \t, \", \\, \xNN, \uNNNN) are YAML's too.
func yamlQuote(s string) string { return strconv.Quote(s) }

func yamlLiteral(l checks.Literal) string {
	if !l.List {
		return yamlQuote(l.Text)
	}
	items := make([]string, len(l.Items))
	for i, s := range l.Items {
		items[i] = yamlQuote(s)
	}
	return "[" + strings.Join(items, ", ") + "]"
}
