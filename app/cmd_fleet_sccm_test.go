package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sccmScript is the example an SCCM task sequence step or package program
// runs on each device (README, "Fleet").
var sccmScript = filepath.Join("..", "installer", "sccm", "collect-to-share.cmd")

// winePath is how Wine's cmd names a Unix path (drive Z: is /).
func winePath(p string) string {
	abs, _ := filepath.Abs(p)
	return "Z:" + strings.ReplaceAll(abs, "/", `\`)
}

// stand-in for medharden-collect.cmd: writes the snapshot MH_FAKE_SRC as
// %1\MH_FAKE_NAME and exits with MH_FAKE_RC, as the collector writes one
// HOST-yyyymmdd-hhmmss folder under the folder it is given.
const fakeCollector = "@echo off\r\n" +
	"if not \"%MH_FAKE_RC%\"==\"0\" exit /b %MH_FAKE_RC%\r\n" +
	"xcopy \"%MH_FAKE_SRC%\" \"%~1\\%MH_FAKE_NAME%\\\" /e /i /q /y >nul\r\n" +
	"exit /b 0\r\n"

// runSCCMScript runs the example under Wine's cmd, from a package folder
// holding it and the stand-in collector, and returns its exit code and
// output.
func runSCCMScript(t *testing.T, wine, pkg, share, src, name, rc string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, wine, "cmd", "/c", "collect-to-share.cmd", winePath(share))
	cmd.Dir = pkg
	cmd.Env = append(os.Environ(), "WINEDEBUG=-all", "MH_FAKE_SRC="+winePath(src), "MH_FAKE_NAME="+name, "MH_FAKE_RC="+rc)
	if os.Getenv("WINEPREFIX") == "" {
		// Its own prefix (made once, about 20 s): the collector's Wine tests
		// run in parallel with this package and share a %TEMP% in theirs.
		cmd.Env = append(cmd.Env, "WINEPREFIX="+filepath.Join(os.TempDir(), "medharden-wine-sccm"))
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, "%s", out)
		return ee.ExitCode(), string(out)
	}
	return 0, string(out)
}

// TestSCCMCollectToShareUnderWine runs the SCCM example under Wine's cmd
// for three devices (one with a host name cmd would otherwise run) and a
// failing collector, then reads the share with fleet: the layout the
// script makes is the one fleet reads, and the newest snapshot of the
// device that was collected twice is the one audited.
func TestSCCMCollectToShareUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Wine")
	}
	wine, err := exec.LookPath("wine")
	if err != nil {
		t.Skip("wine is not installed")
	}
	tmp := t.TempDir()
	pkg := filepath.Join(tmp, "package")
	require.NoError(t, os.MkdirAll(pkg, 0o755))
	script, err := os.ReadFile(sccmScript)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(pkg, "collect-to-share.cmd"), script, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(pkg, "medharden-collect.cmd"), []byte(fakeCollector), 0o644))
	share := filepath.Join(tmp, "share")

	// Without SHARE\incoming and SHARE\snapshots nothing is collected.
	code, out := runSCCMScript(t, wine, pkg, share, sample(win7Vendor), "ICU-CS01-20261118-093000", "0")
	assert.Equal(t, 2, code, out)
	assert.Contains(t, out, `\incoming and `)
	require.NoError(t, os.MkdirAll(filepath.Join(share, "incoming"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(share, "snapshots"), 0o755))

	devices := []struct{ src, name string }{
		{sample(win7Vendor), "ICU-CS01-20261118-093000"},
		{sample(win7Hardened), "ICU-CS01-20261118-151500"},
		{sample(xpVendor), "PUMP(2)&x^y-20261119-084500"},
	}
	for _, d := range devices {
		code, out := runSCCMScript(t, wine, pkg, share, d.src, d.name, "0")
		require.Equal(t, 0, code, out)
		assert.Contains(t, out, `\snapshots\`+d.name, "the name is printed, not run")
	}
	// A collector that fails (not an administrator) leaves nothing.
	code, out = runSCCMScript(t, wine, pkg, share, sample(win7Vendor), "LATE-20261122-000000", "5")
	assert.Equal(t, 5, code, out)
	assert.Contains(t, out, "exit code 5")

	incoming, err := os.ReadDir(filepath.Join(share, "incoming"))
	require.NoError(t, err)
	assert.Empty(t, incoming, "every copy was moved on")
	got, err := os.ReadDir(filepath.Join(share, "snapshots"))
	require.NoError(t, err)
	var names []string
	for _, e := range got {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{devices[0].name, devices[1].name, devices[2].name}, names)
	for _, d := range devices {
		requireSameTree(t, d.src, filepath.Join(share, "snapshots", d.name))
	}

	code, stdout, stderr := runCLI("fleet", filepath.Join(share, "snapshots"))
	require.Equal(t, exitFindings, code, stderr)
	rows := readJSONL(t, stdout)
	assert.Equal(t, []string{devices[1].name, devices[2].name}, foldersOf(filepath.Join(share, "snapshots"), rows),
		"the newest snapshot of ICU-CS01 and the XP device")
	hosts := map[string]bool{}
	for _, r := range rows {
		assert.Equal(t, recordCheck, r.Record)
		assert.NotEmpty(t, r.CheckID, "no folder failed: %+v", r)
		hosts[r.Host+" "+r.Profile] = true
	}
	assert.Equal(t, map[string]bool{"ICU-CS01 cis-win7-l1": true, "PUMPSRV-XP winxp": true}, hosts)
}

// requireSameTree: every file of want is in got with the same bytes.
func requireSameTree(t *testing.T, want, got string) {
	t.Helper()
	n := 0
	require.NoError(t, filepath.Walk(want, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(want, p)
		a, err := os.ReadFile(p)
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(got, rel))
		require.NoError(t, err, rel)
		assert.Equal(t, a, b, rel)
		n++
		return nil
	}))
	require.NotZero(t, n)
}
