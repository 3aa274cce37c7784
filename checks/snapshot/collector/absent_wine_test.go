package collector

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

// subroutine returns the lines of :label up to the first empty line.
func subroutine(t *testing.T, label string) string {
	t.Helper()
	all := lines(t)
	return strings.Join(block(t, all, label), "\r\n") + "\r\n\r\n"
}

// TestAbsentUnderWine runs the collector's :absent against Wine's registry
// and reg.exe: keys that exist are never logged absent=, keys that do not
// are, also when their parent is missing too.
func TestAbsentUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Wine")
	}
	wine, err := exec.LookPath("wine")
	if err != nil {
		t.Skip("wine is not installed")
	}
	present := []string{
		`HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon`,
		`HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters`,
		`HKCU\Control Panel\Desktop`,
	}
	absent := []string{
		`HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\IniFileMapping\medharden-none`,
		`HKLM\SYSTEM\CurrentControlSet\Services\medharden-none\Parameters`,
		`HKLM\SYSTEM\CurrentControlSet\Control\Print\Providers\medharden none\Servers`,
		`HKCU\Software\medharden-none`,
	}
	var sb strings.Builder
	sb.WriteString("@echo off\r\nsetlocal EnableExtensions DisableDelayedExpansion\r\n")
	sb.WriteString("set \"MH_LOG=%~dp0t.log\"\r\nset \"MH_ERRF=%~dp0err.txt\"\r\ntype nul >\"%MH_LOG%\"\r\n")
	for _, k := range append(append([]string(nil), present...), absent...) {
		sb.WriteString("call :absent \"" + k + "\"\r\n")
	}
	sb.WriteString("exit /b 0\r\n\r\n")
	for _, l := range []string{"absent", "keyabsent", "keyline", "keysplit", "logcmd", "logmsg"} {
		sb.WriteString(subroutine(t, l))
	}
	_, log := runCmdUnderWine(t, wine, sb.String())
	for _, k := range present {
		assert.NotContains(t, log, "absent="+k+"\r\n", "existing key logged absent")
		assert.Contains(t, log, "(does it list "+k[strings.LastIndexByte(k, '\\')+1:]+"?)")
	}
	for _, k := range absent {
		assert.Contains(t, log, "absent="+k+"\r\n", log)
	}
}

// runCmdUnderWine runs script as t.cmd in a new folder under Wine's cmd and
// returns the folder and the t.log the script wrote there.
func runCmdUnderWine(t *testing.T, wine, script string) (dir, log string) {
	t.Helper()
	dir = t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "t.cmd"), []byte(script), 0o644))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, wine, "cmd", "/c", "t.cmd")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WINEDEBUG=-all")
	if os.Getenv("WINEPREFIX") == "" {
		// A prefix of its own: the default one may be changed by other Wine
		// users meanwhile. The first run creates it (about 20 s).
		cmd.Env = append(cmd.Env, "WINEPREFIX="+filepath.Join(os.TempDir(), "medharden-wine-collector"))
	}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	b, err := os.ReadFile(filepath.Join(dir, "t.log"))
	require.NoError(t, err)
	return dir, string(b)
}
