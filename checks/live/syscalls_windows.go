//go:build windows

package live

import (
	"fmt"

	"golang.org/x/sys/windows"

	"medharden/checks"
)

// Functions x/sys v0.30.0 does not wrap. Each is looked up before use, so a
// Windows without it (XP has no AuditQuerySystemPolicy) gets an answer
// instead of a panic.
var (
	modadvapi32 = windows.NewLazySystemDLL("advapi32.dll")
	modnetapi32 = windows.NewLazySystemDLL("netapi32.dll")
	modkernel32 = windows.NewLazySystemDLL("kernel32.dll")

	procRegSetValueExW  = modadvapi32.NewProc("RegSetValueExW")
	procRegDeleteKeyExW = modadvapi32.NewProc("RegDeleteKeyExW")
	procRegLoadKeyW     = modadvapi32.NewProc("RegLoadKeyW")
	procRegUnLoadKeyW   = modadvapi32.NewProc("RegUnLoadKeyW")

	procLsaOpenPolicy                     = modadvapi32.NewProc("LsaOpenPolicy")
	procLsaClose                          = modadvapi32.NewProc("LsaClose")
	procLsaFreeMemory                     = modadvapi32.NewProc("LsaFreeMemory")
	procLsaQueryInformationPolicy         = modadvapi32.NewProc("LsaQueryInformationPolicy")
	procLsaEnumerateAccountsWithUserRight = modadvapi32.NewProc("LsaEnumerateAccountsWithUserRight")
	procLsaAddAccountRights               = modadvapi32.NewProc("LsaAddAccountRights")
	procLsaRemoveAccountRights            = modadvapi32.NewProc("LsaRemoveAccountRights")

	procAuditQuerySystemPolicy = modadvapi32.NewProc("AuditQuerySystemPolicy")
	procAuditSetSystemPolicy   = modadvapi32.NewProc("AuditSetSystemPolicy")
	procAuditFree              = modadvapi32.NewProc("AuditFree")

	procNetUserModalsGet = modnetapi32.NewProc("NetUserModalsGet")
	procNetUserModalsSet = modnetapi32.NewProc("NetUserModalsSet")
	procNetUserSetInfo   = modnetapi32.NewProc("NetUserSetInfo")

	procGetProductInfo = modkernel32.NewProc("GetProductInfo")
)

// need reports a missing API as ErrNotSupported.
func need(procs ...*windows.LazyProc) error {
	for _, p := range procs {
		if err := p.Find(); err != nil {
			return fmt.Errorf("%w: this Windows has no %s", checks.ErrNotSupported, p.Name)
		}
	}
	return nil
}
