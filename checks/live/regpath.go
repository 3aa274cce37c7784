package live

import (
	"fmt"
	"strings"
)

// hive names a registry root key without depending on Windows types.
type hive int

const (
	hiveLocalMachine hive = iota + 1
	hiveCurrentUser
	hiveUsers
	hiveClassesRoot
)

var hiveNames = map[string]hive{
	"HKLM":               hiveLocalMachine,
	"HKEY_LOCAL_MACHINE": hiveLocalMachine,
	"MACHINE":            hiveLocalMachine, // as secedit writes [Registry Values]
	"HKCU":               hiveCurrentUser,
	"HKEY_CURRENT_USER":  hiveCurrentUser,
	"HKU":                hiveUsers,
	"HKEY_USERS":         hiveUsers,
	"HKCR":               hiveClassesRoot,
	"HKEY_CLASSES_ROOT":  hiveClassesRoot,
}

// splitKey splits `HKLM\SOFTWARE\...` into its root and subkey. Forward
// slashes, doubled and trailing backslashes are tolerated because paths come
// from hand-edited YAML; an empty subkey is the root itself.
func splitKey(path string) (hive, string, error) {
	p := strings.TrimSpace(strings.ReplaceAll(path, "/", `\`))
	root, rest := p, ""
	if i := strings.IndexByte(p, '\\'); i >= 0 {
		root, rest = p[:i], p[i+1:]
	}
	h, ok := hiveNames[strings.ToUpper(root)]
	if !ok {
		return 0, "", fmt.Errorf("registry path %q: unknown root %q (want HKLM, HKCU, HKU or HKCR)", path, root)
	}
	parts := strings.Split(rest, `\`)
	clean := parts[:0]
	for _, s := range parts {
		if s != "" {
			clean = append(clean, s)
		}
	}
	return h, strings.Join(clean, `\`), nil
}

// registryValuesPath turns a secedit [Registry Values] key,
// `MACHINE\System\...\Lsa\RestrictAnonymous`, into key path and value name.
func registryValuesPath(k string) (key, name string, err error) {
	i := strings.LastIndexByte(k, '\\')
	if i <= 0 || i == len(k)-1 {
		return "", "", fmt.Errorf("[Registry Values] key %q has no value name", k)
	}
	key, name = k[:i], k[i+1:]
	if _, _, err := splitKey(key); err != nil {
		return "", "", err
	}
	return key, name, nil
}
