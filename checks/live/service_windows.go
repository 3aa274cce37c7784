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

// openService opens one service or driver with only the rights asked for;
// mgr.Connect would ask the SCM for SC_MANAGER_ALL_ACCESS.
func openService(name string, access uint32) (windows.Handle, func(), error) {
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return 0, nil, fmt.Errorf("service %q: %w", name, err)
	}
	m, err := windows.OpenSCManager(nil, nil, windows.SC_MANAGER_CONNECT)
	if err != nil {
		return 0, nil, winErr("connect to the service control manager", err)
	}
	s, err := windows.OpenService(m, p, access)
	if err != nil {
		windows.CloseServiceHandle(m)
		return 0, nil, winErr("service "+name, err)
	}
	return s, func() {
		windows.CloseServiceHandle(s)
		windows.CloseServiceHandle(m)
	}, nil
}

// ServiceStart reads the start type with QueryServiceConfig alone
// (mgr.Service.Config also asks for the description, which fails on Wine).
func (h *Host) ServiceStart(ctx context.Context, name string) (checks.StartType, error) {
	s, done, err := openService(name, windows.SERVICE_QUERY_CONFIG)
	if err != nil {
		return 0, err
	}
	defer done()
	buf := make([]byte, 1024)
	for i := 0; i < 4; i++ {
		var need uint32
		err = windows.QueryServiceConfig(s, (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&buf[0])), uint32(len(buf)), &need)
		if err == nil {
			st := (*windows.QUERY_SERVICE_CONFIG)(unsafe.Pointer(&buf[0])).StartType
			if st > uint32(checks.StartDisabled) {
				return 0, fmt.Errorf("service %s: unknown start type %d", name, st)
			}
			return checks.StartType(st), nil
		}
		if !errors.Is(err, windows.ERROR_INSUFFICIENT_BUFFER) || int(need) <= len(buf) {
			break
		}
		buf = make([]byte, need)
	}
	return 0, winErr("query service "+name, err)
}

// SetServiceStart changes the start type and nothing else.
func (h *Host) SetServiceStart(ctx context.Context, name string, st checks.StartType) error {
	if st > checks.StartDisabled {
		return fmt.Errorf("service %s: %d is not a start type", name, st)
	}
	s, done, err := openService(name, windows.SERVICE_CHANGE_CONFIG)
	if err != nil {
		return err
	}
	defer done()
	err = windows.ChangeServiceConfig(s, windows.SERVICE_NO_CHANGE, uint32(st), windows.SERVICE_NO_CHANGE,
		nil, nil, nil, nil, nil, nil, nil)
	if err != nil {
		return winErr(fmt.Sprintf("set service %s to %s", name, st), err)
	}
	return nil
}
