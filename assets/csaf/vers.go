package csaf

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Range is the set of versions a product_version or product_version_range
// names: a vers: range ("vers:generic/>=1.0|<2.0") or the plain forms
// advisories write ("<= 4.2", "2.3.6 and below", "prior to 5.1", "2.X",
// "1.0 through 2.3", "all versions", pipe-joined lists of these). A part
// that names no readable version is kept with the reason, so the matcher
// reports "possibly affected" rather than guessing.
type Range struct {
	All     bool
	bounds  []constraint // vers-style: equal, excluded and paired bounds
	alts    []alt        // other parts: a version is in when one contains it
	unknown []string     // parts that cannot be decided, with the reason
}

type constraint struct {
	op      string // "=", "!=", "<", "<=", ">", ">="
	version string
}

// alt is one part of a plain list: a wildcard prefix or an interval.
type alt struct {
	prefix []string    // "2.X": the segments before the wildcard
	lo, hi *constraint // interval; hi nil with lo set is "and later"
	hiWhy  string      // the upper bound cannot be read: only lo decides "out"
}

var ops = []string{">=", "<=", "!=", "<", ">", "="}

// ParseRange reads a version text. Only a malformed vers: range is an
// error; plain text the reader cannot decide is kept as undecidable.
func ParseRange(s string) (Range, error) {
	s = strings.Join(strings.Fields(s), " ")
	if strings.HasPrefix(strings.ToLower(s), "vers:") {
		return parseVers(s)
	}
	var r Range
	for _, part := range strings.Split(s, "|") {
		r.addPart(strings.TrimSpace(part))
	}
	return r, nil
}

func parseVers(s string) (Range, error) {
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
		r.bounds = append(r.bounds, c)
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
	if s == "" || strings.ContainsAny(s, "|<>=!*") || !isVersion(s) {
		return constraint{}, false
	}
	return constraint{op: op, version: s}, true
}

// Plain-language bounds, lower case, as CISA and vendors write them.
var (
	upToSuffixes = []string{" and below", " and earlier", " and prior", " and lower", " and older",
		" or below", " or earlier", " or prior", " or lower", " or older"}
	fromSuffixes = []string{" and later", " and above", " and newer", " and higher",
		" or later", " or above", " or newer", " or higher", "+"}
	belowPrefixes = []string{"all versions prior to ", "all versions before ", "prior to ", "before ",
		"earlier than ", "lower than ", "older than ", "less than ", "below "}
	upToPrefixes = []string{"all versions up to and including ", "all versions up to ", "up to and including ", "up to ", "through "}
	betweenWords = []string{" through ", " thru ", " to ", " - ", " <= ", " and "}
	allForms     = map[string]bool{"all": true, "all versions": true, "*": true, "any": true, "any version": true, "all/*": true}
)

func (r *Range) addPart(orig string) {
	p := strings.ToLower(orig)
	for _, pre := range []string{"versions ", "version ", "firmware ", "software "} {
		p = strings.TrimPrefix(p, pre)
	}
	p = strings.TrimSpace(p)
	if allForms[p] {
		r.All = true
		return
	}
	for _, o := range ops {
		if strings.HasPrefix(p, o) {
			v := strings.TrimSpace(p[len(o):])
			if !isVersion(v) {
				r.unknown = append(r.unknown, fmt.Sprintf("bound %q is not a version", v))
				return
			}
			r.bounds = append(r.bounds, constraint{op: o, version: v})
			return
		}
	}
	for _, suf := range upToSuffixes {
		if v := strings.TrimSpace(strings.TrimSuffix(p, suf)); v != p && isVersion(v) {
			r.bounds = append(r.bounds, constraint{op: "<=", version: v})
			return
		}
	}
	for _, suf := range fromSuffixes {
		if v := strings.TrimSpace(strings.TrimSuffix(p, suf)); v != p && isVersion(v) {
			r.alts = append(r.alts, alt{lo: &constraint{op: ">=", version: v}})
			return
		}
	}
	for _, pre := range belowPrefixes {
		if v := strings.TrimSpace(strings.TrimPrefix(p, pre)); v != p && isVersion(v) {
			r.alts = append(r.alts, alt{hi: &constraint{op: "<", version: v}})
			return
		}
	}
	for _, pre := range upToPrefixes {
		if v := strings.TrimSpace(strings.TrimPrefix(p, pre)); v != p && isVersion(v) {
			r.alts = append(r.alts, alt{hi: &constraint{op: "<=", version: v}})
			return
		}
	}
	if a, ok := between(p); ok {
		r.alts = append(r.alts, a)
		return
	}
	if pre, ok := wildcard(p); ok {
		r.alts = append(r.alts, alt{prefix: pre})
		return
	}
	if isVersion(p) {
		r.bounds = append(r.bounds, constraint{op: "=", version: p})
		return
	}
	r.unknown = append(r.unknown, fmt.Sprintf("%q is not a version or range", orig))
}

// between reads "1.0 through 2.3", "from 1.0 to 2.3", "between 1.0 and 2.3"
// and CISA's "A.01 <= C.0x". An upper bound that is not a version (a
// wildcard inside a number) leaves only the lower bound to rule versions out.
func between(p string) (alt, bool) {
	p = strings.TrimPrefix(strings.TrimPrefix(p, "from "), "between ")
	for _, w := range betweenWords {
		i := strings.Index(p, w)
		if i <= 0 {
			continue
		}
		lo, hi := strings.TrimSpace(p[:i]), strings.TrimSpace(p[i+len(w):])
		if !isVersion(lo) {
			continue
		}
		a := alt{lo: &constraint{op: ">=", version: lo}}
		if pre, ok := wildcard(hi); ok {
			// "through 2.X": every 2.x is in; as a bound, below 3.
			a.hi = &constraint{op: "<=", version: strings.Join(pre, ".") + ".\uffff"}
		} else if isVersion(hi) {
			a.hi = &constraint{op: "<=", version: hi}
		} else {
			a.hiWhy = fmt.Sprintf("upper bound %q is not a version", hi)
		}
		return a, true
	}
	return alt{}, false
}

// wildcard reads "2.X", "2.x.x", "4.*": the segments before the wildcard.
func wildcard(p string) ([]string, bool) {
	seg := segments(p)
	n := len(seg)
	for n > 0 && (seg[n-1] == "x" || seg[n-1] == "*") {
		n--
	}
	if n == len(seg) || n == 0 || !isVersion(strings.Join(seg[:n], ".")) {
		return nil, false
	}
	return seg[:n], true
}

// versionWords may follow the numbers of a version ("1.3.1 Build 13",
// "1.8.4 Service Pack 01", "1.1.3 MR Build 11").
var versionWords = map[string]bool{"build": true, "sp": true, "mr": true, "r": true, "rc": true, "beta": true,
	"alpha": true, "update": true, "patch": true, "hotfix": true, "hf": true, "rev": true, "release": true}

// isVersion: has a digit, starts with a number or a single letter ("C.02"),
// and any further word is a short code or a word versions use.
func isVersion(v string) bool {
	seg := segments(v)
	if len(seg) == 0 || !strings.ContainsAny(v, "0123456789") {
		return false
	}
	if _, err := strconv.ParseUint(seg[0], 10, 64); err != nil && len(seg[0]) > 1 && !startsDigit(seg[0]) {
		return false
	}
	for _, s := range seg {
		if startsDigit(s) && strings.ContainsAny(s, "x*") {
			return false // "C.0x": a wildcard inside a number
		}
	}
	for _, s := range seg[1:] {
		if !startsDigit(s) && len(s) > 3 && !versionWords[s] {
			return false
		}
	}
	return true
}

func startsDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// Decide tells whether version v is in the range, with the reason.
func (r Range) Decide(v string) (VersionStatus, string) {
	v = strings.TrimSpace(v)
	if r.All {
		return VersionIn, "all versions"
	}
	if v == "" {
		return VersionUnknown, "device version unknown"
	}
	if len(r.bounds) > 0 && containsVers(r.bounds, v) {
		return VersionIn, "in range"
	}
	var why []string
	for _, a := range r.alts {
		switch {
		case a.prefix != nil:
			if hasPrefix(segments(v), a.prefix) {
				return VersionIn, "in range"
			}
		case a.hiWhy != "":
			if !within(v, *a.lo) {
				continue
			}
			why = append(why, a.hiWhy)
		case (a.lo == nil || within(v, *a.lo)) && (a.hi == nil || within(v, *a.hi)):
			return VersionIn, "in range"
		}
	}
	why = append(why, r.unknown...)
	if len(why) > 0 {
		return VersionUnknown, strings.Join(why, "; ")
	}
	return VersionOut, "outside the range"
}

func (r Range) hasUnreadableBound() bool {
	for _, a := range r.alts {
		if a.hiWhy != "" {
			return true
		}
	}
	return false
}

// Contains is Decide for a version that is certainly in the range.
func (r Range) Contains(v string) bool {
	st, _ := r.Decide(v)
	return st == VersionIn
}

func hasPrefix(v, pre []string) bool {
	if len(v) < len(pre) {
		return false
	}
	for i := range pre {
		if CompareVersions(v[i], pre[i]) != 0 {
			return false
		}
	}
	return true
}

// containsVers follows the vers specification: an equal version matches,
// an excluded one does not, and the remaining bounds, in version order,
// pair into intervals.
func containsVers(cs []constraint, v string) bool {
	var bounds []constraint
	for _, c := range cs {
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
// that is a prefix of another is the lower ("1.2" < "1.2.1"). "Service
// Pack 01", "SP1" and "sp 1" are the same segments.
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

var servicePack = regexp.MustCompile(`service\s*pack|\bsp(\d)`)

func segments(v string) []string {
	v = strings.ToLower(strings.TrimSpace(v))
	if strings.Contains(v, "s") {
		v = servicePack.ReplaceAllStringFunc(v, func(m string) string {
			if strings.HasPrefix(m, "sp") {
				return "sp " + m[2:]
			}
			return "sp"
		})
	}
	return strings.FieldsFunc(v, func(r rune) bool {
		return r == '.' || r == '-' || r == '_' || r == ',' || unicode.IsSpace(r)
	})
}

// VersionStatus is whether a device version is one a product names.
type VersionStatus int

const (
	VersionOut     VersionStatus = iota // certainly not this product's version
	VersionIn                           // certainly this product's version
	VersionUnknown                      // the advisory's text or the device's version cannot be decided
)

// MatchVersion decides whether device version v is the product's version
// (product_version_range, else product_version, read by ParseRange).
func (p Product) MatchVersion(v string) (VersionStatus, string) {
	return newVersionSpec(p.versionText()).decide(v)
}

func (p Product) versionText() string {
	if spec := strings.TrimSpace(p.Range); spec != "" {
		return spec
	}
	return strings.TrimSpace(p.Version)
}

// versionSpec is a product's version text read once.
type versionSpec struct {
	text string
	r    Range
	err  error
}

func newVersionSpec(text string) versionSpec {
	vs := versionSpec{text: text}
	if text != "" {
		vs.r, vs.err = ParseRange(text)
	}
	return vs
}

func (s versionSpec) decide(v string) (VersionStatus, string) {
	v = strings.TrimSpace(v)
	spec := s.text
	if spec == "" {
		return VersionIn, "the advisory names no version"
	}
	if s.err != nil {
		return VersionUnknown, "range cannot be read: " + s.err.Error()
	}
	st, why := s.r.Decide(v)
	switch {
	case s.r.All:
		return st, fmt.Sprintf("all versions (%s)", spec)
	case v == "":
		return st, fmt.Sprintf("device version unknown; affected %q", spec)
	case st == VersionIn:
		return st, fmt.Sprintf("version %s is in %q", v, spec)
	case st == VersionOut:
		return st, fmt.Sprintf("version %s is outside %q", v, spec)
	}
	return st, fmt.Sprintf("version %s against %q cannot be decided: %s", v, spec, why)
}
