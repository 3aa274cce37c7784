package csaf

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Range is a set of versions: a vers: range ("vers:generic/>=1.0|<2.0"),
// or the plain single bound advisories write in product_version_range ("<= 4.2").
type Range struct {
	All         bool
	constraints []constraint
}

type constraint struct {
	op      string // "=", "!=", "<", "<=", ">", ">="
	version string
}

var ops = []string{">=", "<=", "!=", "<", ">", "="}

// ParseRange reads a vers: range or a single "<op> version" bound.
func ParseRange(s string) (Range, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(strings.ToLower(s), "vers:") {
		c, ok := parseConstraint(s)
		if !ok || c.op == "!=" {
			return Range{}, fmt.Errorf("%q is neither a vers: range nor a single bound such as \"<= 4.2\"", s)
		}
		return Range{constraints: []constraint{c}}, nil
	}
	slash := strings.IndexByte(s, '/')
	if slash < 0 || slash == len("vers:") {
		return Range{}, fmt.Errorf("%q: a vers: range is vers:<scheme>/<constraints>", s)
	}
	body := strings.TrimSpace(s[slash+1:])
	if body == "*" {
		return Range{All: true}, nil
	}
	var r Range
	for _, part := range strings.Split(body, "|") {
		c, ok := parseConstraint(part)
		if !ok {
			return Range{}, fmt.Errorf("%q: bad constraint %q", s, part)
		}
		r.constraints = append(r.constraints, c)
	}
	return r, nil
}

func parseConstraint(s string) (constraint, bool) {
	s = strings.TrimSpace(s)
	op := "="
	for _, o := range ops {
		if strings.HasPrefix(s, o) {
			op, s = o, strings.TrimSpace(s[len(o):])
			break
		}
	}
	if s == "" || strings.ContainsAny(s, " |<>=!*") {
		return constraint{}, false
	}
	return constraint{op: op, version: s}, true
}

// Contains tells whether version v is in the range, following the vers
// specification: an equal version matches, an excluded one does not, and
// the remaining bounds, in version order, pair into intervals.
func (r Range) Contains(v string) bool {
	if r.All {
		return true
	}
	var bounds []constraint
	for _, c := range r.constraints {
		switch c.op {
		case "=":
			if CompareVersions(v, c.version) == 0 {
				return true
			}
		case "!=":
			if CompareVersions(v, c.version) == 0 {
				return false
			}
		default:
			bounds = append(bounds, c)
		}
	}
	sort.SliceStable(bounds, func(i, j int) bool { return CompareVersions(bounds[i].version, bounds[j].version) < 0 })
	for i := 0; i < len(bounds); i++ {
		c := bounds[i]
		if isUpper(c.op) {
			// An upper bound not preceded by a lower one starts at the lowest version.
			if within(v, c) {
				return true
			}
			continue
		}
		if i+1 < len(bounds) && isUpper(bounds[i+1].op) {
			if within(v, c) && within(v, bounds[i+1]) {
				return true
			}
			i++
			continue
		}
		if within(v, c) {
			return true
		}
	}
	return false
}

func isUpper(op string) bool { return op == "<" || op == "<=" }

func within(v string, c constraint) bool {
	d := CompareVersions(v, c.version)
	switch c.op {
	case "<":
		return d < 0
	case "<=":
		return d <= 0
	case ">":
		return d > 0
	case ">=":
		return d >= 0
	}
	return d == 0
}

// CompareVersions orders versions segment by segment (split at . - _ and
// spaces): numbers numerically, other text case-insensitively; a version
// that is a prefix of another is the lower ("1.2" < "1.2.1").
func CompareVersions(a, b string) int {
	as, bs := segments(a), segments(b)
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, y := as[i], bs[i]
		xn, xerr := strconv.ParseUint(x, 10, 64)
		yn, yerr := strconv.ParseUint(y, 10, 64)
		switch {
		case xerr == nil && yerr == nil:
			if xn != yn {
				if xn < yn {
					return -1
				}
				return 1
			}
		case xerr == nil:
			return -1 // numbers sort before text, as in most version schemes
		case yerr == nil:
			return 1
		default:
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
		}
	}
	switch {
	case len(as) < len(bs):
		return -1
	case len(as) > len(bs):
		return 1
	}
	return 0
}

func segments(v string) []string {
	return strings.FieldsFunc(strings.ToLower(strings.TrimSpace(v)), func(r rune) bool {
		return r == '.' || r == '-' || r == '_' || r == ' '
	})
}

// VersionStatus is whether a device version is one a product names.
type VersionStatus int

const (
	VersionOut     VersionStatus = iota // certainly not this product's version
	VersionIn                           // certainly this product's version
	VersionUnknown                      // the advisory's text or the device's version cannot be decided
)

// MatchVersion decides whether device version v is the product's version.
// A product_version is compared exactly (trimmed, case-insensitive) unless
// it is itself a vers: range ("vers:all/*"); an empty v is unknown.
func (p Product) MatchVersion(v string) (VersionStatus, string) {
	v = strings.TrimSpace(v)
	spec := p.Range
	if spec == "" {
		spec = p.Version
	}
	if spec == "" {
		return VersionIn, "the advisory names no version"
	}
	exact := p.Range == "" && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(spec)), "vers:")
	if exact {
		if v == "" {
			return VersionUnknown, fmt.Sprintf("device version unknown; affected version %q", spec)
		}
		if strings.EqualFold(v, strings.TrimSpace(spec)) {
			return VersionIn, fmt.Sprintf("version %s is %q", v, spec)
		}
		return VersionOut, fmt.Sprintf("version %s is not %q", v, spec)
	}
	r, err := ParseRange(spec)
	if err != nil {
		return VersionUnknown, "range cannot be read: " + err.Error()
	}
	if r.All {
		return VersionIn, fmt.Sprintf("all versions (%s)", spec)
	}
	if v == "" {
		return VersionUnknown, fmt.Sprintf("device version unknown; affected range %q", spec)
	}
	if r.Contains(v) {
		return VersionIn, fmt.Sprintf("version %s is in %q", v, spec)
	}
	return VersionOut, fmt.Sprintf("version %s is outside %q", v, spec)
}
