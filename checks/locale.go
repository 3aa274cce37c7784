package checks

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// Built-in accounts by relative id: the Administrator is 500, the Guest
// 501, in every language.
const (
	RIDAdministrator = "500"
	RIDGuest         = "501"
)

// BuiltinNames are the names Windows gives the built-in accounts when it
// is installed in one language. A language may list only the name a
// public source confirms; the other is then "" (not known).
type BuiltinNames struct {
	Language      string
	LCIDs         []int
	Administrator string
	Guest         string
}

// builtinNamesEntry is one language as the table spells it: a name left
// out is not known, a name given empty is a mistake.
type builtinNamesEntry struct {
	Language      string  `yaml:"language"`
	LCIDs         []int   `yaml:"lcids"`
	Administrator *string `yaml:"administrator"`
	Guest         *string `yaml:"guest"`
}

// Name returns the default name of the built-in account with a RID, or ""
// when the table does not know it for this language.
func (b BuiltinNames) Name(rid string) string {
	if rid == RIDGuest {
		return b.Guest
	}
	return b.Administrator
}

//go:embed locale/builtin-accounts.yaml
var builtinNamesYAML []byte

var (
	namesOnce sync.Once
	namesByID map[int]BuiltinNames
	namesErr  error
)

// ParseBuiltinNames reads the table of default account names strictly:
// unknown fields, an empty name, a language with neither name and an LCID
// listed twice are errors. A name left out stays "" (not known).
func ParseBuiltinNames(b []byte) (map[int]BuiltinNames, error) {
	var list []builtinNamesEntry
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&list); err != nil {
		return nil, fmt.Errorf("built-in account names: %w", err)
	}
	out := map[int]BuiltinNames{}
	for _, e := range list {
		if e.Language == "" || len(e.LCIDs) == 0 || (e.Administrator == nil && e.Guest == nil) {
			return nil, fmt.Errorf("built-in account names: language %q needs lcids and an administrator or guest name", e.Language)
		}
		l := BuiltinNames{Language: e.Language, LCIDs: e.LCIDs}
		for _, n := range []struct {
			field string
			in    *string
			out   *string
		}{{"administrator", e.Administrator, &l.Administrator}, {"guest", e.Guest, &l.Guest}} {
			if n.in == nil {
				continue
			}
			if strings.TrimSpace(*n.in) == "" {
				return nil, fmt.Errorf("built-in account names: language %q has an empty %s name (leave it out if it is not known)", e.Language, n.field)
			}
			*n.out = *n.in
		}
		for _, id := range l.LCIDs {
			if prev, dup := out[id]; dup {
				return nil, fmt.Errorf("built-in account names: LCID %d is listed for %s and %s", id, prev.Language, l.Language)
			}
			out[id] = l
		}
	}
	return out, nil
}

// DefaultNames returns the built-in account names of a system language
// (an LCID as Win32_OperatingSystem.OSLanguage gives it).
func DefaultNames(lcid int) (BuiltinNames, bool) {
	namesOnce.Do(func() { namesByID, namesErr = ParseBuiltinNames(builtinNamesYAML) })
	if namesErr != nil {
		return BuiltinNames{}, false
	}
	n, ok := namesByID[lcid]
	return n, ok
}

// usesDefaultName tells whether a predicate compares with a built-in
// account's default name.
func usesDefaultName(p Predicate) bool {
	if p.Op == "default_name" {
		return true
	}
	if p.Not != nil && usesDefaultName(*p.Not) {
		return true
	}
	for _, sub := range append(append([]Predicate{}, p.All...), p.Any...) {
		if usesDefaultName(sub) {
			return true
		}
	}
	return false
}

// bindDefaultNames fills every default_name comparison with the name the
// host's language gives the account. A system whose language is unknown
// or was not collected, or whose language the table lists without this
// account's name, is judged only where the language cannot change the
// verdict (the name is one of the known defaults, or the account is
// disabled); otherwise that is an error, never a pass.
func bindDefaultNames(ctx context.Context, h Host, p Predicate, v any) (Predicate, error) {
	if !usesDefaultName(p) {
		return p, nil
	}
	info, err := h.OS(ctx)
	var unknown error
	switch {
	case err != nil:
		unknown = fmt.Errorf("cannot tell whether renamed: %w", err)
	case info.Language == 0:
		unknown = fmt.Errorf("cannot tell whether renamed: the system language was not collected (OSLanguage of Win32_OperatingSystem)")
	default:
		names, ok := DefaultNames(info.Language)
		if !ok {
			unknown = fmt.Errorf("cannot tell whether renamed: unknown system language %d", info.Language)
			break
		}
		missing := ""
		bound := bindNames(p, func(rid string) []string {
			n := names.Name(rid)
			if n == "" {
				missing = rid
				return nil
			}
			return []string{n}
		})
		if missing == "" {
			return bound, nil
		}
		// The table knows this language but not this account's name:
		// the same as an unknown language, for this account only.
		unknown = fmt.Errorf("cannot tell whether renamed: the default name of RID %s in system language %d (%s) is not known", missing, info.Language, names.Language)
	}
	// A name that is the default in any known language counts as not
	// renamed. Any other name may be the default of the unknown language:
	// judge once with the known names, once as if the name were the
	// language's default; only a verdict both agree on stands.
	known := bindNames(p, knownDefaultNames)
	asDefault := bindNames(p, func(string) []string { return []string{anyName} })
	okKnown, _ := match(known, v)
	okDefault, _ := match(asDefault, v)
	if okKnown != okDefault {
		return p, unknown
	}
	return known, nil
}

// anyName stands for "whatever the account is called" in a default_name
// comparison: the language's default name, whatever that is.
const anyName = "\x00any"

// knownDefaultNames lists a built-in account's default name in every
// language of the table, each once, in a stable order.
func knownDefaultNames(rid string) []string {
	namesOnce.Do(func() { namesByID, namesErr = ParseBuiltinNames(builtinNamesYAML) })
	ids := make([]int, 0, len(namesByID))
	for id := range namesByID {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		n := namesByID[id].Name(rid)
		if k := strings.ToLower(n); n != "" && !seen[k] {
			seen[k] = true
			out = append(out, n)
		}
	}
	return out
}

func bindNames(p Predicate, names func(rid string) []string) Predicate {
	if p.Op == "default_name" {
		p.Values = names(p.Value.Text)
		return p
	}
	if p.Not != nil {
		n := bindNames(*p.Not, names)
		p.Not = &n
	}
	p.All = bindList(p.All, names)
	p.Any = bindList(p.Any, names)
	return p
}

func bindList(list []Predicate, names func(rid string) []string) []Predicate {
	if len(list) == 0 {
		return list
	}
	out := make([]Predicate, len(list))
	for i, sub := range list {
		out[i] = bindNames(sub, names)
	}
	return out
}
