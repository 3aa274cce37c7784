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
		Words:        ch.ExpectedWords(),
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
		Words:        ch.ExpectedWords(),
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
	w := wordingFor(ch.Probe)
	r.Words = expectWords(w, expect)
	ok, why := matchIn(w, expect, obs.value)
	if ok {
		r.Status = Pass
		r.Reason = sentence(w, "it meets the recommendation")
	} else {
		r.Status = Fail
		r.Reason = sentence(w, why)
		if secret {
			r.Reason = sentence(w, "it holds a value (hidden); it "+r.Words)
		}
	}
	return r
}

func judgeAbsent(r Result, ch Check) Result {
	what := kinds[ch.Probe.Kind()].absent
	if ch.WindowsDefault != nil {
		return judgeDefault(r, ch, what)
	}
	w := wordingFor(ch.Probe)
	r.Actual = what
	switch ch.Absent {
	case "pass":
		r.Status = Pass
		r.Reason = sentence(w, "it is "+what+", which meets the recommendation")
	case "notapplicable":
		r.Status = NotApplicable
		r.Reason = sentence(w, "it is "+what)
	default:
		r.Status = Fail
		r.Reason = sentence(w, "it is "+what+"; it "+r.Words)
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
	w := wordingFor(ch.Probe)
	ok, _ := matchIn(w, ch.Expect, ch.WindowsDefault.Text)
	it := "it is " + what
	switch {
	case ch.Absent == "pass" && !ok:
		r.Status = Pass
		r.Reason = it + ", which the benchmark's audit accepts; Windows uses its default " + w.number(def) + ", but it " + r.Words
	case ch.Absent == "fail" && ok:
		r.Status = Fail
		r.Reason = it + ", which the benchmark's audit does not accept, though the Windows default " + w.number(def) + " is equivalent"
	case ok:
		r.Status = Pass
		r.Reason = it + "; the Windows default " + w.number(def) + " meets the recommendation"
	default:
		r.Status = Fail
		r.Reason = it + ", so the Windows default " + w.number(def) + " applies; it " + r.Words
	}
	r.Reason = sentence(w, r.Reason)
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

// match evaluates a predicate without a probe's wording.
func match(p Predicate, v interface{}) (bool, string) {
	return matchIn(wording{}, p, v)
}

// matchIn evaluates a predicate; when it fails, the second value says why
// in words a technician understands, as a clause about the value ("it is
// 8; it must be 14 or more characters") that sentence completes.
func matchIn(w wording, p Predicate, v interface{}) (bool, string) {
	switch {
	case len(p.All) > 0:
		for _, sub := range p.All {
			if ok, why := matchIn(w, sub, v); !ok {
				return false, why
			}
		}
		return true, ""
	case len(p.Any) > 0:
		var whys []string
		for _, sub := range p.Any {
			ok, why := matchIn(w, sub, v)
			if ok {
				return true, ""
			}
			whys = append(whys, why)
		}
		if _, rec := v.(record); !rec {
			return false, "it is " + valueWords(w, v) + "; it " + expectWords(w, p)
		}
		// A record's states read as one: "it is enabled and named Administrator".
		for i := 1; i < len(whys); i++ {
			whys[i] = strings.TrimPrefix(strings.TrimPrefix(whys[i], "it is "), "it ")
		}
		return false, strings.Join(whys, " and ")
	case p.Not != nil:
		if ok, _ := matchIn(w, *p.Not, v); !ok {
			return true, ""
		}
		if rec, ok := v.(record); ok && p.Not.Field != "" {
			if p.Not.Op == "default_name" {
				return false, "it still has the default name " + rec[p.Not.Field]
			}
			return false, "it is " + fieldState(p.Not.Field, rec[p.Not.Field])
		}
		return false, "it is " + valueWords(w, v) + "; it " + expectWords(w, p)
	}
	if p.Field != "" {
		rec, ok := v.(record)
		if !ok {
			return false, "the catalog asks for " + p.Field + " of a value that has no fields"
		}
		if ok, _ := matchOp(w, p, rec[p.Field]); !ok {
			if p.Op == "ne" {
				return false, "it is still " + fieldState(p.Field, rec[p.Field])
			}
			return false, "it is " + fieldState(p.Field, rec[p.Field])
		}
		return true, ""
	}
	return matchOp(w, p, v)
}

// valueWords shows an observed value inside a sentence.
func valueWords(w wording, v interface{}) string {
	switch x := v.(type) {
	case string:
		if strings.TrimSpace(x) == "" {
			return "empty"
		}
		return w.number(x)
	case []string:
		if len(x) == 0 {
			return "empty"
		}
		return andList(labels(x))
	case []record:
		return fmt.Sprintf("%d items", len(x))
	}
	return "unreadable"
}

func matchOp(w wording, p Predicate, v interface{}) (bool, string) {
	want := ""
	if p.Value != nil {
		want = p.Value.Text
	}
	// is is the failing clause: what the value is and what it must be.
	is := func() string { return "it is " + valueWords(w, v) + "; it " + expectWords(w, p) }
	switch p.Op {
	case "eq", "ne":
		s, ok := v.(string)
		if !ok {
			return false, "it is a list (" + valueWords(w, v) + "), not a single value"
		}
		same := sameScalar(s, want)
		if (p.Op == "eq") != same {
			return false, is()
		}
		return true, ""
	case "gte", "lte", "range":
		s, ok := v.(string)
		if !ok {
			return false, "it is a list (" + valueWords(w, v) + "), not a number"
		}
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return false, "it is " + valueWords(w, s) + ", which is not a number; it " + expectWords(w, p)
		}
		bad := false
		switch p.Op {
		case "gte":
			wn, _ := strconv.ParseInt(want, 10, 64)
			bad = n < wn
		case "lte":
			wn, _ := strconv.ParseInt(want, 10, 64)
			bad = n > wn
		default:
			bad = n < *p.Min || n > *p.Max
		}
		if bad {
			return false, is()
		}
		return true, ""
	case "in":
		s, ok := v.(string)
		if !ok {
			return false, "it is a list (" + valueWords(w, v) + "), not a single value"
		}
		for _, x := range p.Values {
			if sameScalar(s, x) {
				return true, ""
			}
		}
		return false, is()
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
			return false, is()
		}
		if p.Op == "nonempty" && empty {
			switch w.kind {
			case KindHotfix:
				return false, "it is not installed; it " + expectWords(w, p)
			case KindVolumes:
				return false, "it is empty; it " + expectWords(w, p)
			}
			return false, "it is not set; it " + expectWords(w, p)
		}
		return true, ""
	case "set_eq", "subset", "superset":
		extra, missing := setDiff(asList(v), p.Values)
		var parts []string
		if len(extra) > 0 && p.Op != "superset" {
			parts = append(parts, w.extra(extra))
		}
		if len(missing) > 0 && p.Op != "subset" {
			parts = append(parts, w.missing(missing))
		}
		if len(parts) == 2 {
			parts[1] = strings.TrimPrefix(parts[1], "it ")
		}
		if len(parts) > 0 {
			return false, strings.Join(parts, " and ") + "; it " + expectWords(w, p)
		}
		return true, ""
	case "default_name":
		s, ok := v.(string)
		if !ok {
			return false, "it is a list (" + valueWords(w, v) + "), not a name"
		}
		for _, name := range p.Values {
			if name == anyName || sameScalar(s, name) {
				return true, ""
			}
		}
		if len(p.Values) == 0 {
			return false, "the system language's default name is not known"
		}
		return false, is()
	case "regex":
		s, ok := v.(string)
		if !ok {
			return false, "it is a list (" + valueWords(w, v) + "), not a single value"
		}
		re, err := regexp.Compile(want)
		if err != nil {
			return false, "the catalog's pattern is wrong: " + err.Error()
		}
		if !re.MatchString(s) {
			return false, is()
		}
		return true, ""
	case "none":
		recs, ok := v.([]record)
		if !ok {
			return false, "it is not a list of " + w.item() + "s"
		}
		var hits []string
		for _, rec := range recs {
			if ok, _ := matchIn(w, *p.Where, rec); ok {
				hits = append(hits, rec["name"])
			}
		}
		if len(hits) > 0 {
			sort.Strings(hits)
			what := "this " + w.item() + " is "
			if len(hits) > 1 {
				what = "these " + w.item() + "s are "
			}
			return false, what + wantState(*p.Where) + ": " + strings.Join(hits, ", ")
		}
		return true, ""
	}
	return false, "the catalog uses an unknown rule (" + p.Op + ")"
}

// extra and missing say what a list has beyond, or lacks of, what it must.
func (w wording) extra(items []string) string {
	switch w.kind {
	case KindRight:
		return "it is also granted to " + andList(labels(items))
	case KindAudit:
		return "it also covers " + andList(items)
	}
	return "it also contains " + andList(labels(items))
}

func (w wording) missing(items []string) string {
	switch w.kind {
	case KindRight:
		return "it is not granted to " + andList(labels(items))
	case KindAudit:
		return "it does not cover " + andList(items)
	}
	return "it lacks " + andList(labels(items))
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
