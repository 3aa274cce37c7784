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

func TestParseINFSecedit(t *testing.T) {
	in := readFixture(t, "secedit.inf")
	f, err := ParseINF("secedit.inf", in)
	require.NoError(t, err)

	var names []string
	for _, s := range f.Sections {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"Unicode", "System Access", "Event Audit", "Registry Values", "Privilege Rights", "Version"}, names)

	get := func(sec, key string) string {
		v, ok := f.Get(sec, key)
		require.True(t, ok, "%s %s", sec, key)
		return v
	}
	assert.Equal(t, "yes", get("Unicode", "Unicode"))
	assert.Equal(t, "42", get("System Access", "MaximumPasswordAge"))
	assert.Equal(t, "42", get("system access", "maximumpasswordage"), "case-insensitive")
	assert.Equal(t, `"Administrator"`, get("System Access", "NewAdministratorName"), "quotes kept")
	assert.Equal(t, "3", get("Event Audit", "AuditLogonEvents"))
	assert.Equal(t, `"$CHICAGO$"`, get("Version", "signature"))
	assert.Equal(t, "", get("Privilege Rights", "SeTrustedCredManAccessPrivilege"))
	_, ok := f.Get("System Access", "LockoutDuration")
	assert.False(t, ok, "not exported means not defined")
	_, ok = f.Get("No Such Section", "x")
	assert.False(t, ok)
	assert.Nil(t, f.Section("nope"))

	sa := f.Section("SYSTEM ACCESS")
	require.NotNil(t, sa)
	assert.Equal(t, 3, sa.Line)
	assert.Equal(t, INFEntry{Key: "MinimumPasswordAge", Value: "0", Line: 4}, sa.Entries[0])

	rights := map[string][]string{
		"SeNetworkLogonRight":             {"S-1-1-0", "S-1-5-32-544", "S-1-5-32-545", "S-1-5-32-551"},
		"SeDenyNetworkLogonRight":         {"Guest"},
		"SeServiceLogonRight":             {"S-1-5-80-0", "svc_monitor"},
		"SeTrustedCredManAccessPrivilege": {},
	}
	for right, want := range rights {
		assert.Equal(t, want, SplitRights(get("Privilege Rights", right)), right)
	}

	// Every [Registry Values] entry in the export parses.
	rv := f.Section("Registry Values")
	require.NotNil(t, rv)
	want := map[string]checks.RegValue{
		`MACHINE\System\CurrentControlSet\Control\Lsa\NoLMHash`:                             checks.DWORDValue(1),
		`MACHINE\System\CurrentControlSet\Control\Lsa\MSV1_0\NTLMMinClientSec`:              checks.DWORDValue(537395200),
		`MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon\ScRemoveOption`:      checks.StringValue(checks.RegSZ, "0"),
		`MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon\CachedLogonsCount`:   checks.StringValue(checks.RegSZ, "10"),
		`MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\LegalNoticeText`: checks.StringValue(checks.RegSZ, ""),
		`MACHINE\System\CurrentControlSet\Control\Session Manager\Environment\VendorHome`:   checks.StringValue(checks.RegExpandSZ, `%SystemDrive%\Vendor`),
		`MACHINE\Software\Vendor\Monitor\Key`:                                               {Type: checks.RegBinary, Data: []byte{0x0a, 0x0b, 0xff}},
		`MACHINE\System\CurrentControlSet\Control\SecurePipeServers\Winreg\AllowedExactPaths\Machine`: checks.MultiStringValue([]string{
			`System\CurrentControlSet\Control\ProductOptions`,
			`System\CurrentControlSet\Control\Server Applications`,
			`Software\Microsoft\Windows NT\CurrentVersion`,
		}),
	}
	for _, e := range rv.Entries {
		v, err := ParseRegistryValue(e.Key, e.Value)
		require.NoError(t, err, e.Key)
		if w, ok := want[e.Key]; ok {
			assert.True(t, w.Equal(v), "%s: want %d % x, got %d % x", e.Key, w.Type, w.Data, v.Type, v.Data)
		}
	}
}

// A GPO template keeps every section: entry-only lines are data, split
// into their fields, and the values secedit would apply read right.
func TestParseINFGroupPolicyTemplate(t *testing.T) {
	for _, name := range []string{"gpttmpl.inf", "template_nt.inf"} {
		f, err := ParseINF(name, readFixture(t, name))
		require.NoError(t, err, name)
		require.NotNil(t, f.Section("Version"), name)
	}
	f, err := ParseINF("gpttmpl.inf", readFixture(t, "gpttmpl.inf"))
	require.NoError(t, err)
	var names []string
	for _, s := range f.Sections {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"Unicode", "System Access", "Kerberos Policy", "System Log", "Event Audit", "Registry Values",
		"Privilege Rights", "Group Membership", "Service General Setting", "Registry Keys", "File Security", "Version"}, names)

	v, _ := f.Get("Version", "signature")
	assert.Equal(t, "$CHICAGO$", v)
	v, _ = f.Get("System Access", "MinimumPasswordLength")
	assert.Equal(t, "14", v)
	v, _ = f.Get("System Access", "NewAdministratorName")
	assert.Equal(t, `"Técnico"`, v)
	v, _ = f.Get("Kerberos Policy", "MaxTicketAge")
	assert.Equal(t, "10", v)
	assert.Equal(t, []string{"S-1-5-32-546", "Guest"}, SplitRights(mustGet(t, f, "Privilege Rights", "SeDenyNetworkLogonRight")))

	assert.Equal(t, []INFLine{
		{Fields: []string{"seclogon", "4", ""}, Line: 23},
		{Fields: []string{"RemoteRegistry", "4", "D:AR(A;;CCLCSWRPWPDTLOCRRC;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)"}, Line: 24},
	}, f.Section("Service General Setting").Lines)
	assert.Equal(t, []string{`MACHINE\SOFTWARE`, "0", "D:PAR(A;CI;KA;;;BA)(A;CI;KR;;;BU)"}, f.Section("Registry Keys").Lines[0].Fields)
	assert.Equal(t, []string{`%ProgramFiles%\Vendor, Inc`, "0", "D:AR(A;OICI;0x1200a9;;;BU)"}, f.Section("File Security").Lines[1].Fields)
	assert.Empty(t, f.Section("File Security").Entries)

	const lnt = `MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\LegalNoticeText`
	got, err := ParseRegistryValue(lnt, mustGet(t, f, "Registry Values", lnt))
	require.NoError(t, err)
	assert.Equal(t, checks.RegSZ, got.Type)
	assert.Equal(t, "Authorized clinical staff only.\r\nActivity is logged,  monitored, and audited.", got.String())
	const cap = `MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\LegalNoticeCaption`
	got, err = ParseRegistryValue(cap, mustGet(t, f, "Registry Values", cap))
	require.NoError(t, err)
	assert.Equal(t, "Notice, please read", got.String())

	nt, err := ParseINF("template_nt.inf", readFixture(t, "template_nt.inf"))
	require.NoError(t, err)
	assert.Equal(t, `"$WINDOWS NT$"`, mustGet(t, nt, "Version", "signature"))
	assert.Equal(t, "-1", mustGet(t, nt, "System Access", "LockoutDuration"))
}

func mustGet(t *testing.T, f *INF, section, key string) string {
	t.Helper()
	v, ok := f.Get(section, key)
	require.True(t, ok, "[%s] %s", section, key)
	return v
}

func TestWriteINFReproducesSecedit(t *testing.T) {
	in := readFixture(t, "secedit.inf")
	f, err := ParseINF("secedit.inf", in)
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, WriteINF(&out, f))
	if !bytes.Equal(in, out.Bytes()) {
		got, _ := DecodeText("out", out.Bytes())
		want, _ := DecodeText("in", in)
		assert.Equal(t, want, got)
		t.Fatal("output differs from secedit's")
	}
}

func TestParseINFLenient(t *testing.T) {
	text := "; template\n\n  [System Access]  \nMinimumPasswordLength=14\n\tLockoutBadCount   =   5  \n" +
		"[Privilege Rights]\nSeDenyInteractiveLogonRight =\n[system access]\nPasswordComplexity = 1\nminimumpasswordlength = 14\n" +
		"[Registry Values]\nMACHINE\\X\\Y=1,\"a = b ; c\"\n"
	for name, data := range map[string][]byte{
		"utf16": utf16File(text), "utf8": []byte(text), "ansi": ansiFile(text), "utf8bom": utf8BOMFile(text),
	} {
		t.Run(name, func(t *testing.T) {
			f, err := ParseINF("t.inf", data)
			require.NoError(t, err)
			require.Len(t, f.Sections, 3, "repeated section is merged")
			sa := f.Section("System Access")
			assert.Equal(t, 3, sa.Line)
			assert.Equal(t, []INFEntry{
				{Key: "MinimumPasswordLength", Value: "14", Line: 4},
				{Key: "LockoutBadCount", Value: "5", Line: 5},
				{Key: "PasswordComplexity", Value: "1", Line: 9},
			}, sa.Entries, "a repeat with the same value is dropped")
			v, _ := f.Get("System Access", "MinimumPasswordLength")
			assert.Equal(t, "14", v)
			v, ok := f.Get("Privilege Rights", "SeDenyInteractiveLogonRight")
			assert.True(t, ok)
			assert.Equal(t, "", v)
			v, _ = f.Get("Registry Values", `MACHINE\X\Y`)
			assert.Equal(t, `1,"a = b ; c"`, v)
		})
	}
}

func TestParseINFErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		line int
		msg  string
	}{
		{"empty", []byte{}, 0, "empty file"},
		{"odd utf16", []byte{0xFF, 0xFE, '['}, 0, "odd number of bytes"},
		{"entry before section", utf16File("Unicode=yes\n[Unicode]\n"), 1, "before the first [Section]"},
		{"no equals", utf16File("[Unicode]\nUnicode=yes\n[System Access]\nMinimumPasswordAge 0\n"), 4, "expected key = value in [System Access]"},
		{"no equals in a right", utf16File("[Privilege Rights]\nSeDebugPrivilege\n"), 2, "expected key = value in [Privilege Rights]"},
		{"quoted equals is no key", utf16File("[Registry Values]\n\"MACHINE\\X=1\"\n"), 2, "expected key = value in [Registry Values]"},
		{"open quote in an entry-only line", utf16File("[Service General Setting]\n\"seclogon,4,\"\"\n"), 2, "double quote is not closed"},
		{"entry-only line repeated with other fields", utf16File("[Service General Setting]\n\"seclogon\",4,\"\"\n\"SecLogon\",2,\"\"\n"), 3, `"SecLogon" is set again with different fields (first on line 2)`},
		{"unclosed section", utf16File("; c\n[System Access\nA = 1\n"), 2, "closing ']'"},
		{"empty section", utf16File("[ ]\n"), 1, "empty section name"},
		{"key repeated with another value", utf16File("[System Access]\nMinimumPasswordLength = 14\n[Privilege Rights]\n[system access]\nMINIMUMPASSWORDLENGTH = 0\n"), 5, "different value (first on line 2)"},
		{"right repeated with another value", utf16File("[Privilege Rights]\nSeDebugPrivilege = *S-1-5-32-544\nSeDebugPrivilege =\n"), 3, "SeDebugPrivilege is set again"},
		{"missing key", utf16File("[System Access]\n = 3\n"), 2, "missing key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseINF("s.inf", tc.data)
			require.Error(t, err)
			assert.Nil(t, f)
			var pe *ParseError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, "s.inf", pe.File)
			assert.Equal(t, tc.line, pe.Line, pe.Error())
			assert.Contains(t, pe.Msg, tc.msg)
		})
	}
}

func TestWriteINFRoundTrip(t *testing.T) {
	f := &INF{Sections: []INFSection{
		{Name: "Unicode", Entries: []INFEntry{{Key: "Unicode", Value: "yes"}}},
		{Name: "System Access", Entries: []INFEntry{
			{Key: "MinimumPasswordLength", Value: "14"},
			{Key: "NewAdministratorName", Value: `"Técnico ☃"`},
		}},
		{Name: "Registry Values", Entries: []INFEntry{{Key: `MACHINE\A\B`, Value: `7,x,"y,z"`}}},
		{Name: "Privilege Rights", Entries: []INFEntry{{Key: "SeDenyBatchLogonRight", Value: ""}}},
		{Name: "Empty Section"},
		{Name: "Service General Setting", Lines: []INFLine{
			{Fields: []string{"seclogon", "4", ""}},
			{Fields: []string{`say "hi", a=b`, "2", " x "}},
		}},
		{Name: "Version", Entries: []INFEntry{{Key: "signature", Value: `"$CHICAGO$"`}, {Key: "Revision", Value: "1"}}},
	}}
	var buf bytes.Buffer
	require.NoError(t, WriteINF(&buf, f))
	text, err := DecodeText("rt.inf", buf.Bytes())
	require.NoError(t, err)
	assert.Equal(t, "[Unicode]\nUnicode=yes\n[System Access]\nMinimumPasswordLength = 14\nNewAdministratorName = \"Técnico ☃\"\n"+
		"[Registry Values]\nMACHINE\\A\\B=7,x,\"y,z\"\n[Privilege Rights]\nSeDenyBatchLogonRight = \n[Empty Section]\n"+
		"[Service General Setting]\n\"seclogon\",4,\"\"\n\"say \"\"hi\"\", a=b\",2,\" x \"\n"+
		"[Version]\nsignature=\"$CHICAGO$\"\nRevision=1\n", text)
	g, err := ParseINF("rt.inf", buf.Bytes())
	require.NoError(t, err)
	sameINF(t, f, g)
}

func sameINF(t *testing.T, want, got *INF) {
	t.Helper()
	require.Equal(t, len(want.Sections), len(got.Sections))
	for i, ws := range want.Sections {
		gs := got.Sections[i]
		require.Equal(t, ws.Name, gs.Name)
		require.Equal(t, len(ws.Entries), len(gs.Entries), ws.Name)
		for j, we := range ws.Entries {
			require.Equal(t, we.Key, gs.Entries[j].Key)
			require.Equal(t, we.Value, gs.Entries[j].Value)
		}
		require.Equal(t, len(ws.Lines), len(gs.Lines), ws.Name)
		for j, wl := range ws.Lines {
			require.Equal(t, wl.Fields, gs.Lines[j].Fields)
		}
	}
}

func TestWriteINFRefuses(t *testing.T) {
	for name, s := range map[string]INFSection{
		"empty section":      {Name: ""},
		"spaced section":     {Name: " A"},
		"newline section":    {Name: "A\nB"},
		"empty key":          {Name: "A", Entries: []INFEntry{{Key: "", Value: "1"}}},
		"key with equals":    {Name: "A", Entries: []INFEntry{{Key: "a=b", Value: "1"}}},
		"key like section":   {Name: "A", Entries: []INFEntry{{Key: "[b]", Value: "1"}}},
		"key like comment":   {Name: "A", Entries: []INFEntry{{Key: ";b", Value: "1"}}},
		"key opens a quote":  {Name: "A", Entries: []INFEntry{{Key: `a"b`, Value: "1"}}},
		"line without field": {Name: "A", Lines: []INFLine{{}}},
		"newline field":      {Name: "A", Lines: []INFLine{{Fields: []string{"a\nb"}}}},
		"spaced key":         {Name: "A", Entries: []INFEntry{{Key: "b ", Value: "1"}}},
		"spaced value":       {Name: "A", Entries: []INFEntry{{Key: "b", Value: " 1"}}},
		"newline value":      {Name: "A", Entries: []INFEntry{{Key: "b", Value: "1\r2"}}},
		"bad utf8 value":     {Name: "A", Entries: []INFEntry{{Key: "b", Value: "\xff"}}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Error(t, WriteINF(&bytes.Buffer{}, &INF{Sections: []INFSection{s}}))
		})
	}
}

func TestParseRegistryValue(t *testing.T) {
	const lnt = `MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System\LegalNoticeText`
	tests := []struct {
		key, in string
		want    checks.RegValue
	}{
		{"", "4,1", checks.DWORDValue(1)},
		{"", "4, 300000", checks.DWORDValue(300000)},
		{"", "4,4294967295", checks.DWORDValue(0xffffffff)},
		{"", "4,-1", checks.DWORDValue(0xffffffff)},
		{"", "4,0x20", checks.DWORDValue(32)},
		{"", "4,\"5\"", checks.DWORDValue(5)},
		{"", "1,\"0\"", checks.StringValue(1, "0")},
		{"", "1,text with spaces", checks.StringValue(1, "text with spaces")},
		{"", "1,", checks.StringValue(1, "")},
		{"", "1,\"\"", checks.StringValue(1, "")},
		{"", "1,\"a,b\"", checks.StringValue(1, "a,b")},
		{"", "1,a,b", checks.StringValue(1, "a,b")},
		{"", "1,\" padded \"", checks.StringValue(1, " padded ")},
		{"", "1,\"say \"\"hi\"\"\"", checks.StringValue(1, `say "hi"`)},
		{"", "2,%SystemRoot%\\x", checks.StringValue(2, `%SystemRoot%\x`)},
		{"", "2,\"%ProgramFiles%\"", checks.StringValue(2, "%ProgramFiles%")},
		{"", "7,a,b,c", checks.MultiStringValue([]string{"a", "b", "c"})},
		{"", "7,", checks.MultiStringValue(nil)},
		{"", "7,only", checks.MultiStringValue([]string{"only"})},
		{"", "7,a,,b", checks.MultiStringValue([]string{"a", "", "b"})},
		// secedit keeps no comma inside an item of any other multi-string:
		// it stores the items comma-joined and splits them at every comma.
		{"", "7,\"a,b\",c", checks.MultiStringValue([]string{"a", "b", "c"})},
		// LegalNoticeText: "," is a comma, a bare comma a new line, and the
		// registry gets REG_SZ, as secedit writes it.
		{lnt, "7,", checks.StringValue(checks.RegSZ, "")},
		{lnt, "7,Authorized use only.", checks.StringValue(checks.RegSZ, "Authorized use only.")},
		{strings.ToLower(lnt), `7,Line 1.,Line 2","  with"," commas.,Line 3.`, checks.StringValue(checks.RegSZ, "Line 1.\r\nLine 2,  with, commas.\r\nLine 3.")},
		{"", "3,00", checks.RegValue{Type: 3, Data: []byte{0}}},
		{"", "3,01,ff", checks.RegValue{Type: 3, Data: []byte{1, 0xff}}},
		{"", "3,0aFF10", checks.RegValue{Type: 3, Data: []byte{0x0a, 0xff, 0x10}}},
		{"", "3,", checks.RegValue{Type: 3, Data: []byte{}}},
		{"", "0,01", checks.RegValue{Type: 0, Data: []byte{1}}},
		{"", "11,4294967296", checks.RegValue{Type: 11, Data: []byte{0, 0, 0, 0, 1, 0, 0, 0}}},
	}
	for _, tc := range tests {
		got, err := ParseRegistryValue(tc.key, tc.in)
		if assert.NoError(t, err, tc.in) {
			assert.True(t, tc.want.Equal(got), "%s: want %d %q, got %d %q", tc.in, tc.want.Type, tc.want.Data, got.Type, got.Data)
		}
	}
	for _, bad := range []string{"", "4", "x,1", "4,abc", "4,4294967296", "4,", "3,0g", "3,abc", "3,1,zz", "3,100,1", "5,1", "-1,1", "11,x", "7,\"x", "1,\"a", "1,a\"\"\"b"} {
		_, err := ParseRegistryValue("", bad)
		assert.Error(t, err, bad)
	}
}

func TestSplitINFFields(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`"seclogon",4,""`, []string{"seclogon", "4", ""}},
		{`"MACHINE\SOFTWARE",0,"D:PAR(A;OICI;KA;;;BA)"`, []string{`MACHINE\SOFTWARE`, "0", "D:PAR(A;OICI;KA;;;BA)"}},
		{`a","b,c`, []string{"a,b", "c"}},
		{` a , "b" ,c `, []string{"a", "b", "c"}},
		{`" a ",x`, []string{" a ", "x"}},
		{`"say ""hi"""`, []string{`say "hi"`}},
		{`,`, []string{"", ""}},
		{``, []string{""}},
		{`x"y"z`, []string{"xyz"}},
	}
	for _, tc := range tests {
		got, err := SplitINFFields(tc.in)
		if assert.NoError(t, err, tc.in) {
			assert.Equal(t, tc.want, got, tc.in)
		}
	}
	for _, bad := range []string{`"a`, `a,"b`, `"a""`} {
		_, err := SplitINFFields(bad)
		assert.Error(t, err, bad)
	}
}

func TestSplitRights(t *testing.T) {
	tests := map[string][]string{
		"":                                      {},
		"   ":                                   {},
		"*S-1-1-0,*S-1-5-32-544,Guest":          {"S-1-1-0", "S-1-5-32-544", "Guest"},
		" *S-1-5-19 , NT SERVICE\\ALL SERVICES": {"S-1-5-19", `NT SERVICE\ALL SERVICES`},
		"*S-1-5-32-544,,":                       {"S-1-5-32-544"},
		"\"Domain Users\"":                      {"Domain Users"},
	}
	for in, want := range tests {
		got := SplitRights(in)
		assert.NotNil(t, got)
		assert.Equal(t, want, got, in)
	}
}
