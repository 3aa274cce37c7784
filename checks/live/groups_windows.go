//go:build windows

package live

import (
	"context"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"

	"medharden/checks"
)

var (
	procNetLocalGroupEnum       = modnetapi32.NewProc("NetLocalGroupEnum")
	procNetLocalGroupGetMembers = modnetapi32.NewProc("NetLocalGroupGetMembers")
)

var _ checks.GroupSource = (*Host)(nil)

// LocalGroups reads the local groups and their direct members as SIDs
// through the Net API, the same on XP and 7 and in every language.
// Members of domain groups are not expanded.
func (h *Host) LocalGroups(ctx context.Context) ([]checks.Group, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := need(procNetLocalGroupEnum, procNetLocalGroupGetMembers); err != nil {
		return nil, err
	}
	dom, _ := h.accountDomainSID() // names members of this computer only; "" names none of S-1-5-21
	return readGroups(netGroups{domain: strings.ToUpper(dom)})
}

type netGroups struct{ domain string }

func (netGroups) LocalGroupNames() ([]string, error) {
	var out []string
	var resume uintptr
	for {
		var buf *byte
		var read, total uint32
		st, _, _ := procNetLocalGroupEnum.Call(0, 0, uintptr(unsafe.Pointer(&buf)), maxPreferredLength,
			uintptr(unsafe.Pointer(&read)), uintptr(unsafe.Pointer(&total)), uintptr(unsafe.Pointer(&resume)))
		if buf != nil {
			for _, n := range unsafe.Slice((**uint16)(unsafe.Pointer(buf)), read) {
				out = append(out, windows.UTF16PtrToString(n))
			}
			windows.NetApiBufferFree(buf)
		}
		if st == uintptr(windows.ERROR_MORE_DATA) {
			continue
		}
		if err := netErr("list local groups (NetLocalGroupEnum level 0)", st); err != nil {
			return nil, err
		}
		return out, nil
	}
}

func (netGroups) GroupSID(name string) (string, uint32, error) {
	sid, _, use, err := windows.LookupSID("", name)
	if err != nil {
		return "", 0, err
	}
	return sid.String(), use, nil
}

func (netGroups) MemberSIDs(group string) ([]string, error) {
	g, err := windows.UTF16PtrFromString(group)
	if err != nil {
		return nil, err
	}
	var out []string
	var resume uintptr
	for {
		var buf *byte
		var read, total uint32
		st, _, _ := procNetLocalGroupGetMembers.Call(0, uintptr(unsafe.Pointer(g)), 0, uintptr(unsafe.Pointer(&buf)), maxPreferredLength,
			uintptr(unsafe.Pointer(&read)), uintptr(unsafe.Pointer(&total)), uintptr(unsafe.Pointer(&resume)))
		if buf != nil {
			for _, s := range unsafe.Slice((**windows.SID)(unsafe.Pointer(buf)), read) {
				out = append(out, s.String())
			}
			windows.NetApiBufferFree(buf)
		}
		if st == uintptr(windows.ERROR_MORE_DATA) {
			continue
		}
		if err := netErr("NetLocalGroupGetMembers level 0", st); err != nil {
			return nil, err
		}
		return out, nil
	}
}

func (n netGroups) MemberName(sid string) string {
	if strings.HasPrefix(sid, "S-1-5-21-") && (n.domain == "" || !strings.HasPrefix(sid, n.domain+"-")) {
		return ""
	}
	s, err := windows.StringToSid(sid)
	if err != nil {
		return ""
	}
	acct, dom, _, err := s.LookupAccount("")
	if err != nil {
		return ""
	}
	if dom == "" {
		return acct
	}
	return dom + `\` + acct
}
