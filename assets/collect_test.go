package assets

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/snapshot"
)

func TestCollectSamples(t *testing.T) {
	tests := []struct {
		name                               string
		host, workgroup, maker, model      string
		serial, bios                       string
		macs, ips                          []string
		osName, edition, version, sp, arch string
		installed, collected               string
		hotfixes, software, accounts       int
		someSoftware                       Software
		autoService, notService            string
	}{
		{
			name: win7Vendor, host: "ICU-CS01", workgroup: "WORKGROUP", maker: "Dell Inc.", model: "OptiPlex 7010",
			serial: "7XQ2B52", bios: "A29",
			macs: []string{"00:1B:21:C4:7E:02", "F8:B1:56:A3:4C:19"}, ips: []string{"192.0.2.10", "198.51.100.37"},
			osName: "Microsoft Windows 7 Professional", edition: "Professional", version: "6.1.7601", sp: "Service Pack 1", arch: "64-bit",
			installed: "2015-03-12T10:15:00+01:00", collected: "2026-11-18T09:30:00+01:00",
			hotfixes: 25, software: 8, accounts: 5,
			someSoftware: Software{Name: "ACME HL7 Gateway 2.7", Version: "2.7.0.112", Publisher: "ACME Medical Systems",
				InstallDate: "2015-03-12", View: "32-bit", Key: "{7B0E5D2C-1F3A-4E8B-A6C9-2D4F6B8A0C13}"},
			autoService: "HL7Gateway", notService: "RemoteRegistry",
		},
		{
			name: win7Hardened, host: "ICU-CS01", workgroup: "WORKGROUP", maker: "Dell Inc.", model: "OptiPlex 7010",
			serial: "7XQ2B52", bios: "A29",
			macs: []string{"00:1B:21:C4:7E:02", "F8:B1:56:A3:4C:19"}, ips: []string{"192.0.2.10", "198.51.100.37"},
			osName: "Microsoft Windows 7 Professional", edition: "Professional", version: "6.1.7601", sp: "Service Pack 1", arch: "64-bit",
			installed: "2015-03-12T10:15:00+01:00", collected: "2026-11-18T15:15:00+01:00",
			hotfixes: 29, software: 10, accounts: 6,
			someSoftware: Software{Name: "Microsoft SQL Server 2008 R2 (64-bit)", Version: "10.50.6000.34",
				Publisher: "Microsoft Corporation", InstallDate: "2015-03-12", View: "64-bit", Key: "Microsoft SQL Server SQLServer2008R2"},
			autoService: "EMET_Service", notService: "RemoteRegistry",
		},
		{
			name: xpVendor, host: "PUMPSRV-XP", workgroup: "WORKGROUP", maker: "Dell Inc.", model: "OptiPlex 755",
			serial: "4J8QRG1", bios: "A11",
			macs: []string{"00:1E:4F:A2:93:7C"}, ips: []string{"192.0.2.40"},
			osName: "Microsoft Windows XP Professional", edition: "Professional", version: "5.1.2600", sp: "Service Pack 3", arch: "32-bit",
			installed: "2008-10-14T11:30:00+01:00", collected: "2026-11-19T08:45:00+01:00",
			hotfixes: 18, software: 4, accounts: 5,
			someSoftware: Software{Name: "ACME Infusion Gateway 2.1", Version: "2.1.0.77", Publisher: "ACME Medical Systems",
				InstallDate: "2008-10-14", View: "32-bit", Key: "{5B4E7A3C-2D1F-4A6E-8B9C-0D3E5F7A9B21}"},
			autoService: "lanmanserver", notService: "Alerter",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := collectSample(t, tc.name)
			assert.Equal(t, Schema, rec.Schema)
			assert.Empty(t, rec.Gaps)
			assert.Equal(t, tc.collected, rec.CollectedAt)
			id := rec.Identity
			assert.Equal(t, tc.host, id.Hostname)
			assert.Equal(t, tc.workgroup, id.Workgroup)
			assert.Empty(t, id.Domain)
			assert.False(t, id.PartOfDomain)
			assert.Equal(t, tc.maker, id.Manufacturer)
			assert.Equal(t, tc.model, id.Model)
			assert.Equal(t, tc.serial, id.SerialNumber)
			assert.Equal(t, tc.bios, id.BIOSVersion)
			assert.Equal(t, tc.macs, identityMACs(rec))
			assert.Equal(t, tc.ips, ipAddresses(rec))

			o := rec.OS
			assert.Equal(t, tc.osName, o.Name)
			assert.Equal(t, tc.edition, o.Edition)
			assert.Equal(t, tc.version, o.Version)
			assert.Equal(t, tc.version[strings.LastIndexByte(tc.version, '.')+1:], o.Build)
			assert.Equal(t, tc.sp, o.ServicePack)
			assert.Equal(t, tc.arch, o.Architecture)
			assert.Equal(t, tc.installed, o.InstallDate)
			_, err := time.Parse(time.RFC3339, o.LastBoot)
			assert.NoError(t, err, "last boot %q", o.LastBoot)

			assert.Len(t, rec.Hotfixes, tc.hotfixes)
			for _, h := range rec.Hotfixes {
				assert.True(t, strings.HasPrefix(h.ID, "KB") || strings.HasPrefix(h.ID, "Q"), h.ID)
				if h.InstalledOn != "" {
					_, err := time.Parse("2006-01-02", h.InstalledOn)
					assert.NoError(t, err)
				}
			}
			assert.Len(t, rec.Software, tc.software)
			assert.Contains(t, rec.Software, tc.someSoftware)
			for _, s := range rec.Software {
				assert.NotContains(t, s.Name, "Security Update for Windows XP", "updates belong to the hotfix list")
			}
			assert.Len(t, rec.Accounts, tc.accounts)
			services := map[string]Service{}
			for _, s := range rec.Services {
				services[s.Name] = s
				assert.True(t, s.StartMode == "automatic" || s.State == "Running", "%+v", s)
			}
			assert.Contains(t, services, tc.autoService)
			assert.NotContains(t, services, tc.notService)
		})
	}
}

func TestCollectAccountsHoldNoSecrets(t *testing.T) {
	rec := collectSample(t, win7Vendor)
	byRID := map[string]Account{}
	for _, a := range rec.Accounts {
		byRID[a.SID[strings.LastIndexByte(a.SID, '-')+1:]] = a
	}
	assert.Equal(t, Account{Name: "Administrator", SID: byRID["500"].SID, Disabled: false, PasswordRequired: true}, byRID["500"])
	assert.True(t, byRID["501"].Disabled)
	assert.False(t, byRID["1001"].PasswordRequired, "svcvendor needs no password")
}

func TestCollectExposuresOnSamples(t *testing.T) {
	tests := []struct {
		name string
		want map[string]ExposureStatus
	}{
		{win7Vendor, map[string]ExposureStatus{ExpMS17010: Exposed, ExpBlueKeep: Exposed, ExpMS08067: NotExposed, ExpSMB1: Exposed, ExpEOS: Exposed}},
		{win7Hardened, map[string]ExposureStatus{ExpMS17010: NotExposed, ExpBlueKeep: NotExposed, ExpMS08067: NotExposed, ExpSMB1: NotExposed, ExpEOS: Exposed}},
		{xpVendor, map[string]ExposureStatus{ExpMS17010: Exposed, ExpBlueKeep: NotExposed, ExpMS08067: Exposed, ExpSMB1: Exposed, ExpEOS: Exposed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := collectSample(t, tc.name)
			require.Len(t, rec.Exposures, 5)
			for id, want := range tc.want {
				e := exposureByID(t, rec, id)
				assert.Equal(t, want, e.Status, "%s: %s", id, e.Evidence)
				assert.NotEmpty(t, e.Evidence, id)
				assert.Equal(t, []string{"CSUP", "SAHD"}, e.Capabilities)
			}
		})
	}
	vendor := collectSample(t, win7Vendor)
	assert.Contains(t, exposureByID(t, vendor, ExpBlueKeep).Evidence, "fDenyTSConnections = 0")
	assert.Contains(t, exposureByID(t, vendor, ExpBlueKeep).Evidence, "KB4499175")
	assert.Contains(t, exposureByID(t, vendor, ExpMS17010).Evidence, "KB4012212")
	assert.Equal(t, "MH-PATCH-1", exposureByID(t, vendor, ExpMS17010).CheckID)
	hard := collectSample(t, win7Hardened)
	assert.Contains(t, exposureByID(t, hard, ExpMS17010).Evidence, "KB4012212 (2026-11-18)")
	assert.Contains(t, exposureByID(t, hard, ExpBlueKeep).Evidence, "KB4499175")
	xp := collectSample(t, xpVendor)
	assert.Contains(t, exposureByID(t, xp, ExpMS17010).Evidence, "KB4012598")
	assert.Contains(t, exposureByID(t, xp, ExpMS08067).Evidence, "KB958644")
	assert.Contains(t, exposureByID(t, xp, ExpEOS).Evidence, "2014-04-08")
}

// A snapshot missing files gives a record with gaps, never a failure.
func TestCollectMissingSourcesBecomeGaps(t *testing.T) {
	dir := copySample(t, win7Vendor)
	for _, f := range []string{"wmic/bios.csv", "wmic/qfe.csv", "wmic/nicconfig.csv", "wmic/service.csv",
		"wmic/useraccount.csv", "reg/uninstall.reg", "reg/terminal-server.reg", "reg/lanmanserver.reg"} {
		require.NoError(t, os.Remove(filepath.Join(dir, filepath.FromSlash(f))))
	}
	rec := collectDir(t, dir)
	parts := map[string]string{}
	for _, g := range rec.Gaps {
		parts[g.Part] = g.Reason
	}
	for _, p := range []string{"bios", "hotfixes", "network", "services", "accounts", "software"} {
		assert.Contains(t, parts, p)
	}
	assert.NotContains(t, parts, "software (32-bit view)", "the WOW64 export is still there")
	assert.Contains(t, parts["hotfixes"], "qfe.csv")
	assert.Equal(t, "OptiPlex 7010", rec.Identity.Model, "computersystem is still there")
	assert.Empty(t, rec.Identity.SerialNumber)
	assert.Empty(t, rec.Hotfixes)
	assert.NotEmpty(t, rec.Software, "the 32-bit view still lists programs")

	ms17 := exposureByID(t, rec, ExpMS17010)
	assert.Equal(t, Unknown, ms17.Status)
	assert.Contains(t, ms17.Reason, "qfe.csv")
	assert.Equal(t, Unknown, exposureByID(t, rec, ExpBlueKeep).Status)
	assert.Equal(t, Unknown, exposureByID(t, rec, ExpSMB1).Status)
	assert.Equal(t, Exposed, exposureByID(t, rec, ExpEOS).Status)

	var buf strings.Builder
	require.NoError(t, WriteCSV(&buf, []Device{DeviceOf(rec)}))
	row := csvRows(t, buf.String())[1]
	col := columnIndex(t, "hotfix_count")
	assert.Equal(t, "", row[col], "not collected is not zero")
}

func TestCollectWithoutWMIUsesCollectLog(t *testing.T) {
	dir := copySample(t, xpVendor)
	require.NoError(t, os.RemoveAll(filepath.Join(dir, "wmic")))
	rec := collectDir(t, dir)
	assert.Equal(t, "5.1.2600", rec.OS.Version)
	assert.Equal(t, "xp", rec.OS.Family)
	assert.Equal(t, "PUMPSRV-XP", rec.Identity.Hostname, "from the folder name")
	assert.Equal(t, "2026-11-19T08:45:00Z", rec.CollectedAt, "no WMI offset: UTC")
	assert.Equal(t, Exposed, exposureByID(t, rec, ExpSMB1).Status)
	assert.Equal(t, Unknown, exposureByID(t, rec, ExpMS08067).Status)
}

func TestCollectFailsOnlyWithoutOS(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "X-20261118-093000")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "wmic"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "secedit.inf"), []byte("[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordLength = 14\r\n[Privilege Rights]\r\n[Version]\r\nsignature=\"$CHICAGO$\"\r\n"), 0o644))
	h, err := snapshot.Open(dir)
	require.NoError(t, err)
	_, err = Collect(context.Background(), h)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no OS information")

	_, err = Collect(context.Background(), struct{ checks.Host }{})
	assert.True(t, errors.Is(err, ErrNoInventory))
}

func TestCollectFakeHost(t *testing.T) {
	f := win7Fake()
	f.wmi["computersystem"] = []map[string]string{{"Name": "CS-7", "Domain": "hosp.example", "PartOfDomain": "TRUE",
		"Manufacturer": "HP", "Model": "Z240", "SystemType": "x64-based PC"}}
	f.wmi["bios"] = []map[string]string{{"SerialNumber": "CZC1234", "SMBIOSBIOSVersion": "N51", "ReleaseDate": "20170101000000.000000+000"}}
	f.wmi["nicconfig"] = []map[string]string{
		{"Description": "Intel(R) Ethernet", "MACAddress": "00-1b-21-aa-bb-cc", "IPAddress": "{10.0.0.5;fe80::1}", "DHCPEnabled": "TRUE"},
		{"Description": "Microsoft ISATAP Adapter", "MACAddress": ""},
	}
	f.wmi["service"] = []map[string]string{
		{"Name": "Spooler", "StartMode": "Auto", "State": "Stopped"},
		{"Name": "TermService", "StartMode": "Manual", "State": "Running"},
		{"Name": "Fax", "StartMode": "Manual", "State": "Stopped"},
	}
	f.fixes = []checks.Hotfix{
		{ID: "kb976902", InstalledOn: "3/12/2015"},
		{ID: "KB4012212", InstalledOn: "01d29d72e8849000"},
		{ID: "KB4499175", InstalledOn: "20190514"},
		{ID: "KB4499175", InstalledOn: ""},
		{ID: "KB3000000", InstalledOn: "sometime"},
	}
	f.accts = []checks.Account{{Name: "Administrator", SID: "S-1-5-21-1-2-3-500", PasswordRequired: true, PasswordExpires: true}}
	f.subkeys = map[string][]string{
		strings.ToUpper(uninstallKey):      {"App", "Hidden", "NoName", "KB1"},
		strings.ToUpper(uninstallWOW64Key): {"App32"},
	}
	f.setString(uninstallKey+`\App`, "DisplayName", "Monitor Suite")
	f.setString(uninstallKey+`\App`, "InstallDate", "2015-3-12")
	f.setString(uninstallKey+`\Hidden`, "DisplayName", "Component")
	f.setDWORD(uninstallKey+`\Hidden`, "SystemComponent", 1)
	f.setString(uninstallKey+`\KB1`, "DisplayName", "Update")
	f.setString(uninstallKey+`\KB1`, "ParentKeyName", "OperatingSystem")
	f.setString(uninstallWOW64Key+`\App32`, "DisplayName", "Viewer")
	f.setString(uninstallWOW64Key+`\App32`, "InstallDate", "20160101")

	rec, err := Collect(context.Background(), f)
	require.NoError(t, err)
	assert.Equal(t, Identity{Hostname: "CS-7", Domain: "hosp.example", PartOfDomain: true, Manufacturer: "HP", Model: "Z240",
		SystemType: "x64-based PC", SerialNumber: "CZC1234", BIOSVersion: "N51", BIOSDate: "2017-01-01"}, rec.Identity)
	assert.Equal(t, "Enterprise", rec.OS.Edition)
	require.Len(t, rec.Network, 1)
	assert.Equal(t, Adapter{Description: "Intel(R) Ethernet", MAC: "00:1B:21:AA:BB:CC", IPAddresses: []string{"10.0.0.5", "fe80::1"}, DHCP: true}, rec.Network[0])
	assert.Equal(t, []Service{{"Spooler", "automatic", "Stopped"}, {"TermService", "manual", "Running"}}, rec.Services)
	assert.Equal(t, []Hotfix{
		{ID: "KB976902", InstalledOn: "2015-03-12", InstalledOnRaw: "3/12/2015"},
		{ID: "KB3000000", InstalledOnRaw: "sometime"},
		{ID: "KB4012212", InstalledOn: "2017-03-15", InstalledOnRaw: "01d29d72e8849000"},
		{ID: "KB4499175", InstalledOn: "2019-05-14", InstalledOnRaw: "20190514"},
	}, rec.Hotfixes)
	assert.Equal(t, []Software{
		{Name: "Monitor Suite", InstallDate: "2015-3-12", View: "64-bit", Key: "App"},
		{Name: "Viewer", InstallDate: "2016-01-01", View: "32-bit", Key: "App32"},
	}, rec.Software)
	assert.Equal(t, []Account{{Name: "Administrator", SID: "S-1-5-21-1-2-3-500", PasswordRequired: true}}, rec.Accounts)
	assert.Equal(t, NotExposed, exposureByID(t, rec, ExpMS17010).Status)
	assert.Equal(t, NotExposed, exposureByID(t, rec, ExpBlueKeep).Status)
	assert.Empty(t, rec.Gaps)
	assert.NotEmpty(t, rec.CollectedAt, "a live host is dated now")
}
