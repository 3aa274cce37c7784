package live

import (
	"fmt"
	"strings"
)

// mountPrefix names the hives medharden loads under HKEY_USERS
// (HKU\medharden-live-<SID>), so that a run can tell its own leftovers from
// the hives Windows loaded and from those of the offline collector
// (collectorPrefix), which cannot take the hive lock and unloads only its
// own. The collector exports a person's settings from a medharden-live-
// hive it finds loaded and never unloads it.
const (
	mountPrefix     = "medharden-live-"
	collectorPrefix = "medharden-collect-"
)

func mountName(sid string) string { return mountPrefix + sid }

// collectorMount is where the collector loads the person's hive while it
// exports it.
func collectorMount(sid string) string { return collectorPrefix + sid }

// isLeftoverMount tells whether a subkey of HKEY_USERS is a hive an earlier
// run loaded and could not unload because it was killed: the next run
// unloads it. The collector's hives are not, nor those named
// medharden-<SID> (collector 1.3.0 and earlier medharden releases, which
// cannot be told apart).
func isLeftoverMount(name string) bool {
	p := mountPrefix + "S-"
	return len(name) > len(p) && strings.EqualFold(name[:len(p)], p)
}

// remount rewrites HKU\<sid>\rest (any spelling of the root, any case of
// the SID) to HKU\<mount>\rest, where the person's hive is reachable.
func remount(key, sid, mount string) string {
	if strings.EqualFold(sid, mount) {
		return key
	}
	k := strings.TrimLeft(strings.ReplaceAll(key, "/", `\`), `\`)
	i := strings.IndexByte(k, '\\')
	if i < 0 {
		return key
	}
	rest := k[i+1:]
	if len(rest) < len(sid) || !strings.EqualFold(rest[:len(sid)], sid) {
		return key
	}
	return `HKU\` + mount + rest[len(sid):]
}

// hiveFile is the NTUSER.DAT of a profile folder as ProfileList records it
// (REG_EXPAND_SZ, usually %SystemDrive%\Users\name).
func hiveFile(imagePath string, expand func(string) (string, error)) (string, error) {
	p := strings.TrimSpace(imagePath)
	if p == "" {
		return "", fmt.Errorf("ProfileImagePath is empty")
	}
	p, err := expand(p)
	if err != nil {
		return "", fmt.Errorf("expand ProfileImagePath %q: %w", imagePath, err)
	}
	if strings.Contains(p, "%") {
		return "", fmt.Errorf("ProfileImagePath %q names a variable this process does not have (%s)", imagePath, p)
	}
	return strings.TrimRight(p, `\/`) + `\NTUSER.DAT`, nil
}
