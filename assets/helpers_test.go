package assets

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/snapshot"
)

const (
	win7Vendor   = "ICU-CS01-20261118-093000"
	win7Hardened = "ICU-CS01-20261118-151500"
	xpVendor     = "PUMPSRV-XP-20261119-084500"
)

var allSamples = []string{win7Vendor, win7Hardened, xpVendor}

func samplePath(name string) string { return filepath.Join("..", "testdata", "snapshots", name) }

func collectDir(t testing.TB, dir string) Record {
	t.Helper()
	h, err := snapshot.Open(dir)
	require.NoError(t, err)
	rec, err := Collect(context.Background(), h)
	require.NoError(t, err)
	return rec
}

func collectSample(t testing.TB, name string) Record { return collectDir(t, samplePath(name)) }

// copySample copies a snapshot into a temporary folder that a test may cut down.
func copySample(t *testing.T, name string) string {
	t.Helper()
	src := samplePath(name)
	dst := filepath.Join(t.TempDir(), name)
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
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
	})
	require.NoError(t, err)
	return dst
}

// fakeHost is an in-memory host for cases the samples do not hold.
type fakeHost struct {
	info    checks.OSInfo
	osErr   error
	wmi     map[string][]map[string]string // a class that is missing is not collected
	reg     map[string]checks.RegValue     // `KEY\name`, upper case
	covered []string                       // keys whose export exists, upper case
	subkeys map[string][]string
	fixes   []checks.Hotfix
	fixErr  error
	accts   []checks.Account
	starts  map[string]checks.StartType
}

var _ checks.InventorySource = (*fakeHost)(nil)

func (f *fakeHost) OS(context.Context) (checks.OSInfo, error) { return f.info, f.osErr }

func (f *fakeHost) Identity() checks.Identity { return checks.Identity{Origin: checks.Live} }

func (f *fakeHost) RegValue(_ context.Context, key, name string) (checks.RegValue, error) {
	if v, ok := f.reg[strings.ToUpper(key+`\`+name)]; ok {
		return v, nil
	}
	for _, c := range f.covered {
		if strings.HasPrefix(strings.ToUpper(key), c) {
			return checks.RegValue{}, checks.ErrAbsent
		}
	}
	return checks.RegValue{}, checks.ErrNotCollected
}

func (f *fakeHost) SecPolicy(context.Context, string, string) (string, error) {
	return "", checks.ErrNotCollected
}
func (f *fakeHost) UserRight(context.Context, string) ([]string, error) {
	return nil, checks.ErrNotCollected
}
func (f *fakeHost) AuditPolicy(context.Context, string) (checks.AuditFlags, error) {
	return checks.AuditFlags{}, checks.ErrNotCollected
}
func (f *fakeHost) ServiceStart(_ context.Context, name string) (checks.StartType, error) {
	if st, ok := f.starts[strings.ToUpper(name)]; ok {
		return st, nil
	}
	return 0, checks.ErrAbsent
}
func (f *fakeHost) Accounts(context.Context) ([]checks.Account, error) {
	if f.accts == nil {
		return nil, checks.ErrNotCollected
	}
	return f.accts, nil
}
func (f *fakeHost) Hotfixes(context.Context) ([]checks.Hotfix, error) { return f.fixes, f.fixErr }
func (f *fakeHost) Volumes(context.Context) ([]checks.Volume, error) {
	return nil, checks.ErrNotSupported
}
func (f *fakeHost) WMI(_ context.Context, class string) ([]map[string]string, error) {
	rows, ok := f.wmi[class]
	if !ok {
		return nil, checks.ErrNotCollected
	}
	return rows, nil
}
func (f *fakeHost) RegSubkeys(_ context.Context, key string) ([]string, error) {
	s, ok := f.subkeys[strings.ToUpper(key)]
	if !ok {
		return nil, checks.ErrNotCollected
	}
	return s, nil
}

func (f *fakeHost) setDWORD(key, name string, v uint32) {
	if f.reg == nil {
		f.reg = map[string]checks.RegValue{}
	}
	f.reg[strings.ToUpper(key+`\`+name)] = checks.DWORDValue(v)
	f.covered = append(f.covered, strings.ToUpper(key))
}

func (f *fakeHost) setString(key, name, v string) {
	if f.reg == nil {
		f.reg = map[string]checks.RegValue{}
	}
	f.reg[strings.ToUpper(key+`\`+name)] = checks.StringValue(checks.RegSZ, v)
	f.covered = append(f.covered, strings.ToUpper(key))
}

// win7Fake is a bare Windows 7 x64 with RDP on and nothing patched.
func win7Fake() *fakeHost {
	f := &fakeHost{
		info: checks.OSInfo{Hostname: "FAKE7", Caption: "Microsoft Windows 7 Enterprise ", Version: "6.1.7601",
			ServicePack: "Service Pack 1", Architecture: "64-bit"},
		wmi: map[string][]map[string]string{
			"os": {{"BuildNumber": "7601", "InstallDate": "20150312101500.000000+060", "LastBootUpTime": "20261101080000.000000+060"}},
		},
		fixes: []checks.Hotfix{{ID: "KB976902", InstalledOn: "3/12/2015"}},
	}
	f.setDWORD(tsKey, "fDenyTSConnections", 0)
	f.covered = append(f.covered, strings.ToUpper(lanSrvKey))
	return f
}

func exposureByID(t testing.TB, rec Record, id string) Exposure {
	t.Helper()
	for _, e := range rec.Exposures {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no exposure %s in %v", id, rec.Exposures)
	return Exposure{}
}
