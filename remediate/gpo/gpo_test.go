package gpo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/snapshot"
	"medharden/checks/winfmt"
	"medharden/remediate"
)

var corpus = filepath.Join("..", "..", "..", "shared", "corpus", "gpo")

const (
	vendorSample   = "ICU-CS01-20261118-093000"
	hardenedSample = "ICU-CS01-20261118-151500"
	generated      = "GPO-ICU-CS01-vendor-baseline"
)

func sample(name string) string { return filepath.Join("..", "..", "testdata", "snapshots", name) }

func corpusPath(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(corpus, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("corpus not present: %v", err)
	}
	return p
}

func find(t *testing.T, b *Baseline, kind checks.Kind, key, name string) Setting {
	t.Helper()
	want := remediate.SettingID(checks.Address{Kind: kind, Key: key, Name: name})
	for _, s := range b.Settings {
		if remediate.SettingID(s.Address) == want {
			return s
		}
	}
	t.Fatalf("%s has no setting %s %s %s", b.Name, kind, key, name)
	return Setting{}
}

func kinds(b *Baseline) map[checks.Kind]int {
	out := map[checks.Kind]int{}
	for _, s := range b.Settings {
		out[s.Address.Kind]++
	}
	return out
}

func dwordOf(t *testing.T, s Setting) uint64 {
	t.Helper()
	n, ok := s.Value.Reg().Uint64()
	require.True(t, ok, "%s is not a number", s.Address)
	return n
}

// The real baselines: Microsoft's SCM GPO for Windows Server 2008 R2 member
// servers and the DISA STIG with its LGPO text dump.
func TestCorpusBaselinesImport(t *testing.T) {
	tests := []struct {
		name  string
		path  string
		total int
		kinds map[checks.Kind]int
		files int
		check func(t *testing.T, b *Baseline)
	}{
		{
			name: "SCM folder", path: "scm-server2008r2-member", total: 170, files: 4,
			kinds: map[checks.Kind]int{checks.KindRegistry: 91, checks.KindRight: 24, checks.KindSecPol: 2, checks.KindAudit: 53},
			check: func(t *testing.T, b *Baseline) {
				assert.Equal(t, uint64(255), dwordOf(t, find(t, b, checks.KindRegistry, `HKLM\Software\Microsoft\Windows\CurrentVersion\Policies\Explorer`, "NoDriveTypeAutoRun")))
				assert.Equal(t, uint64(196608), dwordOf(t, find(t, b, checks.KindRegistry, `HKLM\Software\Policies\Microsoft\Windows\EventLog\Security`, "MaxSize")))
				lm := find(t, b, checks.KindRegistry, `HKLM\System\CurrentControlSet\Control\Lsa`, "LmCompatibilityLevel")
				assert.Equal(t, uint64(5), dwordOf(t, lm))
				assert.Contains(t, lm.Source, "GptTmpl.inf:")
				assert.Equal(t, []string{"S-1-5-32-546"}, find(t, b, checks.KindRight, "", "SeDenyNetworkLogonRight").Value.SIDs)
				assert.Empty(t, find(t, b, checks.KindRight, "", "SeTcbPrivilege").Value.SIDs)
				ssc := find(t, b, checks.KindAudit, "", "{0cce9210-69ae-11d9-bed3-505054503030}")
				assert.Equal(t, checks.AuditFlags{Success: true, Failure: true}, *ssc.Value.Audit)
				assert.Equal(t, "Security State Change", ssc.Address.Label)
				assert.Equal(t, "0", find(t, b, checks.KindSecPol, "System Access", "EnableGuestAccount").Value.Text)
				assert.Empty(t, b.Skipped, "the user registry.pol is empty")
			},
		},
		{
			name: "STIG folder", path: "stig-server2008r2-member", total: 205, files: 3,
			kinds: map[checks.Kind]int{checks.KindRegistry: 137, checks.KindRight: 6, checks.KindSecPol: 9, checks.KindAudit: 53},
			check: func(t *testing.T, b *Baseline) {
				assert.Equal(t, "3", find(t, b, checks.KindSecPol, "System Access", "LockoutBadCount").Value.Text)
				assert.Equal(t, `"xGuest"`, find(t, b, checks.KindSecPol, "System Access", "NewGuestName").Value.Text)
				assert.Equal(t, []string{"S-1-5-20", "S-1-5-19", "S-1-5-11", "S-1-5-32-544"}, find(t, b, checks.KindRight, "", "SeChangeNotifyPrivilege").Value.SIDs)
				legal := find(t, b, checks.KindRegistry, `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System`, "LegalNoticeText")
				assert.True(t, strings.HasPrefix(legal.Value.Reg().String(), "You are accessing a U.S. Government"))
				assert.Contains(t, legal.Source, "stig.txt:")
				require.Len(t, b.Skipped, 1)
				assert.Contains(t, b.Skipped[0], "1 user settings")
			},
		},
		{
			name: "SCM registry.pol alone", path: "scm-server2008r2-member/machine_registry.pol", total: 29, files: 1, // 30 records, one set twice to the same value
			kinds: map[checks.Kind]int{checks.KindRegistry: 29},
			check: func(t *testing.T, b *Baseline) {
				assert.Contains(t, find(t, b, checks.KindRegistry, `HKLM\Software\Microsoft\Windows\CurrentVersion\Policies\Explorer`, "NoDriveTypeAutoRun").Source, "machine_registry.pol@")
			},
		},
		{
			name: "STIG LGPO text file", path: "stig-server2008r2-member/stig.txt", total: 137, files: 1,
			kinds: map[checks.Kind]int{checks.KindRegistry: 137},
			check: func(t *testing.T, b *Baseline) {
				assert.Equal(t, uint64(0), dwordOf(t, find(t, b, checks.KindRegistry, `HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services`, "fAllowToGetHelp")))
			},
		},
	}
	for _, tt := range tests {
		tt := tt
		t.Run(tt.name, func(t *testing.T) {
			b, err := Load(corpusPath(t, tt.path))
			require.NoError(t, err)
			assert.Len(t, b.Settings, tt.total)
			assert.Equal(t, tt.kinds, kinds(b))
			assert.Len(t, b.Files, tt.files)
			tt.check(t, b)
		})
	}
}

// The hardened sample judged against each real baseline: one result per
// setting the baseline sets, each an ordinary check of the engine.
func TestHardenedSampleAgainstCorpusBaselines(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	caps := Capabilities(cat)
	tests := []struct {
		path              string
		results           int
		pass, fail, error int
		known             int // settings the catalog has a check for
	}{
		{"scm-server2008r2-member", 170, 126, 44, 0, 131},
		{"stig-server2008r2-member", 205, 90, 114, 1, 121},
	}
	for _, tt := range tests {
		tt := tt
		t.Run(tt.path, func(t *testing.T) {
			b, err := Load(corpusPath(t, tt.path))
			require.NoError(t, err)
			h, err := snapshot.Open(sample(hardenedSample))
			require.NoError(t, err)
			rep, err := Audit(context.Background(), h, b, cat, checks.Options{Tool: "medharden"})
			require.NoError(t, err)
			require.Len(t, rep.Results, tt.results)
			assert.Equal(t, len(b.Settings), len(rep.Results))
			assert.Equal(t, tt.pass, rep.Summary.Pass)
			assert.Equal(t, tt.fail, rep.Summary.Fail)
			assert.Equal(t, tt.error, rep.Summary.Error)
			known := 0
			for i, r := range rep.Results {
				s := b.Settings[i]
				assert.Equal(t, IDPrefix+itoa(i+1), r.ID)
				assert.Contains(t, r.Title, s.Address.String())
				want := caps[remediate.SettingID(s.Address)]
				if len(want) > 0 {
					known++
					assert.Equal(t, want, r.Capabilities, r.ID)
				} else {
					assert.Equal(t, []string{DefaultCapability}, r.Capabilities, r.ID)
				}
			}
			assert.Equal(t, tt.known, known)
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// The GPO backup testdata/gen writes: read through Backup.xml's folder,
// the user registry.pol and the **del. instruction listed, not judged.
func TestGeneratedGPOBackup(t *testing.T) {
	b, err := Load(sample(generated))
	require.NoError(t, err)
	assert.Equal(t, "ICU-CS01 vendor baseline 2.4", b.Name)
	assert.Len(t, b.Settings, 17)
	assert.Equal(t, map[checks.Kind]int{checks.KindRegistry: 8, checks.KindSecPol: 3, checks.KindRight: 2, checks.KindAudit: 3, checks.KindService: 1}, kinds(b))
	paths := find(t, b, checks.KindRegistry, `HKLM\System\CurrentControlSet\Control\SecurePipeServers\Winreg\AllowedExactPaths`, "Machine")
	assert.Len(t, paths.Value.Reg().Strings(), 3)
	assert.Equal(t, "5", find(t, b, checks.KindRegistry, `HKLM\Software\Microsoft\Windows NT\CurrentVersion\Winlogon`, "ScreenSaverGracePeriod").Value.Reg().String())
	assert.Equal(t, checks.StartDisabled, *find(t, b, checks.KindService, "", "Browser").Value.Start)
	require.Len(t, b.Skipped, 2)
	assert.Contains(t, b.Skipped[0], "**del.NoAutoUpdate")
	assert.Contains(t, b.Skipped[1], "1 user settings")

	cat, err := checks.Builtin()
	require.NoError(t, err)
	for _, tt := range []struct {
		snap       string
		pass, fail int
	}{{hardenedSample, 17, 0}, {vendorSample, 6, 11}} {
		h, err := snapshot.Open(sample(tt.snap))
		require.NoError(t, err)
		rep, err := Audit(context.Background(), h, b, cat, checks.Options{})
		require.NoError(t, err)
		assert.Equal(t, tt.pass, rep.Summary.Pass, tt.snap)
		assert.Equal(t, tt.fail, rep.Summary.Fail, tt.snap)
	}
}

// plan plans the failed checks of a sample's Level 1 audit.
func plan(t *testing.T, snap string) *remediate.Plan {
	t.Helper()
	ctx := context.Background()
	cat, err := checks.Builtin()
	require.NoError(t, err)
	h, err := snapshot.Open(sample(snap))
	require.NoError(t, err)
	p, ok := checks.FindProfile("cis-win7-l1")
	require.True(t, ok)
	rep, err := checks.Audit(ctx, h, cat, p, checks.Options{Tool: "medharden"})
	require.NoError(t, err)
	sel, err := remediate.ParseSelection("failed")
	require.NoError(t, err)
	pl, err := remediate.NewPlan(ctx, h, cat, rep, sel, nil)
	require.NoError(t, err)
	return pl
}

// Export, then import: the same settings, on both ICU-CS01 samples.
func TestExportImportRoundTrip(t *testing.T) {
	tests := []struct {
		snap                                string
		changes, carried, services, peruser int
	}{
		{vendorSample, 180, 146, 11, 23},
		{hardenedSample, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		tt := tt
		t.Run(tt.snap, func(t *testing.T) {
			p := plan(t, tt.snap)
			require.Len(t, p.Changes(), tt.changes)
			out := filepath.Join(t.TempDir(), "gpo")
			ex, err := Write(p, out, ExportOptions{Tool: "medharden", Version: "test"})
			require.NoError(t, err)
			assert.Len(t, ex.Carried, tt.carried)
			assert.Equal(t, tt.changes, len(ex.Carried)+len(ex.NotCarried))
			readme, err := os.ReadFile(filepath.Join(out, "README.txt"))
			require.NoError(t, err)
			assert.Contains(t, string(readme), "Not carried by Group Policy")
			assert.Contains(t, string(readme), "Refused by medharden's safety guards")
			if tt.carried == 0 {
				_, err := Load(out)
				assert.Error(t, err, "a GPO without settings is no baseline")
				return
			}
			b, err := Load(out)
			require.NoError(t, err)
			assert.Equal(t, "medharden ICU-CS01", b.Name)
			assert.Len(t, b.Settings, tt.carried)
			require.NoError(t, SameSettings(b.Settings, Planned(ex.Carried)))
			services, peruser := 0, 0
			for _, s := range ex.NotCarried {
				switch {
				case strings.Contains(s, "a service's start type"):
					services++
				case strings.Contains(s, "a per-user setting"):
					peruser++
				}
			}
			assert.Equal(t, tt.services, services)
			assert.Equal(t, tt.peruser, peruser)
			// The same plan gives the same GPO, byte for byte.
			again, err := Build(p, ExportOptions{Tool: "medharden", Version: "test"})
			require.NoError(t, err)
			assert.Equal(t, ex.Files, again.Files)
		})
	}
}

func TestExportRefuses(t *testing.T) {
	p := plan(t, vendorSample)
	t.Run("non-empty folder", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "x"), []byte("x"), 0o600))
		_, err := Write(p, dir, ExportOptions{})
		assert.ErrorIs(t, err, remediate.ErrPackExists)
		entries, _ := os.ReadDir(dir)
		assert.Len(t, entries, 1, "nothing written")
	})
	unsafe := []struct {
		name string
		a    checks.Address
		v    checks.Value
	}{
		{"instruction name", checks.Address{Kind: checks.KindRegistry, Key: `HKLM\Software\X`, Name: "**del.Y"}, checks.RegSetting(checks.DWORDValue(1))},
		{"line break in key", checks.Address{Kind: checks.KindRegistry, Key: "HKLM\\Software\\X\nY", Name: "Z"}, checks.RegSetting(checks.DWORDValue(1))},
		{"quote in policy value", checks.Address{Kind: checks.KindSecPol, Key: "System Access", Name: "NewGuestName"}, checks.Value{Text: `"a"b"`}},
		{"comma in right holder", checks.Address{Kind: checks.KindRight, Name: "SeTcbPrivilege"}, checks.Value{SIDs: []string{"a,b"}}},
		{"audit without GUID", checks.Address{Kind: checks.KindAudit, Name: "Logon", Label: "Logon"}, checks.Value{Audit: &checks.AuditFlags{Success: true}}},
	}
	for _, u := range unsafe {
		u := u
		t.Run(u.name, func(t *testing.T) {
			v := u.v
			bad := &remediate.Plan{Host: p.Host, Steps: []remediate.Step{{CheckID: "X", Setting: u.a, Target: &v}}}
			dir := filepath.Join(t.TempDir(), "out")
			_, err := Write(bad, dir, ExportOptions{})
			require.Error(t, err)
			assert.ErrorIs(t, err, remediate.ErrUnsafeText)
			_, statErr := os.Stat(dir)
			assert.True(t, errors.Is(statErr, os.ErrNotExist), "nothing written")
		})
	}
}

// A malformed baseline is an error naming the file and the line or offset.
func TestMalformedBaselines(t *testing.T) {
	write := func(t *testing.T, files map[string][]byte) string {
		dir := t.TempDir()
		for name, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, data, 0o600))
		}
		return dir
	}
	inf := func(lines ...string) []byte {
		return winfmt.UTF16File(strings.Join(append([]string{"[Unicode]", "Unicode=yes"}, lines...), "\r\n") + "\r\n")
	}
	gen, err := os.ReadFile(filepath.Join(sample(generated), "{6B0F3C2A-1D4E-4F5A-9B7C-8D2E1F0A3B4C}", "Backup.xml"))
	require.NoError(t, err)
	tests := []struct {
		name  string
		files map[string][]byte
		want  string // in the message, after the file name
		file  string
	}{
		{"bad registry value", map[string][]byte{"GptTmpl.inf": inf("[Registry Values]", `MACHINE\Software\X\Y=4,abc`)}, "GptTmpl.inf:4: registry value of type 4", "GptTmpl.inf"},
		{"registry value without root", map[string][]byte{"GptTmpl.inf": inf("[Registry Values]", `Software\X\Y=4,1`)}, "GptTmpl.inf:4:", "GptTmpl.inf"},
		{"bad service line", map[string][]byte{"GptTmpl.inf": inf("[Service General Setting]", `"Browser",9,""`)}, "GptTmpl.inf:4:", "GptTmpl.inf"},
		{"conflicting values", map[string][]byte{"GptTmpl.inf": inf("[System Access]", "MinimumPasswordLength = 14"), "registry.pol": []byte("PReg\x01\x00\x00\x00"),
			"audit.csv": []byte("Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\r\n,System,Logon,{0CCE9215-69AE-11D9-BED3-505054503030},Success,,1\r\n,System,Logon,{0cce9215-69ae-11d9-bed3-505054503030},Failure,,2\r\n")},
			"audit.csv:3: sets audit policy Logon", "audit.csv"},
		{"bad audit value", map[string][]byte{"audit.csv": []byte("Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value\r\n,System,Logon,{0CCE9215-69AE-11D9-BED3-505054503030},Success,,7\r\n")}, "audit.csv:2: Setting Value", "audit.csv"},
		{"bad registry.pol", map[string][]byte{"registry.pol": []byte("PReg\x02\x00\x00\x00")}, "registry.pol", "registry.pol"},
		{"truncated registry.pol", map[string][]byte{"registry.pol": []byte("PReg\x01\x00\x00\x00[\x00")}, "offset 8", "registry.pol"},
		{"bad LGPO text", map[string][]byte{"baseline.txt": []byte("Computer\r\nSoftware\\X\r\nY\r\nDWORD:notanumber\r\n")}, "baseline.txt:4:", "baseline.txt"},
		{"Backup.xml not XML", map[string][]byte{"{B}/Backup.xml": []byte("<GroupPolicyBackupScheme><unclosed>")}, "Backup.xml", "Backup.xml"},
		{"Backup.xml without GUID", map[string][]byte{"{B}/Backup.xml": []byte("<GroupPolicyBackupScheme><GroupPolicyObject><GroupPolicyCoreSettings><ID>x</ID></GroupPolicyCoreSettings></GroupPolicyObject></GroupPolicyBackupScheme>")}, `GPO ID "x" is not a {GUID}`, "Backup.xml"},
		{"bkupInfo.xml of another GPO", map[string][]byte{"{B}/Backup.xml": gen, "{B}/bkupInfo.xml": []byte("<BackupInst><GPOGuid>{00000000-0000-0000-0000-000000000001}</GPOGuid><ID>{00000000-0000-0000-0000-000000000002}</ID></BackupInst>")}, "but Backup.xml names", "bkupInfo.xml"},
		{"backup without settings", map[string][]byte{"{B}/Backup.xml": gen}, "holds no computer settings", "{B}"},
		{"two backups", map[string][]byte{"{A}/Backup.xml": gen, "{B}/Backup.xml": gen}, "holds 2 GPO backups", ""},
		{"nothing set", map[string][]byte{"GptTmpl.inf": inf("[Version]", `signature="$CHICAGO$"`)}, "sets no computer setting", ""},
	}
	for _, tt := range tests {
		tt := tt
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(write(t, tt.files))
			require.Error(t, err)
			var pe *winfmt.ParseError
			require.True(t, errors.As(err, &pe), "%v is not a ParseError", err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, pe.File, tt.file)
		})
	}
	t.Run("empty folder", func(t *testing.T) {
		_, err := Load(t.TempDir())
		assert.ErrorIs(t, err, ErrNotBaseline)
	})
}

// A stored password is listed, never judged or shown.
func TestPasswordValueNotJudged(t *testing.T) {
	dir := t.TempDir()
	lgpo := "Computer\r\nSoftware\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon\r\nDefaultPassword\r\nSZ:s3cret\r\n\r\nComputer\r\nSoftware\\Policies\\X\r\nY\r\nDWORD:1\r\n"
	p := filepath.Join(dir, "b.txt")
	require.NoError(t, os.WriteFile(p, []byte(lgpo), 0o600))
	b, err := Load(p)
	require.NoError(t, err)
	assert.Len(t, b.Settings, 1)
	require.Len(t, b.Skipped, 1)
	assert.Contains(t, b.Skipped[0], "holds a password")
	assert.NotContains(t, strings.Join(b.Skipped, " "), "s3cret")
}

func TestTailoringFromCorpus(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	tests := []struct {
		path, profile string
		overrides     int
		want          map[string]string // check id -> value written
	}{
		{"scm-server2008r2-member", "", 40, nil},
		{"stig-server2008r2-member", "", 25, map[string]string{"1.2.2": `"3"`, "2.2.18": "[]", "17.9.3": `["success", "failure"]`}},
		{"stig-server2008r2-member", "cis-win7-l1", 20, map[string]string{"1.2.2": `"3"`}},
		{generated, "", 2, map[string]string{"18.4.10": `"5"`}},
	}
	for _, tt := range tests {
		tt := tt
		t.Run(tt.path+" "+tt.profile, func(t *testing.T) {
			path := sample(tt.path)
			if tt.path != generated {
				path = corpusPath(t, tt.path)
			}
			b, err := Load(path)
			require.NoError(t, err)
			tl, err := Tailor(b, cat, tt.profile)
			require.NoError(t, err)
			assert.Len(t, tl.Overrides, tt.overrides)
			data := tl.YAML()
			parsed, err := remediate.ParseTailoring("t.yaml", data)
			require.NoError(t, err, string(data))
			assert.Len(t, parsed.Overrides, tt.overrides)
			assert.Equal(t, tt.profile, parsed.Profile)
			_, err = parsed.Tailor(cat)
			require.NoError(t, err)
			for id, v := range tt.want {
				assert.Contains(t, string(data), "  \""+id+"\": "+v+"  #", id)
			}
			if len(tl.Uncovered) > 0 {
				assert.Contains(t, string(data), "# Settings of the baseline the benchmark has no check for")
			}
		})
	}
}
