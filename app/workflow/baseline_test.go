package workflow

import (
	"bytes"
	"context"
	"encoding/base64"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

const (
	vendorICU   = "ICU-CS01-20261118-093000"
	hardenedICU = "ICU-CS01-20261118-151500"
)

var savedAt = time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)

func saveBaseline(t testing.TB, dir string) Baseline {
	t.Helper()
	s := New(Config{Version: "9.8.7", User: `ICU\vendor`})
	b, err := s.SaveBaseline(context.Background(), dir, savedAt)
	require.NoError(t, err)
	return b
}

// roundTrip encodes and reads back a baseline, as drift reads the file.
func roundTrip(t testing.TB, b Baseline) Baseline {
	t.Helper()
	data, err := b.Encode()
	require.NoError(t, err)
	got, err := DecodeBaseline("b.json", data)
	require.NoError(t, err)
	return got
}

func TestBaselineRecordsDevice(t *testing.T) {
	b := saveBaseline(t, sample(vendorICU))
	assert.Equal(t, BaselineSchema, b.Schema)
	assert.Equal(t, "9.8.7", b.Version)
	assert.Equal(t, `ICU\vendor`, b.SavedBy)
	assert.Equal(t, "2026-11-18T10:00:00Z", b.SavedAt)
	assert.Equal(t, "ICU-CS01", b.Device.Hostname)
	assert.NotEmpty(t, b.Device.SerialNumber)
	assert.Contains(t, b.Device.OS, "Windows 7")
	assert.Equal(t, "cis-win7-l1", b.Catalog.Profile)
	assert.Len(t, b.Catalog.Digest, 64)
	kinds := map[checks.Kind]int{}
	for _, s := range b.Settings {
		kinds[s.Address.Kind]++
		assert.NotEmpty(t, s.Checks, "%s", s.Address)
	}
	for _, k := range []checks.Kind{checks.KindRegistry, checks.KindSecPol, checks.KindAudit, checks.KindRight, checks.KindService, checks.KindAccount} {
		assert.NotZero(t, kinds[k], "no %s setting recorded", k)
	}
}

func TestDriftSameSnapshotIsNone(t *testing.T) {
	for _, dir := range []string{vendorICU, hardenedICU, "PUMPSRV-XP-20261119-084500"} {
		t.Run(dir, func(t *testing.T) {
			b := roundTrip(t, saveBaseline(t, sample(dir)))
			r, err := New(Config{}).Drift(context.Background(), b, sample(dir))
			require.NoError(t, err)
			assert.Empty(t, r.Drift)
			assert.Equal(t, len(b.Settings), r.Compared)
			assert.False(t, r.CatalogChanged)
		})
	}
}

// TestDriftEachKind: from the vendor's image to the hardened one, a change
// of each setting kind is listed with the checks that read it.
func TestDriftEachKind(t *testing.T) {
	b := roundTrip(t, saveBaseline(t, sample(vendorICU)))
	r, err := New(Config{}).Drift(context.Background(), b, sample(hardenedICU))
	require.NoError(t, err)
	find := func(kind checks.Kind, name string) Drift {
		for _, d := range r.Drift {
			if d.Address.Kind == kind && strings.EqualFold(d.Address.Name, name) {
				return d
			}
		}
		t.Fatalf("no drift of %s %s", kind, name)
		return Drift{}
	}
	tests := []struct {
		kind          checks.Kind
		name          string
		change        string
		was, now, chk string
	}{
		{checks.KindSecPol, "PasswordHistorySize", Changed, "0", "24", "1.1.1"},
		{checks.KindAccount, checks.FieldName, Changed, `"Administrator"`, `"mhadmin"`, "MH-ACC-1"},
		{checks.KindRegistry, "DefaultPassword", Removed, "set (value not recorded)", "not set", "MH-LOGON-1"},
	}
	for _, tt := range tests {
		d := find(tt.kind, tt.name)
		assert.Equal(t, tt.change, d.Change, "%s", d.Setting)
		assert.Equal(t, tt.was, d.Baseline, "%s", d.Setting)
		assert.Equal(t, tt.now, d.Now, "%s", d.Setting)
		assert.Contains(t, d.Checks, tt.chk)
		assert.NotEmpty(t, d.Capabilities)
	}
	seen := map[checks.Kind]bool{}
	for _, d := range r.Drift {
		seen[d.Address.Kind] = true
		assert.NotEmpty(t, d.Checks, "%s", d.Setting)
		assert.NotEqual(t, d.Baseline, d.Now, "%s listed without a change", d.Setting)
	}
	var kinds []string
	for k := range seen {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	assert.Equal(t, []string{"account", "audit", "registry", "right", "secpol", "service"}, kinds)
}

func TestBaselineTampered(t *testing.T) {
	data, err := saveBaseline(t, sample(vendorICU)).Encode()
	require.NoError(t, err)
	tests := []struct {
		name     string
		edit     func([]byte) []byte
		tampered bool
		msg      string
	}{
		{"value edited", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"shown": "42"`), []byte(`"shown": "60"`), 1)
		}, true, "does not match"},
		{"setting dropped", func(b []byte) []byte {
			i := bytes.Index(b, []byte(`"settings": [`)) + len(`"settings": [`)
			j := bytes.Index(b[i:], []byte("\n    },")) + i + len("\n    },")
			return append(append([]byte{}, b[:i]...), b[j:]...)
		}, true, "does not match"},
		{"hash removed", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"sha256"`), []byte(`"sha256x"`), 1)
		}, false, "unknown field"},
		{"hash emptied", func(b []byte) []byte {
			i := bytes.Index(b, []byte(`"sha256": "`)) + len(`"sha256": "`)
			return append(append(append([]byte{}, b[:i]...), '"'), b[i+65:]...)
		}, true, "does not match"},
		{"key given twice", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"shown": "42",`), []byte(`"shown": "42", "Shown": "60",`), 1)
		}, false, "appears twice"},
		{"not json", func(b []byte) []byte { return b[:len(b)/2] }, false, "b.json:"},
		{"other schema", func(b []byte) []byte {
			return bytes.Replace(b, []byte(BaselineSchema), []byte("medharden-baseline/9"), 1)
		}, false, "schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := tt.edit(data)
			require.NotEqual(t, data, edited)
			_, err := DecodeBaseline("b.json", edited)
			require.Error(t, err)
			var ie InputError
			assert.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.tampered, strings.Contains(err.Error(), ErrBaselineTampered.Error()), err.Error())
			assert.Contains(t, err.Error(), tt.msg)
			assert.Contains(t, err.Error(), "b.json")
		})
	}
	_, err = DecodeBaseline("b.json", data)
	require.NoError(t, err, "the untouched file verifies")
}

// TestBaselineKeepsNoSecret: a stored password is recorded as set, never
// as its value, in any encoding.
func TestBaselineKeepsNoSecret(t *testing.T) {
	const secret = "Zq7-Autologon-Secret"
	dir := filepath.Join(t.TempDir(), vendorICU)
	copySnapshot(t, sample(vendorICU), dir)
	reg := filepath.Join(dir, "reg", "winlogon.reg")
	data, err := os.ReadFile(reg)
	require.NoError(t, err)
	require.Contains(t, string(data), "<redacted by medharden collector>")
	require.NoError(t, os.WriteFile(reg, bytes.Replace(data, []byte("<redacted by medharden collector>"), []byte(secret), 1), 0o600))

	b := saveBaseline(t, dir)
	out, err := b.Encode()
	require.NoError(t, err)
	// A setting a baseline file does not mark secret (drift reads the
	// baseline's addresses) is still hidden when named like a password.
	tg, err := Open(context.Background(), dir)
	require.NoError(t, err)
	st := readSetting(context.Background(), tg.Host, &plannedSetting{addr: checks.Address{Kind: checks.KindRegistry,
		Key: `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon`, Name: "DefaultPassword"}})
	assert.True(t, st.Secret)
	assert.True(t, st.Exists)
	assert.Nil(t, st.Value)
	assert.NotContains(t, st.Shown, secret)
	utf16 := checks.UTF16LE(secret)
	for _, form := range []string{secret, base64.StdEncoding.EncodeToString(utf16), base64.StdEncoding.EncodeToString([]byte(secret)), secret[:8]} {
		assert.NotContains(t, string(out), form)
	}
	found := false
	for _, s := range b.Settings {
		if s.Address.Name == "DefaultPassword" {
			found = true
			assert.True(t, s.Secret)
			assert.True(t, s.Exists)
			assert.Nil(t, s.Value)
		}
	}
	assert.True(t, found)
}

func copySnapshot(t testing.TB, src, dst string) {
	t.Helper()
	require.NoError(t, filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	}))
}

// BenchmarkDrift: drift of one device (verify the baseline's bytes, open
// the snapshot, read every setting of the baseline, compare).
func BenchmarkDrift(b *testing.B) {
	data, err := saveBaseline(b, sample(vendorICU)).Encode()
	require.NoError(b, err)
	s := New(Config{})
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		base, err := DecodeBaseline("b.json", data)
		if err != nil {
			b.Fatal(err)
		}
		r, err := s.Drift(ctx, base, sample(hardenedICU))
		if err != nil || len(r.Drift) == 0 {
			b.Fatal(err, len(r.Drift))
		}
	}
}

func FuzzDecodeBaseline(f *testing.F) {
	small := Baseline{Schema: BaselineSchema, Settings: []Setting{{
		Address: checks.Address{Kind: checks.KindSecPol, Key: "System Access", Name: "MinimumPasswordLength"},
		Exists:  true, Value: &checks.Value{Text: "14"}, Shown: "14", Checks: []string{"1.1.4"},
	}}}
	data, err := small.Encode()
	require.NoError(f, err)
	f.Add(data)
	f.Add([]byte(`{"schema":"medharden-baseline/1","sha256":"00"}`))
	f.Add([]byte(`{`))
	f.Fuzz(func(t *testing.T, in []byte) {
		b, err := DecodeBaseline("f.json", in)
		if err != nil {
			return
		}
		// What verifies encodes to a file that verifies again.
		out, err := b.Encode()
		require.NoError(t, err)
		_, err = DecodeBaseline("f.json", out)
		require.NoError(t, err)
	})
}

// BenchmarkDecodeBaseline: reading and verifying the sample's baseline,
// part of BenchmarkDrift.
func BenchmarkDecodeBaseline(b *testing.B) {
	data, err := saveBaseline(b, sample(vendorICU)).Encode()
	require.NoError(b, err)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := DecodeBaseline("b.json", data); err != nil {
			b.Fatal(err)
		}
	}
}

// A person whose SID cannot be found (the auto-logon account of a renamed
// computer) is listed as not recorded, with the reason, never under an
// address without a SID.
func TestBaselinePersonWithoutSIDIsNotRecorded(t *testing.T) {
	dir := filepath.Join(t.TempDir(), vendorICU)
	require.NoError(t, filepath.WalkDir(sample(vendorICU), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(sample(vendorICU), p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasPrefix(rel, "wmic") {
			// The computer is renamed; Winlogon still names the old one.
			b = bytes.ReplaceAll(b, checks.UTF16LE("ICU-CS01"), checks.UTF16LE("BED-01"))
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	}))
	b := saveBaseline(t, dir)
	for _, s := range b.Settings {
		assert.NotContains(t, s.Address.Key, `HKU\\`, "an address without a SID: %s", s.Address)
	}
	said := 0
	for _, u := range b.NotRecorded {
		if strings.Contains(u.Reason, "settings of ICU-CS01\\operator: the SID of") {
			said++
		}
	}
	assert.NotZero(t, said, "the person without a SID is listed as not recorded, with the reason: %v", b.NotRecorded)
}
