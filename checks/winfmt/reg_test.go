package winfmt

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

func findValue(t *testing.T, f *RegFile, key, name string) RegEntry {
	t.Helper()
	for _, k := range f.Keys {
		if NormalizeKey(k.Path) != NormalizeKey(key) {
			continue
		}
		for _, v := range k.Values {
			if v.Name == name {
				return v
			}
		}
	}
	t.Fatalf("value %s\\%q not found", key, name)
	return RegEntry{}
}

func raw(typ uint32, b ...byte) checks.RegValue {
	return checks.RegValue{Type: typ, Data: append([]byte{}, b...)}
}

func TestParseRegExport(t *testing.T) {
	f, err := ParseReg("lsa.reg", readFixture(t, "regedit5_export.reg"))
	require.NoError(t, err)
	assert.Equal(t, 5, f.Version)
	require.Len(t, f.Keys, 4)

	lsa := `HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa`
	k := f.Keys[0]
	assert.Equal(t, lsa, k.Path)
	assert.Equal(t, 3, k.Line)
	assert.False(t, k.Delete)

	tests := []struct {
		name string
		want checks.RegValue
		line int
	}{
		{"", checks.StringValue(checks.RegSZ, "default"), 4},
		{"auditbasedirectories", checks.DWORDValue(0), 5},
		{"LmCompatibilityLevel", checks.DWORDValue(5), 6},
		{"Authentication Packages", checks.MultiStringValue([]string{"msv1_0"}), 8},
		{"Security Packages", checks.MultiStringValue([]string{"kerberos", "msv1_0"}), 10},
		{"FriendlyTypeName", checks.StringValue(checks.RegExpandSZ, `@%ProgramFiles%\Windows Photo Viewer\PhotoViewer.dll,-3056`), 12},
		{"ProductType", checks.StringValue(checks.RegSZ, "WinNT"), 19},
		{"Path", checks.StringValue(checks.RegSZ, `C:\Program Files\Vendor "Monitor"\bin`), 20},
		{"Binary", raw(checks.RegBinary, 1, 2, 0xff), 21},
		{"Empty", raw(checks.RegBinary), 22},
		{"Qword", raw(checks.RegQWORD, 0, 0x10, 0, 0, 0, 0, 0, 0), 23},
		{"None", raw(checks.RegNone), 24},
		{"Odd", raw(checks.RegSZ, 0x41, 0, 0x42), 25},
		{"Short", raw(checks.RegDWORD, 1, 2), 26},
		{"Vendor", raw(0x20000000, 0xde, 0xad), 27},
		{"Unicode", checks.StringValue(checks.RegSZ, "Grüße € 😀"), 28},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := findValue(t, f, lsa, tc.name)
			assert.False(t, e.Delete)
			assert.Equal(t, tc.want.Type, e.Value.Type)
			assert.Equal(t, tc.want.Data, e.Value.Data)
			assert.Equal(t, tc.line, e.Line)
		})
	}
	assert.Equal(t, uint64(0x10_00), mustUint(t, findValue(t, f, lsa, "Qword").Value))

	msv := f.Keys[1]
	require.Len(t, msv.Values, 3)
	assert.Equal(t, uint64(0x20080000), mustUint(t, msv.Values[0].Value))
	assert.Equal(t, RegEntry{Name: "Removed", Delete: true, Line: 32}, msv.Values[1])
	assert.Equal(t, RegEntry{Name: "", Delete: true, Line: 33}, msv.Values[2])

	assert.Equal(t, RegKey{Path: `HKEY_LOCAL_MACHINE\SOFTWARE\Vendor\Obsolete`, Delete: true, Line: 35}, f.Keys[2])
	assert.Equal(t, "900", findValue(t, f, `HKCU\Software\Policies\Microsoft\Windows\Control Panel\Desktop`, "ScreenSaveTimeOut").Value.String())
}

func mustUint(t *testing.T, v checks.RegValue) uint64 {
	t.Helper()
	n, ok := v.Uint64()
	require.True(t, ok)
	return n
}

// regedit's own output must come back byte for byte.
func TestWriteRegReproducesRegedit(t *testing.T) {
	in := readFixture(t, "regedit5_export.reg")
	f, err := ParseReg("lsa.reg", in)
	require.NoError(t, err)
	var out bytes.Buffer
	require.NoError(t, WriteReg(&out, f))
	if !bytes.Equal(in, out.Bytes()) {
		got, _ := DecodeText("out", out.Bytes())
		want, _ := DecodeText("in", in)
		assert.Equal(t, want, got)
		t.Fatal("output differs from regedit's")
	}
}

func TestParseRegFeatures(t *testing.T) {
	f, err := ParseReg("ts.reg", readFixture(t, "regedit5_features.reg"))
	require.NoError(t, err)
	assert.Equal(t, 5, f.Version)
	require.Len(t, f.Keys, 3)
	ts := f.Keys[0]
	assert.Equal(t, `HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services`, ts.Path)
	assert.Equal(t, 5, ts.Line)

	get := func(name string) RegEntry { return findValue(t, f, ts.Path, name) }
	assert.Equal(t, checks.DWORDValue(1), get("fDisableCdm").Value)
	assert.Equal(t, checks.DWORDValue(3), get("MinEncryptionLevel").Value)
	assert.Equal(t, "  a b  ", get("Spaced").Value.String())
	assert.Equal(t, `back\slash "quoted" unknown\q end\`, get("Escapes").Value.String())
	assert.Equal(t, "x", get(`Quote"Name\`).Value.String())
	c := get("Continued")
	assert.Equal(t, []byte{1, 2, 3, 4, 5}, c.Value.Data)
	assert.Equal(t, 11, c.Line)
	assert.Equal(t, []string{"a"}, get("ContinuedNoSpace").Value.Strings())
	assert.Equal(t, 14, get("ContinuedNoSpace").Line)
	assert.Equal(t, []byte{0x0a, 0x0b, 0x0c}, get("Tail").Value.Data)
	assert.Equal(t, "default value", get("").Value.String())
	assert.True(t, get("Del").Delete)
	assert.Equal(t, 18, get("Del").Line)

	assert.True(t, f.Keys[1].Delete)
	assert.Equal(t, `HKEY_CURRENT_USER\Software\Obsolete`, f.Keys[1].Path)
	assert.Equal(t, `HKEY_USERS\.DEFAULT\Control Panel\Desktop\`, f.Keys[2].Path, "path is kept as written")
	assert.Equal(t, `HKU\.DEFAULT\CONTROL PANEL\DESKTOP`, NormalizeKey(f.Keys[2].Path))
	assert.Equal(t, []byte{0xff}, f.Keys[2].Values[0].Value.Data)
}

func TestParseRegEdit4ANSI(t *testing.T) {
	f, err := ParseReg("xp.reg", readFixture(t, "regedit4_xp.reg"))
	require.NoError(t, err)
	assert.Equal(t, 4, f.Version)
	require.Len(t, f.Keys, 1)
	key := f.Keys[0].Path
	get := func(name string) checks.RegValue { return findValue(t, f, key, name).Value }
	assert.Equal(t, checks.StringValue(checks.RegSZ, "Técnico"), get("DefaultUserName"))
	assert.Equal(t, checks.DWORDValue(14), get("PasswordExpiryWarning"))
	// ANSI bytes of REG_EXPAND_SZ / REG_MULTI_SZ become the UTF-16LE the
	// registry holds (0xE9 = é, 0x80 = €).
	assert.Equal(t, checks.StringValue(checks.RegExpandSZ, `%SystemRoot%\é€`), get("Userinit"))
	assert.Equal(t, checks.MultiStringValue([]string{"a", "é"}), get("Multi"))
	assert.Equal(t, raw(checks.RegBinary, 0, 1), get("Blob"), "binary is not converted")
}

func TestNormalizeKey(t *testing.T) {
	for in, want := range map[string]string{
		`HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\Lsa`: `HKLM\SYSTEM\CURRENTCONTROLSET\CONTROL\LSA`,
		`hkey_local_machine\Software\`:                            `HKLM\SOFTWARE`,
		`HKEY_CURRENT_USER\Software\Policies`:                     `HKCU\SOFTWARE\POLICIES`,
		`HKEY_USERS\S-1-5-18`:                                     `HKU\S-1-5-18`,
		`HKEY_CLASSES_ROOT\.exe`:                                  `HKCR\.EXE`,
		`HKEY_CURRENT_CONFIG\System`:                              `HKCC\SYSTEM`,
		`HKLM\System`:                                             `HKLM\SYSTEM`,
		`MACHINE\System\CurrentControlSet\Control\Lsa\`:           `HKLM\SYSTEM\CURRENTCONTROLSET\CONTROL\LSA`,
		`HKEY_LOCAL_MACHINE`:                                      `HKLM`,
		`HKEY_LOCAL_MACHINE\\`:                                    `HKLM`,
		`HKEY_USERS\S-1-5-21\Software\Straße`:                     `HKU\S-1-5-21\SOFTWARE\STRAßE`, // Go has no upper-case ß
		``:                                                        ``,
	} {
		assert.Equal(t, want, NormalizeKey(in), in)
		assert.Equal(t, normalizeKeyReference(in), NormalizeKey(in), in)
	}
	// Already normalized: the same string back, nothing allocated.
	assert.Equal(t, 0.0, testing.AllocsPerRun(10, func() { _ = NormalizeKey(`HKLM\SYSTEM\CURRENTCONTROLSET`) }))
	assert.Equal(t, 1.0, testing.AllocsPerRun(10, func() { _ = NormalizeKey(`HKEY_LOCAL_MACHINE\System\CurrentControlSet`) }))
}

// normalizeKeyReference is NormalizeKey's rule written plainly: FuzzNormalizeKey
// holds the fast version to it, for any bytes.
func normalizeKeyReference(path string) string {
	p := strings.TrimRight(path, `\`)
	root, rest := p, ""
	if i := strings.IndexByte(p, '\\'); i >= 0 {
		root, rest = p[:i], p[i:]
	}
	switch strings.ToUpper(root) {
	case "HKEY_LOCAL_MACHINE", "MACHINE":
		root = "HKLM"
	case "HKEY_CURRENT_USER":
		root = "HKCU"
	case "HKEY_USERS":
		root = "HKU"
	case "HKEY_CLASSES_ROOT":
		root = "HKCR"
	case "HKEY_CURRENT_CONFIG":
		root = "HKCC"
	}
	return strings.ToUpper(root + rest)
}

func FuzzNormalizeKey(f *testing.F) {
	for _, s := range []string{`HKEY_LOCAL_MACHINE\Software\`, `hkey_users\.default`, `MACHINE\x`, `HKLM\ABC`, "HKEY_LOCAL_MACH\u0131NE\\x", "\u212aEY\\", "\xff\\a", "HKEY_\u017fERS\\x", ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := NormalizeKey(s), normalizeKeyReference(s); got != want {
			t.Fatalf("NormalizeKey(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestNormalizedKey: the parser's per-key normal form is NormalizeKey's.
func TestNormalizedKey(t *testing.T) {
	f, err := ParseReg("x.reg", utf16File("Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\Software\\X\\]\n\"a\"=dword:1\n[-hkey_current_user\\Y]\n[HKEY_USERS\\S-1-5-18\\Ä]\n"))
	require.NoError(t, err)
	require.Len(t, f.Keys, 3)
	for i, k := range f.Keys {
		assert.Equal(t, NormalizeKey(k.Path), f.NormalizedKey(i), k.Path)
	}
	built := &RegFile{Keys: []RegKey{{Path: `HKEY_CURRENT_CONFIG\a`}}} // not parsed: computed on demand
	assert.Equal(t, `HKCC\A`, built.NormalizedKey(0))
}

// TestUpperName: the parser's upper-case value names are strings.ToUpper's,
// repeats and deletions included, and a key changed after parsing gets
// them computed afresh.
func TestUpperName(t *testing.T) {
	f, err := ParseReg("x.reg", utf16File("Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\X]\n\"ab\"=dword:1\n\"Äb\"=dword:1\n@=\"d\"\n\n[HKLM\\x]\n\"AB\"=dword:1\n\"äB\"=-\n[HKLM\\Y]\n\"ı\"=dword:0\n"))
	require.NoError(t, err)
	want := [][]string{{"AB", "ÄB", ""}, {"AB", "ÄB"}, {"I"}}
	require.Len(t, f.Keys, len(want))
	for i := range want {
		require.Len(t, f.Keys[i].Values, len(want[i]))
		for j, w := range want[i] {
			assert.Equal(t, w, f.UpperName(i, j), "%d %d", i, j)
		}
	}
	f.Keys[1].Values = append(f.Keys[1].Values, RegEntry{Name: "new"})
	assert.Equal(t, "AB", f.UpperName(1, 0))
	assert.Equal(t, "NEW", f.UpperName(1, 2))
	assert.Equal(t, "I", f.UpperName(2, 0))
}

func TestParseRegErrors(t *testing.T) {
	const h = "Windows Registry Editor Version 5.00\n\n"
	const k = "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n"
	tests := []struct {
		name string
		data []byte
		line int
		msg  string
	}{
		{"empty", nil, 0, "empty file"},
		{"odd utf16", []byte{0xFF, 0xFE, 'R', 0, 'E'}, 0, "odd number of bytes"},
		{"not reg", utf16File("hello\n"), 1, "not a registry export"},
		{"regedit3", ansiFile("REGEDIT\n"), 1, "not a registry export"},
		{"header late", utf16File("\n" + h), 1, "not a registry export"},
		{"value before key", utf16File(h + "\"a\"=dword:1\n"), 3, "before the first [key]"},
		{"unclosed key", utf16File(h + "[HKEY_LOCAL_MACHINE\\X\n"), 3, "closing ']'"},
		{"empty key", utf16File(h + "[]\n"), 3, "empty key name"},
		{"empty delete key", utf16File(h + "[-]\n"), 3, "empty key name"},
		{"garbage", utf16File(h + k + "foo=bar\n"), 4, "unexpected line"},
		{"dword 9 digits", utf16File(h + k + "\"a\"=dword:000000001\n"), 4, "more than 8 hex digits"},
		{"dword bad", utf16File(h + k + "\"a\"=dword:xyz\n"), 4, "bad dword"},
		{"dword empty", utf16File(h + k + "\"a\"=dword:\n"), 4, "bad dword"},
		{"dword trailing", utf16File(h + k + "\"a\"=dword:1 2\n"), 4, "bad dword"},
		{"bad hex byte", utf16File(h + k + "\"a\"=hex:01,zz\n"), 4, "bad hex byte"},
		{"3-digit hex byte", utf16File(h + k + "\"a\"=hex:001\n"), 4, "bad hex byte"},
		{"double comma", utf16File(h + k + "\"a\"=hex:01,,02\n"), 4, "bad hex byte"},
		{"space separated", utf16File(h + k + "\"a\"=hex:01 02\n"), 4, "bad hex byte"},
		{"bad hex on continuation", utf16File(h + k + "\"ok\"=dword:1\n\"a\"=hex:01,\\\n  02,\\\n  0g\n"), 5, "bad hex byte"},
		{"text after continuation", utf16File(h + k + "\"a\"=hex:01,\\ x\n  02\n"), 4, "after '\\'"},
		{"bad hex type", utf16File(h + k + "\"a\"=hex(zz):00\n"), 4, "bad value type"},
		{"hex type no colon", utf16File(h + k + "\"a\"=hex(1)00\n"), 4, "bad value type"},
		{"hex type too long", utf16File(h + k + "\"a\"=hex(123456789):00\n"), 4, "bad value type"},
		{"unterminated string", utf16File(h + k + "\"a\"=\"abc\n"), 4, "without closing quote"},
		{"escaped last quote", utf16File(h + k + "\"a\"=\"abc\\\"\n"), 4, "without closing quote"},
		{"unterminated name", utf16File(h + k + "\"abc=dword:1\n"), 4, "value name without closing quote"},
		{"missing equals", utf16File(h + k + "\"a\" \"b\"\n"), 4, "missing '='"},
		{"default missing equals", utf16File(h + k + "@ \"b\"\n"), 4, "missing '='"},
		{"missing data", utf16File(h + k + "\"a\"=\n"), 4, "missing value data"},
		{"unknown type", utf16File(h + k + "\"a\"=qword:1\n"), 4, "unknown value type"},
		{"text after string", utf16File(h + k + "\"a\"=\"b\" c\n"), 4, "after string"},
		{"text after delete", utf16File(h + k + "\"a\"=-1\n"), 4, "after '-'"},
		{"value set twice with other data", utf16File(h + k + "\"a\"=dword:1\n\n[hkey_local_machine\\software\\x]\n\"A\"=dword:0\n"), 7, "\"A\" is set again with different data (first on line 4)"},
		{"default set twice with other type", utf16File(h + k + "@=\"1\"\n@=hex(2):31,00,00,00\n"), 5, "@ (default) is set again"},
		{"non-ASCII name set twice in other case", utf16File(h + k + "\"Stärke\"=dword:1\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X\\]\n\"STÄRKE\"=dword:2\n"), 6, "\"STÄRKE\" is set again with different data (first on line 4)"},
		{"set twice under another root spelling", utf16File(h + k + "\"a\"=dword:1\n[HKLM\\Software\\x]\n\"a\"=dword:2\n"), 6, "set again"},
		{"set again after a sibling key's delete", utf16File(h + k + "\"a\"=dword:1\n[-HKEY_LOCAL_MACHINE\\SOFTWARE\\XY]\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\n\"a\"=dword:2\n"), 7, "set again"},
		{"regedit4 ansi", ansiFile("REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\X]\n\"é\"=hex:0\n\"b\"=dword:123456789\n"), 5, "more than 8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseReg("x.reg", tc.data)
			require.Error(t, err)
			assert.Nil(t, f)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			assert.Equal(t, "x.reg", pe.File)
			assert.Equal(t, tc.line, pe.Line, pe.Error())
			assert.Contains(t, pe.Msg, tc.msg)
		})
	}
}

// A repeat with equal data, or a value set again after its key or the value
// was deleted, is how .reg files are applied, not a conflict.
func TestParseRegRepeatsThatAreNotConflicts(t *testing.T) {
	h := "Windows Registry Editor Version 5.00\n\n"
	for name, text := range map[string]string{
		"same data":            h + "[HKEY_LOCAL_MACHINE\\X]\n\"a\"=dword:1\n[HKEY_LOCAL_MACHINE\\X]\n\"a\"=dword:00000001\n",
		"after value delete":   h + "[HKEY_LOCAL_MACHINE\\X]\n\"a\"=dword:1\n\"a\"=-\n\"a\"=dword:0\n",
		"after key delete":     h + "[HKEY_LOCAL_MACHINE\\X\\Y]\n\"a\"=dword:1\n[-HKEY_LOCAL_MACHINE\\X]\n[HKEY_LOCAL_MACHINE\\X\\Y]\n\"a\"=dword:0\n",
		"other key, same name": h + "[HKEY_LOCAL_MACHINE\\X]\n\"a\"=dword:1\n[HKEY_LOCAL_MACHINE\\X\\Y]\n\"a\"=dword:0\n",
		"name NUL-joined ids":  h + "[HKEY_LOCAL_MACHINE\\X]\n\"a\"=dword:1\n[HKEY_LOCAL_MACHINE\\X\\A]\n@=dword:0\n",
		"re-set after delete":  h + "[HKEY_LOCAL_MACHINE\\X]\n\"Ä\"=dword:1\n\"ä\"=-\n\"Ä\"=dword:2\n\"ä\"=dword:2\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseReg("x.reg", utf16File(text))
			require.NoError(t, err)
		})
	}
}

// Value data may be a stored password: no parse error repeats it.
func TestParseErrorsNeverQuoteValueData(t *testing.T) {
	const secret = "Sup3rSecr3tPassw0rd"
	hexSecret := ""
	for i, c := range secret {
		if i > 0 {
			hexSecret += ","
		}
		hexSecret += fmt.Sprintf("%02x,00", c)
	}
	k := "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon]\n"
	regs := map[string]string{
		"hex(1) with a bad byte":   k + "\"DefaultPassword\"=hex(1):" + hexSecret + ",zz\n",
		"hex(1) bad in the middle": k + "\"DefaultPassword\"=hex(1):53,00,x" + secret + "\n",
		"hex(1) 3-digit byte":      k + "\"DefaultPassword\"=hex(1):" + secret + "\n",
		"string set twice":         k + "\"DefaultPassword\"=\"" + secret + "\"\n\"DefaultPassword\"=\"" + secret + "x\"\n",
	}
	for name, text := range regs {
		t.Run(name, func(t *testing.T) {
			_, err := ParseReg("x.reg", utf16File(text))
			require.Error(t, err)
			assert.NotContains(t, err.Error(), secret[:4])
		})
	}
	for _, v := range []string{"4," + secret, "3," + secret, "0,0a" + secret, "11," + secret, "x" + secret + ",1", secret} {
		_, err := ParseRegistryValue("", v)
		require.Error(t, err, v)
		assert.NotContains(t, err.Error(), secret[:4])
	}
	inf := "[Registry Values]\nMACHINE\\X\\DefaultPassword=1,\"" + secret + "\"\nMACHINE\\X\\DefaultPassword=1,\"" + secret + "!\"\n"
	_, err := ParseINF("x.inf", utf16File(inf))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret[:4])
}

func TestParseErrorString(t *testing.T) {
	assert.Equal(t, "a.reg:3: bad", (&ParseError{File: "a.reg", Line: 3, Msg: "bad"}).Error())
	assert.Equal(t, "a.reg: empty file", (&ParseError{File: "a.reg", Msg: "empty file"}).Error())
}

func TestParseRegTolerates(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []RegEntry
	}{
		{"trailing NUL", "REGEDIT4\n[HKEY_X]\n\"a\"=\"b\"\n\x00", []RegEntry{{Name: "a", Value: checks.StringValue(1, "b"), Line: 3}}},
		{"no final newline", "REGEDIT4\n[HKEY_X]\n\"a\"=hex:01,\\", []RegEntry{{Name: "a", Value: raw(3, 1), Line: 3}}},
		{"continuation then blank", "REGEDIT4\n[HKEY_X]\n\"a\"=hex:01,\\\n\n\"b\"=-\n", []RegEntry{{Name: "a", Value: raw(3, 1), Line: 3}, {Name: "b", Delete: true, Line: 5}}},
		{"spaces around equals", "REGEDIT4\n[HKEY_X]\n@ = \"d\"\n\"b\"\t=\thex(0):\n", []RegEntry{{Value: checks.StringValue(1, "d"), Line: 3}, {Name: "b", Value: raw(0), Line: 4}}},
		{"header with trailing space", "REGEDIT4  \n[HKEY_X]\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseReg("t.reg", []byte(tc.text))
			require.NoError(t, err)
			require.Len(t, f.Keys, 1)
			for i := range tc.want {
				if tc.want[i].Value.Data == nil && !tc.want[i].Delete {
					tc.want[i].Value.Data = []byte{}
				}
			}
			if len(tc.want) == 0 {
				assert.Empty(t, f.Keys[0].Values)
				return
			}
			assert.Equal(t, tc.want, f.Keys[0].Values)
		})
	}
}

func sameKeys(t *testing.T, want, got []RegKey) {
	t.Helper()
	require.Equal(t, len(want), len(got), "number of keys")
	for i := range want {
		w, g := want[i], got[i]
		require.Equal(t, w.Path, g.Path)
		require.Equal(t, w.Delete, g.Delete, w.Path)
		require.Equal(t, len(w.Values), len(g.Values), w.Path)
		for j := range w.Values {
			wv, gv := w.Values[j], g.Values[j]
			require.Equal(t, wv.Name, gv.Name, w.Path)
			require.Equal(t, wv.Delete, gv.Delete, "%s %q", w.Path, wv.Name)
			if !wv.Delete {
				require.True(t, wv.Value.Equal(gv.Value), "%s %q: want %d % x, got %d % x",
					w.Path, wv.Name, wv.Value.Type, wv.Value.Data, gv.Value.Type, gv.Value.Data)
			}
		}
	}
}

func TestWriteRegRoundTrip(t *testing.T) {
	long := make([]byte, 1000)
	for i := range long {
		long[i] = byte(i)
	}
	f := &RegFile{Keys: []RegKey{
		{Path: `HKEY_LOCAL_MACHINE\SOFTWARE\A "quoted" ]key`, Values: []RegEntry{
			{Name: `name with "quotes" and \backslash\`, Value: checks.StringValue(1, `v\"\\`)},
			{Name: "", Value: checks.StringValue(1, "")},
			{Name: "nul inside", Value: raw(1, 'a', 0, 0, 0, 'b', 0, 0, 0)},
			{Name: "no terminator", Value: raw(1, 'a', 0)},
			{Name: "odd", Value: raw(1, 'a')},
			{Name: "empty sz", Value: raw(1)},
			{Name: "newline", Value: checks.StringValue(1, "a\r\nb")},
			{Name: "lone surrogate", Value: raw(1, 0x00, 0xD8, 0, 0)},
			{Name: "astral", Value: checks.StringValue(1, "𝄞 music")},
			{Name: "long", Value: raw(3, long...)},
			{Name: "long expand", Value: checks.StringValue(2, strings.Repeat("%windir%\\", 40))},
			{Name: "dword 8 bytes", Value: raw(4, 1, 2, 3, 4, 5, 6, 7, 8)},
			{Name: "max dword", Value: checks.DWORDValue(0xffffffff)},
			{Name: "big type", Value: raw(0xffffffff, 1)},
			{Name: "@", Value: checks.StringValue(1, "at sign name")},
			{Name: "gone", Delete: true},
		}},
		{Path: `HKEY_CURRENT_USER\-dash inside`, Delete: true},
		{Path: `-starts with dash`, Delete: true},
		{Path: " spaced path ", Values: []RegEntry{{Name: " spaced ", Value: checks.MultiStringValue([]string{"x", "y"})}}},
	}}
	var buf bytes.Buffer
	require.NoError(t, WriteReg(&buf, f))
	assert.Equal(t, []byte{0xFF, 0xFE}, buf.Bytes()[:2])
	g, err := ParseReg("rt.reg", buf.Bytes())
	require.NoError(t, err)
	assert.Equal(t, 5, g.Version)
	sameKeys(t, f.Keys, g.Keys)

	text, err := DecodeText("rt.reg", buf.Bytes())
	require.NoError(t, err)
	for i, l := range strings.Split(text, "\n") {
		assert.LessOrEqual(t, len([]rune(l)), 80, "line %d: %s", i+1, l)
	}
	assert.Contains(t, text, `"dword 8 bytes"=hex(4):01,02,03,04,05,06,07,08`)
	assert.Contains(t, text, `"max dword"=dword:ffffffff`)
	assert.Contains(t, text, `"big type"=hex(ffffffff):01`)
	assert.Contains(t, text, `"empty sz"=hex(1):`)
	assert.Contains(t, text, `[-HKEY_CURRENT_USER\-dash inside]`)
	crlf := UTF16File("5.00\r\n\r\n[HKEY_LOCAL_MACHINE")[2:]
	assert.True(t, bytes.Contains(buf.Bytes(), crlf), "CRLF line ends in UTF-16")
}

func TestWriteRegRefuses(t *testing.T) {
	for name, k := range map[string]RegKey{
		"empty path":     {},
		"newline path":   {Path: "HKEY_X\nY"},
		"dash path":      {Path: "-HKEY_X"},
		"invalid utf8":   {Path: "HKEY_\xff"},
		"newline name":   {Path: "HKEY_X", Values: []RegEntry{{Name: "a\nb", Value: checks.DWORDValue(1)}}},
		"bad utf8 name":  {Path: "HKEY_X", Values: []RegEntry{{Name: "\xfe", Value: checks.DWORDValue(1)}}},
		"cr name delete": {Path: "HKEY_X", Values: []RegEntry{{Name: "a\rb", Delete: true}}},
	} {
		t.Run(name, func(t *testing.T) {
			assert.Error(t, WriteReg(&bytes.Buffer{}, &RegFile{Keys: []RegKey{k}}))
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorsPropagate(t *testing.T) {
	assert.EqualError(t, WriteReg(failWriter{}, &RegFile{}), "disk full")
	assert.EqualError(t, WriteINF(failWriter{}, &INF{}), "disk full")
}

// TestParseRegValuesArray: keys share one array of values, sized from the
// lines that start with a quote or @; indented value lines (not counted)
// still parse, and appending to one key's values never changes the next.
func TestParseRegValuesArray(t *testing.T) {
	h := "Windows Registry Editor Version 5.00\n\n"
	for name, text := range map[string]string{
		"plain":    h + "[HKEY_X\\A]\n\"a\"=dword:1\n\"b\"=dword:2\n[HKEY_X\\B]\n\"c\"=dword:3\n[HKEY_X\\C]\n[HKEY_X\\D]\n@=\"d\"\n",
		"indented": h + "[HKEY_X\\A]\n  \"a\"=dword:1\n\t\"b\"=dword:2\n[HKEY_X\\B]\n \"c\"=dword:3\n[HKEY_X\\C]\n[HKEY_X\\D]\n  @=\"d\"\n",
	} {
		t.Run(name, func(t *testing.T) {
			f, err := ParseReg("x.reg", utf16File(text))
			require.NoError(t, err)
			require.Len(t, f.Keys, 4)
			names := [][]string{{"a", "b"}, {"c"}, nil, {""}}
			for i, want := range names {
				var got []string
				for _, v := range f.Keys[i].Values {
					got = append(got, v.Name)
				}
				assert.Equal(t, want, got, f.Keys[i].Path)
			}
			assert.Nil(t, f.Keys[2].Values)
			f.Keys[0].Values = append(f.Keys[0].Values, RegEntry{Name: "x"})
			assert.Equal(t, "c", f.Keys[1].Values[0].Name)
			assert.Equal(t, checks.DWORDValue(3), f.Keys[1].Values[0].Value)
		})
	}
}
