package remediate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/snapshot"
)

const (
	icuVendor   = "../testdata/snapshots/ICU-CS01-20261118-093000"
	icuHardened = "../testdata/snapshots/ICU-CS01-20261118-151500"
	svcvendor   = "S-1-5-21-1808340291-2837045102-3907411862-1001"
	autoLogon   = "S-1-5-21-1808340291-2837045102-3907411862-1000"
)

// samplePlan plans profile on a sample snapshot (or a copy of it without
// the files named in drop) with the built-in catalog.
func samplePlan(t *testing.T, dir, profile, tailoring string, drop ...string) *Plan {
	t.Helper()
	if len(drop) > 0 {
		dir = copyWithout(t, dir, drop...)
	}
	h, err := snapshot.Open(dir)
	require.NoError(t, err)
	cat, err := checks.Builtin()
	require.NoError(t, err)
	prof, ok := checks.FindProfile(profile)
	require.True(t, ok)
	var tl *Tailoring
	if tailoring != "" {
		tl, err = ParseTailoring("tailoring.yaml", []byte(tailoring))
		require.NoError(t, err)
	}
	return plan(t, h, cat, prof, "failed", tl)
}

func copyWithout(t *testing.T, src string, drop ...string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		for _, d := range drop {
			if filepath.ToSlash(rel) == d {
				return nil
			}
		}
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

func stepOf(t *testing.T, p *Plan, id string) Step {
	t.Helper()
	for _, s := range p.Steps {
		if s.CheckID == id {
			return s
		}
	}
	t.Fatalf("no step for %s", id)
	return Step{}
}

// Each guard over the device model: the step shows the harmful change an
// unguarded plan would make (a SID the protected account holds its right
// through is removed, or a group that contains it is added to a deny
// right), and the guard refuses it, naming whom it protects.
func TestDeviceGuards(t *testing.T) {
	tests := []struct {
		name      string
		dir       string
		profile   string
		tailoring string
		drop      []string
		id        string
		guard     string
		// removes / adds: the harmful change the unguarded step makes.
		removes, adds string
		reason        []string
	}{
		{
			name: "service logon of a do-not-touch service's account", dir: icuVendor, profile: "cis-win7-l2",
			tailoring: "do_not_touch:\n  services: [HL7Gateway]\n",
			id:        "2.2.29", guard: GuardServiceAccount, removes: svcvendor,
			reason: []string{"service HL7Gateway", `.\svcvendor`, "do-not-touch", "SeServiceLogonRight"},
		},
		{
			name: "service logon of an automatic service that runs as a local account, without any tailoring", dir: icuVendor, profile: "cis-win7-l2",
			id: "2.2.29", guard: GuardServiceAccount, removes: svcvendor,
			reason: []string{"service HL7Gateway", "auto, running"},
		},
		{
			name: "batch logon of a scheduled task's run-as account", dir: icuVendor, profile: "cis-win7-l2",
			id: "2.2.28", guard: GuardTaskAccount, removes: svcvendor,
			reason: []string{`scheduled task \ACME\PM Central Nightly Export`, `ICU-CS01\svcvendor`, "SeBatchLogonRight"},
		},
		{
			name: "a deny right never names a group an operator belongs to", dir: icuVendor, profile: "cis-win7-l1",
			tailoring: "operators: [nurse]\n",
			id:        "2.2.19", guard: GuardOperator, adds: "S-1-5-32-546",
			reason: []string{`the operator "nurse"`, "operator named in the tailoring file", "through Guests (S-1-5-32-546)", "local logon"},
		},
		{
			name: "Remote Desktop management: the auto-logon operator keeps remote logon through Local account", dir: icuVendor, profile: "cis-win7-l1",
			tailoring: "rdp_management: true\n",
			id:        "2.2.20", guard: GuardRDP, adds: "S-1-5-113",
			reason: []string{`the operator "operator" (auto-logon account`, "Remote Desktop logon", "through Local Account (S-1-5-113)"},
		},
		{
			name: "a deny right never names a group a do-not-touch account belongs to", dir: icuVendor, profile: "cis-win7-l1",
			tailoring: "do_not_touch:\n  accounts: [svcvendor]\n",
			id:        "2.2.16", guard: GuardDoNotTouch, adds: "S-1-5-113",
			reason: []string{`account "svcvendor"`, "do-not-touch", "network logon", "through Local Account (S-1-5-113)"},
		},
		{
			name: "an older snapshot without group membership: removing a group from a right is refused", dir: icuVendor, profile: "cis-win7-l2",
			tailoring: "operators: [nurse]\n",
			drop:      []string{"wmic/groupuser.csv", "wmic/group.csv"},
			id:        "2.2.19", guard: GuardNotCollected, adds: "S-1-5-32-546",
			reason: []string{"group membership was not collected", `"nurse"`, "may belong to Guests"},
		},
		{
			name: "an older snapshot without scheduled tasks: batch logon is not narrowed", dir: icuVendor, profile: "cis-win7-l2",
			drop: []string{"schtasks.csv"},
			id:   "2.2.28", guard: GuardNotCollected, removes: svcvendor,
			reason: []string{"scheduled tasks were not collected", "schtasks.csv"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := samplePlan(t, tc.dir, tc.profile, tc.tailoring, tc.drop...)
			s := stepOf(t, p, tc.id)
			require.NotNil(t, s.Target, "%s has a target", tc.id)
			if tc.removes != "" {
				assert.True(t, has(s.Before.Value.SIDs, tc.removes) && !has(s.Target.SIDs, tc.removes), "the unguarded change removes %s: %v -> %v", tc.removes, s.Before.Value.SIDs, s.Target.SIDs)
			}
			if tc.adds != "" {
				assert.True(t, !has(s.Before.Value.SIDs, tc.adds) && has(s.Target.SIDs, tc.adds), "the unguarded change adds %s", tc.adds)
			}
			assert.False(t, s.Automatic(), "%s must be refused", tc.id)
			assert.Contains(t, s.Blocked+" [guard "+s.Guard+"]", tc.guard, s.Blocked)
			for _, r := range tc.reason {
				assert.Contains(t, s.Blocked, r)
			}
			assert.Contains(t, s.Suggest, `id: "`+tc.id+`"`, "the refused finding comes with a tailoring entry")
		})
	}
}

// A tailoring override of a right is the site's own decision: the
// protection of automatic services (not of do-not-touch ones) yields to it.
func TestServiceGuardYieldsToOverride(t *testing.T) {
	p := samplePlan(t, icuVendor, "cis-win7-l2", "overrides:\n  \"2.2.29\": []\n")
	assert.True(t, stepOf(t, p, "2.2.29").Automatic())
	p = samplePlan(t, icuVendor, "cis-win7-l2", "overrides:\n  \"2.2.29\": []\ndo_not_touch:\n  services: [HL7Gateway]\n")
	assert.Equal(t, GuardServiceAccount, stepOf(t, p, "2.2.29").Guard)
}

// Accounts the device needs are never disabled or renamed, and a password
// age that would expire them is refused.
func TestDeviceAccountGuards(t *testing.T) {
	h, err := snapshot.Open(icuVendor)
	require.NoError(t, err)
	ctx := context.Background()
	g := newGuards(ctx, h, &Tailoring{EmergencyAccount: "nurse"}, &Plan{})
	byName := map[string]*checks.Account{}
	for i := range g.accts {
		byName[g.accts[i].Name] = &g.accts[i]
	}
	for name, want := range map[string][]string{
		"operator":  {GuardOperator, "automatically"},
		"svcvendor": {GuardServiceAccount, "service HL7Gateway"},
		"nurse":     {GuardEmergency, "emergency"},
	} {
		for _, rename := range []bool{false, true} {
			s := &Step{CheckID: "x"}
			if rename {
				n := "renamed"
				g.account(s, byName[name], byName[name].RID(), nil, &n)
			} else {
				g.account(s, byName[name], byName[name].RID(), boolPtr(true), nil)
			}
			assert.Equal(t, want[0], s.Guard, "%s: %s", name, s.Blocked)
			assert.Contains(t, s.Blocked, want[1])
			assert.Contains(t, s.Blocked, name)
		}
	}
	// svcvendor's password is set to expire once the account is not
	// "password never expires": a maximum password age would stop HL7Gateway.
	g.accts[3].PasswordExpires = true
	s := &Step{CheckID: "1.1.2", Setting: Address{Kind: KindSecPol, Key: "System Access", Name: "MaximumPasswordAge"}, Target: &Value{Text: "60"}}
	g.check(s)
	assert.Equal(t, GuardServiceAccount, s.Guard)
	assert.Contains(t, s.Blocked, `"svcvendor"`)
}

// The device model of the samples: people, service and task accounts and
// groups, resolved to SIDs.
func TestDeviceModelOfSample(t *testing.T) {
	h, err := snapshot.Open(icuVendor)
	require.NoError(t, err)
	d := checks.BuildDevice(context.Background(), h, checks.Declared{Operators: []string{"nurse"}})
	assert.Empty(t, d.Missing)
	roles := map[string]string{}
	for _, p := range d.People {
		roles[p.Name] = strings.Join(p.Roles, ",")
	}
	assert.Equal(t, checks.RoleAutoLogon+","+checks.RoleProfile, roles["operator"])
	assert.Contains(t, roles["Administrator"], checks.RoleCollector)
	assert.Contains(t, roles["nurse"], checks.RoleOperator)
	var hl7 checks.ServiceAccount
	for _, s := range d.Services {
		if s.Service == "HL7Gateway" {
			hl7 = s
		}
	}
	assert.Equal(t, svcvendor, hl7.SID)
	assert.True(t, hl7.Local && hl7.Active() && !hl7.BuiltIn)
	closure := d.Closure(checks.Principal{Name: "nurse", SID: "S-1-5-21-1808340291-2837045102-3907411862-1003", Local: true}, sidInteractive)
	assert.True(t, closure["S-1-5-32-546"], "nurse is in Guests")
	assert.True(t, closure["S-1-5-32-545"], "nurse is in Users")
	assert.False(t, closure["S-1-5-32-544"], "nurse is not an administrator")
	assert.Len(t, d.Tasks, 3)
	assert.Equal(t, svcvendor, d.Tasks[0].SID)
	assert.True(t, d.Tasks[1].BuiltIn)
}
