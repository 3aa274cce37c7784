package checks

import (
	"fmt"
	"regexp"
	"strings"
)

// How expectations and findings read to people. The JSON field `expected`
// keeps the compact notation scripts rely on ("= 5", ">= 14"); the window
// and the text and HTML reports show these words instead, and every
// reason the engine gives is built from them.

// wording is how one probe's values read: what the value is called and
// the unit of its numbers.
type wording struct {
	kind Kind
	unit string
}

// units of the security-policy numbers, by key.
var units = map[string]string{
	"MinimumPasswordLength": "characters",
	"MinimumPasswordAge":    "days",
	"MaximumPasswordAge":    "days",
	"PasswordHistorySize":   "remembered passwords",
	"LockoutBadCount":       "invalid logon attempts",
	"LockoutDuration":       "minutes",
	"ResetLockoutCount":     "minutes",
}

func wordingFor(p Probe) wording {
	w := wording{kind: p.Kind()}
	if p.SecPol != nil {
		w.unit = units[p.SecPol.Key]
	}
	return w
}

// subject names the value at the start of a sentence.
func (w wording) subject() string {
	switch w.kind {
	case KindRight:
		return "The right"
	case KindAudit:
		return "Auditing"
	case KindService:
		return "The service"
	case KindDriver:
		return "The driver"
	case KindAccount:
		return "The account"
	case KindAccounts:
		return "The local accounts"
	case KindHotfix:
		return "The update"
	case KindVolumes:
		return "The volume list"
	}
	return "The setting"
}

// item names one record of a list probe ("account", "volume").
func (w wording) item() string {
	if w.kind == KindVolumes {
		return "volume"
	}
	return "account"
}

func (w wording) number(n string) string {
	if w.unit == "" {
		return n
	}
	return n + " " + w.unit
}

// ExpectedWords renders what a check expects in plain English, for
// example "must be 14 or more characters" or "must be granted to no one".
func (ch Check) ExpectedWords() string {
	return expectWords(wordingFor(ch.Probe), ch.Expect)
}

// sentence turns an engine clause into a sentence about the check's
// value: "it is 3; it must be 5" becomes "The setting is 3; it must be 5."
func sentence(w wording, clause string) string { return Sentence(w.subject(), clause) }

// Sentence turns a clause into a sentence, a leading "it" naming the
// subject: Sentence("The device", "it is exposed; it must not be exposed")
// is "The device is exposed; it must not be exposed." Results made outside
// the catalog (the device inventory's exposures) read like the checks'.
func Sentence(subject, clause string) string {
	clause = strings.TrimSpace(clause)
	if clause == "" {
		return ""
	}
	if strings.HasPrefix(clause, "it ") && subject != "" {
		clause = subject + clause[2:]
	}
	clause = strings.ToUpper(clause[:1]) + clause[1:]
	if !strings.HasSuffix(clause, ".") {
		clause += "."
	}
	return clause
}

func expectWords(w wording, p Predicate) string {
	switch {
	case len(p.All) > 0:
		return joinWords(w, p.All, "; and ")
	case len(p.Any) > 0:
		return joinWords(w, p.Any, ", or ")
	case p.Not != nil:
		if p.Not.Field != "" || p.Not.Op == "default_name" {
			return "must be " + negState(*p.Not)
		}
		return negate(expectWords(w, *p.Not))
	case p.Field != "":
		return "must be " + wantState(p)
	}
	want := ""
	if p.Value != nil {
		want = p.Value.Text
	}
	switch p.Op {
	case "eq":
		if want == "" {
			return "must be empty"
		}
		return "must be " + w.number(want)
	case "ne":
		return "must not be " + w.number(shown(want))
	case "gte":
		return "must be " + want + " or more" + unitSuffix(w)
	case "lte":
		return "must be " + want + " or less" + unitSuffix(w)
	case "range":
		return fmt.Sprintf("must be between %d and %d%s", *p.Min, *p.Max, unitSuffix(w))
	case "in":
		return "must be one of " + orList(p.Values)
	case "empty":
		switch w.kind {
		case KindRight:
			return "must be granted to no one"
		case KindAudit:
			return "must cover nothing"
		}
		return "must be empty"
	case "nonempty":
		switch w.kind {
		case KindHotfix:
			return "must be installed"
		case KindVolumes:
			return "must list at least one volume"
		}
		return "must be set"
	case "set_eq":
		switch w.kind {
		case KindRight:
			return "must be granted to exactly " + andList(labels(p.Values))
		case KindAudit:
			return "must cover exactly " + andList(p.Values)
		}
		return "must be exactly " + andList(labels(p.Values))
	case "subset":
		switch {
		case w.kind == KindRight && len(p.Values) == 0:
			return "must be granted to no one"
		case w.kind == KindRight:
			return "must be granted only to " + orList(labels(p.Values))
		case len(p.Values) == 0:
			return "must be empty"
		}
		return "must contain only " + orList(labels(p.Values))
	case "superset":
		switch w.kind {
		case KindRight:
			return "must be granted to " + andList(labels(p.Values))
		case KindAudit:
			return "must cover " + andList(p.Values)
		}
		return "must include " + andList(labels(p.Values))
	case "regex":
		return "must " + patternWords(want)
	case "none":
		return "no " + w.item() + " may be " + wantState(*p.Where)
	case "default_name":
		return "must be " + defaultName(p)
	}
	return "must meet an unknown rule (" + p.Op + ")"
}

func joinWords(w wording, ps []Predicate, sep string) string {
	parts := make([]string, len(ps))
	for i, s := range ps {
		parts[i] = expectWords(w, s)
		// "must be 15 or more, or be 0": one "must" is enough.
		if i > 0 && strings.HasPrefix(parts[0], "must be ") && strings.HasPrefix(parts[i], "must be ") {
			parts[i] = strings.TrimPrefix(parts[i], "must ")
		}
	}
	return strings.Join(parts, sep)
}

// negate turns "must be X" into "must not be X".
func negate(s string) string {
	if strings.HasPrefix(s, "must ") {
		return "must not " + strings.TrimPrefix(s, "must ")
	}
	return "must not meet this: " + s
}

func unitSuffix(w wording) string {
	if w.unit == "" {
		return ""
	}
	return " " + w.unit
}

func shown(s string) string {
	if s == "" {
		return "empty"
	}
	return s
}

// patternWords reads a catalog pattern: a plain word reads "contain
// time.windows.com", an anchored one "be administrator"; the
// case-insensitive flag is left out, since names compare that way.
func patternWords(re string) string {
	plain := strings.Replace(re, "(?i)", "", 1)
	anchored := strings.HasPrefix(plain, "^") && strings.HasSuffix(plain, "$")
	plain = strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(plain, "^"), "$"), `\.`, ".")
	switch {
	case regexp.QuoteMeta(plain) != strings.ReplaceAll(plain, ".", `\.`):
		return "match the pattern " + re
	case anchored:
		return "be " + plain
	}
	return "contain " + plain
}

func defaultName(p Predicate) string {
	if len(p.Values) > 0 && p.Values[0] != anyName {
		return "named " + orList(p.Values) + ", the default name"
	}
	return "named by the system language's default"
}

// fieldState says what a record's field value means: "disabled",
// "allowed a blank password".
func fieldState(field, v string) string {
	yes := strings.EqualFold(v, "true")
	switch field {
	case "disabled":
		if yes {
			return "disabled"
		}
		return "enabled"
	case "password_required":
		if yes {
			return "required to have a password"
		}
		return "allowed a blank password"
	case "password_expires":
		if yes {
			return "set to have its password expire"
		}
		return "set so its password never expires"
	case "lockout":
		if yes {
			return "locked out"
		}
		return "not locked out"
	case "protection_status":
		switch v {
		case "1":
			return "protected"
		case "0":
			return "unprotected"
		}
		return "of unknown protection"
	case "name":
		return "named " + v
	}
	return strings.ReplaceAll(field, "_", " ") + " " + shown(v)
}

// opposite is the state that is not fieldState(field, v), where there is
// a word for it.
func opposite(field, v string) (string, bool) {
	switch field {
	case "disabled", "password_required", "password_expires", "lockout":
		flip := "true"
		if strings.EqualFold(v, "true") {
			flip = "false"
		}
		return fieldState(field, flip), true
	case "protection_status":
		if v == "1" {
			return "unprotected", true
		}
	}
	return "", false
}

// wantState is what a record predicate asks, as a state: "disabled",
// "enabled and allowed a blank password".
func wantState(p Predicate) string {
	switch {
	case len(p.All) > 0:
		return joinStates(p.All, " and ")
	case len(p.Any) > 0:
		return joinStates(p.Any, " or ")
	case p.Not != nil:
		return negState(*p.Not)
	}
	want := ""
	if p.Value != nil {
		want = p.Value.Text
	}
	switch p.Op {
	case "eq":
		return fieldState(p.Field, want)
	case "ne":
		return negState(Predicate{Field: p.Field, Op: "eq", Value: p.Value})
	case "in":
		return strings.ReplaceAll(p.Field, "_", " ") + " one of " + orList(p.Values)
	case "default_name":
		return defaultName(p)
	}
	return strings.ReplaceAll(p.Field, "_", " ") + " " + strings.TrimPrefix(expectWords(wording{}, Predicate{Op: p.Op, Value: p.Value, Values: p.Values, Min: p.Min, Max: p.Max}), "must ")
}

// negState is the state a record must not be in, in words.
func negState(p Predicate) string {
	want := ""
	if p.Value != nil {
		want = p.Value.Text
	}
	switch {
	case p.Op == "eq":
		if s, ok := opposite(p.Field, want); ok {
			return s
		}
	case p.Op == "default_name":
		if len(p.Values) > 0 && p.Values[0] != anyName {
			return "renamed from the default name " + orList(p.Values)
		}
		return "renamed from the system language's default name"
	}
	return "not " + wantState(p)
}

func joinStates(ps []Predicate, sep string) string {
	parts := make([]string, len(ps))
	for i, s := range ps {
		parts[i] = wantState(s)
	}
	return strings.Join(parts, sep)
}

func labels(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = labelList([]string{s})
	}
	return out
}

// orList reads "a, b or c".
func orList(items []string) string { return spokenList(items, " or ") }

// andList reads "a, b and c".
func andList(items []string) string { return spokenList(items, " and ") }

func spokenList(items []string, last string) string {
	switch len(items) {
	case 0:
		return "nothing"
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}

// ExpectedText is what a result expects as people read it: its words,
// or the notation for a result that has none (one read from an older
// JSON report).
func (r Result) ExpectedText() string {
	if r.Words != "" {
		return r.Words
	}
	return r.Expected
}
