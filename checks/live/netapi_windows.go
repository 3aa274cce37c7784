//go:build windows

package live

import (
	"context"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"

	"medharden/checks"
)

const (
	nerrBase            = 2100
	nerrUserNotFound    = 2221
	filterNormalAccount = 0x0002
	maxPreferredLength  = 0xFFFFFFFF
)

// netErr turns a NET_API_STATUS into an error.
func netErr(what string, st uintptr) error {
	switch st {
	case 0:
		return nil
	case nerrUserNotFound:
		return fmt.Errorf("%s: %w", what, checks.ErrAbsent)
	}
	if st >= nerrBase && st < nerrBase+1000 {
		// NERR_ codes live in netmsg.dll, which FormatMessage does not read.
		return fmt.Errorf("%s: network API error NERR %d", what, st)
	}
	return winErr(what, windows.Errno(st))
}

// readModals copies a NetUserModalsGet buffer of level 0 or 3 into dst.
func readModals(level uint32, dst unsafe.Pointer, size uintptr) error {
	if err := need(procNetUserModalsGet); err != nil {
		return err
	}
	var buf *byte
	st, _, _ := procNetUserModalsGet.Call(0, uintptr(level), uintptr(unsafe.Pointer(&buf)))
	if err := netErr(fmt.Sprintf("read account policy (NetUserModalsGet level %d)", level), st); err != nil {
		return err
	}
	defer windows.NetApiBufferFree(buf)
	copy(unsafe.Slice((*byte)(dst), size), unsafe.Slice(buf, size))
	return nil
}

func writeModals(level uint32, src unsafe.Pointer) error {
	if err := need(procNetUserModalsSet); err != nil {
		return err
	}
	var parm uint32
	st, _, _ := procNetUserModalsSet.Call(0, uintptr(level), uintptr(src), uintptr(unsafe.Pointer(&parm)))
	what := fmt.Sprintf("write account policy (NetUserModalsSet level %d", level)
	if parm != 0 {
		what += fmt.Sprintf(", field %d", parm)
	}
	return netErr(what+")", st)
}

func (h *Host) modals(level int) (*userModals0, *userModals3, error) {
	var m0 userModals0
	var m3 userModals3
	var err error
	if level == 0 {
		err = readModals(0, unsafe.Pointer(&m0), unsafe.Sizeof(m0))
	} else {
		err = readModals(3, unsafe.Pointer(&m3), unsafe.Sizeof(m3))
	}
	return &m0, &m3, err
}

// setModalsKey reads the level that holds name, changes it and writes it back.
func (h *Host) setModalsKey(level int, name, value string) error {
	m0, m3, err := h.modals(level)
	if err != nil {
		return err
	}
	if err := setModals(m0, m3, name, value); err != nil {
		return err
	}
	if level == 0 {
		return writeModals(0, unsafe.Pointer(m0))
	}
	return writeModals(3, unsafe.Pointer(m3))
}

// userInfo20 is USER_INFO_20.
type userInfo20 struct {
	Name     *uint16
	FullName *uint16
	Comment  *uint16
	Flags    uint32
	UserID   uint32
}

// users lists the local accounts with NetUserEnum level 20, which gives the
// RID without a lookup per account.
func users() ([]userEntry, error) {
	var out []userEntry
	var resume uint32
	for {
		var buf *byte
		var read, total uint32
		err := windows.NetUserEnum(nil, 20, filterNormalAccount, &buf, maxPreferredLength, &read, &total, &resume)
		if buf != nil {
			for _, u := range unsafe.Slice((*userInfo20)(unsafe.Pointer(buf)), read) {
				out = append(out, userEntry{Name: windows.UTF16PtrToString(u.Name), Flags: u.Flags, RID: u.UserID})
			}
			windows.NetApiBufferFree(buf)
		}
		if err == windows.ERROR_MORE_DATA {
			continue
		}
		if err != nil {
			return nil, winErr("list local accounts (NetUserEnum)", err)
		}
		return out, nil
	}
}

// Accounts lists the local accounts with their SIDs and flags.
func (h *Host) Accounts(ctx context.Context) ([]checks.Account, error) {
	dom, err := h.accountDomainSID()
	if err != nil {
		return nil, err
	}
	list, err := users()
	if err != nil {
		return nil, err
	}
	out := make([]checks.Account, 0, len(list))
	for _, u := range list {
		out = append(out, accountFrom(dom, u))
	}
	return out, nil
}

func (h *Host) account(sid string) (userEntry, error) {
	dom, err := h.accountDomainSID()
	if err != nil {
		return userEntry{}, err
	}
	list, err := users()
	if err != nil {
		return userEntry{}, err
	}
	return findAccount(dom, list, sid)
}

func setUserInfo(name string, level uint32, info unsafe.Pointer) error {
	if err := need(procNetUserSetInfo); err != nil {
		return err
	}
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return err
	}
	var parm uint32
	st, _, _ := procNetUserSetInfo.Call(0, uintptr(unsafe.Pointer(p)), uintptr(level), uintptr(info), uintptr(unsafe.Pointer(&parm)))
	return netErr(fmt.Sprintf("change account %q (NetUserSetInfo level %d)", name, level), st)
}

// SetAccountDisabled sets or clears "account is disabled" (level 1008).
func (h *Host) SetAccountDisabled(ctx context.Context, sid string, disabled bool) error {
	defer h.invalidate()
	u, err := h.account(sid)
	if err != nil {
		return err
	}
	info := struct{ Flags uint32 }{disabledFlags(u.Flags, disabled)} // USER_INFO_1008
	return setUserInfo(u.Name, 1008, unsafe.Pointer(&info))
}

// RenameAccount renames the account with that SID (level 0).
func (h *Host) RenameAccount(ctx context.Context, sid, name string) error {
	if err := validAccountName(name); err != nil {
		return err
	}
	defer h.invalidate()
	u, err := h.account(sid)
	if err != nil {
		return err
	}
	if u.Name == name {
		return nil
	}
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return err
	}
	info := struct{ Name *uint16 }{p} // USER_INFO_0
	return setUserInfo(u.Name, 0, unsafe.Pointer(&info))
}
