//go:build windows

package live

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"medharden/checks"
)

func rootKey(h hive) registry.Key {
	switch h {
	case hiveCurrentUser:
		return registry.CURRENT_USER
	case hiveUsers:
		return registry.USERS
	case hiveClassesRoot:
		return registry.CLASSES_ROOT
	}
	return registry.LOCAL_MACHINE
}

// openKey opens a key in the 64-bit view with the given rights; a 386
// build on x64 would otherwise read Wow6432Node.
func openKey(path string, access uint32) (registry.Key, error) {
	h, sub, err := splitKey(path)
	if err != nil {
		return 0, err
	}
	return registry.OpenKey(rootKey(h), sub, access|registry.WOW64_64KEY)
}

// RegValue reads a value's type and raw bytes.
func (h *Host) RegValue(ctx context.Context, key, name string) (checks.RegValue, error) {
	at, err := h.userKey(key)
	if err != nil {
		return checks.RegValue{}, err
	}
	k, err := openKey(at, registry.QUERY_VALUE)
	if err != nil {
		return checks.RegValue{}, winErr("read "+key, err)
	}
	defer k.Close()
	buf := make([]byte, 512)
	for i := 0; i < 4; i++ { // the value may grow between two calls
		n, typ, err := k.GetValue(name, buf)
		if err == nil {
			return checks.RegValue{Type: typ, Data: append([]byte{}, buf[:n]...)}, nil
		}
		if !errors.Is(err, windows.ERROR_MORE_DATA) || n <= len(buf) {
			return checks.RegValue{}, winErr("read "+key+`\`+name, err)
		}
		buf = make([]byte, n)
	}
	return checks.RegValue{}, fmt.Errorf("read %s\\%s: the value keeps changing size", key, name)
}

// SetRegValue writes type and bytes exactly, creating the key if needed.
func (h *Host) SetRegValue(ctx context.Context, key, name string, v checks.RegValue) error {
	if err := need(procRegSetValueExW); err != nil {
		return err
	}
	at, err := h.userKey(key)
	if err != nil {
		return err
	}
	hv, sub, err := splitKey(at)
	if err != nil {
		return err
	}
	if sub == "" {
		return fmt.Errorf("set %s\\%s: will not write values at the root of a hive", key, name)
	}
	k, _, err := registry.CreateKey(rootKey(hv), sub, registry.SET_VALUE|registry.WOW64_64KEY)
	if err != nil {
		return winErr("open "+key+" for writing", err)
	}
	defer k.Close()
	pname, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return fmt.Errorf("set %s\\%s: %w", key, name, err)
	}
	// Windows (and Wine) look one character past string data to decide
	// whether to add a missing NUL; the copy's zero padding keeps that
	// read inside our buffer.
	buf := make([]byte, len(v.Data)+2)
	copy(buf, v.Data)
	data := &buf[0]
	r, _, _ := procRegSetValueExW.Call(uintptr(k), uintptr(unsafe.Pointer(pname)), 0,
		uintptr(v.Type), uintptr(unsafe.Pointer(data)), uintptr(len(v.Data)))
	if r != 0 {
		return winErr("set "+key+`\`+name, windows.Errno(r))
	}
	return nil
}

// DeleteRegValue removes a value; a missing key or value is already done.
func (h *Host) DeleteRegValue(ctx context.Context, key, name string) error {
	at, err := h.userKey(key)
	if err != nil {
		return err
	}
	k, err := openKey(at, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return winErr("open "+key+" for writing", err)
	}
	defer k.Close()
	if err := k.DeleteValue(name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return winErr("delete "+key+`\`+name, err)
	}
	return nil
}

// RegKeyExists tells whether a key exists in the 64-bit view.
func (h *Host) RegKeyExists(ctx context.Context, key string) (bool, error) {
	at, err := h.userKey(key)
	if err != nil {
		return false, err
	}
	k, err := openKey(at, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, winErr("open "+key, err)
	}
	k.Close()
	return true, nil
}

// DeleteEmptyRegKey removes a key that has no values and no subkeys. It
// never removes a hive's top-level keys (HKLM\SOFTWARE and the like).
func (h *Host) DeleteEmptyRegKey(ctx context.Context, key string) (bool, error) {
	if err := need(procRegDeleteKeyExW); err != nil {
		return false, err
	}
	at, err := h.userKey(key)
	if err != nil {
		return false, err
	}
	hv, sub, err := splitKey(at)
	if err != nil {
		return false, err
	}
	i := strings.LastIndexByte(sub, '\\')
	if i <= 0 {
		return false, fmt.Errorf("delete %s: will not delete a top-level key", key)
	}
	k, err := openKey(at, registry.QUERY_VALUE|registry.ENUMERATE_SUB_KEYS)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, winErr("open "+key, err)
	}
	st, err := k.Stat()
	k.Close()
	if err != nil {
		return false, winErr("read "+key, err)
	}
	if st.SubKeyCount > 0 || st.ValueCount > 0 {
		return false, nil
	}
	parent, err := registry.OpenKey(rootKey(hv), sub[:i], registry.ENUMERATE_SUB_KEYS|registry.WOW64_64KEY)
	if err != nil {
		return false, winErr("open "+key+"'s parent", err)
	}
	defer parent.Close()
	name, err := windows.UTF16PtrFromString(sub[i+1:])
	if err != nil {
		return false, fmt.Errorf("delete %s: %w", key, err)
	}
	// RegDeleteKeyEx, unlike RegDeleteKey, deletes in the 64-bit view
	// from a 32-bit process too.
	r, _, _ := procRegDeleteKeyExW.Call(uintptr(parent), uintptr(unsafe.Pointer(name)), uintptr(registry.WOW64_64KEY), 0)
	if r != 0 && windows.Errno(r) != windows.ERROR_FILE_NOT_FOUND {
		return false, winErr("delete "+key, windows.Errno(r))
	}
	return r == 0, nil
}
