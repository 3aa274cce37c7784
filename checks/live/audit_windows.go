//go:build windows

package live

import (
	"context"
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"

	"medharden/checks"
)

// auditPolicyInformation is AUDIT_POLICY_INFORMATION.
type auditPolicyInformation struct {
	Subcategory windows.GUID
	Info        uint32
	Category    windows.GUID
}

func auditAPI(procs ...*windows.LazyProc) error {
	for _, p := range procs {
		if p.Find() != nil {
			return fmt.Errorf("%w: Windows XP has no advanced audit policy (advapi32 has no %s)", checks.ErrNotSupported, p.Name)
		}
	}
	return nil
}

func auditErr(what string, err error) error {
	if errors.Is(err, windows.ERROR_INVALID_PARAMETER) || errors.Is(err, windows.ERROR_FILE_NOT_FOUND) {
		return fmt.Errorf("%s: Windows knows no such audit subcategory", what)
	}
	return winErr(what, err)
}

// AuditPolicy reads one subcategory by GUID, never by its localized name.
func (h *Host) AuditPolicy(ctx context.Context, subcategory string) (checks.AuditFlags, error) {
	if err := auditAPI(procAuditQuerySystemPolicy, procAuditFree); err != nil {
		return checks.AuditFlags{}, err
	}
	g, err := parseGUID(subcategory)
	if err != nil {
		return checks.AuditFlags{}, err
	}
	h.enableSecurityPrivilege()
	wg := windows.GUID(g)
	var p *auditPolicyInformation
	r, _, e := procAuditQuerySystemPolicy.Call(uintptr(unsafe.Pointer(&wg)), 1, uintptr(unsafe.Pointer(&p)))
	if byte(r) == 0 { // BOOLEAN: only the low byte is set
		return checks.AuditFlags{}, auditErr("read audit subcategory "+subcategory, e)
	}
	defer procAuditFree.Call(uintptr(unsafe.Pointer(p)))
	return auditFlags(p.Info), nil
}

// SetAuditPolicy sets success and failure auditing of one subcategory.
func (h *Host) SetAuditPolicy(ctx context.Context, subcategory string, f checks.AuditFlags) error {
	if err := auditAPI(procAuditSetSystemPolicy); err != nil {
		return err
	}
	g, err := parseGUID(subcategory)
	if err != nil {
		return err
	}
	h.enableSecurityPrivilege()
	defer h.invalidate()
	p := auditPolicyInformation{Subcategory: windows.GUID(g), Info: auditInfo(f)}
	r, _, e := procAuditSetSystemPolicy.Call(uintptr(unsafe.Pointer(&p)), 1)
	if byte(r) == 0 { // BOOLEAN: only the low byte is set
		return auditErr(fmt.Sprintf("set audit subcategory %s to %s", subcategory, f), e)
	}
	return nil
}
