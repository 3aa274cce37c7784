package main

// collectorExtras fills the smaller keys the collector exports for the XP
// STIG checks and the BitLocker removable-drive policy: the Application and
// System event logs, the time service, the service-pack number, the
// SYSTEM-hive policies key, Autorun.inf mapping and the user's attachment
// policy. Both delivered images keep Windows' defaults here.
func collectorExtras(r *registry, xp bool) {
	size := uint32(0x80000) // 512 KB, the XP default log size
	if !xp {
		size = 0x1400000 // 20 MB on Windows 7
	}
	for _, log := range []string{"Application", "System"} {
		r.set(services+`\Eventlog\`+log,
			expand("File", `%SystemRoot%\system32\config\`+map[string]string{"Application": "AppEvent.Evt", "System": "SysEvent.Evt"}[log]),
			dword("MaxSize", size),
			dword("Retention", 0),
		)
		r.set(services+`\Eventlog\`+log+`\EventLog`, expand("EventMessageFile", `%SystemRoot%\System32\netmsg.dll`), dword("TypesSupported", 7))
	}
	r.set(services+`\Eventlog\Application\MsiInstaller`, expand("EventMessageFile", `%SystemRoot%\System32\msimsg.dll`), dword("TypesSupported", 7))
	r.set(services+`\Eventlog\System\Service Control Manager`, expand("EventMessageFile", `%SystemRoot%\System32\netmsg.dll`), dword("TypesSupported", 7))

	// A workgroup machine syncs with time.windows.com over NTP.
	r.set(services+`\W32Time\Parameters`,
		expand("ServiceDll", `%systemroot%\system32\w32time.dll`),
		sz("NtpServer", "time.windows.com,0x9"),
		sz("Type", "NTP"),
	)

	csd := uint32(0x100) // Windows 7 SP1
	if xp {
		csd = 0x300 // XP SP3
	}
	r.set(control+`\Windows`,
		dword("CSDVersion", csd),
		dword("ErrorMode", 0),
		dword("NoInteractiveServices", 0),
		expand("SystemDirectory", `%SystemRoot%\system32`),
		dword("ShutdownTime", 0), // real exports hold a FILETIME here; the checks ignore it
	)
	r.key(hklm + `\SYSTEM\CurrentControlSet\Policies`)
	r.key(hkcu + `\Software\Microsoft\Windows\CurrentVersion\Policies\Explorer`)
}
