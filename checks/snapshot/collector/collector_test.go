package collector

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// expectedReg is the contract: reg\<name>.reg -> exported key.
var expectedReg = map[string]string{
	"policies":             `HKLM\SOFTWARE\Policies`,
	"policies-cv":          `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies`,
	"winlogon":             `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon`,
	"lsa":                  `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`,
	"session-manager":      `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager`,
	"securepipeservers":    `HKLM\SYSTEM\CurrentControlSet\Control\SecurePipeServers`,
	"securityproviders":    `HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders`,
	"print-servers":        `HKLM\SYSTEM\CurrentControlSet\Control\Print\Providers\LanMan Print Services\Servers`,
	"profilelist":          `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList`,
	"terminal-server":      `HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server`,
	"lanmanserver":         `HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters`,
	"lanmanworkstation":    `HKLM\SYSTEM\CurrentControlSet\Services\LanmanWorkstation`,
	"netlogon":             `HKLM\SYSTEM\CurrentControlSet\Services\Netlogon\Parameters`,
	"tcpip":                `HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters`,
	"tcpip6":               `HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters`,
	"netbt":                `HKLM\SYSTEM\CurrentControlSet\Services\NetBT\Parameters`,
	"ldap":                 `HKLM\SYSTEM\CurrentControlSet\Services\LDAP`,
	"rasman":               `HKLM\SYSTEM\CurrentControlSet\Services\RasMan\Parameters`,
	"eventlog-security":    `HKLM\SYSTEM\CurrentControlSet\Services\Eventlog\Security`,
	"firewall":             `HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy`,
	"mrxsmb10":             `HKLM\SYSTEM\CurrentControlSet\Services\mrxsmb10`,
	"eventlog-application": `HKLM\SYSTEM\CurrentControlSet\Services\Eventlog\Application`,
	"eventlog-system":      `HKLM\SYSTEM\CurrentControlSet\Services\Eventlog\System`,
	"w32time":              `HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters`,
	"control-windows":      `HKLM\SYSTEM\CurrentControlSet\Control\Windows`,
	"system-policies":      `HKLM\SYSTEM\CurrentControlSet\Policies`,
	"recoveryconsole":      `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Setup\RecoveryConsole`,
	"autorun-inf":          `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\IniFileMapping\Autorun.inf`,
	"hkcu-policies-cv":     `HKCU\Software\Microsoft\Windows\CurrentVersion\Policies`,
	"uninstall":            `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`,
	"uninstall-wow64":      `HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall`,
	"hkcu-policies":        `HKCU\Software\Policies`,
	"hkcu-desktop":         `HKCU\Control Panel\Desktop`,
}

var expectedWMIC = []string{
	"bios", "computersystem", "encryptablevolume", "group", "groupuser", "nicconfig", "os", "qfe", "service", "sysaccount", "useraccount",
}

func lines(t *testing.T) []string {
	t.Helper()
	s := string(Script)
	require.True(t, strings.HasSuffix(s, "\r\n"), "script must end with CRLF")
	return strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
}

func isComment(line string) bool {
	l := strings.ToLower(strings.TrimSpace(line))
	return l == "rem" || strings.HasPrefix(l, "rem ") || strings.HasPrefix(l, "::")
}

// block returns the lines of the subroutine starting at :label up to the
// first empty line (subroutines in collect.cmd hold no empty lines).
func block(t *testing.T, all []string, label string) []string {
	t.Helper()
	for i, l := range all {
		if strings.EqualFold(strings.TrimSpace(l), ":"+label) {
			j := i + 1
			for j < len(all) && strings.TrimSpace(all[j]) != "" {
				j++
			}
			return all[i:j]
		}
	}
	t.Fatalf("label :%s not found", label)
	return nil
}

func TestScriptIsCRLFAndASCII(t *testing.T) {
	require.NotEmpty(t, Script)
	for i, b := range Script {
		switch {
		case b == '\n':
			require.True(t, i > 0 && Script[i-1] == '\r', "LF without CR at byte %d", i)
		case b == '\r':
			require.True(t, i+1 < len(Script) && Script[i+1] == '\n', "CR without LF at byte %d", i)
		case b == 0 || b > 0x7e || (b < 0x20 && b != '\t'):
			t.Fatalf("byte %d is 0x%02x: the script must stay plain ASCII", i, b)
		}
	}
	for n, l := range lines(t) {
		assert.False(t, strings.HasSuffix(l, "^"), "line %d ends with a caret (accidental line continuation)", n+1)
		if isComment(l) {
			// cmd expands percent signs and may act on special characters even in rem lines.
			assert.NotRegexp(t, `[%<>|&^]`, l, "line %d: keep rem lines free of %% < > | & ^", n+1)
		}
	}
}

func TestQuotesBalanced(t *testing.T) {
	// cmd tracks quotes per line: an odd count turns a later >, < or | into text.
	for n, l := range lines(t) {
		if isComment(l) {
			continue
		}
		assert.Equal(t, 0, strings.Count(l, `"`)%2, "line %d has an odd number of quotes: %s", n+1, l)
	}
}

func TestVersionAndLogHeader(t *testing.T) {
	all := lines(t)
	var found bool
	for i, l := range all[:6] {
		if regexp.MustCompile(`^set MH_COLLECTOR_VERSION=\d+\.\d+\.\d+$`).MatchString(l) {
			found = true
			assert.Less(t, i, 5)
		}
	}
	assert.True(t, found, "version variable must be set at the top")
	s := string(Script)
	assert.Contains(t, s, ">\"%MH_LOG%\" echo medharden collector %MH_COLLECTOR_VERSION%\r\n",
		"collect.log must start with the collector version")
	assert.Contains(t, s, `echo(rc=!MH_RC! cmd=!MH_CMDLOG!`)
	assert.Contains(t, s, `"MH_MSG=start=`)
	assert.Contains(t, s, `"MH_MSG=end=`)
	assert.Contains(t, s, `"MH_MSG=os=%MH_VER%"`)
	assert.Contains(t, s, `rc=skipped cmd=auditpol (not present on this Windows)`)
	assert.Contains(t, s, `if "%~1"=="/?" goto :usage`)
}

func TestLabelsExist(t *testing.T) {
	all := lines(t)
	labels := map[string]int{}
	labelRe := regexp.MustCompile(`^:([A-Za-z0-9_]+)\s*$`)
	for _, l := range all {
		if m := labelRe.FindStringSubmatch(l); m != nil {
			labels[strings.ToLower(m[1])]++
		}
	}
	for name, n := range labels {
		assert.Equal(t, 1, n, "label :%s defined %d times", name, n)
	}
	refRe := regexp.MustCompile(`(?i)\b(?:goto|call)\s+:([A-Za-z0-9_]+)`)
	for n, l := range all {
		if isComment(l) {
			continue
		}
		for _, m := range refRe.FindAllStringSubmatch(l, -1) {
			target := strings.ToLower(m[1])
			if target == "eof" {
				continue
			}
			assert.Contains(t, labels, target, "line %d jumps to missing label :%s", n+1, m[1])
		}
	}
}

func TestRegExportTargets(t *testing.T) {
	all := lines(t)
	callRe := regexp.MustCompile(`^call :(export_reg|export_reg_redacted) (\S+) "([^"]+)"(?: (\S+))?$`)
	got := map[string]string{}
	redacted := map[string]string{}
	for _, l := range all {
		m := callRe.FindStringSubmatch(strings.TrimSpace(l))
		if m == nil || strings.Contains(m[2], "%MH_USID%") {
			continue // a person's hive: TestUserHivesLoadOnlyTheirOwnName
		}
		_, dup := got[m[2]]
		assert.False(t, dup, "reg\\%s.reg exported twice", m[2])
		got[m[2]] = m[3]
		if m[1] == "export_reg_redacted" {
			require.NotEmpty(t, m[4], "redacted export of %s names no value", m[2])
			redacted[m[2]] = m[4]
		} else {
			assert.Empty(t, m[4])
		}
	}
	assert.Equal(t, expectedReg, got)
	assert.Equal(t, "DefaultPassword", redacted["winlogon"])

	// The only reg export commands are the ones in the two subroutines.
	plain := block(t, all, "export_reg")
	safe := block(t, all, "export_reg_redacted")
	inSub := map[string]bool{}
	for _, l := range append(append([]string{}, plain...), safe...) {
		inSub[l] = true
	}
	exportRe := regexp.MustCompile(`(?i)\breg(\.exe)?\s+export\b`)
	var count int
	for n, l := range all {
		if isComment(l) || !exportRe.MatchString(l) || strings.HasPrefix(l, `set "MH_MSG=`) {
			continue // log text, not a command
		}
		count++
		assert.True(t, inSub[l], "line %d runs reg export outside :export_reg / :export_reg_redacted: %s", n+1, l)
	}
	assert.Equal(t, 2, count)
	assert.Contains(t, strings.Join(plain, "\n"), `set "MH_CMD=reg export "%~2" "%MH_TARGET%"%MH_REGY%"`)
	// XP's reg export has no /y: the flag comes from MH_REGY, which is empty on 5.x.
	assert.Contains(t, string(Script), "if \"%MH_LEGACY%\"==\"1\" set \"MH_REGY=\"\r\n")
}

func TestWinlogonNeverExportedIntoOutputFolder(t *testing.T) {
	all := lines(t)
	for n, l := range all {
		if strings.Contains(strings.ToLower(l), `currentversion\winlogon`) && !isComment(l) {
			assert.True(t, strings.HasPrefix(strings.TrimSpace(l), "call :export_reg_redacted winlogon "),
				"line %d touches Winlogon outside the redacting export: %s", n+1, l)
		}
	}
	safe := block(t, all, "export_reg_redacted")
	body := strings.Join(safe, "\n")
	// The export goes to MH_TMP, which lives in the temp folder, never in the output.
	assert.Contains(t, body, `set "MH_CMD=reg export "%~2" "%MH_TMP%"%MH_REGY%"`)
	var tmpSet []string
	for _, l := range safe {
		if strings.HasPrefix(l, `set "MH_TMP=`) {
			tmpSet = append(tmpSet, l)
		}
		if regexp.MustCompile(`(?i)\breg\s+export\b`).MatchString(l) {
			assert.NotContains(t, l, "MH_OUT")
			assert.NotContains(t, l, "MH_TARGET")
		}
	}
	require.Len(t, tmpSet, 1)
	assert.True(t, strings.HasPrefix(tmpSet[0], `set "MH_TMP=%MH_TEMPDIR%\`), tmpSet[0])
	for n, l := range all {
		if strings.Contains(l, `set "MH_TEMPDIR=`) {
			assert.NotContains(t, l, "MH_OUT", "line %d", n+1)
			assert.NotContains(t, l, "MH_BASE", "line %d", n+1)
		}
	}
	// The target is only ever produced by copying the scanned or filtered temp file,
	// checked again afterwards, and the temp files are deleted.
	assert.Contains(t, body, `set "MH_CMD=copy /b /y "%MH_TMP%" "%MH_TARGET%""`)
	assert.Contains(t, body, `set "MH_CMD=copy /b /y "%MH_FILT%"+"%MH_FOOT%" "%MH_TARGET%""`)
	assert.Contains(t, body, `call :secretscan "%MH_TARGET%"`)
	assert.Contains(t, body, `del /f /q "%MH_TMP%" "%MH_FILT%" "%MH_FOOT%"`)
	s := string(Script)
	assert.Contains(t, s, `set "MH_MARK=<redacted by medharden collector>"`)
	assert.Contains(t, s, `echo(!MH_SECPFX!"!MH_MARK!"`)
	assert.Contains(t, s, `/c:"redacted by medharden collector"`)
}

func TestWMICQueries(t *testing.T) {
	all := lines(t)
	callRe := regexp.MustCompile(`^call :query_wmic (\S+)`)
	seen := map[string]bool{}
	for _, l := range all {
		if m := callRe.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
			seen[m[1]] = true
		}
	}
	var names []string
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	assert.Equal(t, expectedWMIC, names)
	s := string(Script)
	// wmic must never hang on stdin.
	assert.Contains(t, s, `%MH_CMD% <nul >"%MH_FILE%" 2>"%MH_ERRF%"`)
	assert.Contains(t, s, `%MH_CMD% <nul >"%MH_PROBE%" 2>"%MH_ERRF%"`)
	assert.Contains(t, s, `wmic os get LocalDateTime /value ^<nul`)
	assert.Contains(t, s, `\wbem\en-US\csv.xsl`)
}

func TestNoNetworkAndLocalOnly(t *testing.T) {
	all := lines(t)
	low := strings.ToLower(string(Script))
	assert.NotContains(t, low, "/node", "wmic must only query the local machine")
	assert.NotContains(t, low, "/user:")
	assert.NotContains(t, low, "/password:")
	netRe := regexp.MustCompile(`(?i)(^|[\s&|("'])(net|net1|ping|ftp|tftp|bitsadmin|powershell|curl|wget|certutil|nslookup|telnet|mstsc|psexec|winrm|winrs|wusa|robocopy|xcopy)(\.exe)?([\s"']|$)`)
	uncRe := regexp.MustCompile(`\\\\`)
	for n, l := range all {
		if isComment(l) {
			continue
		}
		assert.False(t, netRe.MatchString(l), "line %d runs a network command: %s", n+1, l)
		for _, loc := range uncRe.FindAllStringIndex(l, -1) {
			assert.True(t, strings.HasPrefix(strings.ToLower(l[loc[0]:]), `\\root\`),
				"line %d holds a UNC path: %s", n+1, l)
		}
		assert.NotContains(t, strings.ToLower(l), "net use")
	}
}

func TestReadOnly(t *testing.T) {
	// reg load and unload are allowed only for HKU\medharden-collect-<SID> in
	// :userhive and :hive_unload (TestUserHivesLoadOnlyTheirOwnName).
	perUser := map[string]bool{}
	for _, l := range append(block(t, lines(t), "userhive"), block(t, lines(t), "hive_unload")...) {
		perUser[l] = true
	}
	writeRe := regexp.MustCompile(`(?i)\breg(\.exe)?\s+(add|delete|import|load|unload|restore|save|copy)\b|` +
		`secedit(\.exe)?\s+/(configure|import)|auditpol(\.exe)?\s+/(set|restore|clear|remove)|` +
		`\bsc(\.exe)?\s+(config|stop|start|delete)\b|\bregedit\b|\bwmic\b[^|'&]*\s(call|set|delete|create)\b`)
	for n, l := range lines(t) {
		if isComment(l) || (perUser[l] && regexp.MustCompile(`(?i)reg (load|unload) "(%MH_UHIVE%|%~1)"`).MatchString(l)) {
			continue
		}
		assert.False(t, writeRe.MatchString(l), "line %d may change the host: %s", n+1, l)
	}
}

func TestWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	p, err := Write(dir, false)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(dir, FileName), p)
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(Script, got))

	// Idempotent: same content again is fine, with or without force.
	p2, err := Write(dir, false)
	require.NoError(t, err)
	assert.Equal(t, p, p2)
	_, err = Write(dir, true)
	require.NoError(t, err)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary files left behind")

	// A foreign file is not overwritten without force.
	foreign := []byte("@echo off\r\necho somebody else's script\r\n")
	require.NoError(t, os.WriteFile(p, foreign, 0o644))
	_, err = Write(dir, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already exists")
	got, err = os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, foreign, got)

	// With force it is replaced.
	_, err = Write(dir, true)
	require.NoError(t, err)
	got, err = os.ReadFile(p)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(Script, got))
}

func TestWriteRefusesDirectoryAndEmpty(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, FileName), 0o755))
	_, err := Write(dir, true)
	assert.Error(t, err)
	_, err = Write("", false)
	assert.Error(t, err)
}

// The per-user block loads a hive only under HKU\medharden-collect-<SID>,
// exports the three user-scope keys from it, unloads it at once, and
// unloads any hive of that name an interrupted run left behind before
// anything else. A hive a running medharden loaded (medharden-live-<SID>)
// is exported where it is and never unloaded.
func TestUserHivesLoadOnlyTheirOwnName(t *testing.T) {
	all := lines(t)
	hives := strings.Join(block(t, all, "userhives"), "\n")
	user := strings.Join(block(t, all, "userhive"), "\n")
	export := strings.Join(block(t, all, "userhive_export"), "\n")
	unload := strings.Join(block(t, all, "hive_unload"), "\n")
	require.Contains(t, hives, "call :hive_leftover")
	assert.Less(t, strings.Index(hives, "call :hive_leftover"), strings.Index(hives, "call :userhive "), "leftovers are unloaded first")
	leftover := strings.Join(block(t, all, "hive_leftover"), "\n")
	assert.Contains(t, leftover, `if /i not "%MH_L:~0,20%"=="medharden-collect-S-" goto :eof`, "only the collector's own hives")
	assert.NotContains(t, leftover, "medharden-live-")
	assert.Contains(t, user, `set "MH_UHIVE=HKU\medharden-collect-%MH_USID%"`)
	assert.Contains(t, user, `call :userhive_export "HKU\medharden-live-%MH_USID%"`)
	assert.NotContains(t, user, `unload "HKU\medharden-live-`, "a live run's hive is never unloaded")
	assert.NotContains(t, unload, "medharden-live-")
	assert.Contains(t, user, `set "MH_CMD=reg load "%MH_UHIVE%" "%MH_UPATH%\NTUSER.DAT""`)
	load := strings.Index(user, "reg load")
	assert.Less(t, load, strings.Index(user, "call :userhive_export \"%MH_UHIVE%\""))
	assert.Less(t, strings.Index(user, "call :userhive_export \"%MH_UHIVE%\""), strings.Index(user, "call :hive_unload \"%MH_UHIVE%\""), "unloaded right after the export")
	assert.Equal(t, 1, strings.Count(string(Script), "reg load"), "one load in the whole script")
	assert.Contains(t, unload, `set "MH_CMD=reg unload "%~1""`)
	for _, k := range []string{`"%~1\Software\Policies"`, `"%~1\Control Panel\Desktop"`, `"%~1\Software\Microsoft\Windows\CurrentVersion\Policies"`} {
		assert.Contains(t, export, k)
	}
	assert.Contains(t, strings.Join(block(t, all, "keyabsent"), "\n"), `set "MH_KLP=%MH_KLP:HKU\=HKEY_USERS\%"`, "absent= works for keys of a person's hive")
}
