package checks

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWords covers every operator of the closed set and every kind: what
// the check expects and why a value fails, in words.
func TestWords(t *testing.T) {
	lit := func(s string) *Literal { return &Literal{Text: s} }
	n := func(i int64) *int64 { return &i }
	reg := Probe{Registry: &RegistryProbe{Key: `HKLM\X`, Value: "V"}}
	length := Probe{SecPol: &SecPolProbe{Section: "System Access", Key: "MinimumPasswordLength"}}
	age := Probe{SecPol: &SecPolProbe{Section: "System Access", Key: "MaximumPasswordAge"}}
	right := Probe{Right: "SeNetworkLogonRight"}
	audit := Probe{Audit: &AuditProbe{GUID: "{g}", Name: "Logon"}}
	account := Probe{Account: &AccountProbe{RID: "500"}}
	accounts := Probe{Accounts: &struct{}{}}
	volumes := Probe{Volumes: &struct{}{}}
	admin := record{"name": "Administrator", "disabled": "false", "password_required": "true"}
	tests := []struct {
		name    string
		probe   Probe
		expect  Predicate
		value   interface{}
		words   string
		failure string // "" when the value passes
	}{
		{"eq", reg, Predicate{Op: "eq", Value: lit("5")}, "3", "must be 5", "The setting is 3; it must be 5."},
		{"eq empty", reg, Predicate{Op: "eq", Value: lit("")}, "x", "must be empty", "The setting is x; it must be empty."},
		{"eq service", Probe{Service: "RemoteRegistry"}, Predicate{Op: "eq", Value: lit("disabled")}, "manual", "must be disabled", "The service is manual; it must be disabled."},
		{"eq driver", Probe{Driver: "mrxsmb10"}, Predicate{Op: "eq", Value: lit("disabled")}, "disabled", "must be disabled", ""},
		{"ne", reg, Predicate{Op: "ne", Value: lit("0")}, "0", "must not be 0", "The setting is 0; it must not be 0."},
		{"gte with unit", length, Predicate{Op: "gte", Value: lit("14")}, "8", "must be 14 or more characters", "The setting is 8 characters; it must be 14 or more characters."},
		{"lte with unit", age, Predicate{Op: "lte", Value: lit("60")}, "90", "must be 60 or less days", "The setting is 90 days; it must be 60 or less days."},
		{"gte not a number", length, Predicate{Op: "gte", Value: lit("14")}, "x", "must be 14 or more characters", "The setting is x characters, which is not a number; it must be 14 or more characters."},
		{"range", age, Predicate{Op: "range", Min: n(1), Max: n(60)}, "0", "must be between 1 and 60 days", "The setting is 0 days; it must be between 1 and 60 days."},
		{"in", reg, Predicate{Op: "in", Values: []string{"1", "2", "3"}}, "0", "must be one of 1, 2 or 3", "The setting is 0; it must be one of 1, 2 or 3."},
		{"empty", reg, Predicate{Op: "empty"}, []string{"pipe"}, "must be empty", "The setting is pipe; it must be empty."},
		{"empty right", right, Predicate{Op: "empty"}, []string{}, "must be granted to no one", ""},
		{"nonempty", reg, Predicate{Op: "nonempty"}, "", "must be set", "The setting is not set; it must be set."},
		{"nonempty hotfix", Probe{Hotfix: []string{"KB1"}}, Predicate{Op: "nonempty"}, []string{}, "must be installed", "The update is not installed; it must be installed."},
		{"set_eq", reg, Predicate{Op: "set_eq", Values: []string{"a", "c"}}, []string{"a", "B"}, "must be exactly a and c", "The setting also contains B and lacks c; it must be exactly a and c."},
		{"set_eq audit", audit, Predicate{Op: "set_eq", Values: []string{"success"}}, []string{"success"}, "must cover exactly success", ""},
		{"subset right", right, Predicate{Op: "subset", Values: []string{"S-1-5-32-544"}}, []string{"S-1-1-0", "S-1-5-32-544"}, "must be granted only to Administrators (S-1-5-32-544)", "The right is also granted to Everyone (S-1-1-0); it must be granted only to Administrators (S-1-5-32-544)."},
		{"subset right to no one", right, Predicate{Op: "subset", Values: []string{}}, []string{"S-1-5-32-546"}, "must be granted to no one", "The right is also granted to Guests (S-1-5-32-546); it must be granted to no one."},
		{"superset audit", audit, Predicate{Op: "superset", Values: []string{"success", "failure"}}, []string{"success"}, "must cover success and failure", "Auditing does not cover failure; it must cover success and failure."},
		{"superset right", right, Predicate{Op: "superset", Values: []string{"S-1-5-32-544"}}, []string{}, "must be granted to Administrators (S-1-5-32-544)", "The right is not granted to Administrators (S-1-5-32-544); it must be granted to Administrators (S-1-5-32-544)."},
		{"regex contains", reg, Predicate{Not: &Predicate{Op: "regex", Value: lit(`(?i)time\.windows\.com`)}}, "time.windows.com,0x9", "must not contain time.windows.com", "The setting is time.windows.com,0x9; it must not contain time.windows.com."},
		{"regex pattern", reg, Predicate{Op: "regex", Value: lit(`^[0-9]+$`)}, "x", "must match the pattern ^[0-9]+$", "The setting is x; it must match the pattern ^[0-9]+$."},
		{"default name", Probe{SecPol: &SecPolProbe{Section: "System Access", Key: "NewAdministratorName"}},
			Predicate{Not: &Predicate{Op: "default_name", Value: lit("500"), Values: []string{"Administrator"}}}, "Administrator",
			"must be renamed from the default name Administrator", "The setting is Administrator; it must be renamed from the default name Administrator."},
		{"any over an account's fields", account,
			Predicate{Any: []Predicate{{Field: "disabled", Op: "eq", Value: lit("true")}, {Not: &Predicate{Field: "name", Op: "default_name", Value: lit("500"), Values: []string{"Administrator"}}}}},
			admin, "must be disabled, or be renamed from the default name Administrator", "The account is enabled and still has the default name Administrator."},
		{"any with ne", account,
			Predicate{Any: []Predicate{{Field: "disabled", Op: "eq", Value: lit("true")}, {Field: "name", Op: "ne", Value: lit("Administrator")}}},
			admin, "must be disabled, or be not named Administrator", "The account is enabled and still named Administrator."},
		{"all", length, Predicate{All: []Predicate{{Op: "gte", Value: lit("8")}, {Op: "lte", Value: lit("20")}}}, "30",
			"must be 8 or more characters; and be 20 or less characters", "The setting is 30 characters; it must be 20 or less characters."},
		{"not", reg, Predicate{Not: &Predicate{Op: "eq", Value: lit("1")}}, "1", "must not be 1", "The setting is 1; it must not be 1."},
		{"none where all", accounts,
			Predicate{Op: "none", Where: &Predicate{All: []Predicate{{Field: "disabled", Op: "eq", Value: lit("false")}, {Field: "password_required", Op: "eq", Value: lit("false")}}}},
			[]record{{"name": "svc", "disabled": "false", "password_required": "false"}, {"name": "old", "disabled": "false", "password_required": "false"}, admin},
			"no account may be enabled and allowed a blank password", "These accounts are enabled and allowed a blank password: old, svc."},
		{"none volumes", volumes, Predicate{All: []Predicate{{Op: "nonempty"}, {Op: "none", Where: &Predicate{Field: "protection_status", Op: "ne", Value: lit("1")}}}},
			[]record{{"name": "C:", "protection_status": "0"}},
			"must list at least one volume; and no volume may be unprotected", "This volume is unprotected: C:."},
		{"none passes", accounts, Predicate{Op: "none", Where: &Predicate{Field: "password_expires", Op: "eq", Value: lit("false")}},
			[]record{admin}, "no account may be set so its password never expires", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := wordingFor(tt.probe)
			assert.Equal(t, tt.words, expectWords(w, tt.expect))
			ok, why := matchIn(w, tt.expect, tt.value)
			assert.Equal(t, tt.failure == "", ok, why)
			if tt.failure != "" {
				assert.Equal(t, tt.failure, sentence(w, why))
			}
		})
	}
}

// rawTokens are the engine's notation, which people should never read.
var rawTokens = []string{" = ", " != ", ">=", "<=", "..", "gte", "lte", "set_eq", "superset", "subset",
	"nonempty", "none where", "not (", "default_name", "regex", "password_", "protection_status", "should be", "found:"}

// TestCatalogReadsInWords renders every check of the catalog, what it
// expects and why it fails when its value is missing, and finds none of
// the engine's notation in it.
func TestCatalogReadsInWords(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	h := &fakeHost{os: OSInfo{Caption: "Microsoft Windows 7 Professional", Version: "6.1.7601", Language: 1033}}
	for _, ch := range cat.Checks {
		words := ch.ExpectedWords()
		r := Evaluate(context.Background(), h, ch)
		for _, text := range []string{words, r.Words} {
			require.NotEmpty(t, text, ch.ID)
			assert.True(t, strings.HasPrefix(text, "must ") || strings.HasPrefix(text, "no "), "%s: %q", ch.ID, text)
			for _, tok := range rawTokens {
				assert.NotContains(t, text, tok, ch.ID)
			}
		}
		if r.Status == Fail {
			for _, tok := range rawTokens {
				assert.NotContains(t, r.Reason, tok, ch.ID)
			}
		}
	}
}

// FuzzWords renders any operator, value and observed value: never a
// panic, always a "must" or "no" sentence, and a failure always says why.
func FuzzWords(f *testing.F) {
	f.Add("eq", "5", "3", uint8(0))
	f.Add("gte", "14", "x", uint8(1))
	f.Add("regex", `(?i)time\.windows\.com`, "time.windows.com", uint8(0))
	f.Add("subset", "S-1-5-32-544", "S-1-1-0", uint8(2))
	f.Add("default_name", "500", "Administrator", uint8(6))
	f.Add("none", "false", "", uint8(7))
	probes := []Probe{
		{Registry: &RegistryProbe{Key: "K", Value: "V"}},
		{SecPol: &SecPolProbe{Section: "System Access", Key: "MinimumPasswordLength"}},
		{Right: "SeNetworkLogonRight"}, {Audit: &AuditProbe{GUID: "{g}"}}, {Service: "S"}, {Driver: "D"},
		{Account: &AccountProbe{RID: "500"}}, {Accounts: &struct{}{}}, {Hotfix: []string{"KB1"}}, {Volumes: &struct{}{}},
	}
	f.Fuzz(func(t *testing.T, op, want, have string, kind uint8) {
		if !knownOps[op] {
			op = "eq"
		}
		lo, hi := int64(1), int64(9)
		p := Predicate{Op: op, Value: &Literal{Text: want}, Values: []string{want}, Min: &lo, Max: &hi}
		if op == "none" {
			p = Predicate{Op: op, Where: &Predicate{Field: "disabled", Op: "eq", Value: &Literal{Text: want}}}
		}
		w := wordingFor(probes[int(kind)%len(probes)])
		words := expectWords(w, p)
		assert.True(t, strings.HasPrefix(words, "must ") || strings.HasPrefix(words, "no "), words)
		for _, v := range []interface{}{have, []string{have}, []record{{"name": have, "disabled": have}}} {
			if ok, why := matchIn(w, p, v); !ok {
				assert.NotEmpty(t, sentence(w, why))
			}
		}
	})
}

func TestSentence(t *testing.T) {
	for _, tc := range []struct{ subject, clause, want string }{
		{"The device", "it is exposed; it must not be exposed", "The device is exposed; it must not be exposed."},
		{"The device", "it is not exposed.", "The device is not exposed."},
		{"", "install KB4012212", "Install KB4012212."},
		{"", "it stays", "It stays."},
		{"The setting", "  ", ""},
	} {
		assert.Equal(t, tc.want, Sentence(tc.subject, tc.clause), tc.clause)
	}
}
