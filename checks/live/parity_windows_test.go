//go:build windows

package live

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/windows"

	"medharden/checks"
	"medharden/checks/snapshot"
)

// TestWineAuditMatchesSnapshot seeds the registry-backed settings of the
// Windows 7 catalog in the Wine prefix (a third set, a third wrong type, a
// third absent), exports the keys with reg.exe as the collector does, and
// runs every registry and service check through both hosts: the status and
// the observed value must agree.
func TestWineAuditMatchesSnapshot(t *testing.T) {
	live := wineHost(t)
	ctx := context.Background()
	cat, err := checks.Builtin()
	require.NoError(t, err)
	prof, ok := checks.DefaultProfile("win7")
	require.True(t, ok)

	var selected []checks.Check
	keys := map[string]bool{}
	for i, ch := range cat.Select(prof) {
		switch ch.Probe.Kind() {
		case "registry":
			p := ch.Probe.Registry
			keys[p.Key] = true
			for _, f := range p.Fallback {
				keys[f] = true
			}
			switch i % 3 {
			case 0:
				require.NoError(t, live.SetRegValue(ctx, p.Key, p.Value, checks.DWORDValue(1)), ch.ID)
			case 1:
				require.NoError(t, live.SetRegValue(ctx, p.Key, p.Value, checks.StringValue(checks.RegSZ, "0")), ch.ID)
			default:
				// Absent value, present key: "not configured", not "not collected".
				require.NoError(t, live.SetRegValue(ctx, p.Key, "medharden-seed", checks.DWORDValue(0)), ch.ID)
				require.NoError(t, live.DeleteRegValue(ctx, p.Key, p.Value), ch.ID)
			}
		case "service":
			keys[`HKLM\SYSTEM\CurrentControlSet\Services`] = true
		default:
			continue
		}
		selected = append(selected, ch)
	}
	require.NotEmpty(t, selected)

	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "reg"), 0o755))
	regExe := nativeRegExe(t)
	n := 0
	for key := range keys {
		if _, _, err := splitKey(key); err != nil {
			continue
		}
		n++
		file := filepath.Join(dir, "reg", fmt.Sprintf("k%03d.reg", n))
		out, err := exec.Command(regExe, "export", key, file, "/y").CombinedOutput()
		if err != nil {
			t.Logf("reg export %s: %v %s (the key does not exist)", key, err, strings.TrimSpace(string(out)))
		}
	}
	snap, err := snapshot.Open(dir)
	require.NoError(t, err)

	same := 0
	for _, ch := range selected {
		a := checks.Evaluate(ctx, live, ch)
		b := checks.Evaluate(ctx, snap, ch)
		if assert.Equal(t, b.Status, a.Status, "%s %s: live %q (%s), snapshot %q (%s)", ch.ID, a.Source, a.Actual, a.Reason, b.Actual, b.Reason) &&
			assert.Equal(t, b.Actual, a.Actual, ch.ID) {
			same++
		}
	}
	t.Logf("%d registry and service checks, %d give the same result through both hosts", len(selected), same)
}

// nativeRegExe is the reg.exe the collector runs: the 64-bit one on 64-bit
// Windows, which it reaches from a 32-bit cmd through Sysnative. A 32-bit
// test asking for System32 would get SysWOW64's reg.exe and the 32-bit
// registry view, not what the live host (WOW64_64KEY) or the collector read.
func nativeRegExe(t *testing.T) string {
	sys, err := windows.GetSystemDirectory()
	require.NoError(t, err)
	var wow64 bool
	require.NoError(t, windows.IsWow64Process(windows.CurrentProcess(), &wow64))
	if !wow64 {
		return filepath.Join(sys, "reg.exe")
	}
	win, err := windows.GetWindowsDirectory()
	require.NoError(t, err)
	native := filepath.Join(win, "Sysnative", "reg.exe")
	_, err = os.Stat(native)
	require.NoError(t, err, "a 32-bit process on 64-bit Windows reaches the 64-bit reg.exe through Sysnative")
	return native
}

// BenchmarkLiveAudit times the registry and service checks of the Windows 7
// profile through the live host, the part of an audit Wine runs for real.
func BenchmarkLiveAudit(b *testing.B) {
	live := wineHost(b)
	ctx := context.Background()
	cat, err := checks.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	prof, _ := checks.DefaultProfile("win7")
	var selected []checks.Check
	for _, ch := range cat.Select(prof) {
		if k := ch.Probe.Kind(); k == "registry" || k == "service" {
			selected = append(selected, ch)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, ch := range selected {
			if r := checks.Evaluate(ctx, live, ch); r.Status == checks.Error {
				b.Fatalf("%s: %s", ch.ID, r.Reason)
			}
		}
	}
	b.ReportMetric(float64(len(selected)), "checks/op")
}
