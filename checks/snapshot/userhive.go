package snapshot

import (
	"context"
	"fmt"
	"strings"

	"medharden/checks"
)

// Per-user hives (collector 1.3.0 and later). The collector exports the
// user-scope keys of every profile in ProfileList: from HKU\<SID> when the
// hive is loaded (the person is logged on, or a service runs as them), from
// HKU\medharden-live-<SID> when a running medharden loaded it (1.4.0), or
// after `reg load HKU\medharden-collect-<SID> <profile>\NTUSER.DAT` (1.4.0;
// 1.3.0 loaded it as HKU\medharden-<SID>). The reader files all of them
// under HKU\<SID>. collect.log says for each profile how its hive was read:
//
//	userhive=<SID> loaded     exported from HKU\<SID>
//	userhive=<SID> live       exported from a running medharden's load
//	userhive=<SID> file       loaded from NTUSER.DAT, exported, unloaded
//	userhive=<SID> failed     none: its settings are not collected
//
// An older snapshot has only reg\hkcu-*.reg, the hive of the collecting
// user: that export still counts for that person (collectorHKCU).

// loadedHivePrefix is the start of the names a profile's NTUSER.DAT is
// loaded under, and loadedHiveKinds what may follow it before the SID:
// medharden-collect- (the collector, 1.4.0), medharden-live- (a running
// medharden, 1.4.0) and medharden- (the collector 1.3.0). Normalized: upper
// case.
const loadedHivePrefix = `HKU\MEDHARDEN-`

var loadedHiveKinds = []string{"COLLECT-", "LIVE-", ""}

// userPath files a key of a hive loaded under one of those names under the
// person's own HKU\<SID>.
func userPath(nk string) string {
	if !strings.HasPrefix(nk, loadedHivePrefix) {
		return nk
	}
	rest := nk[len(loadedHivePrefix):]
	for _, kind := range loadedHiveKinds {
		if strings.HasPrefix(rest, kind+"S-") {
			return `HKU\` + rest[len(kind):]
		}
	}
	return nk
}

// addHive records a userhive= line: "<SID> <how>".
func (l *collectLog) addHive(v string) {
	f := strings.Fields(v)
	if len(f) == 0 {
		return
	}
	if l.hives == nil {
		l.hives = map[string]string{}
	}
	how := ""
	if len(f) > 1 {
		how = strings.ToLower(f[1])
	}
	l.hives[strings.ToUpper(f[0])] = how
}

// collectorSID is the collecting user's SID: the usersid= line, else (XP
// has no whoami) the local account named in the user= line.
func (h *Host) collectorSID() string {
	if h.log.session.UserSID != "" {
		return h.log.session.UserSID
	}
	name := h.log.session.UserName
	i := strings.LastIndexByte(name, '\\')
	if !h.log.hasUser || i < 0 {
		return ""
	}
	info, err := h.OS(context.Background())
	if err != nil || !strings.EqualFold(name[:i], info.Hostname) {
		return "" // a domain account: not in the local account list
	}
	accts, err := h.Accounts(context.Background())
	if err != nil {
		return ""
	}
	for _, a := range accts {
		if strings.EqualFold(a.Name, name[i+1:]) {
			return a.SID
		}
	}
	return ""
}

// collectorHKCU maps a key of the collecting user's hive, HKU\<SID>\...,
// to HKCU\..., where a collector before 1.3.0 exported it (reg\hkcu-*.reg).
func (h *Host) collectorHKCU(nk string) (string, bool) {
	sid, ok := checks.HiveUser(nk)
	if !ok || !strings.EqualFold(sid, h.collectorSID()) {
		return "", false
	}
	rest := strings.TrimPrefix(nk[len(`HKU\`)+len(sid):], `\`)
	alias := `HKCU\` + rest
	if !h.reg.covers(alias) {
		return "", false
	}
	return alias, true
}

// notCollected says why a key is not in the snapshot, naming the person's
// hive where it is one.
func (h *Host) notCollected(nk, key string) error {
	sid, ok := checks.HiveUser(nk)
	if !ok {
		return fmt.Errorf("%w: no reg export in the snapshot covers %s", checks.ErrNotCollected, key)
	}
	switch how, logged := h.log.hives[sid]; {
	case !logged:
		return fmt.Errorf("%w: the snapshot has no export of the hive of %s (collect.log has no userhive=%s line: a collector before 1.3.0, or the profile was not in ProfileList)", checks.ErrNotCollected, sid, sid)
	case how == "failed" || how == "skipped":
		return fmt.Errorf("%w: the collector could not read the hive of %s (collect.log: userhive=%s %s)", checks.ErrNotCollected, sid, sid, how)
	}
	return fmt.Errorf("%w: no reg export of the hive of %s covers %s", checks.ErrNotCollected, sid, key)
}
