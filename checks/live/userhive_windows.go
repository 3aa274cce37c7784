//go:build windows

package live

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"medharden/checks"
)

// hiveState is where a person's hive is reachable under HKEY_USERS, or why
// it is not.
type hiveState struct {
	sub    string // HKU\<sub>: the SID, or medharden-live-<SID> when we loaded it
	loaded bool   // we loaded it and must unload it
	err    error
}

// userKey returns the key to open for a key in a person's hive
// (HKU\<SID>\...). A hive Windows has loaded (the person is logged on, or
// a process runs as them) is used where it is: a second copy is never
// loaded. Otherwise the profile's NTUSER.DAT (ProfileList\<SID>\
// ProfileImagePath) is loaded as HKU\medharden-live-<SID> with SeBackupPrivilege
// and SeRestorePrivilege, read and written there, and unloaded by Close. A
// hive that cannot be loaded (no profile, file locked, access denied) is
// "not collected" with the reason: the person's checks are `error` and
// plans leave them alone.
func (h *Host) userKey(key string) (string, error) {
	sid, ok := checks.HiveUser(key)
	if !ok {
		return key, nil
	}
	h.hiveMu.Lock()
	defer h.hiveMu.Unlock()
	if h.closed {
		return "", fmt.Errorf(`read HKU\%s: the live host is closed`, sid)
	}
	st, ok := h.hives[sid]
	if !ok {
		st = h.mountHive(sid)
		if h.hives == nil {
			h.hives = map[string]hiveState{}
		}
		h.hives[sid] = st
	}
	if st.err != nil {
		return "", st.err
	}
	return remount(key, sid, st.sub), nil
}

// mountHive finds or loads a person's hive; the caller holds hiveMu. Loading
// takes the machine-wide hive lock (hivelock_windows.go) first, and keeps
// it until ReleaseHives.
func (h *Host) mountHive(sid string) hiveState {
	k, err := registry.OpenKey(registry.USERS, sid, registry.QUERY_VALUE)
	if err == nil {
		k.Close()
		return hiveState{sub: sid}
	}
	if !errors.Is(err, registry.ErrNotExist) {
		return hiveState{err: winErr(`open HKU\`+sid, err)}
	}
	notLoaded := func(why string, a ...interface{}) hiveState {
		return hiveState{err: fmt.Errorf("%w: the hive of %s (HKU\\%s) is not loaded and medharden could not load it: %s",
			checks.ErrNotCollected, sid, sid, fmt.Sprintf(why, a...))}
	}
	pk, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList\`+sid,
		registry.QUERY_VALUE|registry.WOW64_64KEY)
	if err != nil {
		return notLoaded("no profile in ProfileList (%v)", err)
	}
	img, _, err := pk.GetStringValue("ProfileImagePath")
	pk.Close()
	if err != nil {
		return notLoaded("ProfileList\\%s\\ProfileImagePath: %v", sid, err)
	}
	file, err := hiveFile(img, registry.ExpandString)
	if err != nil {
		return notLoaded("%v", err)
	}
	if err := need(procRegLoadKeyW, procRegUnLoadKeyW); err != nil {
		return hiveState{err: err}
	}
	// The collector has the file loaded while it exports it: a second load
	// would fail with a sharing violation, and its hive is not ours.
	if k, err := registry.OpenKey(registry.USERS, collectorMount(sid), registry.QUERY_VALUE); err == nil {
		k.Close()
		return notLoaded(`the offline collector (medharden-collect.cmd) has it loaded as HKU\%s while it exports it; run again when it has finished`, collectorMount(sid))
	}
	// The lock is taken only to load, and given back when nothing is
	// loaded: a host that merely found no profile must not hold other
	// runs off.
	if h.lock == nil {
		l, _, err := acquireHiveLock(hiveLockWait)
		if err != nil {
			return notLoaded("%v; run again when the other run has finished", err)
		}
		h.lock = l
		// Holding the lock, no other run has hives loaded: any
		// medharden-live-* hive is a leftover of a run that was killed.
		unloadLeftovers()
	}
	enablePrivileges("SeBackupPrivilege", "SeRestorePrivilege")
	mount := mountName(sid)
	if err := regLoadKey(mount, file); err != nil {
		h.releaseLockIfIdle()
		// Locked: the person's session or a process still holds it.
		return notLoaded("load %s: %v", file, err)
	}
	return hiveState{sub: mount, loaded: true}
}

// releaseLockIfIdle gives the hive lock back when this host has no hive
// loaded; the caller holds hiveMu.
func (h *Host) releaseLockIfIdle() {
	for _, st := range h.hives {
		if st.loaded {
			return
		}
	}
	if h.lock != nil {
		h.lock.Release()
		h.lock = nil
	}
}

// ReleaseHives unloads the hives this host loaded and gives up the hive
// lock; the host stays usable and loads them again when next needed. A
// hive that cannot be unloaded (a process still has a key of it open) is
// reported, and the lock is kept until a later ReleaseHives or Close
// unloads it, so that no other run takes it for a leftover.
func (h *Host) ReleaseHives() error {
	h.hiveMu.Lock()
	defer h.hiveMu.Unlock()
	return h.releaseHives()
}

func (h *Host) releaseHives() error {
	var first error
	for sid, st := range h.hives {
		if !st.loaded {
			delete(h.hives, sid)
			continue
		}
		if err := regUnLoadKey(st.sub); err != nil {
			if first == nil {
				first = fmt.Errorf(`unload HKU\%s (the hive of %s): %w`, st.sub, sid, err)
			}
			continue
		}
		delete(h.hives, sid)
	}
	h.releaseLockIfIdle()
	return first
}

// Close unloads the hives this host loaded and gives up the hive lock.
// The host must not be used afterwards. A process killed before Close
// leaves them loaded (the person then cannot log on with their profile)
// until Windows restarts or the next run that takes the lock unloads them.
func (h *Host) Close() error {
	h.hiveMu.Lock()
	defer h.hiveMu.Unlock()
	err := h.releaseHives()
	if h.lock != nil {
		// A hive that would not unload: the lock goes with the process.
		h.lock.Release()
		h.lock = nil
	}
	h.hives = nil
	h.closed = true
	return err
}

// unloadLeftovers unloads the HKU\medharden-live-* hives an earlier run
// could not unload because it was killed; only a holder of the hive lock
// may call it. The collector's hives are left alone (isLeftoverMount). Best effort: a leftover that stays makes that person's load fail, so
// their checks are "not collected".
func unloadLeftovers() {
	k, err := registry.OpenKey(registry.USERS, "", registry.ENUMERATE_SUB_KEYS)
	if err != nil {
		return
	}
	names, _ := k.ReadSubKeyNames(-1)
	k.Close()
	enabled := false
	for _, n := range names {
		if !isLeftoverMount(n) || need(procRegUnLoadKeyW) != nil {
			continue
		}
		if !enabled {
			enablePrivileges("SeBackupPrivilege", "SeRestorePrivilege")
			enabled = true
		}
		_ = regUnLoadKey(n)
	}
}

func regLoadKey(sub, file string) error {
	ps, err := windows.UTF16PtrFromString(sub)
	if err != nil {
		return err
	}
	pf, err := windows.UTF16PtrFromString(file)
	if err != nil {
		return err
	}
	r, _, _ := procRegLoadKeyW.Call(uintptr(registry.USERS), uintptr(unsafe.Pointer(ps)), uintptr(unsafe.Pointer(pf)))
	if r != 0 {
		return windows.Errno(r)
	}
	return nil
}

func regUnLoadKey(sub string) error {
	ps, err := windows.UTF16PtrFromString(sub)
	if err != nil {
		return err
	}
	r, _, _ := procRegUnLoadKeyW.Call(uintptr(registry.USERS), uintptr(unsafe.Pointer(ps)))
	if r != 0 {
		return windows.Errno(r)
	}
	return nil
}

// enablePrivileges turns on privileges administrators hold disabled.
// Best effort: without them the call that needs them fails with "privilege
// not held", which is reported.
func enablePrivileges(names ...string) {
	var t windows.Token
	if err := windows.OpenProcessToken(windows.CurrentProcess(), windows.TOKEN_ADJUST_PRIVILEGES|windows.TOKEN_QUERY, &t); err != nil {
		return
	}
	defer t.Close()
	for _, n := range names {
		var luid windows.LUID
		if err := windows.LookupPrivilegeValue(nil, windows.StringToUTF16Ptr(n), &luid); err != nil {
			continue
		}
		tp := windows.Tokenprivileges{PrivilegeCount: 1}
		tp.Privileges[0] = windows.LUIDAndAttributes{Luid: luid, Attributes: windows.SE_PRIVILEGE_ENABLED}
		_ = windows.AdjustTokenPrivileges(t, false, &tp, 0, nil, nil)
	}
}
