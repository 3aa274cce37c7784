package winfmt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// corpusFile reads a file of the shared corpus (real files Microsoft and
// DISA published), which lives beside the project, not inside it.
func corpusFile(t testing.TB, parts ...string) []byte {
	t.Helper()
	p := filepath.Join(append([]string{"..", "..", "..", "shared", "corpus", "gpo"}, parts...)...)
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("corpus file %s not present: the real-file test is skipped", p)
	}
	require.NoError(t, err)
	return b
}

// Hand encoding of the documented layout, independent of WritePol.
func w16(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = append(b, byte(c), byte(c>>8))
	}
	return b
}

func dw(v uint32) []byte {
	b := make([]byte, 4)
	binary.LittleEndian.PutUint32(b, v)
	return b
}

func polRec(key, name string, typ uint32, data []byte) []byte {
	var b []byte
	b = append(b, w16("[")...)
	b = append(b, w16(key+"\x00;"+name+"\x00;")...)
	b = append(b, dw(typ)...)
	b = append(b, w16(";")...)
	b = append(b, dw(uint32(len(data)))...)
	b = append(b, w16(";")...)
	b = append(b, data...)
	return append(b, w16("]")...)
}

var polHeader = []byte{'P', 'R', 'e', 'g', 1, 0, 0, 0}

func polBytes(recs ...[]byte) []byte {
	return bytes.Join(append([][]byte{polHeader}, recs...), nil)
}

func TestParsePolCorpusSCM(t *testing.T) {
	b := corpusFile(t, "scm-server2008r2-member", "machine_registry.pol")
	f, err := ParsePol("machine_registry.pol", b)
	require.NoError(t, err)
	require.Len(t, f.Records, 30)

	find := func(key, name string) []PolRecord {
		var out []PolRecord
		for _, r := range f.Records {
			if r.Key == key && r.Name == name {
				out = append(out, r)
			}
		}
		return out
	}
	// Values read from the file's bytes by hand (offsets 0x08, 0x1f4 ...).
	autorun := find(`Software\Microsoft\Windows\CurrentVersion\Policies\Explorer`, "NoDriveTypeAutoRun")
	require.Len(t, autorun, 1)
	assert.Equal(t, checks.DWORDValue(255), autorun[0].Value)
	assert.Equal(t, 8, autorun[0].Offset)

	secLog := find(`Software\Policies\Microsoft\Windows\EventLog\Security`, "MaxSize")
	require.Len(t, secLog, 1)
	assert.Equal(t, checks.DWORDValue(196608), secLog[0].Value)

	retention := find(`Software\Policies\Microsoft\Windows\EventLog\Application`, "Retention")
	require.Len(t, retention, 1)
	assert.Equal(t, checks.StringValue(checks.RegSZ, "0"), retention[0].Value)

	// The baseline sets AlwaysInstallElevated twice, with equal data:
	// both records are kept, in order.
	elevated := find(`Software\Policies\Microsoft\Windows\Installer`, "AlwaysInstallElevated")
	require.Len(t, elevated, 2)
	assert.Equal(t, checks.DWORDValue(0), elevated[1].Value)
	assert.Less(t, elevated[0].Offset, elevated[1].Offset)

	var out bytes.Buffer
	require.NoError(t, WritePol(&out, f))
	assert.True(t, bytes.Equal(b, out.Bytes()), "WritePol does not give the file's bytes back")
}

func TestParsePolCorpusEmptyUser(t *testing.T) {
	b := corpusFile(t, "scm-server2008r2-member", "user_registry.pol")
	f, err := ParsePol("user_registry.pol", b)
	require.NoError(t, err)
	assert.Empty(t, f.Records)
	var out bytes.Buffer
	require.NoError(t, WritePol(&out, f))
	assert.Equal(t, b, out.Bytes())
}

// TestPolGolden: every construct, with bytes built by hand from the
// documented layout, reads as expected and writes back byte for byte.
func TestPolGolden(t *testing.T) {
	const k = `Software\Policies\Medharden`
	qw := []byte{1, 2, 3, 4, 5, 6, 7, 8}
	want := []PolRecord{
		{Key: k, Name: "Sz", Value: checks.StringValue(checks.RegSZ, "héllo")},
		{Key: k, Name: "Exp", Value: checks.StringValue(checks.RegExpandSZ, `%SystemRoot%\x`)},
		{Key: k, Name: "Multi", Value: checks.MultiStringValue([]string{"a", "bc"})},
		{Key: k, Name: "Dw", Value: checks.DWORDValue(0x01020304)},
		{Key: k, Name: "Qw", Value: checks.RegValue{Type: checks.RegQWORD, Data: qw}},
		{Key: k, Name: "Bin", Value: checks.RegValue{Type: checks.RegBinary, Data: []byte{0, 0xff, 0x5d, 0}}},
		{Key: k, Name: "", Value: checks.StringValue(checks.RegSZ, "default")},
		{Key: k, Name: "**del.Old", Value: checks.StringValue(checks.RegSZ, " ")},
		{Key: k, Name: "**delvals.", Value: checks.StringValue(checks.RegSZ, " ")},
		{Key: k, Name: "**DeleteValues", Value: checks.StringValue(checks.RegSZ, "a;b;")},
		{Key: k + `\Sub`, Name: "Emoji 😀", Value: checks.RegValue{Type: checks.RegSZ, Data: []byte{}}},
	}
	golden := polBytes(
		polRec(k, "Sz", 1, w16("héllo\x00")),
		polRec(k, "Exp", 2, w16("%SystemRoot%\\x\x00")),
		polRec(k, "Multi", 7, w16("a\x00bc\x00\x00")),
		polRec(k, "Dw", 4, []byte{4, 3, 2, 1}),
		polRec(k, "Qw", 11, qw),
		polRec(k, "Bin", 3, []byte{0, 0xff, 0x5d, 0}),
		polRec(k, "", 1, w16("default\x00")),
		polRec(k, "**del.Old", 1, w16(" \x00")),
		polRec(k, "**delvals.", 1, w16(" \x00")),
		polRec(k, "**DeleteValues", 1, w16("a;b;\x00")),
		polRec(k+`\Sub`, "Emoji 😀", 1, nil),
	)
	f, err := ParsePol("golden.pol", golden)
	require.NoError(t, err)
	require.Len(t, f.Records, len(want))
	for i := range want {
		got := f.Records[i]
		assert.Equal(t, want[i].Key, got.Key, "record %d", i)
		assert.Equal(t, want[i].Name, got.Name, "record %d", i)
		assert.Equal(t, want[i].Value.Type, got.Value.Type, "record %d", i)
		assert.Equal(t, string(want[i].Value.Data), string(got.Value.Data), "record %d", i)
	}
	assert.Equal(t, 8, f.Records[0].Offset)

	var out bytes.Buffer
	require.NoError(t, WritePol(&out, &PolFile{Records: want}))
	assert.Equal(t, golden, out.Bytes())
}

func TestPolDirective(t *testing.T) {
	for _, tc := range []struct{ name, kind, value string }{
		{"Enabled", PolSet, "Enabled"},
		{"", PolSet, ""},
		{"**del.Enabled", PolDelete, "Enabled"},
		{"**Del.Enabled", PolDelete, "Enabled"},
		{"**delvals.", PolDeleteAll, ""},
		{"**DeleteValues", PolDeleteValues, ""},
		{"**deletekeys", PolDeleteKeys, ""},
		{"**SecureKey", PolSecureKey, ""},
		{"**soft.Start", PolSoft, "Start"},
	} {
		kind, v := PolRecord{Name: tc.name}.Directive()
		assert.Equal(t, tc.kind, kind, tc.name)
		assert.Equal(t, tc.value, v, tc.name)
	}
}

func TestParsePolErrors(t *testing.T) {
	good := polRec("K", "V", 4, []byte{1, 0, 0, 0})
	second := len(polHeader) + len(good)
	cut := polBytes(good, good)
	for _, tc := range []struct {
		name string
		b    []byte
		msg  string
	}{
		{"empty", nil, "shorter than its 8-byte header"},
		{"signature", append([]byte("Preg"), 1, 0, 0, 0), `signature "PReg"`},
		{"version", []byte{'P', 'R', 'e', 'g', 2, 0, 0, 0}, "offset 4: registry.pol version 2"},
		{"no bracket", append(polBytes(good), w16("K")...), "record at offset 40: missing '['"},
		{"truncated record", cut[:len(cut)-5], "record at offset 40: "},
		{"truncated in key", polBytes(w16("[Ke")), "key has no terminating NUL"},
		{"odd byte in key", append(polBytes(w16("[Ke")), 'y'), "key has no terminating NUL"},
		{"size beyond file", polBytes(polRec("K", "V", 3, []byte{1})[:len(polRec("K", "V", 3, nil))-2]), "runs past the end"},
		{"size too small", polBytes(bytes.Replace(polRec("K", "V", 3, []byte{1, 2}), dw(2), dw(1), 1)), "']' after the data"},
		{"missing semicolon", polBytes(bytes.Replace(good, w16("K\x00;"), w16("K\x00,"), 1)), "missing ';' after the key"},
		{"odd string data", polBytes(polRec("K", "V", 1, []byte{'a', 0, 0})), "string data of odd length 3"},
		{"short dword", polBytes(polRec("K", "V", 4, []byte{1, 0, 0})), "REG_DWORD data of 3 bytes"},
		{"short qword", polBytes(polRec("K", "V", 11, []byte{1, 0, 0, 0})), "REG_QWORD data of 4 bytes"},
		{"empty key", polBytes(polRec("", "V", 4, []byte{1, 0, 0, 0})), "empty key"},
		{"surrogate", polBytes(bytes.Replace(polRec("KX", "V", 3, nil), w16("X"), []byte{0, 0xD8}, 1)), "unpaired surrogate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePol("x.pol", tc.b)
			require.Error(t, err)
			var pe *ParseError
			require.True(t, errors.As(err, &pe), "%T", err)
			assert.Equal(t, "x.pol", pe.File)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
	t.Run("second record offset", func(t *testing.T) {
		b := polBytes(good, polRec("K", "V", 4, []byte{1}))
		_, err := ParsePol("x.pol", b)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "record at offset "+strconv.Itoa(second)+":")
	})
	t.Run("size limit", func(t *testing.T) {
		_, err := ParsePol("x.pol", make([]byte, MaxPolSize+1))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "larger than 64 MiB")
	})
}

func TestWritePolRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    PolRecord
	}{
		{"empty key", PolRecord{Name: "V", Value: checks.DWORDValue(1)}},
		{"NUL in name", PolRecord{Key: "K", Name: "a\x00b", Value: checks.DWORDValue(1)}},
		{"invalid UTF-8", PolRecord{Key: "K\xff", Name: "V", Value: checks.DWORDValue(1)}},
		{"short dword", PolRecord{Key: "K", Name: "V", Value: checks.RegValue{Type: checks.RegDWORD, Data: []byte{1}}}},
		{"odd string", PolRecord{Key: "K", Name: "V", Value: checks.RegValue{Type: checks.RegSZ, Data: []byte{1}}}},
	} {
		var out bytes.Buffer
		err := WritePol(&out, &PolFile{Records: []PolRecord{tc.r}})
		assert.Error(t, err, tc.name)
		assert.Zero(t, out.Len(), "%s: nothing is written", tc.name)
	}
}
