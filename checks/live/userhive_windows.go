//go:build windows

package live

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"

	"medharden/checks"
)

// userHive checks that a key in a person's hive (HKU\<SID>\...) can be
// reached: Windows has the hive loaded only while its person is logged on
// or a process runs as them. medharden does not load other people's hives
// on a live host (reg load needs the profile's NTUSER.DAT free and
// SeRestorePrivilege, and a hive left loaded would keep its person from
// logging on): an unloaded hive is "not collected", never "absent", so the
// user-scope checks report `error` for that person and plans do not touch
// it. The collector loads those hives for a snapshot.
func userHive(key string) error {
	sid, ok := checks.HiveUser(key)
	if !ok {
		return nil
	}
	k, err := registry.OpenKey(registry.USERS, sid, registry.QUERY_VALUE)
	if err == nil {
		k.Close()
		return nil
	}
	if errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("%w: the hive of %s (HKU\\%s) is not loaded, because that person is not logged on; medharden does not load other people's hives on a live host: audit a snapshot (the collector loads them) or audit while that person is logged on", checks.ErrNotCollected, sid, sid)
	}
	return winErr(`open HKU\`+sid, err)
}
