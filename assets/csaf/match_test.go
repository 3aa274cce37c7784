package csaf

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/assets"
)

func device(key, make, model string, sw ...assets.Software) Device {
	return Device{Key: key, Hostname: key, Make: make, Model: model, Owner: "Biomed team",
		Department: "ICU", Location: "B2-114", Criticality: "high", Software: sw}
}

// matchIndex keys the matches by device and CVE.
func matchIndex(ms []Match) map[string]Match {
	out := map[string]Match{}
	for _, m := range ms {
		out[m.Device.Key+" "+m.CVE] = m
	}
	return out
}

// TestMatchCorpus: devices matched against a real ICSMA advisory (Hillrom
// Welch Allyn Connex Spot Monitor, affected below 1.52).
func TestMatchCorpus(t *testing.T) {
	corpusFiles(t)
	a, err := ReadFile(filepath.Join(corpusDir, "icsma-21-152-01.json"))
	require.NoError(t, err)
	csm := func(v string) assets.Software {
		return assets.Software{Name: "Welch Allyn Connex Spot Monitor", Version: v, Publisher: "Hill-Rom"}
	}
	devices := []Device{
		device("old", "Hillrom", "Connex Spot Monitor", csm("1.40")),
		device("new", "Hill-Rom", "Connex Spot Monitor", csm("1.52")),
		device("noversion", "HILLROM", "Connex Spot Monitor"),
		device("other", "Philips", "IntelliVue MX450"),
		device("blank", "", ""),
	}
	ms := matchIndex(MatchAll(devices, []*Advisory{a}))

	old := ms["old CVE-2021-27410"]
	assert.Equal(t, "known_affected", old.Status)
	assert.Equal(t, "ICSMA-21-152-01", old.Advisory)
	assert.Equal(t, "CSAFPID-0001", old.ProductID)
	assert.Equal(t, "1.40", old.Version)
	assert.Contains(t, old.Reason, `version 1.40 is in "< 1.52"`)
	require.NotNil(t, old.Score)
	assert.InDelta(t, 5.9, *old.Score, 0.001)
	require.NotEmpty(t, old.Remediations)
	assert.Equal(t, "vendor_fix", old.Remediations[0].Category)
	assert.Equal(t, "Biomed team", old.Device.Owner)
	assert.Equal(t, "known_affected", ms["old CVE-2021-27408"].Status)

	assert.Equal(t, NotListed, ms["new CVE-2021-27410"].Status)
	assert.Contains(t, ms["new CVE-2021-27410"].Reason, "outside")
	assert.Equal(t, PossiblyAffected, ms["noversion CVE-2021-27410"].Status)
	assert.Contains(t, ms["noversion CVE-2021-27410"].Reason, "clinical make and model")
	for _, k := range []string{"other", "blank"} {
		_, found := ms[k+" CVE-2021-27410"]
		assert.False(t, found, k)
	}
	assert.Len(t, ms, 6)
}

func win(d Device, os, sp string, kbs ...string) Device {
	d.OS, d.ServicePack, d.Hotfixes = os, sp, kbs
	return d
}

// TestMatchOwn covers ranges, fixed, relationships and model numbers.
func TestMatchOwn(t *testing.T) {
	a, err := ReadFile(filepath.Join("testdata", "own.json"))
	require.NoError(t, err)
	gw := func(v string) assets.Software {
		return assets.Software{Name: "Infusion Gateway", Version: v, Publisher: "ACME Medical Inc."}
	}
	tests := []struct {
		dev     Device
		status  string // "" when the advisory does not concern the device
		product string
	}{
		{device("gw22", "", "", gw("2.2")), "known_affected", "GW-OLD"},
		{device("gw24", "", "", gw("2.4")), "fixed", "GW-FIX"},
		{device("gw19", "", "", gw("1.9")), NotListed, ""},
		{device("model", "ACME Medical", "IG-200"), PossiblyAffected, "GW-OLD"}, // by model number, version unknown
		{device("sku", "ACME", "IG-200-EU"), PossiblyAffected, "GW-OLD"},
		{win(device("pm", "ACME", "Pump Manager", assets.Software{Name: "Pump Manager", Version: "5.1"}), "Microsoft Windows 7 Professional", "Service Pack 1"), "known_affected", "PM-51-WIN7"},
		{device("pmnoos", "ACME", "Pump Manager", assets.Software{Name: "Pump Manager", Version: "5.1"}), PossiblyAffected, "PM-51-WIN7"},
		{win(device("pmxp", "ACME", "Pump Manager", assets.Software{Name: "Pump Manager", Version: "5.1"}), "Microsoft Windows XP Professional", "Service Pack 3"), "", ""}, // on XP: not the product
		{device("pm50", "ACME", "Pump Manager", assets.Software{Name: "Pump Manager", Version: "5.0"}), NotListed, ""},
		{device("gwmodel", "ACME Medical", "Infusion Gateway"), PossiblyAffected, "GW-OLD"},
		{device("else", "Other Corp", "Infusion Gateway", gw("2.2")), "known_affected", "GW-OLD"}, // by the program's publisher
		{device("none", "Other Corp", "Pump"), "", ""},
	}
	var devs []Device
	for _, tt := range tests {
		devs = append(devs, tt.dev)
	}
	ms := matchIndex(MatchAll(devs, []*Advisory{a}))
	for _, tt := range tests {
		m, found := ms[tt.dev.Key+" CVE-2026-0001"]
		if tt.status == "" {
			assert.False(t, found, tt.dev.Key)
			continue
		}
		require.True(t, found, tt.dev.Key)
		assert.Equal(t, tt.status, m.Status, tt.dev.Key+": "+m.Reason)
		if tt.product != "" {
			assert.Equal(t, tt.product, m.ProductID, tt.dev.Key)
		}
	}
	gw22 := ms["gw22 CVE-2026-0001"]
	require.NotNil(t, gw22.Score)
	assert.InDelta(t, 8.1, *gw22.Score, 0.001)
	assert.Equal(t, []Remediation{{Category: "vendor_fix", Details: "Update the gateway to 2.4."}}, gw22.Remediations)
	assert.True(t, Affected(gw22.Status))
	assert.False(t, Affected("fixed"))
}

func TestSameName(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"BD", "Becton, Dickinson and Company (BD)", true},
		{"becton dickinson", "Becton, Dickinson and Company (BD)", true},
		{"Hillrom", "Hillrom", true},
		{"GE", "General Electric (GE)", true},
		{"GE Healthcare", "General Electric (GE)", true},
		{"Philips Medical Systems", "Philips", true},
		{"Medical", "ACME Medical", false},
		{"Philips", "Hillrom", false},
		{"B450", "CARESCAPE B450", true},
		{"CARESCAPE B650", "B450", false},
		{"", "Hillrom", false},
		{"Hill-Rom", "Hillrom", true},
		{"WelchAllyn", "Welch-Allyn", true},
		{"Hillro", "Hill-Rom", false},
		{"Hill-Rom-X", "Hillrom", false},
		{"Inc.", "ACME Inc.", false}, // legal-form words alone name no one
	}
	for _, tt := range tests {
		assert.Equal(t, tt.same, sameName(tokens(tt.a), tokens(tt.b)), "%q vs %q", tt.a, tt.b)
	}
}

// TestMatchWindows: Windows components by the installed OS, service pack
// and KBs; a vendor's own listing of Windows; plain-language ranges on the
// clinical device version; cpe and purl names; every product status.
func TestMatchWindows(t *testing.T) {
	a, err := ReadFile(filepath.Join("testdata", "windows.json"))
	require.NoError(t, err)
	const w7, xp = "Microsoft Windows 7 Professional", "Microsoft Windows XP Professional"
	ver := func(d Device, v string) Device { d.Version = v; return d }
	prog := func(name, v, pub string) assets.Software {
		return assets.Software{Name: name, Version: v, Publisher: pub}
	}
	wes7 := win(device("wes7", "GE Healthcare", "CARESCAPE"), "Windows Embedded Standard", "Service Pack 1")
	wes7.OSFamily = "win7"
	tests := []struct {
		dev     Device
		status  string // "" when the advisory does not concern the device
		product string
		reason  string
	}{
		{win(device("w7", "Philips", "PIC iX"), w7, "Service Pack 1"), "known_affected", "WIN7SP1", "service pack 1"},
		{win(device("w7kb", "Philips", "PIC iX"), w7, "Service Pack 1", "KB4499175"), "fixed", "WIN7SP1", "KB4499175 installed"},
		{win(device("w7rtm", "Philips", "PIC iX"), w7, ""), NotListed, "WIN7SP1", "service pack 0"},
		{win(device("xp", "", ""), xp, "Service Pack 3"), "known_affected", "XPSP3", ""},
		{win(device("xpkb", "", ""), xp, "Service Pack 3", "kb4500331"), "fixed", "XPSP3", "KB4500331"},
		{wes7, "known_affected", "WIN7SP1", "Windows Embedded Standard"},
		{win(device("sl2008", "Spacelabs Healthcare", "XTR"), "Microsoft Windows Server 2008 Standard", "Service Pack 2"), "known_affected", "SL-2008", ""},
		{win(device("sl2008r2", "Spacelabs", "XTR"), "Microsoft Windows Server 2008 R2 Standard", "Service Pack 1"), "", "", ""},
		{win(device("ph2008", "Philips", "XTR"), "Microsoft Windows Server 2008 Standard", "Service Pack 2"), "", "", ""}, // Spacelabs' listing
		{win(device("hub", "ACME", "Telemetry Hub"), xp, "Service Pack 2"), "under_investigation", "HUB", "all versions"},
		{ver(device("cs50", "ACME Medical Inc.", "central station"), "5.0"), "known_affected", "CS-OLD", `"prior to 5.1"`},
		{ver(device("cs51", "acme", "Central-Station"), "5.1.2"), "fixed", "CS-NEW", ""},
		{device("csnov", "ACME", "Central Station"), PossiblyAffected, "CS-OLD", "device version unknown"},
		{ver(device("bm", "ACME", "Bedside Monitor"), "2.0"), "known_not_affected", "BM", ""},
		{ver(device("bm24", "ACME", "Bedside Monitor"), "2.4"), NotListed, "BM", "outside"},
		{device("link", "", "", prog("ACME Monitor Link", "3.0", "ACME Medical")), "known_affected", "LINK", "program ACME Monitor Link"},
		{device("link31", "", "", prog("ACME Monitor Link", "3.1", "ACME Medical")), NotListed, "LINK", ""},
		{device("view", "", "", prog("Waveform Viewer", "2.2", "ACME")), "known_affected", "VIEW", ""},
		{device("nomake", "", ""), "", "", ""},
	}
	var devs []Device
	for _, tt := range tests {
		devs = append(devs, tt.dev)
	}
	ms := matchIndex(MatchAll(devs, []*Advisory{a}))
	for _, tt := range tests {
		m, found := ms[tt.dev.Key+" CVE-2026-1001"]
		if tt.status == "" {
			assert.False(t, found, "%s: %s", tt.dev.Key, m.Reason)
			continue
		}
		require.True(t, found, tt.dev.Key)
		assert.Equal(t, tt.status, m.Status, tt.dev.Key+": "+m.Reason)
		assert.Equal(t, tt.product, m.ProductID, tt.dev.Key)
		assert.Contains(t, m.Reason, tt.reason, tt.dev.Key)
	}
	w := ms["w7 CVE-2026-1001"]
	require.NotNil(t, w.Score)
	assert.InDelta(t, 9.8, *w.Score, 0.001)
	require.Len(t, w.Remediations, 2)
	assert.Equal(t, "workaround", w.Remediations[1].Category)
}

func TestOSKey(t *testing.T) {
	tests := map[string]string{
		"Microsoft Windows 7 Professional":          "windows 7",
		"Microsoft Windows XP Professional":         "windows xp",
		"Windows Embedded Standard 7":               "windows 7",
		"Microsoft Windows Server 2008 R2 Standard": "windows server 2008 r2",
		"Windows Server 2003":                       "windows server 2003",
		"Windows 8.1 Pro":                           "windows 8.1",
		"Windows Embedded Standard":                 "windows",
		"Welch Allyn Connex Spot Monitor":           "",
		"Windows 10 Professional Operating System":  "windows 10",
		"Microsoft® Windows Vista™ Business":        "windows vista",
	}
	for in, want := range tests {
		assert.Equal(t, want, osKey(in), in)
	}
}

// TestMatchCorpusTable: devices that must and must not match the twelve
// published ICSMA advisories. Each row lists every advisory that concerns
// the device, with the status of the JSON contract; any other advisory
// must leave the device alone.
func TestMatchCorpusTable(t *testing.T) {
	files := corpusFiles(t)
	var advs []*Advisory
	for _, f := range files {
		a, err := ReadFile(f)
		require.NoError(t, err, f)
		advs = append(advs, a)
	}
	require.Len(t, advs, 12)
	const w7, xp, srv08r2 = "Microsoft Windows 7 Professional", "Microsoft Windows XP Professional", "Microsoft Windows Server 2008 R2 Standard"
	dev := func(make, model, version string) Device {
		d := device(make+" "+model+" "+version, make, model)
		d.Version = version
		return d
	}
	onOS := func(d Device, os string) Device { d.OS, d.Key = os, d.Key+" on "+os; return d }
	const (
		aff   = StatusAffected
		maybe = StatusPossiblyAffected
		fix   = StatusFixed
		not   = StatusNotAffected
	)
	tests := []struct {
		dev  Device
		want map[string]string // advisory -> status
	}{
		// BD: vendor "Becton, Dickinson and Company (BD)"; versions given as free text.
		{dev("BD", "FACSLyric IVD", "1.0"), map[string]string{"ICSMA-19-029-02": maybe}}, // version is an OS description
		{dev("Becton Dickinson", "Alaris Gateway Workstation", "1.1.6"), map[string]string{"ICSMA-19-164-01": aff}},
		{dev("BD", "Alaris Gateway Workstation", "2.3.6"), map[string]string{"ICSMA-19-164-01": aff}},          // "2.3.6 and below"
		{dev("BD", "Alaris Gateway Workstation", "2.3.7"), map[string]string{"ICSMA-19-164-01": not}},          // above every listed version
		{dev("BD", "Alaris Gateway Workstation", "1.3.1 Build 13"), map[string]string{"ICSMA-19-164-01": aff}}, // build qualifier
		{dev("CareFusion", "Alaris Gateway Workstation", "1.0.13"), map[string]string{"ICSMA-19-164-01": aff}}, // acquired maker
		{dev("Alaris", "Gateway Workstation", "2.0"), map[string]string{"ICSMA-19-164-01": aff}},               // brand as make
		{dev("BD", "Alaris PCU 8015", "12.1.3"), map[string]string{"ICSMA-23-194-01": aff}},
		{dev("BD", "Alaris PCU 8015", "12.1.4"), map[string]string{"ICSMA-23-194-01": not}},
		{dev("BD", "FACSCanto", "1.0"), nil},
		// GE: "GE Healthcare" is "General Electric (GE)"; wildcards "2.X" and "4.X | 5.X".
		{dev("GE Healthcare", "CARESCAPE B450", "2.1"), map[string]string{"ICSMA-20-023-01": aff}},
		{dev("GE", "B450", "1.5"), map[string]string{"ICSMA-20-023-01": not}},
		{dev("GE Healthcare", "B650", "1.2"), map[string]string{"ICSMA-20-023-01": aff}},
		{dev("GE", "Clinical Information Center", "5.1"), map[string]string{"ICSMA-20-023-01": aff}},
		{dev("GE", "CIC", "6.0"), map[string]string{"ICSMA-20-023-01": not}},
		{dev("GE", "CARESCAPE Telemetry Server", "4.3"), map[string]string{"ICSMA-20-023-01": aff}},
		{dev("GE", "ApexPro Telemetry Server", "4.3"), map[string]string{"ICSMA-20-023-01": not}}, // "<= 4.2"
		{dev("Philips", "B450", "2.1"), map[string]string{"ICSMA-20-023-01": ""}},                 // model of another maker
		// Spacelabs lists Windows releases as its products: the device's OS decides.
		{onOS(dev("Spacelabs Healthcare", "Intesys Clinical Suite", ""), w7), map[string]string{"ICSMA-20-049-01": aff}},
		{onOS(dev("Spacelabs", "Intesys Clinical Suite", ""), xp), map[string]string{"ICSMA-20-049-01": aff}},
		{onOS(dev("Spacelabs", "Intesys Clinical Suite", ""), srv08r2), map[string]string{"ICSMA-20-049-01": aff}},
		{onOS(dev("Spacelabs", "Intesys Clinical Suite", ""), "Microsoft Windows 10 Enterprise"), nil},
		{onOS(dev("Philips", "IntelliVue Information Center", ""), w7), nil}, // Windows 7, but not Spacelabs'
		{dev("Spacelabs", "XTR", "1.0.2"), map[string]string{"ICSMA-20-049-01": aff}},
		{dev("Spacelabs", "XTR", "1.2.1"), map[string]string{"ICSMA-20-049-01": maybe}}, // its Windows is not recorded
		{onOS(dev("Spacelabs", "XTR", "1.2.1"), "Microsoft Windows 10 Enterprise"), map[string]string{"ICSMA-20-049-01": not}},
		// Baxter: pipe-joined version lists; Welch Allyn is Baxter's (via Hillrom).
		{dev("Baxter", "ExactaMix EM2400", "1.13"), map[string]string{"ICSMA-20-170-01": aff}},
		{dev("Baxter", "ExactaMix EM2400", "1.12"), map[string]string{"ICSMA-20-170-01": not}},
		{dev("Baxter", "EM1200", "1.4"), map[string]string{"ICSMA-20-170-01": aff}},
		{dev("Baxter", "Welch Allyn Connex Spot Monitor", "1.52"), map[string]string{"ICSMA-24-151-02": aff, "ICSMA-21-152-01": not}},
		{dev("Hillrom", "Connex Spot Monitor", "1.53"), map[string]string{"ICSMA-24-151-02": not, "ICSMA-21-152-01": not}},
		{dev("Welch Allyn", "Connex Spot Monitor", "1.40"), map[string]string{"ICSMA-24-151-02": aff, "ICSMA-21-152-01": aff}},
		// Philips: model ranges and series, letter versions, "<=N".
		{dev("Philips", "IntelliVue MX450", "M.00"), map[string]string{"ICSMA-20-254-01": maybe}}, // "<=N" cannot be read
		{dev("Philips Medical Systems", "PIC iX", "C.03"), map[string]string{"ICSMA-20-254-01": aff, "ICSMA-21-322-02": aff}},
		{dev("Philips", "Patient Information Center iX", "C.04"), map[string]string{"ICSMA-20-254-01": not, "ICSMA-21-322-02": not}},
		{dev("Philips", "Efficia CM10", "4.0"), map[string]string{"ICSMA-21-322-02": aff}},
		{dev("Philips", "Efficia CM12", "B.02"), map[string]string{"ICSMA-21-322-02": maybe}}, // "A.01 <= C.0x"
		{dev("Philips", "IntelliVue MX900", "M.00"), nil},                                     // outside MX400-MX850
		// Hillrom: bounds joined by pipes; "Service Pack" qualifiers.
		{dev("Hill-Rom", "Connex Central Station", "1.8.4"), map[string]string{"ICSMA-21-152-01": aff}},
		{dev("Hillrom", "Connex Central Station", "1.8.4 SP1"), map[string]string{"ICSMA-21-152-01": not}},
		{dev("Hillrom", "Q-Stress", "6.2"), map[string]string{"ICSMA-21-343-01": aff}},
		{dev("Hillrom", "Q-Stress", "6.4"), map[string]string{"ICSMA-21-343-01": not}},
		{dev("Welch Allyn", "R-Scribe", "7.0.0"), map[string]string{"ICSMA-21-343-01": aff}},
		{dev("Hillrom", "X-Scribe", "4.9"), map[string]string{"ICSMA-21-343-01": not}},
		// Medtronic: legal form in the make.
		{dev("Medtronic plc", "Paceart Optima", "1.11"), map[string]string{"ICSMA-23-180-01": aff}},
		{dev("Medtronic", "Paceart Optima", "1.12"), map[string]string{"ICSMA-23-180-01": not}},
		{dev("Medtronic", "Paceart Optima", ""), map[string]string{"ICSMA-23-180-01": maybe}},
		{dev("Medtronic", "CareLink", "1.0"), nil},
	}
	var devs []Device
	for _, tt := range tests {
		devs = append(devs, tt.dev)
	}
	got := map[string]map[string]Finding{}
	for _, f := range Summarize(MatchAll(devs, advs)) {
		if got[f.DeviceKey] == nil {
			got[f.DeviceKey] = map[string]Finding{}
		}
		got[f.DeviceKey][f.Advisory] = f
	}
	for _, tt := range tests {
		want := map[string]string{}
		for a, st := range tt.want {
			if st != "" {
				want[a] = st
			}
		}
		have := map[string]string{}
		var why []string
		for a, f := range got[tt.dev.Key] {
			have[a] = f.Status
			why = append(why, a+": "+f.Reason)
		}
		assert.Equal(t, want, have, "%s\n%v", tt.dev.Key, why)
	}
}

// TestNormalise: the make against an advisory's vendor and the model
// against its product name, after case, punctuation, legal forms, trade
// words, acquired makers, model ranges and series.
func TestNormalise(t *testing.T) {
	tests := []struct {
		make, model, vendor, product string
		maker, model2                bool
	}{
		{"GE Healthcare", "CARESCAPE B450", "General Electric (GE)", "B450", true, true},
		{"ge healthcare", "carescape b450", "General Electric (GE)", "B450", true, true},
		{"G.E.", "B-450", "General Electric (GE)", "B450", true, true},
		{"GE Healthcare", "B650", "General Electric (GE)", "B450", true, false},
		{"Becton Dickinson", "Alaris PCU 8015", "Becton, Dickinson and Company (BD)", "BD Alaris Point-of-Care Unit (PCU) Model 8015", true, true},
		{"CareFusion", "x", "Becton, Dickinson and Company (BD)", "y", true, false},
		{"Hill-Rom Inc.", "Connex Spot Monitor", "Hillrom", "Welch Allyn Connex Spot Monitor (CSM)", true, true},
		{"Welch Allyn", "x", "Baxter", "y", true, false},
		{"Philips Medical Systems", "IntelliVue MX450", "Philips", "IntelliVue patient monitor MX400-MX850", true, true},
		{"Philips", "IntelliVue MX900", "Philips", "IntelliVue patient monitor MX400-MX850", true, false},
		{"Philips", "Efficia CM10", "Philips", "Efficia CM Series", true, true},
		{"Philips", "Efficia DFM100", "Philips", "Efficia CM Series", true, false},
		{"Philips", "PIC iX", "Philips", "Patient Information Center iX (PICiX)", true, true},
		{"Medtronic plc", "Paceart Optima", "Medtronic", "Paceart Optima", true, true},
		{"Medical Systems", "x", "Philips", "y", false, false},
		{"Spacelabs", "x", "Philips", "y", false, false},
		{"Baxter", "x", "Philips", "y", false, false},
	}
	for _, tt := range tests {
		d := namesOf(Device{Make: tt.make, Model: tt.model})
		p := prodNamesOf(Product{Vendor: tt.vendor, Product: tt.product})
		assert.Equal(t, tt.maker, sameMaker(d, &p), "make %q vs vendor %q", tt.make, tt.vendor)
		assert.Equal(t, tt.model2, sameModel(d, &p), "model %q vs product %q", tt.model, tt.product)
	}
}

// TestProductIdentity: cpe and purl of product_identification_helper.
func TestProductIdentity(t *testing.T) {
	xp := prodNamesOf(Product{ID: "X", Name: "Embedded operating system", Product: "Embedded operating system",
		CPE: "cpe:2.3:o:microsoft:windows_xp:-:sp3:*:*:*:*:*:*"})
	assert.Equal(t, "windows xp", xp.os)
	assert.Equal(t, 3, xp.sp)
	assert.True(t, xp.microsoft)
	app := prodNamesOf(Product{ID: "A", Name: "Gateway", CPE: `cpe:2.3:a:acme:infusion\_gateway:2.3:*:*:*:*:*:*:*`})
	assert.Equal(t, []string{"acme"}, app.idVendor)
	assert.Equal(t, []string{"infusion", "gateway"}, app.idName)
	assert.Equal(t, "2.3", app.idVersion)
	assert.Equal(t, "", app.os)
	p := prodNamesOf(Product{ID: "P", Name: "Viewer", PURL: "pkg:generic/acme/waveform-viewer@2.2?arch=x86"})
	assert.Equal(t, []string{"acme"}, p.idVendor)
	assert.Equal(t, []string{"waveform", "viewer"}, p.idName)
	assert.Equal(t, "2.2", p.idVersion)

	d := win(device("xp3", "", ""), "Microsoft Windows XP Professional", "Service Pack 3")
	h, ok := osHit(namesOf(d), &xp, false)
	require.True(t, ok)
	assert.Equal(t, VersionIn, h.vs, h.reason)
	d = win(device("xp2", "", ""), "Microsoft Windows XP Professional", "Service Pack 2")
	h, ok = osHit(namesOf(d), &xp, false)
	require.True(t, ok)
	assert.Equal(t, VersionOut, h.vs, h.reason)
}
