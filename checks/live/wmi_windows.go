//go:build windows

package live

import (
	"context"
	"errors"
	"fmt"
	"strings"

	ole "github.com/go-ole/go-ole"
	"github.com/yusufpapurcu/wmi"

	"medharden/checks"
)

const (
	bitlockerNamespace = `root\CIMV2\Security\MicrosoftVolumeEncryption`
	wbemAccessDenied   = 0x80041003
)

// wmiClient tolerates properties a class lacks (Wine, older builds) rather
// than failing the whole query.
var wmiClient = &wmi.Client{AllowMissingFields: true}

// wmiCode digs the HRESULT out of a WMI error: a failed ConnectServer comes
// back as DISP_E_EXCEPTION with the real code in the EXCEPINFO.
func wmiCode(err error) uint32 {
	var oe *ole.OleError
	if !errors.As(err, &oe) {
		return 0
	}
	if ex, ok := oe.SubError().(ole.EXCEPINFO); ok && ex.SCODE() != 0 {
		return ex.SCODE()
	}
	return uint32(oe.Code())
}

func wmiErr(what string, err error) error {
	if wmiCode(err) == wbemAccessDenied {
		return fmt.Errorf("%s: %w; run as Administrator", what, checks.ErrAccessDenied)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Hotfixes lists Win32_QuickFixEngineering.
func (h *Host) Hotfixes(ctx context.Context) ([]checks.Hotfix, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var rows []struct {
		HotFixID    string
		InstalledOn string
		Description string
	}
	if err := wmiClient.Query("SELECT HotFixID, InstalledOn, Description FROM Win32_QuickFixEngineering", &rows); err != nil {
		return nil, wmiErr("list installed updates (WMI Win32_QuickFixEngineering)", err)
	}
	out := make([]checks.Hotfix, 0, len(rows))
	for _, r := range rows {
		id := strings.TrimSpace(r.HotFixID)
		if id == "" || strings.EqualFold(id, "File 1") {
			continue // component entries without an id, as the snapshot skips them
		}
		out = append(out, checks.Hotfix{ID: id, InstalledOn: strings.TrimSpace(r.InstalledOn), Description: strings.TrimSpace(r.Description)})
	}
	return out, nil
}

// Volumes lists Win32_EncryptableVolume; the namespace is missing on
// editions without BitLocker, which is "not supported", not an error.
func (h *Host) Volumes(ctx context.Context) ([]checks.Volume, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var rows []struct {
		DriveLetter      string
		ProtectionStatus uint32
	}
	// "." rather than nil for the local machine: Wine's ConnectServer
	// rejects a VT_NULL server name, Windows takes either.
	err := wmiClient.Query("SELECT DriveLetter, ProtectionStatus FROM Win32_EncryptableVolume", &rows, ".", bitlockerNamespace)
	if wmiCode(err) == wbemInvalidNamespace {
		info, ierr := h.OS(ctx)
		if ierr != nil {
			return nil, ierr
		}
		return nil, noBitLocker(info)
	}
	if err != nil {
		return nil, wmiErr("read BitLocker status (WMI Win32_EncryptableVolume)", err)
	}
	out := make([]checks.Volume, 0, len(rows))
	for _, r := range rows {
		out = append(out, checks.Volume{DriveLetter: strings.TrimSpace(r.DriveLetter), ProtectionStatus: int(r.ProtectionStatus)})
	}
	return out, nil
}
