package remediate

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	guestSession   = "user=ICU-CS01\\Guest\nusersid=S-1-5-21-11-22-33-501\nsession=Console\n"
	formerAdmin    = "user=ICU-CS01\\oldadmin\nusersid=S-1-5-21-11-22-33-1005\nsession=Console\n"
	domainOperator = "user=HOSPITAL\\jdoe\nusersid=S-1-5-21-77-88-99-4321\nsession=RDP-Tcp#3\n"
)

// Every guard refuses its dangerous change, says why in the plan, and
// apply leaves the setting alone. Control cases show that the same change
// is allowed when it is safe.
func TestGuards(t *testing.T) {
	tests := []struct {
		name      string
		opts      fixtureOpts
		tailoring string
		blocked   map[string]string // check id -> guard
		allowed   []string
		warnings  map[string]string // check id -> text in a step warning
		planWarn  string
	}{
		{
			name:    "never disable or rename the logged-on built-in Administrator",
			opts:    fixtureOpts{session: consoleAdm},
			blocked: map[string]string{"2.3.1.1": GuardLoggedOn, "2.3.1.4": GuardLoggedOn},
			allowed: []string{"2.3.1.2", "MH-ACC-8"},
		},
		{
			name:    "never disable or rename the logged-on account itself",
			opts:    fixtureOpts{session: guestSession},
			blocked: map[string]string{"MH-ACC-8": GuardLoggedOn, "MH-ACC-9": GuardLoggedOn, "2.3.1.2": GuardLoggedOn},
		},
		{
			name:    "another administrator is logged on: the built-in one may be disabled",
			opts:    fixtureOpts{session: consoleTech},
			allowed: []string{"2.3.1.1", "2.3.1.4", "2.3.1.2", "MH-ACC-8", "MH-ACC-9"},
		},
		{
			name:    "never leave no enabled administrator (operator's account is disabled)",
			opts:    fixtureOpts{session: consoleTech, disabled: []string{"tech"}},
			blocked: map[string]string{"2.3.1.1": GuardLastAdmin},
			allowed: []string{"2.3.1.2"},
		},
		{
			name:    "never leave no enabled administrator (operator is not a known account)",
			opts:    fixtureOpts{session: formerAdmin},
			blocked: map[string]string{"2.3.1.1": GuardLastAdmin},
		},
		{
			name:      "never remove the operator's interactive logon right",
			opts:      fixtureOpts{session: consoleTech},
			tailoring: "overrides:\n  \"2.2.5\": [S-1-5-32-551]\n",
			blocked:   map[string]string{"2.2.5": GuardLogonRight},
		},
		{
			name:      "never deny the operator's groups interactive logon",
			opts:      fixtureOpts{session: consoleTech},
			tailoring: "overrides:\n  \"2.2.16\": [S-1-5-32-546, S-1-5-32-545]\n",
			blocked:   map[string]string{"2.2.16": GuardLogonRight},
		},
		{
			name:    "keeping Administrators in the interactive logon right is allowed",
			opts:    fixtureOpts{session: consoleTech},
			allowed: []string{"2.2.5", "2.2.16"},
		},
		{
			name: "remote session: never cut Remote Desktop",
			opts: fixtureOpts{session: rdpTech},
			blocked: map[string]string{
				"5.18":          GuardRDP, // TermService disabled
				"18.9.58.3.2.1": GuardRDP, // fDenyTSConnections=1
				"2.2.20":        GuardRDP, // deny RDP to Local account
				"2.2.6":         GuardRDP, // Remote Desktop Users removed
			},
			allowed: []string{"2.2.17", "5.24", "18.9.58.3.3.2"},
		},
		{
			name:      "RDP declared as the management path: same guards at the console",
			opts:      fixtureOpts{session: consoleTech},
			tailoring: "rdp_management: true\n",
			blocked:   map[string]string{"5.18": GuardRDP, "18.9.58.3.2.1": GuardRDP, "2.2.20": GuardRDP, "2.2.6": GuardRDP},
		},
		{
			name:    "console session without RDP management: Remote Desktop may be hardened",
			opts:    fixtureOpts{session: consoleTech},
			allowed: []string{"5.18", "18.9.58.3.2.1", "2.2.20", "2.2.6"},
		},
		{
			name:    "domain operator over RDP: denying local accounts cannot lock them out",
			opts:    fixtureOpts{session: domainOperator, domain: true},
			blocked: map[string]string{"5.18": GuardRDP, "2.2.6": GuardRDP},
			allowed: []string{"2.2.20", "2.3.1.1"},
		},
		{
			name:      "never touch the vendor's services and accounts",
			opts:      fixtureOpts{session: consoleTech},
			tailoring: "do_not_touch:\n  services: [vendormon]\n  accounts: [Guest]\n",
			blocked:   map[string]string{"5.99": GuardDoNotTouch, "MH-ACC-8": GuardDoNotTouch, "MH-ACC-9": GuardDoNotTouch, "2.3.1.2": GuardDoNotTouch},
			allowed:   []string{"5.24", "2.3.1.1"},
		},
		{
			name:      "never disable or rename the emergency account",
			opts:      fixtureOpts{session: consoleTech},
			tailoring: "emergency_account: Administrator\n",
			blocked:   map[string]string{"2.3.1.1": GuardEmergency, "2.3.1.4": GuardEmergency},
			warnings:  map[string]string{"1.2.2": `emergency account "Administrator"`, "1.2.1": "console"},
		},
		{
			name:      "never deny the emergency account a local logon",
			opts:      fixtureOpts{session: consoleTech},
			tailoring: "emergency_account: breakglass\noverrides:\n  \"2.2.16\": [S-1-5-32-546, S-1-5-113]\n",
			blocked:   map[string]string{"2.2.16": GuardEmergency},
			warnings:  map[string]string{"1.2.2": `"breakglass"`, "2.2.20": `"breakglass" will be denied SeDenyRemoteInteractiveLogonRight`},
		},
		{
			name:     "lockout policy says it affects emergency access",
			opts:     fixtureOpts{session: consoleTech},
			warnings: map[string]string{"1.2.2": "no emergency (break-glass) account is declared", "1.2.1": "no emergency"},
		},
		{
			name:      "an emergency account that does not exist is reported",
			opts:      fixtureOpts{session: consoleTech},
			tailoring: "emergency_account: nobody\n",
			planWarn:  `"nobody"`,
		},
		{
			name: "unknown session: refuse what could lock out and say why",
			opts: fixtureOpts{session: noSession},
			blocked: map[string]string{
				"2.3.1.1": GuardUnknown, "2.3.1.4": GuardUnknown, "2.2.20": GuardUnknown,
				"5.18": GuardRDP, "18.9.58.3.2.1": GuardRDP,
			},
			// Guests can be denied and Administrators keep the local logon
			// whoever the operator is.
			allowed: []string{"2.3.1.2", "MH-ACC-8", "2.2.5", "2.2.17", "5.24", "1.1.4"},
		},
	}
	cat, prof := testCatalog(t), profileFor(t, false)
	ctx := context.Background()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := openSnap(t, writeFixture(t, tc.opts))
			var tl *Tailoring
			if tc.tailoring != "" {
				var err error
				tl, err = ParseTailoring("tailoring.yaml", []byte(tc.tailoring))
				require.NoError(t, err)
			}
			p := plan(t, h, cat, prof, "failed", tl)
			steps := map[string]Step{}
			for _, s := range p.Steps {
				steps[s.CheckID] = s
			}
			var text strings.Builder
			require.NoError(t, p.WriteText(&text))
			for id, guard := range tc.blocked {
				s, ok := steps[id]
				require.True(t, ok, "no step for %s", id)
				assert.False(t, s.Automatic(), "%s must be refused", id)
				assert.Equal(t, guard, s.Guard, "%s: %s", id, s.Blocked)
				assert.NotEmpty(t, s.Blocked)
				assert.Contains(t, text.String(), "refused ("+s.Guard+"): "+s.Blocked, "the preview explains it")
			}
			for _, id := range tc.allowed {
				s, ok := steps[id]
				require.True(t, ok, "no step for %s", id)
				assert.True(t, s.Automatic(), "%s should be allowed, refused: %s", id, s.Blocked)
			}
			for id, want := range tc.warnings {
				s := steps[id]
				assert.Contains(t, strings.Join(s.Warnings, "\n"), want, id)
				assert.Contains(t, text.String(), "warning: ")
			}
			if tc.planWarn != "" {
				assert.Contains(t, strings.Join(p.Warnings, "\n"), tc.planWarn)
			}

			// Apply never makes a refused change. (Renaming Guest is left
			// out: the snapshot resolves the names secedit wrote against the
			// renamed account, which would change how rights read back.)
			kept := p.Steps[:0]
			for _, s := range p.Steps {
				if s.CheckID != "MH-ACC-9" || !s.Automatic() {
					kept = append(kept, s)
				}
			}
			p.Steps = kept
			out, err := Apply(ctx, h, p, Options{Root: t.TempDir()})
			require.NoError(t, err)
			assert.Empty(t, out.Verify.NotTaken)
			for id := range tc.blocked {
				s := steps[id]
				got, err := ReadSetting(ctx, h, s.Setting)
				require.NoError(t, err)
				assert.True(t, got.Equal(s.Setting.Kind, s.Before), "%s changed although refused", id)
			}
		})
	}
}
