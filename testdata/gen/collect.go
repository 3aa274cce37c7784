package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// host is everything the collector can see on one machine.
type host struct {
	name  string    // computer name, also wmic's Node column
	start time.Time // when the collector started
	ver   string    // what `ver` prints
	xp    bool      // Windows XP: no auditpol, no BitLocker namespace, older wmic
	x64   bool      // has Wow6432Node

	reg    *registry
	policy secPolicy

	audit        map[string]int // advanced audit policy by subcategory; nil on XP
	auditUnicode bool           // auditpol.csv stored as UTF-16LE (see README)

	wmi map[string][]instance // instances by wmic file name (os, qfe, ...)

	// collector and collectorSID: the local administrator who ran the
	// collector (whoami is missing on a plain XP, so the SID is empty there)
	collector, collectorSID string

	groupUser []string // Win32_GroupUser rows without the Node column (device.go)
	tasks     []task

	// profiles of local accounts (device.go) and, by account name, changes
	// to a person's own hive beyond the collecting user's HKCU (userhive.go)
	profiles  []profile
	userEdits map[string]func(r *registry, root string)
}

// regExports is the collector's list of reg export commands, in order.
var regExports = []struct{ file, key string }{
	{"policies", `HKLM\SOFTWARE\Policies`},
	{"policies-cv", `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies`},
	{"winlogon", `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon`},
	{"lsa", `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`},
	{"session-manager", `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager`},
	{"securepipeservers", `HKLM\SYSTEM\CurrentControlSet\Control\SecurePipeServers`},
	{"securityproviders", `HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders`},
	{"print-servers", `HKLM\SYSTEM\CurrentControlSet\Control\Print\Providers\LanMan Print Services\Servers`},
	{"terminal-server", `HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server`},
	{"lanmanserver", `HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters`},
	{"lanmanworkstation", `HKLM\SYSTEM\CurrentControlSet\Services\LanmanWorkstation`},
	{"netlogon", `HKLM\SYSTEM\CurrentControlSet\Services\Netlogon\Parameters`},
	{"tcpip", `HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters`},
	{"tcpip6", `HKLM\SYSTEM\CurrentControlSet\Services\Tcpip6\Parameters`},
	{"netbt", `HKLM\SYSTEM\CurrentControlSet\Services\NetBT\Parameters`},
	{"ldap", `HKLM\SYSTEM\CurrentControlSet\Services\LDAP`},
	{"rasman", `HKLM\SYSTEM\CurrentControlSet\Services\RasMan\Parameters`},
	{"eventlog-security", `HKLM\SYSTEM\CurrentControlSet\Services\Eventlog\Security`},
	{"firewall", `HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy`},
	{"mrxsmb10", `HKLM\SYSTEM\CurrentControlSet\Services\mrxsmb10`},
	{"eventlog-application", `HKLM\SYSTEM\CurrentControlSet\Services\Eventlog\Application`},
	{"eventlog-system", `HKLM\SYSTEM\CurrentControlSet\Services\Eventlog\System`},
	{"w32time", `HKLM\SYSTEM\CurrentControlSet\Services\W32Time\Parameters`},
	{"control-windows", `HKLM\SYSTEM\CurrentControlSet\Control\Windows`},
	{"system-policies", `HKLM\SYSTEM\CurrentControlSet\Policies`},
	{"recoveryconsole", `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Setup\RecoveryConsole`},
	{"autorun-inf", `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\IniFileMapping\Autorun.inf`},
	{"uninstall", `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`},
	{"profilelist", `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList`},
	{"uninstall-wow64", `HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall`},
	{"hkcu-policies", `HKCU\Software\Policies`},
	{"hkcu-desktop", `HKCU\Control Panel\Desktop`},
	{"hkcu-policies-cv", `HKCU\Software\Microsoft\Windows\CurrentVersion\Policies`},
}

// wmicQueries: the properties are listed in the order the collector asks
// for them; wmic sorts them in its output.
var wmicQueries = []struct {
	file, alias string
	props       []string
}{
	{"os", "os", []string{"Caption", "Version", "BuildNumber", "CSDVersion", "OSArchitecture", "OperatingSystemSKU", "OSLanguage", "CSName", "InstallDate", "LastBootUpTime"}},
	{"computersystem", "computersystem", []string{"Name", "Domain", "Workgroup", "PartOfDomain", "Manufacturer", "Model", "SystemType", "UserName"}},
	{"bios", "bios", []string{"Manufacturer", "SMBIOSBIOSVersion", "SerialNumber", "ReleaseDate"}},
	{"qfe", "qfe", []string{"HotFixID", "Description", "InstalledOn"}},
	{"nicconfig", "nicconfig", []string{"Description", "MACAddress", "IPAddress", "DefaultIPGateway", "DHCPEnabled"}},
	{"useraccount", `useraccount where "LocalAccount=TRUE"`, []string{"Name", "SID", "Disabled", "Lockout", "PasswordRequired", "PasswordExpires", "Status"}},
	{"service", "service", []string{"Name", "StartMode", "State", "StartName"}},
	{"group", `group where "LocalAccount=TRUE"`, []string{"Domain", "Name", "SID"}},
	{"sysaccount", "sysaccount", []string{"Domain", "Name", "SID"}},
}

// Properties Win32_OperatingSystem gained after XP; the collector leaves
// them out there (asking for them would make wmic fail the whole query).
var notOnXP = []string{"OSArchitecture", "OperatingSystemSKU"}

const redactedLine = `"DefaultPassword"="<redacted by medharden collector>"`

type snapFile struct {
	path  string // relative, with forward slashes
	data  []byte
	mtime time.Time
}

type snapshot struct {
	dir string
	ver string // the os= line
	// who ran the collector, as collect.log records it
	user, userSID, session string
	start                  time.Time
	clock                  time.Time // advances as commands "run"
	log                    []string
	files                  []snapFile
}

// run records a command and, when it produced one, its file.
func (s *snapshot) run(rc int, seconds int, cmd, path string, data []byte) {
	s.clock = s.clock.Add(time.Duration(seconds) * time.Second)
	s.log = append(s.log, fmt.Sprintf("rc=%d cmd=%s", rc, cmd))
	if path != "" {
		s.files = append(s.files, snapFile{path: path, data: data, mtime: s.clock})
	}
}

func (s *snapshot) skip(what string) { s.log = append(s.log, "skip="+what) }

// probeAbsent plays the collector's :absent after a failed export of a key
// that does not exist: it lists the parent (and, when the parent is missing
// too, the parent's parent) and logs absent=KEY.
func (s *snapshot) probeAbsent(r *registry, key string) {
	for k := key; ; {
		i := strings.LastIndexByte(k, '\\')
		if i < 0 {
			return
		}
		parent, leaf := k[:i], k[i+1:]
		rc := 1
		if r.exists(expandHive(parent)) {
			rc = 0
		}
		s.run(rc, 0, fmt.Sprintf(`reg query "%s" (does it list %s?)`, parent, leaf), "", nil)
		if rc == 0 {
			s.log = append(s.log, "absent="+key)
			return
		}
		k = parent
	}
}

func expandHive(k string) string {
	k = strings.Replace(k, `HKLM\`, `HKEY_LOCAL_MACHINE\`, 1)
	k = strings.Replace(k, `HKU\`, `HKEY_USERS\`, 1)
	return strings.Replace(k, `HKCU\`, `HKEY_CURRENT_USER\`, 1)
}

// export is reg export: the root's path as typed on the command line (with
// the hive spelled out), the names below it as stored.
func export(r *registry, root string) (string, bool) {
	full := expandHive(root)
	if !r.exists(full) {
		return "", false
	}
	keys := r.subtree(full)
	out := make([]*key, len(keys))
	for i, k := range keys {
		out[i] = &key{path: full + k.path[len(full):], values: k.values}
	}
	return regedit(out), true
}

// collect plays the collector script against a host.
func collect(h *host) *snapshot {
	s := &snapshot{
		dir:     h.name + "-" + h.start.Format("20060102-150405"),
		ver:     h.ver,
		start:   h.start,
		clock:   h.start,
		user:    h.name + `\` + h.collector,
		userSID: h.collectorSID,
		session: "Console",
	}
	osName := "win7"
	if h.xp {
		osName = "xp"
	}

	s.run(0, 3, "secedit /export /cfg secedit.inf /areas SECURITYPOLICY USER_RIGHTS",
		"secedit.inf", unicodeFile(seceditINF(h.policy, h.reg, osName)))

	if h.audit == nil {
		s.skip("auditpol.csv: auditpol.exe is not part of Windows XP")
	} else {
		text := auditpolBackup(h.name, h.audit, false)
		data := []byte(text)
		if h.auditUnicode {
			data = unicodeFile(text)
		}
		s.run(0, 1, "auditpol /backup /file:auditpol.csv", "auditpol.csv", data)
	}

	yes := " /y" // reg export /y (overwrite) arrived with Vista's reg.exe
	if h.xp {
		yes = ""
	}
	for _, e := range regExports {
		if e.file == "uninstall-wow64" && !h.x64 {
			s.skip(`reg\uninstall-wow64.reg: 32-bit Windows has no Wow6432Node`)
			continue
		}
		if e.file == "winlogon" {
			exportWinlogon(s, h, e.key, yes)
			continue
		}
		cmd := fmt.Sprintf(`reg export "%s" reg\%s.reg%s`, e.key, e.file, yes)
		text, ok := export(h.reg, e.key)
		if !ok {
			s.run(1, 1, cmd, "", nil)
			s.probeAbsent(h.reg, e.key)
			continue
		}
		s.run(0, 1, cmd, "reg/"+e.file+".reg", unicodeFile(text))
	}
	exportUserHives(s, h, yes)

	for _, q := range wmicQueries {
		props := q.props
		if h.xp {
			props = nil
			for _, p := range q.props {
				if !contains(notOnXP, p) {
					props = append(props, p)
				}
			}
		}
		cmd := fmt.Sprintf(`wmic /output:wmic\%s.csv %s get %s /format:csv`, q.file, q.alias, strings.Join(props, ","))
		s.run(0, 2, cmd, "wmic/"+q.file+".csv", unicodeFile(wmicCSV(h.name, props, h.wmi[q.file])))
	}
	s.run(0, 2, `wmic /output:wmic\groupuser.csv path Win32_GroupUser get GroupComponent,PartComponent /format:csv`, "wmic/groupuser.csv", unicodeFile(groupUserCSV(h)))
	s.run(0, 2, `schtasks /query /v /fo csv > schtasks.csv`, "schtasks.csv", ansiFile(schtasksCSV(h)))
	const bitlocker = `\\root\cimv2\security\microsoftvolumeencryption`
	if h.xp {
		s.skip(`wmic\encryptablevolume.csv: BitLocker does not exist before Windows Vista`)
	} else {
		// Windows 7 Professional has no BitLocker: the namespace is missing
		// and wmic exits with WBEM_E_INVALID_NAMESPACE (0x8004100E).
		s.run(-2147217394, 1, `wmic /namespace:`+bitlocker+` /output:wmic\encryptablevolume.csv path Win32_EncryptableVolume get DriveLetter,ProtectionStatus /format:csv`, "", nil)
		s.skip(`wmic\encryptablevolume.csv: namespace root\cimv2\security\microsoftvolumeencryption absent (no BitLocker on this edition); empty output removed`)
	}
	return s
}

// exportWinlogon: the collector exports Winlogon to %TEMP%, copies it
// through `type | findstr` into the snapshot (which turns it into ANSI and
// drops any DefaultPassword line) and, when a DefaultPassword exists,
// appends a redacted one so the checks still see that it is there.
func exportWinlogon(s *snapshot, h *host, k, yes string) {
	tmp := `"%TEMP%\mh-winlogon.reg"`
	text, ok := export(h.reg, k)
	if !ok {
		panic("no Winlogon key")
	}
	s.run(0, 1, fmt.Sprintf(`reg export "%s" %s%s`, k, tmp, yes), "", nil)
	var kept []string
	for _, line := range strings.SplitAfter(text, "\r\n") {
		if !strings.HasPrefix(strings.ToLower(line), `"defaultpassword"=`) {
			kept = append(kept, line)
		}
	}
	out := strings.Join(kept, "")
	s.run(0, 1, `type `+tmp+` | findstr /v /i /b /c:"\"DefaultPassword\"=" > reg\winlogon.reg`, "", nil)
	query := fmt.Sprintf(`reg query "%s" /v DefaultPassword`, k)
	if _, has := h.reg.get(expandHive(k), "DefaultPassword"); has {
		s.run(0, 1, query, "", nil)
		out += crlf([]string{"[" + expandHive(k) + "]", redactedLine})
		s.run(0, 0, `echo `+redactedLine+` >> reg\winlogon.reg`, "reg/winlogon.reg", ansiFile(out))
		return
	}
	s.run(1, 1, query, "reg/winlogon.reg", ansiFile(out))
}

// write puts the snapshot under root, replacing an older copy, and dates
// every file as the collector run would have.
func (s *snapshot) write(root string) error {
	dir := filepath.Join(root, s.dir)
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for _, sub := range []string{"reg", "wmic"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	end := s.clock.Add(2 * time.Second)
	logLines := []string{"medharden collector 1.4.0", "start=" + s.start.Format("2006-01-02 15:04:05"), "os=" + s.ver,
		"user=" + s.user, "usersid=" + s.userSID, "session=" + s.session}
	logLines = append(logLines, s.log...)
	logLines = append(logLines, "end="+end.Format("2006-01-02 15:04:05"))
	files := append(s.files, snapFile{path: "collect.log", data: ansiFile(crlf(logLines)), mtime: end})
	dirTimes := map[string]time.Time{}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.path))
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return err
		}
		if err := os.Chtimes(p, f.mtime, f.mtime); err != nil {
			return err
		}
		dirTimes[filepath.Dir(p)] = f.mtime
	}
	for d, t := range dirTimes {
		if err := os.Chtimes(d, t, t); err != nil {
			return err
		}
	}
	return nil
}
