package collector

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks/winfmt"
)

// TestUserHivesUnderWine runs the collector's :userhives against Wine's
// registry and reg.exe. Wine's one profile (S-1-5-21-0-0-0-1000) is loaded,
// so its keys are exported from HKU\<SID>; a profile whose folder has no
// NTUSER.DAT is logged as failed; a profile whose hive a running medharden
// has loaded (HKU\medharden-live-<SID>) is exported from there, not loaded
// a second time, and stays loaded; the collector leaves nothing of its own
// loaded. Wine's reg.exe has no load or unload: the live run's hive is a
// key made under HKEY_USERS, which reg query and export see the same way.
func TestUserHivesUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Wine")
	}
	wine, err := exec.LookPath("wine")
	if err != nil {
		t.Skip("wine is not installed")
	}
	const ghost = "S-1-5-21-0-0-0-1999"
	const nurse = "S-1-5-21-0-0-0-1998"
	const pl = `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\`
	const live = `HKU\medharden-live-` + nurse
	var sb strings.Builder
	sb.WriteString("@echo off\r\nsetlocal EnableExtensions DisableDelayedExpansion\r\n")
	sb.WriteString("set \"MH_OUT=%~dp0out\"\r\nset \"MH_LOG=%~dp0t.log\"\r\nset \"MH_ERRF=%~dp0err.txt\"\r\nset \"MH_REGY= /y\"\r\nset \"MH_FAILS=0\"\r\n")
	sb.WriteString("mkdir \"%MH_OUT%\\reg\"\r\ntype nul >\"%MH_LOG%\"\r\n")
	sb.WriteString("reg add \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\" + ghost + "\" /v ProfileImagePath /t REG_EXPAND_SZ /d \"%%SystemDrive%%\\users\\medharden-ghost\" /f >nul\r\n")
	sb.WriteString("reg add \"" + pl + nurse + "\" /v ProfileImagePath /t REG_EXPAND_SZ /d \"%%SystemDrive%%\\users\\medharden-nurse\" /f >nul\r\n")
	sb.WriteString("reg add \"" + live + "\\Control Panel\\Desktop\" /v ScreenSaveActive /d 1 /f >nul\r\n")
	sb.WriteString("call :userhives\r\n")
	sb.WriteString("reg query HKU >\"%~dp0hku.txt\"\r\n")
	sb.WriteString("reg delete \"" + live + "\" /f >nul\r\n")
	sb.WriteString("reg delete \"" + pl + nurse + "\" /f >nul\r\n")
	sb.WriteString("reg delete \"" + pl + ghost + "\" /f >nul\r\nexit /b 0\r\n\r\n")
	for _, l := range []string{"userhives", "hive_leftover", "userhive", "userhive_export", "hive_unload", "export_reg", "run", "absent", "keyabsent", "keyline", "keysplit", "logcmd", "logmsg"} {
		sb.WriteString(subroutine(t, l))
	}
	// Wine 8's findstr reads no input and exits 0, so the real :badpath
	// would call every path bad; this one finds none.
	sb.WriteString(":badpath\r\nexit /b 1\r\n\r\n")
	dir, log := runCmdUnderWine(t, wine, sb.String())
	const wineUser = "S-1-5-21-0-0-0-1000"
	assert.Contains(t, log, "userhive="+wineUser+" loaded\r\n", log)
	assert.Contains(t, log, `cmd=reg export "HKU\`+wineUser+`\Control Panel\Desktop"`, log)
	_, err = os.Stat(filepath.Join(dir, "out", "reg", "user-"+wineUser+"-desktop.reg"))
	assert.NoError(t, err, "the loaded hive's Control Panel\\Desktop is exported")
	assert.Contains(t, log, "userhive="+ghost+" failed (no NTUSER.DAT in the profile folder)", log)
	assert.Contains(t, log, "userhive="+nurse+" live\r\n", log)
	assert.Contains(t, log, `cmd=reg export "`+live+`\Control Panel\Desktop"`, log)
	assert.NotContains(t, log, "reg load", "the live run's hive is not loaded a second time")
	assert.NotContains(t, log, "reg unload", log)
	desktop, err := os.ReadFile(filepath.Join(dir, "out", "reg", "user-"+nurse+"-desktop.reg"))
	require.NoError(t, err, "the live run's hive is exported")
	text, err := winfmt.DecodeText("user-"+nurse+"-desktop.reg", desktop)
	require.NoError(t, err)
	assert.Contains(t, text, `"ScreenSaveActive"="1"`, "the live run's setting")
	b, err := os.ReadFile(filepath.Join(dir, "hku.txt"))
	require.NoError(t, err)
	hku := strings.ToLower(string(b))
	assert.Contains(t, hku, strings.ToLower(`HKEY_USERS\medharden-live-`+nurse), "the live run's hive stays loaded")
	assert.NotContains(t, hku, "medharden-collect-", "the collector leaves nothing of its own loaded")
}
