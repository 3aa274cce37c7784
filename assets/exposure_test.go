package assets

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

func TestExposuresFakeHost(t *testing.T) {
	xp := func() *fakeHost {
		f := win7Fake()
		f.info = checks.OSInfo{Hostname: "XP1", Caption: "Microsoft Windows XP Professional", Version: "5.1.2600", ServicePack: "Service Pack 3"}
		f.fixes = []checks.Hotfix{{ID: "KB950582"}}
		return f
	}
	tests := []struct {
		name     string
		host     func() *fakeHost
		id       string
		want     ExposureStatus
		evidence string
	}{
		{"win7 unpatched", win7Fake, ExpMS17010, Exposed, "none of KB4012212, KB4012215, KB4015549 or any of"},
		{"win7 rollup fixes MS17-010", func() *fakeHost {
			f := win7Fake()
			f.fixes = append(f.fixes, checks.Hotfix{ID: "KB4499164", InstalledOn: "5/14/2019"})
			return f
		}, ExpMS17010, NotExposed, "installed: KB4499164 (2019-05-14)"},
		{"dotted day-first date is read", func() *fakeHost {
			f := win7Fake()
			f.fixes = append(f.fixes, checks.Hotfix{ID: "KB4012212", InstalledOn: "12.03.2017"})
			return f
		}, ExpMS17010, NotExposed, "installed: KB4012212 (2017-03-12)"},
		{"unreadable date is shown, not dropped", func() *fakeHost {
			f := win7Fake()
			f.fixes = append(f.fixes, checks.Hotfix{ID: "KB4012212", InstalledOn: "Mär 2017"})
			return f
		}, ExpMS17010, NotExposed, `installed: KB4012212 (installed on an unreadable date: "Mär 2017")`},
		{"win7 rollup fixes BlueKeep", func() *fakeHost {
			f := win7Fake()
			f.fixes = append(f.fixes, checks.Hotfix{ID: "KB4534310"})
			return f
		}, ExpBlueKeep, NotExposed, "installed: KB4534310"},
		{"hotfixes not collected", func() *fakeHost {
			f := win7Fake()
			f.fixes, f.fixErr = nil, checks.ErrNotCollected
			return f
		}, ExpMS17010, Unknown, "the installed updates were not collected"},
		{"RDP on, unpatched", win7Fake, ExpBlueKeep, Exposed, "Remote Desktop is enabled"},
		{"RDP on with NLA", func() *fakeHost {
			f := win7Fake()
			f.setDWORD(rdpTcpKey, "UserAuthentication", 1)
			return f
		}, ExpBlueKeep, Exposed, "Network Level Authentication is on"},
		{"RDP off by policy", func() *fakeHost {
			f := win7Fake()
			f.setDWORD(tsPolicyKey, "fDenyTSConnections", 1)
			return f
		}, ExpBlueKeep, NotExposed, tsPolicyKey + " fDenyTSConnections = 1"},
		{"RDP on by policy over local off", func() *fakeHost {
			f := win7Fake()
			f.setDWORD(tsKey, "fDenyTSConnections", 1)
			f.setDWORD(tsPolicyKey, "fDenyTSConnections", 0)
			return f
		}, ExpBlueKeep, Exposed, "Remote Desktop is enabled"},
		{"RDP value absent", func() *fakeHost {
			f := win7Fake()
			delete(f.reg, strings.ToUpper(tsKey+`\fDenyTSConnections`))
			return f
		}, ExpBlueKeep, NotExposed, "Windows default"},
		{"RDP not collected", func() *fakeHost {
			f := win7Fake()
			f.reg, f.covered = nil, nil
			return f
		}, ExpBlueKeep, Unknown, "cannot tell whether Remote Desktop is enabled"},
		{"RDP not collected but patched", func() *fakeHost {
			f := win7Fake()
			f.reg, f.covered = nil, nil
			f.fixes = append(f.fixes, checks.Hotfix{ID: "KB4499175"})
			return f
		}, ExpBlueKeep, NotExposed, "installed: KB4499175"},
		{"SMB1 absent", win7Fake, ExpSMB1, Exposed, "SMB1 is not set"},
		{"SMB1 = 1", func() *fakeHost {
			f := win7Fake()
			f.setDWORD(lanSrvKey, "SMB1", 1)
			return f
		}, ExpSMB1, Exposed, "SMB1 = 1"},
		{"SMB1 = 0", func() *fakeHost {
			f := win7Fake()
			f.setDWORD(lanSrvKey, "SMB1", 0)
			return f
		}, ExpSMB1, NotExposed, "SMB1 = 0"},
		{"SMB1 with Server service disabled", func() *fakeHost {
			f := win7Fake()
			f.starts = map[string]checks.StartType{"LANMANSERVER": checks.StartDisabled}
			return f
		}, ExpSMB1, Exposed, "the Server service is disabled"},
		{"SMB1 not collected", func() *fakeHost {
			f := win7Fake()
			f.covered = []string{strings.ToUpper(tsKey)}
			return f
		}, ExpSMB1, Unknown, "cannot read the SMB server settings"},
		{"win7 MS08-067", win7Fake, ExpMS08067, NotExposed, "Windows 7 shipped with the MS08-067 fix"},
		{"win7 end of support", win7Fake, ExpEOS, Exposed, "2020-01-14"},
		{"xp MS17-010", xp, ExpMS17010, Exposed, "none of KB4012598 among 1 installed updates"},
		{"xp MS17-010 patched", func() *fakeHost {
			f := xp()
			f.fixes = append(f.fixes, checks.Hotfix{ID: "KB4012598", InstalledOn: "5/13/2017"})
			return f
		}, ExpMS17010, NotExposed, "installed: KB4012598 (2017-05-13)"},
		{"xp MS08-067", xp, ExpMS08067, Exposed, "KB958644"},
		{"xp MS08-067 patched", func() *fakeHost {
			f := xp()
			f.fixes = append(f.fixes, checks.Hotfix{ID: "kb958644"})
			return f
		}, ExpMS08067, NotExposed, "installed: KB958644"},
		{"xp BlueKeep", xp, ExpBlueKeep, Exposed, "KB4500331"},
		{"xp SMB1", xp, ExpSMB1, Exposed, "Windows XP speaks only SMBv1"},
		{"xp end of support", xp, ExpEOS, Exposed, "2014-04-08"},
		{"xp embedded end of support", func() *fakeHost {
			f := xp()
			f.info.Caption = "Microsoft Windows XP Embedded"
			return f
		}, ExpEOS, Exposed, "Windows XP Embedded SP3 support ended 2016-01-12"},
		{"windows 10 unknown", func() *fakeHost {
			f := win7Fake()
			f.info = checks.OSInfo{Caption: "Microsoft Windows 10 Enterprise", Version: "10.0.19045"}
			return f
		}, ExpMS17010, Unknown, "Windows 7 and XP only"},
		{"windows 10 end of support unknown", func() *fakeHost {
			f := win7Fake()
			f.info = checks.OSInfo{Caption: "Microsoft Windows 10 Enterprise", Version: "10.0.19045"}
			return f
		}, ExpEOS, Unknown, "Windows 7 and XP only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := Collect(context.Background(), tc.host())
			require.NoError(t, err)
			e := exposureByID(t, rec, tc.id)
			assert.Equal(t, tc.want, e.Status, e.Evidence)
			assert.Contains(t, e.Evidence, tc.evidence)
			if tc.want == Unknown {
				assert.NotEmpty(t, e.Reason)
			}
		})
	}
}

func TestEndOfSupportUsesCollectionDate(t *testing.T) {
	f := win7Fake()
	rec, err := Collect(context.Background(), f)
	require.NoError(t, err)
	rec.CollectedAt = "2019-06-01T00:00:00Z"
	e := (assessor{ctx: context.Background(), h: f, rec: &rec}).endOfSupport()
	assert.Equal(t, NotExposed, e.Status)
	assert.Contains(t, e.Evidence, "still supported on 2019-06-01")
}

func TestExposureResults(t *testing.T) {
	rec := collectSample(t, win7Vendor)
	rec.Exposures = append(rec.Exposures, Exposure{ID: "X", Title: "x", Status: Unknown, Reason: "not collected", Capabilities: []string{"CSUP", "SAHD"}})
	res := ExposureResults(rec)
	require.Len(t, res, 6)
	byID := map[string]checks.Result{}
	for _, r := range res {
		byID[r.ID] = r
		assert.Equal(t, "MH", r.Level)
		assert.Equal(t, []string{"CSUP", "SAHD"}, r.Capabilities)
		assert.Equal(t, "not exposed", r.Expected)
		assert.NotEmpty(t, r.Actual)
		for _, c := range r.Capabilities {
			assert.Contains(t, checks.Capabilities, c, "a real 80001-2-2 capability")
		}
	}
	assert.Equal(t, checks.Fail, byID["MH-EXP-MS17-010"].Status)
	assert.Contains(t, byID["MH-EXP-MS17-010"].Reason, "KB4012212", "the remedy comes from the catalog")
	assert.Equal(t, checks.Fail, byID["MH-EXP-CVE-2019-0708"].Status)
	assert.Equal(t, checks.Pass, byID["MH-EXP-MS08-067"].Status)
	assert.Equal(t, checks.Fail, byID["MH-EXP-SMB1"].Status)
	assert.Equal(t, checks.Fail, byID["MH-EXP-EOS"].Status)
	assert.Equal(t, checks.Error, byID["MH-EXP-X"].Status)
	assert.Equal(t, "not collected", byID["MH-EXP-X"].Reason)
	sum := checks.Summarize(res)
	assert.Equal(t, 4, sum.Fail)

	// In words, like the catalog's checks: expected_words and sentences
	// about the device, the remedy after them.
	for id, want := range map[string]string{
		"MH-EXP-MS17-010": "The device is exposed; it must not be exposed. Install ",
		"MH-EXP-MS08-067": "The device is not exposed.",
		"MH-EXP-X":        "not collected",
	} {
		r := byID[id]
		assert.Equal(t, "must not be exposed", r.Words, id)
		assert.Equal(t, "must not be exposed", r.ExpectedText(), id)
		assert.True(t, strings.HasPrefix(r.Reason, want), "%s: %q", id, r.Reason)
	}
	eos := byID["MH-EXP-EOS"]
	assert.True(t, strings.HasSuffix(eos.Reason, "."), eos.Reason)
	assert.Equal(t, strings.TrimPrefix(eos.Reason, "The device is exposed; it must not be exposed. "), ExposureAction(eos))
	assert.True(t, strings.HasPrefix(ExposureAction(eos), "Plan the replacement"), ExposureAction(eos))
	assert.Empty(t, ExposureAction(byID["MH-EXP-MS08-067"]), "nothing to do when not exposed")

	hard := ExposureResults(collectSample(t, win7Hardened))
	for _, r := range hard {
		if r.ID == "MH-EXP-MS17-010" || r.ID == "MH-EXP-CVE-2019-0708" {
			assert.Equal(t, checks.Pass, r.Status, r.ID)
		}
	}
}

// The KB lists come from the catalog: one list, no copy here.
func TestExposureKBListsComeFromCatalog(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	for id, byFam := range patchCheck {
		for fam, cid := range byFam {
			ch, ok := cat.Get(cid)
			require.True(t, ok, "%s/%s: %s", id, fam, cid)
			assert.NotEmpty(t, ch.Probe.Hotfix, cid)
			assert.Contains(t, ch.OS, fam, cid)
		}
	}
	ms17, _ := cat.Get("MH-PATCH-2")
	assert.Contains(t, ms17.Probe.Hotfix, "KB4012598")
	bk, _ := cat.Get("MH-PATCH-3")
	assert.Contains(t, bk.Probe.Hotfix, "KB4499175")
	assert.Contains(t, bk.Probe.Hotfix, "KB4499164")
}
