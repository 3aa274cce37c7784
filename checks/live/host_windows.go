//go:build windows

package live

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// Host is the running Windows. It is safe for use by several goroutines.
type Host struct {
	mu   sync.Mutex
	info *checks.OSInfo
	// The secedit export, read at most once until a write invalidates it.
	sec     *winfmt.INF
	secErr  error
	secDone bool
	// exports counts secedit runs; tests hold it to one per audit.
	exports   int
	domainSID string

	privOnce sync.Once

	// People's hives under HKEY_USERS, by SID (userhive_windows.go).
	hiveMu sync.Mutex
	hives  map[string]hiveState
	lock   *hiveLock // held while this host has hives loaded
	closed bool      // Close ran: no hive is loaded any more
}

var _ checks.HostWriter = (*Host)(nil)

// New opens the live host. It fails with ErrNotElevated when the process
// is not running as administrator. ReleaseHives and Close unload the
// people's hives it loaded.
func New() (*Host, error) {
	if !IsElevated() {
		return nil, fmt.Errorf("live host: %w", ErrNotElevated)
	}
	// Leftovers of a killed run are unloaded now if no other run holds
	// the hive lock; otherwise they are the other run's, or are unloaded
	// by the first load that takes the lock.
	if l, _, err := acquireHiveLock(0); err == nil {
		unloadLeftovers()
		l.Release()
	}
	return newHost(), nil
}

func newHost() *Host { return &Host{} }

// Identity says the host is this computer.
func (h *Host) Identity() checks.Identity { return checks.Identity{Origin: checks.Live} }

// IsElevated tells whether the process holds an elevated administrator
// token. Before Vista there is no elevation, only group membership.
func IsElevated() bool {
	if windows.RtlGetVersion().MajorVersion >= 6 {
		return windows.GetCurrentProcessToken().IsElevated()
	}
	admins, err := windows.CreateWellKnownSid(windows.WinBuiltinAdministratorsSid)
	if err != nil {
		return false
	}
	ok, err := windows.Token(0).IsMember(admins)
	return err == nil && ok
}

// OS identifies the system. It reads no WMI, so it costs microseconds.
func (h *Host) OS(ctx context.Context) (checks.OSInfo, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.info != nil {
		return *h.info, nil
	}
	rv := windows.RtlGetVersion()
	v := osVersion{
		Major: rv.MajorVersion, Minor: rv.MinorVersion, Build: rv.BuildNumber,
		CSD: windows.UTF16ToString(rv.CsdVersion[:]),
	}
	if k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Windows NT\CurrentVersion`,
		registry.QUERY_VALUE|registry.WOW64_64KEY); err == nil {
		v.ProductName, _, _ = k.GetStringValue("ProductName")
		v.EditionID, _, _ = k.GetStringValue("EditionID")
		k.Close()
	}
	if procGetProductInfo.Find() == nil {
		var sku uint32
		r, _, _ := procGetProductInfo.Call(uintptr(rv.MajorVersion), uintptr(rv.MinorVersion),
			uintptr(rv.ServicePackMajor), uintptr(rv.ServicePackMinor), uintptr(unsafe.Pointer(&sku)))
		if r != 0 {
			v.SKU = int(sku)
		}
	}
	var wow64 bool
	if runtime.GOARCH == "386" {
		_ = windows.IsWow64Process(windows.CurrentProcess(), &wow64)
	}
	info := osInfo(v, runtime.GOARCH, wow64)
	if name, err := windows.ComputerName(); err == nil {
		info.Hostname = name
	}
	info.Domain, info.PartOfDomain = joinInfo()
	// OSLanguage is the install language, which Windows keeps here.
	if k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Control\Nls\Language`,
		registry.QUERY_VALUE|registry.WOW64_64KEY); err == nil {
		s, _, _ := k.GetStringValue("InstallLanguage")
		info.Language = langID(s)
		k.Close()
	}
	h.info = &info
	return info, nil
}

// joinInfo names the domain (its DNS name where there is one) or the
// workgroup, as Win32_ComputerSystem.Domain does.
func joinInfo() (string, bool) {
	var name *uint16
	var typ uint32
	if err := windows.NetGetJoinInformation(nil, &name, &typ); err != nil {
		return "", false
	}
	defer windows.NetApiBufferFree((*byte)(unsafe.Pointer(name)))
	joined := windows.UTF16PtrToString(name)
	if typ != windows.NetSetupDomainName {
		return joined, false
	}
	var buf [256]uint16
	n := uint32(len(buf))
	if err := windows.GetComputerNameEx(windows.ComputerNameDnsDomain, &buf[0], &n); err == nil && n > 0 {
		return windows.UTF16ToString(buf[:n]), true
	}
	return joined, true
}

// enableSecurityPrivilege turns on SeSecurityPrivilege, which the audit
// policy calls need; administrators hold it, disabled. Best effort: a token
// without it makes the calls fail with "privilege not held".
func (h *Host) enableSecurityPrivilege() {
	h.privOnce.Do(func() { enablePrivileges("SeSecurityPrivilege") })
}

// winErr maps the Windows errors every probe shares onto the sentinels.
func winErr(what string, err error) error {
	switch {
	case errors.Is(err, windows.ERROR_FILE_NOT_FOUND), errors.Is(err, windows.ERROR_SERVICE_DOES_NOT_EXIST):
		return fmt.Errorf("%s: %w", what, checks.ErrAbsent)
	case errors.Is(err, windows.ERROR_ACCESS_DENIED), errors.Is(err, windows.ERROR_PRIVILEGE_NOT_HELD):
		return fmt.Errorf("%s: %w; run as Administrator", what, checks.ErrAccessDenied)
	}
	return fmt.Errorf("%s: %w", what, err)
}
