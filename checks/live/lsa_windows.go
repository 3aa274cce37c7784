//go:build windows

package live

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"

	"medharden/checks"
)

// LSA policy access rights (ntsecapi.h).
const (
	policyViewLocalInformation = 0x0001
	policyCreateAccount        = 0x0010
	policyLookupNames          = 0x0800

	policyAccountDomainInformation = 5

	statusNoMoreEntries   = 0x8000001A
	statusAccessDenied    = 0xC0000022
	statusNoSuchPrivilege = 0xC0000060
)

// lsaObjectAttributes is LSA_OBJECT_ATTRIBUTES; LsaOpenPolicy wants it
// zeroed with its length set.
type lsaObjectAttributes struct {
	Length                   uint32
	RootDirectory            uintptr
	ObjectName               uintptr
	Attributes               uint32
	SecurityDescriptor       uintptr
	SecurityQualityOfService uintptr
}

func lsaErr(what string, st uintptr) error {
	switch uint32(st) {
	case 0:
		return nil
	case statusAccessDenied:
		return fmt.Errorf("%s: %w; run as Administrator", what, checks.ErrAccessDenied)
	}
	return fmt.Errorf("%s: %w", what, windows.NTStatus(uint32(st)))
}

// lsaOpen opens the local policy with the given rights; close with lsaClose.
func lsaOpen(access uint32) (uintptr, error) {
	if err := need(procLsaOpenPolicy, procLsaClose, procLsaFreeMemory); err != nil {
		return 0, err
	}
	attr := lsaObjectAttributes{Length: uint32(unsafe.Sizeof(lsaObjectAttributes{}))}
	var pol uintptr
	st, _, _ := procLsaOpenPolicy.Call(0, uintptr(unsafe.Pointer(&attr)), uintptr(access), uintptr(unsafe.Pointer(&pol)))
	if err := lsaErr("open the local security policy", st); err != nil {
		return 0, err
	}
	return pol, nil
}

func lsaClose(pol uintptr) { procLsaClose.Call(pol) }

func lsaFree(p unsafe.Pointer) { procLsaFreeMemory.Call(uintptr(p)) }

// accountDomainSID is the SID of the machine's account domain, the prefix
// of every local account's SID.
func (h *Host) accountDomainSID() (string, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.domainSID != "" {
		return h.domainSID, nil
	}
	if err := need(procLsaQueryInformationPolicy); err != nil {
		return "", err
	}
	pol, err := lsaOpen(policyViewLocalInformation)
	if err != nil {
		return "", err
	}
	defer lsaClose(pol)
	var buf unsafe.Pointer
	st, _, _ := procLsaQueryInformationPolicy.Call(pol, policyAccountDomainInformation, uintptr(unsafe.Pointer(&buf)))
	if err := lsaErr("read the machine's account domain", st); err != nil {
		return "", err
	}
	defer lsaFree(buf)
	// POLICY_ACCOUNT_DOMAIN_INFO: the domain name, then its SID.
	info := (*struct {
		Name windows.NTUnicodeString
		SID  *windows.SID
	})(buf)
	if info.SID == nil || !info.SID.IsValid() {
		return "", fmt.Errorf("read the machine's account domain: no SID")
	}
	h.domainSID = strings.ToUpper(info.SID.String())
	return h.domainSID, nil
}

// UserRight lists the SIDs holding a right.
func (h *Host) UserRight(ctx context.Context, right string) ([]string, error) {
	if err := need(procLsaEnumerateAccountsWithUserRight); err != nil {
		return nil, err
	}
	pol, err := lsaOpen(policyLookupNames | policyViewLocalInformation)
	if err != nil {
		return nil, err
	}
	defer lsaClose(pol)
	return enumRight(pol, right)
}

func enumRight(pol uintptr, right string) ([]string, error) {
	us, err := windows.NewNTUnicodeString(right)
	if err != nil {
		return nil, err
	}
	var buf unsafe.Pointer
	var n uint32
	st, _, _ := procLsaEnumerateAccountsWithUserRight.Call(pol, uintptr(unsafe.Pointer(us)),
		uintptr(unsafe.Pointer(&buf)), uintptr(unsafe.Pointer(&n)))
	switch uint32(st) {
	case statusNoMoreEntries:
		return []string{}, nil
	case statusNoSuchPrivilege:
		return nil, fmt.Errorf("user right %s: Windows knows no such right", right)
	}
	if err := lsaErr("read user right "+right, st); err != nil {
		return nil, err
	}
	defer lsaFree(buf)
	out := make([]string, 0, n)
	// LSA_ENUMERATION_INFORMATION is a single PSID.
	for _, sid := range unsafe.Slice((**windows.SID)(buf), n) {
		if sid != nil {
			out = append(out, strings.ToUpper(sid.String()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// toSID accepts a SID string, an English well-known name or an account.
func toSID(s string) (*windows.SID, error) {
	if strings.HasPrefix(strings.ToUpper(s), "S-1-") {
		return windows.StringToSid(s)
	}
	if sid, ok := checks.WellKnownSID(s); ok {
		return windows.StringToSid(sid)
	}
	sid, _, _, err := windows.LookupSID("", s)
	if err != nil {
		return nil, fmt.Errorf("account %q: %w", s, err)
	}
	return sid, nil
}

// SetUserRight makes sids the exact holders of right, adding and removing
// only the difference.
func (h *Host) SetUserRight(ctx context.Context, right string, sids []string) error {
	if err := need(procLsaEnumerateAccountsWithUserRight, procLsaAddAccountRights, procLsaRemoveAccountRights); err != nil {
		return err
	}
	defer h.invalidate()
	pol, err := lsaOpen(policyLookupNames | policyViewLocalInformation | policyCreateAccount)
	if err != nil {
		return err
	}
	defer lsaClose(pol)
	cur, err := enumRight(pol, right)
	if err != nil {
		return err
	}
	want := make([]string, 0, len(sids))
	for _, s := range sids {
		sid, err := toSID(s)
		if err != nil {
			return fmt.Errorf("set %s: %w", right, err)
		}
		want = append(want, sid.String())
	}
	add, remove := diffRights(cur, want)
	us, err := windows.NewNTUnicodeString(right)
	if err != nil {
		return err
	}
	for _, s := range add {
		sid, err := windows.StringToSid(s)
		if err != nil {
			return fmt.Errorf("grant %s: %w", right, err)
		}
		st, _, _ := procLsaAddAccountRights.Call(pol, uintptr(unsafe.Pointer(sid)), uintptr(unsafe.Pointer(us)), 1)
		if err := lsaErr("grant "+right+" to "+s, st); err != nil {
			return err
		}
	}
	for _, s := range remove {
		sid, err := windows.StringToSid(s)
		if err != nil {
			return fmt.Errorf("revoke %s: %w", right, err)
		}
		st, _, _ := procLsaRemoveAccountRights.Call(pol, uintptr(unsafe.Pointer(sid)), 0, uintptr(unsafe.Pointer(us)), 1)
		if err := lsaErr("revoke "+right+" from "+s, st); err != nil {
			return err
		}
	}
	return nil
}
