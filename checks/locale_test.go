package checks

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinNamesTable(t *testing.T) {
	names, err := ParseBuiltinNames(builtinNamesYAML)
	require.NoError(t, err)
	for lcid, want := range map[int][2]string{
		1033: {"Administrator", "Guest"},
		1031: {"Administrator", "Gast"},
		1036: {"Administrateur", "Invité"},
		3082: {"Administrador", "Invitado"},
		1046: {"Administrador", "Convidado"},
		1043: {"Administrator", "Gast"},
		1049: {"Администратор", "Гость"},
		1035: {"Järjestelmänvalvoja", "Vieras"},
		1045: {"Administrator", "Gość"},
		1041: {"Administrator", "Guest"},
		1042: {"Administrator", "Guest"},
		2052: {"Administrator", "Guest"},
		// Only the Administrator has a public source: the Guest is "" (not known).
		1038: {"Rendszergazda", ""},
		2070: {"Administrador", ""},
		1028: {"Administrator", ""},
	} {
		n, ok := names[lcid]
		require.True(t, ok, lcid)
		assert.Equal(t, want[0], n.Name(RIDAdministrator), lcid)
		assert.Equal(t, want[1], n.Name(RIDGuest), lcid)
	}
}

func TestBuiltinNamesStrict(t *testing.T) {
	for name, src := range map[string]string{
		"unknown field": "- {language: xx, lcids: [1], administrator: A, guest: G, extra: 1}",
		"empty guest":   "- {language: xx, lcids: [1], administrator: A, guest: ''}",
		"no lcids":      "- {language: xx, administrator: A, guest: G}",
		"lcid twice":    "- {language: xx, lcids: [1], administrator: A, guest: G}\n- {language: yy, lcids: [1], administrator: B, guest: H}",
		"no name":       "- {language: xx, lcids: [1]}",
		"blank admin":   "- {language: xx, lcids: [1], administrator: ' ', guest: G}",
	} {
		_, err := ParseBuiltinNames([]byte(src))
		assert.Error(t, err, name)
	}
}

// A language may list only the name a source confirms; the other is not
// known ("") rather than an error.
func TestBuiltinNamesOneName(t *testing.T) {
	names, err := ParseBuiltinNames([]byte("- {language: xx, lcids: [1], administrator: A}\n- {language: yy, lcids: [2], guest: G}"))
	require.NoError(t, err)
	assert.Equal(t, "A", names[1].Name(RIDAdministrator))
	assert.Equal(t, "", names[1].Name(RIDGuest))
	assert.Equal(t, "", names[2].Name(RIDAdministrator))
	assert.Equal(t, "G", names[2].Name(RIDGuest))
}

// The renamed-account checks compare with the default names of the
// system's language: a French Administrateur or a German Gast is not
// renamed, and a language medharden does not know is an error.
func TestRenamedComparesWithSystemLanguage(t *testing.T) {
	admin := `{probe: {secpol: {section: System Access, key: NewAdministratorName}}, expect: {not: {op: default_name, value: "500"}}, fix: {manual: rename}}`
	guest := `{probe: {secpol: {section: System Access, key: NewGuestName}}, expect: {not: {op: default_name, value: "501"}}, fix: {manual: rename}}`
	acc1 := `{probe: {account: {rid: "500"}}, expect: {any: [{field: disabled, op: eq, value: "true"}, {not: {field: name, op: default_name, value: "500"}}]}, fix: {manual: x}}`
	host := func(lang int, adminName, guestName string) *fakeHost {
		os := win7
		os.Language = lang
		return &fakeHost{
			os: os,
			secpol: map[string]string{
				`System Access\NewAdministratorName`: `"` + adminName + `"`,
				`System Access\NewGuestName`:         `"` + guestName + `"`,
			},
			accounts: []Account{{Name: adminName, SID: "S-1-5-21-1-2-3-500"}, {Name: guestName, SID: "S-1-5-21-1-2-3-501", Disabled: true}},
		}
	}
	tests := []struct {
		name   string
		host   *fakeHost
		check  string
		status Status
		reason string
	}{
		{"French default administrator", host(1036, "Administrateur", "Invité"), admin, Fail, "default name Administrateur"},
		{"French default guest", host(1036, "Administrateur", "Invité"), guest, Fail, "default name Invité"},
		{"French administrator enabled under its default name", host(1036, "Administrateur", "Invité"), acc1, Fail, "enabled and still has the default name Administrateur"},
		{"German default guest", host(1031, "Administrator", "Gast"), guest, Fail, "default name Gast"},
		{"German default administrator", host(1031, "Administrator", "Gast"), admin, Fail, "default name Administrator"},
		{"case does not rename", host(1036, "ADMINISTRATEUR", "invité"), guest, Fail, "default name Invité"},
		{"English name on a French system is a rename", host(1036, "Administrator", "Guest"), admin, Pass, ""},
		{"Dutch default guest", host(1043, "Administrator", "Gast"), guest, Fail, "default name Gast"},
		{"Russian default administrator", host(1049, "Администратор", "Гость"), admin, Fail, "default name Администратор"},
		{"Russian default guest", host(1049, "Администратор", "Гость"), guest, Fail, "default name Гость"},
		{"English renamed", host(1033, "mhadmin", "nobody"), guest, Pass, ""},
		{"English default", host(1033, "Administrator", "Guest"), admin, Fail, "default name Administrator"},
		{"unknown language, a name no table knows", host(1040, "Amministratore", "Ospite"), guest, Error, "cannot tell whether renamed: unknown system language 1040"},
		{"unknown language, a default name of a known language", host(1040, "Administrator", "Gast"), guest, Fail, "renamed from the default name Gast, Guest"},
		{"language not collected", host(0, "mhadmin", "nobody"), admin, Error, "cannot tell whether renamed"},
		{"language not collected, English default", host(0, "Administrator", "Guest"), admin, Fail, "default name Administrator"},
		{"unknown language on the account check", host(1053, "x", "y"), acc1, Error, "unknown system language 1053"},
		{"Finnish default administrator", host(1035, "Järjestelmänvalvoja", "Vieras"), admin, Fail, "default name Järjestelmänvalvoja"},
		{"Finnish default guest", host(1035, "Järjestelmänvalvoja", "Vieras"), guest, Fail, "default name Vieras"},
		{"Finnish renamed administrator", host(1035, "ylläpito", "Vieras"), admin, Pass, ""},
		{"Polish default administrator", host(1045, "Administrator", "Gość"), admin, Fail, "default name Administrator"},
		{"Polish default guest", host(1045, "Administrator", "Gość"), guest, Fail, "default name Gość"},
		{"Japanese default administrator", host(1041, "Administrator", "Guest"), admin, Fail, "default name Administrator"},
		{"Japanese default guest", host(1041, "Administrator", "Guest"), guest, Fail, "default name Guest"},
		{"Korean default guest", host(1042, "Administrator", "Guest"), guest, Fail, "default name Guest"},
		{"Korean renamed administrator", host(1042, "관리", "Guest"), admin, Pass, ""},
		{"Chinese (Simplified) default administrator", host(2052, "Administrator", "Guest"), admin, Fail, "default name Administrator"},
		{"Chinese (Simplified) default guest", host(2052, "Administrator", "Guest"), guest, Fail, "default name Guest"},
		{"Hungarian default administrator", host(1038, "Rendszergazda", "x"), admin, Fail, "default name Rendszergazda"},
		{"Hungarian renamed administrator", host(1038, "mhadmin", "x"), admin, Pass, ""},
		{"Portuguese (Portugal) default administrator", host(2070, "Administrador", "x"), admin, Fail, "default name Administrador"},
		{"Chinese (Traditional) default administrator", host(1028, "Administrator", "x"), admin, Fail, "default name Administrator"},
		// The Guest's name is not known in these languages: a name that is
		// no known default cannot be judged, a known default still fails.
		{"Hungarian guest, name not known", host(1038, "Rendszergazda", "nobody"), guest, Error, "the default name of RID 501 in system language 1038 (hu) is not known"},
		{"Portuguese (Portugal) guest, name not known", host(2070, "Administrador", "nobody"), guest, Error, "RID 501 in system language 2070 (pt-PT) is not known"},
		{"Chinese (Traditional) guest, name not known", host(1028, "Administrator", "nobody"), guest, Error, "RID 501 in system language 1028 (zh-TW) is not known"},
		{"Chinese (Traditional) guest named Guest", host(1028, "Administrator", "Guest"), guest, Fail, "default name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(context.Background(), tc.host, check(t, tc.check))
			assert.Equal(t, tc.status, r.Status, r.Reason)
			assert.Contains(t, r.Reason, tc.reason)
		})
	}
}

func TestDefaultNameNeedsRID(t *testing.T) {
	for _, v := range []string{"Administrator", "502", ""} {
		p := Predicate{Op: "default_name", Value: &Literal{Text: v}}
		assert.Error(t, p.validate(), v)
	}
	assert.NoError(t, Predicate{Op: "default_name", Value: &Literal{Text: "501"}}.validate())
}

// FuzzParseBuiltinNames: whatever the table holds, parsing ends in a table
// whose every language has a name and no blank one, or an error; never a
// panic.
func FuzzParseBuiltinNames(f *testing.F) {
	f.Add(builtinNamesYAML)
	f.Add([]byte("- {language: xx, lcids: [1], administrator: A, guest: G}"))
	f.Add([]byte("- {language: xx, lcids: [1, 1], administrator: A, guest: G}"))
	f.Add([]byte("- {language: xx, lcids: [1], guest: G}"))
	f.Add([]byte("- {language: xx, lcids: [1], administrator: ''}"))
	f.Add([]byte("a: &x [*x]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		names, err := ParseBuiltinNames(b)
		if err != nil {
			return
		}
		for id, n := range names {
			if n.Administrator == "" && n.Guest == "" {
				t.Fatalf("LCID %d accepted without a name: %+v", id, n)
			}
			for _, name := range []string{n.Administrator, n.Guest} {
				if name != "" && strings.TrimSpace(name) == "" {
					t.Fatalf("LCID %d accepted a blank name: %+v", id, n)
				}
			}
		}
	})
}
