package credprobe

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinDefaults(t *testing.T) {
	defs, err := Builtin()
	require.NoError(t, err)
	require.NotEmpty(t, defs)
	for _, d := range defs {
		assert.NotEmpty(t, d.Source, d.Account)
		assert.True(t, strings.HasPrefix(d.URL, "https://"), d.Account)
		if named := strings.ToLower(d.Vendor + d.Product + d.Account); !strings.Contains(named, strings.ToLower(d.Password)) {
			assert.NotContains(t, d.String(), d.Password, "String never shows the password")
		}
	}
	assert.NotEmpty(t, For(defs, "INSITE"), "account names are case-insensitive")
}

const secret = "leaked-if-shown"

func TestLoadDefaultsRefuses(t *testing.T) {
	entry := func(lines ...string) string {
		return "- " + strings.Join(lines, "\n  ") + "\n"
	}
	full := []string{"vendor: V", "product: P", "account: svc", "password: " + secret, "source: CVE-2000-0001", "url: https://example.org/a"}
	without := func(key string) []string {
		var out []string
		for _, l := range full {
			if !strings.HasPrefix(l, key+":") {
				out = append(out, l)
			}
		}
		return out
	}
	replace := func(key, line string) []string {
		return append(without(key), line)
	}
	cases := []struct{ name, text, msg string }{
		{"no source", entry(without("source")...), "source is missing"},
		{"no url", entry(without("url")...), "url is missing"},
		{"no password", entry(without("password")...), "password is missing"},
		{"no account", entry(without("account")...), "account is missing"},
		{"source not an id", entry(replace("source", "source: a blog")...), "not a CVE id"},
		{"http url", entry(replace("url", "url: http://example.org")...), "https"},
		{"unknown key", entry(append(full, "notes: x")...), `unknown key "notes"`},
		{"twice", entry(append(full, "vendor: W")...), "vendor given twice"},
		{"password as a list", entry(replace("password", "password: ["+secret+"]")...), "plain text"},
		{"password as a map", entry(replace("password", "password: {a: "+secret+"}")...), "plain text"},
		{"not a list", "vendor: V\npassword: " + secret + "\n", "not valid YAML"},
		{"syntax", "- vendor: V\n  password: \"" + secret + "\n", "not valid YAML"},
		{"tab syntax", "- vendor: V\n\tpassword: " + secret + "\n", "not valid YAML"},
		{"empty", "", "no entries"},
		{"entry not a map", "- " + secret + "\n", "not a mapping"},
		{"bad account", entry(replace("account", "account: a/b")...), "not a Windows account name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadDefaults("site-defaults.yaml", []byte(c.text))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.msg)
			assert.Contains(t, err.Error(), "site-defaults.yaml")
			assert.NotContains(t, err.Error(), secret, "no error quotes a password")
		})
	}
	good, err := LoadDefaults("ok.yaml", []byte(entry(full...)))
	require.NoError(t, err)
	require.Len(t, good, 1)
	assert.Equal(t, secret, good[0].Password)
}

func TestLoadDefaultsFixtures(t *testing.T) {
	for _, c := range []struct{ file, msg string }{
		{"bad-unknown-key.yaml", `:1: entry 1: line 7: unknown key "note"`},
		{"bad-no-source.yaml", ":1: entry 1: source is missing"},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", c.file))
		require.NoError(t, err)
		_, err = LoadDefaults(c.file, data)
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.file+c.msg)
		assert.NotContains(t, err.Error(), secret)
	}
}

func FuzzLoadDefaults(f *testing.F) {
	f.Add(builtin)
	for _, name := range []string{"bad-unknown-key.yaml", "bad-no-source.yaml"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte("- vendor: V\n  password: [x]\n"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		defs, err := LoadDefaults("fuzz.yaml", data)
		if err != nil {
			assert.Nil(t, defs)
			assert.True(t, strings.HasPrefix(err.Error(), "fuzz.yaml"), err.Error())
			return
		}
		require.NotEmpty(t, defs)
		for _, d := range defs {
			require.NoError(t, d.validate())
			assert.NotEmpty(t, d.Source)
		}
	})
}

// TestBuiltinDecodedOnce: the shipped file is decoded once, and a caller
// changing its list does not change the next caller's.
func TestBuiltinDecodedOnce(t *testing.T) {
	a, err := Builtin()
	require.NoError(t, err)
	require.NotEmpty(t, a)
	want, err := LoadDefaults(DefaultsFile, builtin)
	require.NoError(t, err)
	assert.Equal(t, want, a)
	a[0].Account = "changed"
	b, err := Builtin()
	require.NoError(t, err)
	assert.Equal(t, want, b)
	assert.Equal(t, 0.0, testing.AllocsPerRun(5, func() { _, _ = Builtin() })-1, "one allocation: the copy")
}
