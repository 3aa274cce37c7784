package main

import (
	"fmt"
	"strings"
)

// The device model's files: local groups with their SIDs (wmic group),
// the system accounts (wmic sysaccount), memberships (wmic path
// Win32_GroupUser), scheduled tasks (schtasks /query /v /fo csv) and the
// ProfileList key.

type localGroup struct {
	name, sid string
	rids      []int    // local user accounts, by relative id
	system    []string // Win32_SystemAccount members (INTERACTIVE, ...)
}

type task struct{ name, runAs string }

// systemAccounts are the Win32_SystemAccount instances; WMI gives them the
// computer name as their domain.
var systemAccounts = [][2]string{
	{"Everyone", "S-1-1-0"}, {"NETWORK", "S-1-5-2"}, {"BATCH", "S-1-5-3"}, {"INTERACTIVE", "S-1-5-4"},
	{"SERVICE", "S-1-5-6"}, {"ANONYMOUS LOGON", "S-1-5-7"}, {"Authenticated Users", "S-1-5-11"},
	{"SYSTEM", "S-1-5-18"}, {"LOCAL SERVICE", "S-1-5-19"}, {"NETWORK SERVICE", "S-1-5-20"},
}

// setDevice fills a host's groups, tasks and profiles. profiles are the
// relative ids of the accounts that have logged on once.
func setDevice(h *host, machineSID string, accts []account, groups []localGroup, tasks []task, profiles []int) {
	var grows, srows []instance
	for _, g := range groups {
		grows = append(grows, instance{"Domain": h.name, "Name": g.name, "SID": g.sid})
	}
	for _, s := range systemAccounts {
		srows = append(srows, instance{"Domain": h.name, "Name": s[0], "SID": s[1]})
	}
	h.wmi["group"], h.wmi["sysaccount"] = grows, srows
	name := map[int]string{}
	for _, a := range accts {
		name[a.rid] = a.name
	}
	ref := func(class, n string) string {
		return fmt.Sprintf(`\\%s\root\cimv2:%s.Domain="%s",Name="%s"`, h.name, class, h.name, n)
	}
	h.groupUser = nil
	for _, g := range groups {
		for _, rid := range g.rids {
			if name[rid] == "" {
				panic("group member without an account: " + fmt.Sprint(rid))
			}
			h.groupUser = append(h.groupUser, ref("Win32_Group", g.name)+","+ref("Win32_UserAccount", name[rid]))
		}
		for _, s := range g.system {
			h.groupUser = append(h.groupUser, ref("Win32_Group", g.name)+","+ref("Win32_SystemAccount", s))
		}
	}
	h.tasks = tasks
	const list = `HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList`
	base := `%SystemDrive%\Users\`
	if h.xp {
		base = `%SystemDrive%\Documents and Settings\`
	}
	if h.xp {
		h.reg.set(list, expand("ProfilesDirectory", `%SystemDrive%\Documents and Settings`), sz("DefaultUserProfile", "Default User"), sz("AllUsersProfile", "All Users"))
	} else {
		h.reg.set(list, expand("ProfilesDirectory", `%SystemDrive%\Users`), expand("Default", `%SystemDrive%\Users\Default`), expand("Public", `%SystemDrive%\Users\Public`))
	}
	for _, s := range [][2]string{{"S-1-5-18", `%systemroot%\system32\config\systemprofile`}, {"S-1-5-19", base + "LocalService"}, {"S-1-5-20", base + "NetworkService"}} {
		h.reg.set(list+`\`+s[0], expand("ProfileImagePath", s[1]), dword("Flags", 0), dword("State", 0))
	}
	for _, rid := range profiles {
		h.reg.set(fmt.Sprintf(`%s\%s-%d`, list, machineSID, rid), expand("ProfileImagePath", base+name[rid]), dword("Flags", 0), dword("State", 0))
		h.profiles = append(h.profiles, profile{sid: fmt.Sprintf("%s-%d", machineSID, rid), name: name[rid], dir: strings.Replace(base, "%SystemDrive%", "C:", 1) + name[rid]})
	}
}

// schtasks /query /v /fo csv: every field quoted; Windows 7 writes 28
// columns and repeats the header before each task folder, XP writes 27.
var (
	tasksHeader7  = []string{"HostName", "TaskName", "Next Run Time", "Status", "Logon Mode", "Last Run Time", "Last Result", "Author", "Task To Run", "Start In", "Comment", "Scheduled Task State", "Idle Time", "Power Management", "Run As User", "Delete Task If Not Rescheduled", "Stop Task If Runs X Hours and X Mins", "Schedule", "Schedule Type", "Start Time", "Start Date", "End Date", "Days", "Months", "Repeat: Every", "Repeat: Until: Time", "Repeat: Until: Duration", "Repeat: Stop If Still Running"}
	tasksHeaderXP = []string{"HostName", "TaskName", "Next Run Time", "Status", "Last Run Time", "Last Result", "Creator", "Schedule", "Task To Run", "Start In", "Comment", "Scheduled Task State", "Scheduled Type", "Start Time", "Start Date", "End Date", "Days", "Months", "Run As User", "Delete Task If Not Rescheduled", "Stop Task If Runs X Hours and X Mins", "Repeat: Every", "Repeat: Until: Time", "Repeat: Until: Duration", "Repeat: Stop If Still Running", "Idle Time", "Power Management"}
)

func quoteCSV(fields []string) string {
	q := make([]string, len(fields))
	for i, f := range fields {
		q[i] = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
	}
	return strings.Join(q, ",")
}

func schtasksCSV(h *host) string {
	hdr := tasksHeader7
	if h.xp {
		hdr = tasksHeaderXP
	}
	var lines []string
	folder := "-"
	for _, t := range h.tasks {
		f := "\\"
		if i := strings.LastIndexByte(t.name, '\\'); i > 0 {
			f = t.name[:i]
		}
		if len(lines) == 0 || (!h.xp && f != folder) {
			lines = append(lines, quoteCSV(hdr))
			folder = f
		}
		row := make([]string, len(hdr))
		for i, c := range hdr {
			switch c {
			case "HostName":
				row[i] = h.name
			case "TaskName":
				row[i] = t.name
			case "Run As User":
				row[i] = t.runAs
			case "Status":
				row[i] = "Ready"
			default:
				row[i] = "N/A"
			}
		}
		lines = append(lines, quoteCSV(row))
	}
	return crlf(lines)
}

func groupUserCSV(h *host) string {
	lines := []string{"", "Node,GroupComponent,PartComponent"}
	for _, r := range h.groupUser {
		lines = append(lines, h.name+","+r)
	}
	return crlf(lines)
}
