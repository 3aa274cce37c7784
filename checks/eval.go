package checks

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrProfileMismatch: the chosen profile is for another Windows version.
var ErrProfileMismatch = errors.New("profile does not match the host's Windows version")

// Options tune an audit.
type Options struct {
	Tool    string
	Version string
	// Source describes the host for the report ("live" or a folder).
	Source      string
	CollectedAt string
	// Waive returns the justification when a check is waived by tailoring.
	Waive func(id string) (string, bool)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Declared is what a tailoring file says about people (operators,
	// emergency account): they are among the people whose own settings
	// the user-scope checks judge.
	Declared Declared
	// Credentials turns on the live host's credential probe for the
	// credentials checks (made once per CredentialProbe); nil judges them
	// from indirect signs only.
	Credentials *CredentialProbe
}

// Audit runs a profile's checks against a host. It fails only when the host
// cannot say what it is or the profile does not fit it; a check that cannot
// read its input becomes an `error` result, never a pass.
func Audit(ctx context.Context, h Host, cat *Catalog, p Profile, opt Options) (Report, error) {
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	started := now().UTC().Format(time.RFC3339)
	info, err := h.OS(ctx)
	if err != nil {
		return Report{}, fmt.Errorf("identify host: %w", err)
	}
	if fam := info.Family(); fam != p.OS {
		return Report{}, fmt.Errorf("%w: profile %s is for %s, host runs %q (version %s)",
			ErrProfileMismatch, p.Name, p.OS, info.Caption, info.Version)
	}
	selected := cat.Select(p)
	noBitLocker := bitLockerMissing(ctx, h, selected)
	users := auditUsers(ctx, h, selected, opt.Declared)
	results := make([]Result, 0, len(selected))
	for _, ch := range selected {
		if err := ctx.Err(); err != nil {
			return Report{}, err
		}
		var rs []Result
		switch {
		case ch.Level == "BL" && noBitLocker != nil:
			rs = []Result{notApplicable(ch, "BitLocker policy does not apply: "+noBitLocker.Error())}
		case ch.Probe.Credentials != nil:
			rs = []Result{judgeCredentials(ctx, h, ch, opt.Credentials)}
		case ch.UserScope() && len(users) > 0:
			for _, u := range users {
				rs = append(rs, EvaluateUser(ctx, h, ch, u))
			}
		default:
			rs = []Result{Evaluate(ctx, h, ch)}
		}
		for _, r := range rs {
			if opt.Waive != nil && (r.Status == Fail || r.Status == Error) {
				if why, ok := opt.Waive(ch.ID); ok {
					r.Status = Waived
					r.Reason = "waived: " + why + " (finding: " + r.Reason + ")"
				}
			}
			results = append(results, r)
		}
	}
	return Report{
		Tool:    opt.Tool,
		Version: opt.Version,
		Started: started,
		Host:    HostInfo{OSInfo: info, Source: opt.Source, CollectedAt: opt.CollectedAt},
		Profile: p.Name,
		Results: results,
		Summary: Summarize(results),
	}, nil
}

// auditUsers is the people whose own settings the user-scope checks
// judge, when the selection has such checks. With nobody known (a host
// that cannot say who uses it) the checks read HKCU as before, without a
// user.
func auditUsers(ctx context.Context, h Host, selected []Check, d Declared) []User {
	for _, ch := range selected {
		if ch.UserScope() {
			return BuildDevice(ctx, h, d).Users()
		}
	}
	return nil
}

// bitLockerMissing tells, when the selection has BitLocker (BL) checks,
// whether this edition of Windows has no BitLocker at all: then its policy
// settings have nothing to act on.
func bitLockerMissing(ctx context.Context, h Host, selected []Check) error {
	for _, ch := range selected {
		if ch.Level != "BL" {
			continue
		}
		if _, err := h.Volumes(ctx); errors.Is(err, ErrNotSupported) {
			return err
		}
		return nil
	}
	return nil
}

func notApplicable(ch Check, reason string) Result {
	return Result{
		ID:           ch.ID,
		Title:        ch.Title,
		Level:        ch.Level,
		Capabilities: append([]string(nil), ch.Capabilities...),
		Expected:     describe(ch.Expect),
		Status:       NotApplicable,
		Actual:       "not available",
		Reason:       reason,
	}
}

// newResult is a check's result before it is judged: what it is and what
// it expects.
func newResult(ch Check) Result {
	return Result{
		ID:           ch.ID,
		Title:        ch.Title,
		Level:        ch.Level,
		Capabilities: append([]string(nil), ch.Capabilities...),
		Expected:     describe(ch.Expect),
	}
}

// Evaluate runs one check.
func Evaluate(ctx context.Context, h Host, ch Check) Result {
	if ch.Probe.Credentials != nil {
		return judgeCredentials(ctx, h, ch, nil) // no logon outside an audit
	}
	r := newResult(ch)
	obs, err := observe(ctx, h, ch)
	r.Source = obs.source
	switch {
	case errors.Is(err, ErrAbsent):
		return judgeAbsent(r, ch)
	case errors.Is(err, ErrNotSupported):
		r.Status = NotApplicable
		r.Actual = "not available"
		r.Reason = err.Error()
		return r
	case err != nil:
		r.Status = Error
		r.Actual = "unknown"
		r.Reason = err.Error()
		return r
	}
	r.Actual = obs.display
	secret := ch.Secret || obs.secret
	if secret {
		r.Actual = hidden(obs.value)
	}
	expect, err := bindDefaultNames(ctx, h, ch.Expect, obs.value)
	if err != nil {
		r.Status = Error
		r.Reason = err.Error()
		return r
	}
	r.Expected = describe(expect)
	ok, why := match(expect, obs.value)
	if ok {
		r.Status = Pass
		r.Reason = "meets the recommendation"
	} else {
		r.Status = Fail
		r.Reason = why
		if secret {
			r.Reason = "a value is stored (value hidden)"
		}
	}
	return r
}

func judgeAbsent(r Result, ch Check) Result {
	what := kinds[ch.Probe.Kind()].absent
	if ch.WindowsDefault != nil {
		return judgeDefault(r, ch, what)
	}
	r.Actual = what
	switch ch.Absent {
	case "pass":
		r.Status = Pass
		r.Reason = what + ", which meets the recommendation"
	case "notapplicable":
		r.Status = NotApplicable
		r.Reason = what
	default:
		r.Status = Fail
		r.Reason = what
	}
	return r
}

// judgeDefault judges a missing value that has a documented Windows
// default. Absent says the verdict the benchmark's audit gives (CIS-CAT and
// Tenable read CAN_BE_NULL as pass, anything else as fail); the reason says
// what Windows does meanwhile, so auditors see the audit's verdict and
// technicians the real risk. Without Absent the default itself is judged.
func judgeDefault(r Result, ch Check, what string) Result {
	def := show(ch.WindowsDefault.Text)
	r.Actual = fmt.Sprintf("%s (Windows default: %s)", what, def)
	ok, why := match(ch.Expect, ch.WindowsDefault.Text)
	switch {
	case ch.Absent == "pass" && !ok:
		r.Status = Pass
		r.Reason = what + ", which the benchmark's audit accepts; Windows default " + def + ": " + why
	case ch.Absent == "fail" && ok:
		r.Status = Fail
		r.Reason = what + "; Windows default " + def + " is equivalent"
	case ok:
		r.Status = Pass
		r.Reason = what + "; Windows default " + def + " meets the recommendation"
	default:
		r.Status = Fail
		r.Reason = what + "; Windows default " + def + " applies: " + why
	}
	return r
}

// hidden describes a secret without revealing it.
func hidden(v interface{}) string {
	if s, ok := v.(string); ok && s == "" {
		return "set, empty"
	}
	return "set (value hidden)"
}

// observation is a probe's answer: a value the predicates understand
// (string, []string, record, []record) and how to show it.
type observation struct {
	value   interface{}
	display string
	source  string
	// secret is set for text values whose name says they hold a password,
	// so a catalog entry that forgets `secret: true` still shows nothing.
	secret bool
}

type record map[string]string

func protection(s int) string {
	switch s {
	case 0:
		return "protection off"
	case 1:
		return "protection on"
	}
	return "protection unknown"
}

func accountRecord(a Account) record {
	return record{
		"name":              a.Name,
		"sid":               a.SID,
		"rid":               a.RID(),
		"disabled":          strconv.FormatBool(a.Disabled),
		"password_required": strconv.FormatBool(a.PasswordRequired),
		"password_expires":  strconv.FormatBool(a.PasswordExpires),
		"lockout":           strconv.FormatBool(a.Lockout),
	}
}

func describeAccount(a Account) string {
	state := "enabled"
	if a.Disabled {
		state = "disabled"
	}
	return fmt.Sprintf("%q (%s), %s", a.Name, a.SID, state)
}

// regObservation turns a registry value into what predicates compare:
// numbers as decimal text, strings as text, multi-strings as lists.
func regObservation(v RegValue) (interface{}, string) {
	switch v.Type {
	case RegDWORD, RegQWORD:
		if n, ok := v.Uint64(); ok {
			s := strconv.FormatUint(n, 10)
			return s, s
		}
	case RegSZ, RegExpandSZ:
		s := v.String()
		return s, strconv.Quote(s)
	case RegMultiSZ:
		items := v.Strings()
		if len(items) == 0 {
			return items, "(empty list)"
		}
		return items, strings.Join(items, "; ")
	}
	h := hex.EncodeToString(v.Data)
	return h, "hex:" + h
}

func sidList(sids []string) string {
	if len(sids) == 0 {
		return "No One"
	}
	labels := make([]string, len(sids))
	for i, s := range sids {
		labels[i] = SIDLabel(s)
	}
	return strings.Join(labels, ", ")
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// match evaluates a predicate; when it fails, the second value says why in
// words a technician understands.
func match(p Predicate, v interface{}) (bool, string) {
	switch {
	case len(p.All) > 0:
		for _, sub := range p.All {
			if ok, why := match(sub, v); !ok {
				return false, why
			}
		}
		return true, ""
	case len(p.Any) > 0:
		var whys []string
		for _, sub := range p.Any {
			ok, why := match(sub, v)
			if ok {
				return true, ""
			}
			whys = append(whys, why)
		}
		return false, strings.Join(whys, "; and ")
	case p.Not != nil:
		if ok, _ := match(*p.Not, v); ok {
			return false, "value must not be " + describe(*p.Not)
		}
		return true, ""
	}
	if p.Field != "" {
		rec, ok := v.(record)
		if !ok {
			return false, "field " + p.Field + " asked of a value that has no fields"
		}
		ok, why := matchOp(p, rec[p.Field])
		if !ok {
			why = p.Field + ": " + why
		}
		return ok, why
	}
	return matchOp(p, v)
}

func matchOp(p Predicate, v interface{}) (bool, string) {
	want := ""
	if p.Value != nil {
		want = p.Value.Text
	}
	switch p.Op {
	case "eq", "ne":
		s, ok := v.(string)
		if !ok {
			return false, "expected a single value, found a list"
		}
		same := sameScalar(s, want)
		if p.Op == "eq" && !same {
			return false, fmt.Sprintf("is %s, should be %s", show(s), want)
		}
		if p.Op == "ne" && same {
			return false, fmt.Sprintf("is %s, must be something else", show(s))
		}
		return true, ""
	case "gte", "lte", "range":
		s, ok := v.(string)
		if !ok {
			return false, "expected a number, found a list"
		}
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return false, fmt.Sprintf("%s is not a number", show(s))
		}
		switch p.Op {
		case "gte":
			w, _ := strconv.ParseInt(want, 10, 64)
			if n < w {
				return false, fmt.Sprintf("is %d, should be %d or more", n, w)
			}
		case "lte":
			w, _ := strconv.ParseInt(want, 10, 64)
			if n > w {
				return false, fmt.Sprintf("is %d, should be %d or less", n, w)
			}
		default:
			if n < *p.Min || n > *p.Max {
				return false, fmt.Sprintf("is %d, should be between %d and %d", n, *p.Min, *p.Max)
			}
		}
		return true, ""
	case "in":
		s, ok := v.(string)
		if !ok {
			return false, "expected a single value, found a list"
		}
		for _, w := range p.Values {
			if sameScalar(s, w) {
				return true, ""
			}
		}
		return false, fmt.Sprintf("is %s, should be one of %s", show(s), strings.Join(p.Values, ", "))
	case "empty", "nonempty":
		empty := false
		switch x := v.(type) {
		case string:
			empty = strings.TrimSpace(x) == ""
		case []string:
			empty = len(x) == 0
		case []record:
			empty = len(x) == 0
		}
		if p.Op == "empty" && !empty {
			return false, "should be empty"
		}
		if p.Op == "nonempty" && empty {
			return false, "is empty, should be set"
		}
		return true, ""
	case "set_eq", "subset", "superset":
		have := asList(v)
		extra, missing := setDiff(have, p.Values)
		switch {
		case p.Op == "subset" && len(extra) > 0:
			return false, "also granted to " + sidList(extra)
		case p.Op == "superset" && len(missing) > 0:
			return false, "missing " + labelList(missing)
		case p.Op == "set_eq" && (len(extra) > 0 || len(missing) > 0):
			var parts []string
			if len(extra) > 0 {
				parts = append(parts, "unexpected "+labelList(extra))
			}
			if len(missing) > 0 {
				parts = append(parts, "missing "+labelList(missing))
			}
			return false, strings.Join(parts, "; ")
		}
		return true, ""
	case "default_name":
		s, ok := v.(string)
		if !ok {
			return false, "expected a single value, found a list"
		}
		for _, name := range p.Values {
			if name == anyName || sameScalar(s, name) {
				return true, ""
			}
		}
		if len(p.Values) == 0 {
			return false, "the system language's default name is not known"
		}
		return false, fmt.Sprintf("is %s, not the default name %s", show(s), strings.Join(p.Values, " or "))
	case "regex":
		s, ok := v.(string)
		if !ok {
			return false, "expected a single value, found a list"
		}
		re, err := regexp.Compile(want)
		if err != nil {
			return false, "bad pattern in catalog: " + err.Error()
		}
		if !re.MatchString(s) {
			return false, fmt.Sprintf("%s does not match %s", show(s), want)
		}
		return true, ""
	case "none":
		recs, ok := v.([]record)
		if !ok {
			return false, "expected a list of items"
		}
		var hits []string
		for _, rec := range recs {
			if ok, _ := match(*p.Where, rec); ok {
				hits = append(hits, rec["name"])
			}
		}
		if len(hits) > 0 {
			sort.Strings(hits)
			return false, "found: " + strings.Join(hits, ", ")
		}
		return true, ""
	}
	return false, "unknown operator " + p.Op
}

func show(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

func sameScalar(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if x, err := strconv.ParseInt(a, 10, 64); err == nil {
		if y, err := strconv.ParseInt(b, 10, 64); err == nil {
			return x == y
		}
	}
	return strings.EqualFold(a, b)
}

func asList(v interface{}) []string {
	switch x := v.(type) {
	case []string:
		return x
	case string:
		if strings.TrimSpace(x) == "" {
			return nil
		}
		return []string{x}
	}
	return nil
}

// setDiff compares case-insensitively and returns what have has beyond want
// and what want has that have lacks.
func setDiff(have, want []string) (extra, missing []string) {
	h := map[string]bool{}
	for _, x := range have {
		h[strings.ToUpper(strings.TrimSpace(x))] = true
	}
	w := map[string]bool{}
	for _, x := range want {
		w[strings.ToUpper(strings.TrimSpace(x))] = true
	}
	for _, x := range have {
		if !w[strings.ToUpper(strings.TrimSpace(x))] {
			extra = append(extra, x)
		}
	}
	for _, x := range want {
		if !h[strings.ToUpper(strings.TrimSpace(x))] {
			missing = append(missing, x)
		}
	}
	return extra, missing
}

func labelList(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		if strings.HasPrefix(strings.ToUpper(s), "S-1-") {
			out[i] = SIDLabel(s)
		} else {
			out[i] = s
		}
	}
	return strings.Join(out, ", ")
}

// describe renders an expectation for reports.
func describe(p Predicate) string {
	switch {
	case len(p.All) > 0:
		parts := make([]string, len(p.All))
		for i, s := range p.All {
			parts[i] = describe(s)
		}
		return strings.Join(parts, " and ")
	case len(p.Any) > 0:
		parts := make([]string, len(p.Any))
		for i, s := range p.Any {
			parts[i] = describe(s)
		}
		return strings.Join(parts, " or ")
	case p.Not != nil:
		return "not (" + describe(*p.Not) + ")"
	}
	prefix := ""
	if p.Field != "" {
		prefix = strings.ReplaceAll(p.Field, "_", " ") + " "
	}
	want := ""
	if p.Value != nil {
		want = p.Value.Text
	}
	switch p.Op {
	case "eq":
		return prefix + "= " + show(want)
	case "ne":
		return prefix + "!= " + show(want)
	case "gte":
		return prefix + ">= " + want
	case "lte":
		return prefix + "<= " + want
	case "range":
		return fmt.Sprintf("%s%d..%d", prefix, *p.Min, *p.Max)
	case "in":
		return prefix + "one of " + strings.Join(p.Values, ", ")
	case "empty":
		return prefix + "empty"
	case "nonempty":
		return prefix + "not empty"
	case "set_eq":
		return prefix + "exactly: " + labelList(p.Values)
	case "subset":
		if len(p.Values) == 0 {
			return prefix + "No One"
		}
		return prefix + "only: " + labelList(p.Values)
	case "superset":
		return prefix + "includes: " + labelList(p.Values)
	case "regex":
		return prefix + "matches " + want
	case "none":
		return "none where " + describe(*p.Where)
	case "default_name":
		if len(p.Values) > 0 {
			return prefix + "the default name " + strings.Join(p.Values, " or ") + " (RID " + want + ")"
		}
		return prefix + "the default name of RID " + want + " in the system language"
	}
	return p.Op
}
