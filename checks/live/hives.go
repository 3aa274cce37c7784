package live

import (
	"fmt"
	"strings"
)

// mountPrefix names the hives medharden loads under HKEY_USERS
// (HKU\medharden-<SID>), so that a run can tell its own leftovers from the
// hives Windows loaded.
const mountPrefix = "medharden-"

func mountName(sid string) string { return mountPrefix + sid }

// isLeftoverMount tells whether a subkey of HKEY_USERS is a hive an earlier
// run (or the collector, which names them the same way) loaded and could
// not unload because it was killed: the next run unloads it.
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
