package winfmt

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

func TestParseLGPOCorpusSTIG(t *testing.T) {
	b := corpusFile(t, "stig-server2008r2-member", "stig.txt")
	entries, err := ParseLGPO("stig.txt", b)
	require.NoError(t, err)
	// Counted in the file: 130 DWORD and 8 SZ actions, one record for User.
	require.Len(t, entries, 138)
	users := 0
	for _, e := range entries {
		if e.Scope == "User" {
			users++
		} else {
			assert.Equal(t, "Computer", e.Scope)
		}
	}
	assert.Equal(t, 1, users)

	get := func(key, name string) LGPOEntry {
		t.Helper()
		for _, e := range entries {
			if strings.EqualFold(e.Record.Key, key) && e.Record.Name == name {
				return e
			}
		}
		t.Fatalf("%s\\%s not found", key, name)
		return LGPOEntry{}
	}
	help := get(`SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services`, "fAllowToGetHelp")
	assert.Equal(t, checks.DWORDValue(0), help.Record.Value)
	assert.Equal(t, 10, help.Line)

	legal := get(`SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System`, "LegalNoticeText")
	assert.Equal(t, checks.RegSZ, legal.Record.Value.Type)
	assert.True(t, strings.HasPrefix(legal.Record.Value.String(), "You are accessing a U.S. Government (USG) Information System"))
	assert.True(t, strings.HasSuffix(legal.Record.Value.String(), "See User Agreement for details."))

	isatap := get(`Software\Policies\Microsoft\Windows\TCPIP\v6Transition`, "ISATAP_State")
	assert.Equal(t, checks.StringValue(checks.RegSZ, "Disabled"), isatap.Record.Value)

	state := get(`Software\Microsoft\Windows\CurrentVersion\WinTrust\Trust Providers\Software Publishing`, "State")
	assert.Equal(t, "User", state.Scope)
	assert.Equal(t, checks.DWORDValue(65536), state.Record.Value)

	var out bytes.Buffer
	require.NoError(t, WriteLGPO(&out, entries))
	again, err := ParseLGPO("again.txt", out.Bytes())
	require.NoError(t, err)
	sameLGPO(t, entries, again)
}

// TestPolToLGPO: the SCM baseline's registry.pol written as LGPO text
// reads back as the same records.
func TestPolToLGPO(t *testing.T) {
	f, err := ParsePol("machine_registry.pol", corpusFile(t, "scm-server2008r2-member", "machine_registry.pol"))
	require.NoError(t, err)
	var entries []LGPOEntry
	for _, r := range f.Records {
		entries = append(entries, LGPOEntry{Scope: "Computer", Record: r})
	}
	var out bytes.Buffer
	require.NoError(t, WriteLGPO(&out, entries))
	assert.Contains(t, out.String(), "Computer\r\nSoftware\\Policies\\Microsoft\\Windows\\EventLog\\Application\r\nRetention\r\nSZ:0\r\n")
	again, err := ParseLGPO("scm.txt", out.Bytes())
	require.NoError(t, err)
	sameLGPO(t, entries, again)
}

func sameLGPO(t *testing.T, a, b []LGPOEntry) {
	t.Helper()
	require.Len(t, b, len(a))
	for i := range a {
		assert.Equal(t, a[i].Scope, b[i].Scope, "entry %d", i)
		assert.Equal(t, a[i].Record.Key, b[i].Record.Key, "entry %d", i)
		assert.Equal(t, a[i].Record.Name, b[i].Record.Name, "entry %d", i)
		assert.Equal(t, a[i].Record.Value.Type, b[i].Record.Value.Type, "entry %d", i)
		assert.Equal(t, string(a[i].Record.Value.Data), string(b[i].Record.Value.Data), "entry %d", i)
	}
}

func TestParseLGPOActions(t *testing.T) {
	text := "; comment\r\n\r\ncomputer\r\nK\\A\r\nDw\r\nDWORD:4294967295\r\n\r\n" +
		"User\r\nK\r\nQw\r\nQWORD:258\r\n" +
		"User:alice\r\nK\r\nEx\r\nEXSZ:%WINDIR%\\x\r\n" +
		"Computer\r\nK\r\nM\r\nMULTISZ:a\\0b c\r\n" +
		"Computer\r\nK\r\nSp\r\nSZ: padded \r\n" +
		"Computer\r\nK\r\n\r\nSZ:default\r\n" +
		"Computer\r\nK\r\nOld\r\nDELETE\r\n" +
		"Computer\r\nK\r\n*\r\nDELETEALLVALUES\r\n"
	entries, err := ParseLGPO("t.txt", []byte(text))
	require.NoError(t, err)
	want := []struct {
		scope, name string
		v           checks.RegValue
	}{
		{"Computer", "Dw", checks.DWORDValue(0xFFFFFFFF)},
		{"User", "Qw", checks.RegValue{Type: checks.RegQWORD, Data: []byte{2, 1, 0, 0, 0, 0, 0, 0}}},
		{"User:alice", "Ex", checks.StringValue(checks.RegExpandSZ, `%WINDIR%\x`)},
		{"Computer", "M", checks.MultiStringValue([]string{"a", "b c"})},
		{"Computer", "Sp", checks.StringValue(checks.RegSZ, " padded ")},
		{"Computer", "", checks.StringValue(checks.RegSZ, "default")},
		{"Computer", "**del.Old", checks.StringValue(checks.RegSZ, " ")},
		{"Computer", "**delvals.", checks.StringValue(checks.RegSZ, " ")},
	}
	require.Len(t, entries, len(want))
	for i, w := range want {
		assert.Equal(t, w.scope, entries[i].Scope, "entry %d", i)
		assert.Equal(t, w.name, entries[i].Record.Name, "entry %d", i)
		assert.Equal(t, w.v, entries[i].Record.Value, "entry %d", i)
	}
	assert.Equal(t, 3, entries[0].Line)
	assert.Equal(t, `K\A`, entries[0].Record.Key)

	var out bytes.Buffer
	require.NoError(t, WriteLGPO(&out, entries))
	again, err := ParseLGPO("again.txt", out.Bytes())
	require.NoError(t, err)
	sameLGPO(t, entries, again)
}

func TestParseLGPOErrors(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		msg        string
	}{
		{"bad scope", "Machine\nK\nV\nDWORD:1\n", 1, "expected Computer, User"},
		{"short record", "; x\nComputer\nK\nV\n", 2, "record ends before an action"},
		{"empty key", "Computer\n\nV\nDWORD:1\n", 2, "expected a registry key"},
		{"bad dword", "Computer\nK\nV\nDWORD:0x10\n", 4, "DWORD needs a decimal number"},
		{"dword overflow", "Computer\nK\nV\nDWORD:4294967296\n", 4, "DWORD needs a decimal number"},
		{"unknown action", "Computer\nK\nV\nBINARY:00\n", 4, "unknown action"},
		{"delete with data", "Computer\nK\nV\nDELETE:1\n", 4, "DELETE takes no data"},
		{"delvals name", "Computer\nK\nV\nDELETEALLVALUES\n", 4, `needs "*"`},
		{"empty multi item", "Computer\nK\nV\nMULTISZ:a\\0\\0b\n", 4, "empty item"},
		{"directive name", "Computer\nK\n**delvals.\nDWORD:1\n", 4, "instruction"},
		{"second record", "Computer\nK\nV\nDWORD:1\n\nUser\nK\nV\nSZ\n", 9, "SZ needs ':'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseLGPO("l.txt", []byte(tc.text))
			require.Error(t, err)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%T", err)
			assert.Equal(t, "l.txt", pe.File)
			assert.Equal(t, tc.line, pe.Line)
			assert.Contains(t, pe.Msg, tc.msg)
		})
	}
}

func TestWriteLGPORefuses(t *testing.T) {
	rec := func(name string, v checks.RegValue) PolRecord { return PolRecord{Key: "K", Name: name, Value: v} }
	for _, tc := range []struct {
		name string
		e    LGPOEntry
	}{
		{"binary", LGPOEntry{Scope: "Computer", Record: rec("B", checks.RegValue{Type: checks.RegBinary, Data: []byte{1}})}},
		{"deletekeys", LGPOEntry{Scope: "Computer", Record: rec("**DeleteKeys", checks.StringValue(checks.RegSZ, "a"))}},
		{"line break", LGPOEntry{Scope: "Computer", Record: rec("V", checks.StringValue(checks.RegSZ, "a\nb"))}},
		{"sz without NUL", LGPOEntry{Scope: "Computer", Record: rec("V", checks.RegValue{Type: checks.RegSZ, Data: []byte{'a', 0}})}},
		{"bad scope", LGPOEntry{Scope: "Machine", Record: rec("V", checks.DWORDValue(1))}},
		{"comment key", LGPOEntry{Scope: "User", Record: PolRecord{Key: ";K", Name: "V", Value: checks.DWORDValue(1)}}},
	} {
		var out bytes.Buffer
		assert.Error(t, WriteLGPO(&out, []LGPOEntry{tc.e}), tc.name)
		assert.Zero(t, out.Len(), "%s: nothing is written", tc.name)
	}
}
