package collector

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUserHivesUnderWine runs the collector's :userhives against Wine's
// registry and reg.exe. Wine's one profile (S-1-5-21-0-0-0-1000) is loaded,
// so its keys are exported from HKU\<SID>; a profile whose folder has no
// NTUSER.DAT is logged as failed, and nothing is left loaded.
func TestUserHivesUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Wine")
	}
	wine, err := exec.LookPath("wine")
	if err != nil {
		t.Skip("wine is not installed")
	}
	const ghost = "S-1-5-21-0-0-0-1999"
	var sb strings.Builder
	sb.WriteString("@echo off\r\nsetlocal EnableExtensions DisableDelayedExpansion\r\n")
	sb.WriteString("set \"MH_OUT=%~dp0out\"\r\nset \"MH_LOG=%~dp0t.log\"\r\nset \"MH_ERRF=%~dp0err.txt\"\r\nset \"MH_REGY= /y\"\r\nset \"MH_FAILS=0\"\r\n")
	sb.WriteString("mkdir \"%MH_OUT%\\reg\"\r\ntype nul >\"%MH_LOG%\"\r\n")
	sb.WriteString("reg add \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\" + ghost + "\" /v ProfileImagePath /t REG_EXPAND_SZ /d \"%%SystemDrive%%\\users\\medharden-ghost\" /f >nul\r\n")
	sb.WriteString("call :userhives\r\n")
	sb.WriteString("reg delete \"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\" + ghost + "\" /f >nul\r\n")
	sb.WriteString("reg query HKU >\"%~dp0hku.txt\"\r\nexit /b 0\r\n\r\n")
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
	hku, err := os.ReadFile(filepath.Join(dir, "hku.txt"))
	require.NoError(t, err)
	assert.NotContains(t, strings.ToLower(string(hku)), "medharden-", "no hive is left loaded")
}
