package checks

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// knownGaps are v3.2.0 recommendations the Windows 7 catalog does not
// check, each with the reason. Every one needs several registry values at
// once, which a check (one probe, one value) cannot express.
var knownGaps = map[string]string{
	"18.5.9.1":   "Mapper I/O (LLTDIO) driver off: four values under ...\\Windows\\LLTD",
	"18.5.9.2":   "Responder (RSPNDR) driver off: four values under ...\\Windows\\LLTD",
	"18.5.14.1":  "Hardened UNC paths: the \\\\*\\NETLOGON and \\\\*\\SYSVOL values, each with two flags",
	"18.5.20.1":  "Windows Connect Now registrars off: five values under ...\\WCN\\Registrars",
	"18.8.7.1.2": "denied device classes: four IEEE 1394 class GUIDs in the DenyDeviceClasses list",
	"18.9.24.2":  "EMET default action and mitigations: AntiDetours, BannedFunctions, DeepHooks, ExploitAction",
}

func readBenchmarkIDs(t *testing.T) ([]string, map[string]string) {
	t.Helper()
	f, err := os.Open(filepath.Join("catalog", "cis-win7-v3.2.0.ids"))
	require.NoError(t, err)
	defer f.Close()
	var ids []string
	level := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		require.Len(t, fields, 2, "cis-win7-v3.2.0.ids line %d", n)
		require.True(t, idPattern.MatchString(fields[0]), "line %d: %q", n, fields[0])
		_, dup := level[fields[0]]
		require.False(t, dup, "line %d: %s twice", n, fields[0])
		ids = append(ids, fields[0])
		level[fields[0]] = fields[1]
	}
	require.NoError(t, sc.Err())
	return ids, level
}

// TestCatalogAgainstBenchmark counts the Windows 7 catalog against the list
// of CIS Windows 7 v3.2.0: every recommendation is a check under its v3.2.0
// number and level, or a known gap; every numbered check is a recommendation.
func TestCatalogAgainstBenchmark(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	ids, level := readBenchmarkIDs(t)
	assert.Len(t, ids, 393)
	var missing []string
	for _, id := range ids {
		ch, ok := cat.Get(id)
		if !ok || ch.ID != id || !contains(ch.OS, "win7") {
			if _, known := knownGaps[id]; !known {
				missing = append(missing, id)
			}
			continue
		}
		_, known := knownGaps[id]
		assert.False(t, known, "%s is checked now: remove it from knownGaps", id)
		assert.Equal(t, level[id], ch.Level, "%s level", id)
	}
	assert.Empty(t, missing, "v3.2.0 recommendations without a check (add them, or explain them in knownGaps)")
	for id := range knownGaps {
		_, listed := level[id]
		assert.True(t, listed, "known gap %s is not a v3.2.0 recommendation", id)
	}
	checked := 0
	for _, ch := range cat.Checks {
		if !contains(ch.OS, "win7") || strings.HasPrefix(ch.ID, "MH-") {
			continue
		}
		checked++
		_, listed := level[ch.ID]
		assert.True(t, listed, "%s (%s) is not a v3.2.0 recommendation", ch.ID, ch.Title)
	}
	assert.Equal(t, len(ids)-len(knownGaps), checked)
}

// TestV310IDsResolve: a tailoring file written with v3.1.0 numbers still
// names the same setting where v3.2.0 did not give the number to another
// recommendation; where it did, the number is the v3.2.0 recommendation's.
func TestV310IDsResolve(t *testing.T) {
	cat, err := Builtin()
	require.NoError(t, err)
	for _, tc := range []struct{ old, now, setting string }{
		{"2.3.17.9", "2.3.17.8", "EnableVirtualization"},
		{"17.2.4", "17.2.2", "Security Group Management"},
		{"18.5.4.2", "18.5.4.1", "EnableMulticast"},
		{"18.8.27.1", "18.8.28.1", "LogonType"},
		{"18.8.33.6.3", "18.8.34.6.3", "DCSettingIndex"},
		{"18.8.35.1", "18.8.36.1", "fAllowUnsolicited"},
		{"18.9.58.3.9.3", "18.9.59.3.9.5", "MinEncryptionLevel"},
		{"18.9.58.2.2", "18.9.59.2.2", "DisablePasswordSaving"},
		{"18.9.76.14", "18.9.77.14", "DisableAntiSpyware"},
		{"18.9.101.4", "18.9.102.4", "NoAUAsDefaultShutdownOption"},
		// reused numbers: the v3.2.0 recommendation, not the v3.1.0 one
		{"18.3.6", "18.3.6", "NodeType"},
		{"18.8.36.1", "18.8.36.1", "fAllowUnsolicited"},
		{"2.3.17.2", "2.3.17.2", "ConsentPromptBehaviorAdmin"},
		{"17.2.2", "17.2.2", "Security Group Management"},
	} {
		ch, ok := cat.Get(tc.old)
		require.True(t, ok, tc.old)
		assert.Equal(t, tc.now, ch.ID, tc.old)
		assert.Contains(t, settingLabel(ch.Probe), tc.setting, tc.old)
	}
	for id, title := range map[string]string{"MH-RETIRED-1": "UIAccess", "MH-RETIRED-2": "Computer Account Management", "MH-RETIRED-3": "Other Account Management"} {
		ch, ok := cat.Get(id)
		require.True(t, ok, id)
		assert.Contains(t, ch.Title, title)
		assert.Equal(t, "L1", ch.Level, "retired checks keep their level")
	}
}

func settingLabel(p Probe) string {
	switch {
	case p.Registry != nil:
		return p.Registry.Key + `\` + p.Registry.Value
	case p.Audit != nil:
		return p.Audit.Name
	}
	return settingAddress(p)
}

// TestREADMEClaimsBenchmarkCoverage: the README states exactly the coverage
// the benchmark list gives.
func TestREADMEClaimsBenchmarkCoverage(t *testing.T) {
	ids, _ := readBenchmarkIDs(t)
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	text := strings.Join(strings.Fields(string(readme)), " ")
	assert.Contains(t, text, fmt.Sprintf("They cover %d of its %d recommendations", len(ids)-len(knownGaps), len(ids)))
}
