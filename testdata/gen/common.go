package main

import (
	le "encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Registry paths used by every host.
const (
	hklm     = `HKEY_LOCAL_MACHINE`
	hkcu     = `HKEY_CURRENT_USER`
	control  = hklm + `\SYSTEM\CurrentControlSet\Control`
	services = hklm + `\SYSTEM\CurrentControlSet\Services`
	software = hklm + `\SOFTWARE`
	policies = software + `\Policies`
	cvPol    = software + `\Microsoft\Windows\CurrentVersion\Policies`
	winlogon = software + `\Microsoft\Windows NT\CurrentVersion\Winlogon`
	lsa      = control + `\Lsa`
	sessMgr  = control + `\Session Manager`
	termSrv  = control + `\Terminal Server`
	fwPolicy = services + `\SharedAccess\Parameters\FirewallPolicy`
	lanSrv   = services + `\LanmanServer\Parameters`
	lanWks   = services + `\LanmanWorkstation\Parameters`
	tcpip    = services + `\Tcpip\Parameters`
	tcpip6   = services + `\Tcpip6\Parameters`
	netbt    = services + `\NetBT\Parameters`
	uninst   = software + `\Microsoft\Windows\CurrentVersion\Uninstall`
	uninst32 = software + `\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall`
	userDesk = hkcu + `\Control Panel\Desktop`
	userPol  = hkcu + `\Software\Policies`
)

// service is one row of Win32_Service.
type service struct{ name, mode, state, account, path string }

func serviceRows(list []service) []instance {
	sorted := append([]service(nil), list...)
	sort.Slice(sorted, func(i, j int) bool {
		return strings.ToLower(sorted[i].name) < strings.ToLower(sorted[j].name)
	})
	var rows []instance
	for i, s := range sorted {
		if i > 0 && strings.EqualFold(sorted[i-1].name, s.name) {
			panic("duplicate service " + s.name)
		}
		rows = append(rows, instance{"Name": s.name, "StartMode": s.mode, "StartName": s.account, "State": s.state}) // no PathName: see the collector
	}
	return rows
}

// reconfigure sets a service's start mode and state; it must exist.
func reconfigure(list []service, name, mode, state string) {
	for i := range list {
		if list[i].name == name {
			list[i].mode, list[i].state = mode, state
			return
		}
	}
	panic("no service " + name)
}

// account is one local user as Win32_UserAccount shows it.
type account struct {
	name             string
	rid              int
	disabled         bool
	passwordRequired bool
	passwordExpires  bool
}

func accountRows(machineSID string, list []account) []instance {
	var rows []instance
	for _, a := range list {
		status := "OK"
		if a.disabled {
			status = "Degraded" // what WMI reports for a disabled account
		}
		rows = append(rows, instance{
			"Name": a.name, "SID": fmt.Sprintf("%s-%d", machineSID, a.rid),
			"Disabled": tf(a.disabled), "Lockout": "FALSE",
			"PasswordRequired": tf(a.passwordRequired), "PasswordExpires": tf(a.passwordExpires),
			"Status": status,
		})
	}
	return rows
}

func tf(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

// hotfix rows: id, description, installed on.
func hotfixRows(list [][3]string) []instance {
	var rows []instance
	for _, h := range list {
		rows = append(rows, instance{"HotFixID": h[0], "Description": h[1], "InstalledOn": h[2]})
	}
	return rows
}

// logfont is a LOGFONTW as the WindowMetrics values store it (92 bytes).
func logfont(height int32, weight int32, face string) []byte {
	b := make([]byte, 92)
	le.LittleEndian.PutUint32(b[0:], uint32(height))
	le.LittleEndian.PutUint32(b[16:], uint32(weight))
	b[23] = 1 // lfCharSet DEFAULT_CHARSET
	b[26] = 5 // lfQuality CLEARTYPE_QUALITY

	copy(b[28:], utf16le(face)) // lfFaceName
	return b
}

// Well-known SIDs as secedit writes them.
const (
	everyone        = "*S-1-1-0"
	localService    = "*S-1-5-19"
	networkService  = "*S-1-5-20"
	serviceSID      = "*S-1-5-6"
	localAccount    = "*S-1-5-113" // NT AUTHORITY\Local account (Win7 with KB2871997)
	administrators  = "*S-1-5-32-544"
	users           = "*S-1-5-32-545"
	guests          = "*S-1-5-32-546"
	powerUsers      = "*S-1-5-32-547"
	backupOperators = "*S-1-5-32-551"
	rdpUsers        = "*S-1-5-32-555"
	perfLogUsers    = "*S-1-5-32-559"
	allServices     = "*S-1-5-80-0"
	wdiServiceHost  = "*S-1-5-80-3139157870-2983391045-3678747466-658725712-1809340420"
)

// cet is the hospitals' local time (UTC+1 in November), the zone of the
// collector's clock and of WMI's "+060" timestamps.
var cet = time.FixedZone("CET", 3600)
