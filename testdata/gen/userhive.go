package main

import (
	"fmt"
	"sort"
	"strings"
)

// Per-user hives (collector 1.4.0). Every profile of ProfileList has a hive
// at HKEY_USERS\<SID>: a copy of the collecting user's HKCU unless a host
// gives it its own (userEdits). A hive is loaded when its person is logged
// on (the collecting user, the auto-logon account) or a running service
// runs as them; the collector exports those from HKU\<SID>. Any other hive
// the collector loads from NTUSER.DAT under HKU\medharden-collect-<SID>, exports
// and unloads again.

// profile is one ProfileList entry of a local account.
type profile struct {
	sid, name, dir string
}

// userKeys are the keys the collector exports from each person's hive.
var userKeys = []struct{ file, path string }{
	{"policies", `Software\Policies`},
	{"desktop", `Control Panel\Desktop`},
	{"policies-cv", `Software\Microsoft\Windows\CurrentVersion\Policies`},
}

const hku = `HKEY_USERS`

// copyTree copies the keys under from to the same places under to.
func (r *registry) copyTree(from, to string) {
	for _, k := range r.subtree(from) {
		nk := r.key(to + k.path[len(from):])
		nk.values = append([]value(nil), k.values...)
	}
}

// dropTree removes a key and everything under it.
func (r *registry) dropTree(root string) {
	for _, k := range r.subtree(root) {
		delete(r.keys, strings.ToUpper(k.path))
	}
}

// loadedHive tells whether a profile's hive is loaded while the collector
// runs: its person ran the collector or logged on automatically, or a
// running service runs as them.
func loadedHive(h *host, p profile) bool {
	if strings.EqualFold(p.sid, h.collectorSID) || strings.EqualFold(p.name, h.collector) {
		return true
	}
	if on, ok := h.reg.get(winlogon, "AutoAdminLogon"); ok && on.str == "1" {
		if u, ok := h.reg.get(winlogon, "DefaultUserName"); ok && strings.EqualFold(u.str, p.name) {
			return true
		}
	}
	for _, s := range h.wmi["service"] {
		if s["State"] == "Running" && strings.EqualFold(strings.TrimPrefix(s["StartName"], `.\`), p.name) {
			return true
		}
	}
	return false
}

// exportUserHives plays the collector's :userhives block.
func exportUserHives(s *snapshot, h *host, yes string) {
	profiles := append([]profile(nil), h.profiles...)
	sort.Slice(profiles, func(i, j int) bool { return strings.ToUpper(profiles[i].sid) < strings.ToUpper(profiles[j].sid) })
	for _, p := range profiles {
		own := hku + `\` + p.sid
		if !h.reg.exists(own) {
			h.reg.copyTree(hkcu, own)
			if edit := h.userEdits[p.name]; edit != nil {
				edit(h.reg, own)
			}
		}
		root, how := `HKU\`+p.sid, "loaded"
		if !loadedHive(h, p) {
			root, how = `HKU\medharden-collect-`+p.sid, "file"
			h.reg.copyTree(own, hku+`\medharden-collect-`+p.sid)
			s.run(0, 1, fmt.Sprintf(`reg load "%s" "%s\NTUSER.DAT"`, root, p.dir), "", nil)
		}
		for _, k := range userKeys {
			key := root + `\` + k.path
			file := "user-" + p.sid + "-" + k.file
			cmd := fmt.Sprintf(`reg export "%s" reg\%s.reg%s`, key, file, yes)
			text, ok := export(h.reg, key)
			if !ok {
				s.run(1, 1, cmd, "", nil)
				s.probeAbsent(h.reg, key)
				continue
			}
			s.run(0, 1, cmd, "reg/"+file+".reg", unicodeFile(text))
		}
		if how == "file" {
			h.reg.dropTree(hku + `\medharden-collect-` + p.sid)
			s.run(0, 1, fmt.Sprintf(`reg unload "%s"`, root), "", nil)
		}
		s.log = append(s.log, "userhive="+p.sid+" "+how)
	}
}
