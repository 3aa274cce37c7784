package main

import "fmt"

// The 53 advanced audit subcategories of Windows 7 SP1 / 2008 R2, in the
// order auditpol lists them (by category, as auditpol /get /category:*
// shows them), with their fixed GUIDs {0CCE92xx-69AE-11D9-BED3-505054503030}.
var subcategories = []struct{ name, guid string }{
	// System
	{"Security System Extension", "0CCE9211"},
	{"System Integrity", "0CCE9212"},
	{"IPsec Driver", "0CCE9213"},
	{"Other System Events", "0CCE9214"},
	{"Security State Change", "0CCE9210"},
	// Logon/Logoff
	{"Logon", "0CCE9215"},
	{"Logoff", "0CCE9216"},
	{"Account Lockout", "0CCE9217"},
	{"IPsec Main Mode", "0CCE9218"},
	{"IPsec Quick Mode", "0CCE9219"},
	{"IPsec Extended Mode", "0CCE921A"},
	{"Special Logon", "0CCE921B"},
	{"Other Logon/Logoff Events", "0CCE921C"},
	{"Network Policy Server", "0CCE9243"},
	// Object Access
	{"File System", "0CCE921D"},
	{"Registry", "0CCE921E"},
	{"Kernel Object", "0CCE921F"},
	{"SAM", "0CCE9220"},
	{"Certification Services", "0CCE9221"},
	{"Application Generated", "0CCE9222"},
	{"Handle Manipulation", "0CCE9223"},
	{"File Share", "0CCE9224"},
	{"Filtering Platform Packet Drop", "0CCE9225"},
	{"Filtering Platform Connection", "0CCE9226"},
	{"Other Object Access Events", "0CCE9227"},
	{"Detailed File Share", "0CCE9244"},
	// Privilege Use
	{"Sensitive Privilege Use", "0CCE9228"},
	{"Non Sensitive Privilege Use", "0CCE9229"},
	{"Other Privilege Use Events", "0CCE922A"},
	// Detailed Tracking
	{"Process Termination", "0CCE922C"},
	{"DPAPI Activity", "0CCE922D"},
	{"RPC Events", "0CCE922E"},
	{"Process Creation", "0CCE922B"},
	// Policy Change
	{"Audit Policy Change", "0CCE922F"},
	{"Authentication Policy Change", "0CCE9230"},
	{"Authorization Policy Change", "0CCE9231"},
	{"MPSSVC Rule-Level Policy Change", "0CCE9232"},
	{"Filtering Platform Policy Change", "0CCE9233"},
	{"Other Policy Change Events", "0CCE9234"},
	// Account Management
	{"User Account Management", "0CCE9235"},
	{"Computer Account Management", "0CCE9236"},
	{"Security Group Management", "0CCE9237"},
	{"Distribution Group Management", "0CCE9238"},
	{"Application Group Management", "0CCE9239"},
	{"Other Account Management Events", "0CCE923A"},
	// DS Access
	{"Directory Service Changes", "0CCE923C"},
	{"Directory Service Replication", "0CCE923D"},
	{"Detailed Directory Service Replication", "0CCE923E"},
	{"Directory Service Access", "0CCE923B"},
	// Account Logon
	{"Kerberos Service Ticket Operations", "0CCE9240"},
	{"Other Account Logon Events", "0CCE9241"},
	{"Kerberos Authentication Service", "0CCE9242"},
	{"Credential Validation", "0CCE923F"},
}

const (
	noAuditing = 0
	success    = 1
	failure    = 2
	both       = 3
)

var inclusionWords = []string{"No Auditing", "Success", "Failure", "Success and Failure"}

// win7DefaultAudit is what a fresh Windows 7 SP1 client audits; every
// subcategory not named is No Auditing.
func win7DefaultAudit() map[string]int {
	return map[string]int{
		"System Integrity":             both,
		"Other System Events":          both,
		"Security State Change":        success,
		"Logon":                        success,
		"Logoff":                       success,
		"Account Lockout":              success,
		"Special Logon":                success,
		"Network Policy Server":        both,
		"Audit Policy Change":          success,
		"Authentication Policy Change": success,
		"User Account Management":      success,
		"Security Group Management":    success,
	}
}

// auditpolBackup renders auditpol /backup output: one row per subcategory
// (No Auditing rows included, Setting Value 0..3), the four audit options
// and the two global SACL rows. auditpol writes upper-case GUIDs.
func auditpolBackup(host string, settings map[string]int, crashOnAuditFail bool) string {
	lines := []string{"Machine Name,Policy Target,Subcategory,Subcategory GUID,Inclusion Setting,Exclusion Setting,Setting Value"}
	for name := range settings {
		found := false
		for _, sc := range subcategories {
			found = found || sc.name == name
		}
		if !found {
			panic("auditpol: unknown subcategory " + name)
		}
	}
	for _, sc := range subcategories {
		v := settings[sc.name]
		lines = append(lines, fmt.Sprintf("%s,System,%s,{%s-69AE-11D9-BED3-505054503030},%s,,%d",
			host, sc.name, sc.guid, inclusionWords[v], v))
	}
	crash := "Disabled,,0"
	if crashOnAuditFail {
		crash = "Enabled,,1"
	}
	lines = append(lines,
		host+",,Option:CrashOnAuditFail,,"+crash,
		host+",,Option:FullPrivilegeAuditing,,Disabled,,0",
		host+",,Option:AuditBaseObjects,,Disabled,,0",
		host+",,Option:AuditBaseDirectories,,Disabled,,0",
		host+",,FileGlobalSacl,,,,",
		host+",,RegistryGlobalSacl,,,,",
	)
	return crlf(lines)
}
