//go:build windows

package live

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"

	ole "github.com/go-ole/go-ole"
	"github.com/go-ole/go-ole/oleutil"
	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"medharden/checks"
)

var (
	_ checks.InventorySource = (*Host)(nil)
	_ checks.SessionSource   = (*Host)(nil)
)

// wmiClass is what the collector asks wmic for, so that a live inventory and
// a snapshot's carry the same columns.
type wmiClass struct {
	class, where string
	props        []string
}

var wmiClasses = map[string]wmiClass{
	"os":             {"Win32_OperatingSystem", "", []string{"Caption", "CSDVersion", "Version", "BuildNumber", "OSArchitecture", "OperatingSystemSKU", "InstallDate", "LastBootUpTime", "CSName"}},
	"computersystem": {"Win32_ComputerSystem", "", []string{"Name", "Domain", "PartOfDomain", "Workgroup", "Manufacturer", "Model", "SystemType", "UserName"}},
	"bios":           {"Win32_BIOS", "", []string{"SerialNumber", "Manufacturer", "SMBIOSBIOSVersion", "ReleaseDate"}},
	"qfe":            {"Win32_QuickFixEngineering", "", []string{"HotFixID", "InstalledOn", "Description"}},
	"nicconfig":      {"Win32_NetworkAdapterConfiguration", "IPEnabled=TRUE", []string{"Description", "MACAddress", "IPAddress", "DHCPEnabled", "DefaultIPGateway"}},
	"useraccount":    {"Win32_UserAccount", "LocalAccount=TRUE", []string{"Name", "SID", "Disabled", "PasswordRequired", "PasswordExpires", "Lockout", "Status"}},
	"service":        {"Win32_Service", "", []string{"Name", "StartMode", "State", "StartName"}},
	// The device model's groups: SIDs from Win32_Group and
	// Win32_SystemAccount, memberships from Win32_GroupUser.
	"group":      {"Win32_Group", "LocalAccount=TRUE", []string{"Domain", "Name", "SID"}},
	"sysaccount": {"Win32_SystemAccount", "", []string{"Domain", "Name", "SID"}},
	"groupuser":  {"Win32_GroupUser", "", []string{"GroupComponent", "PartComponent"}},
}

// WMI returns a class's rows with every value rendered as wmic's CSV writes
// it: TRUE/FALSE, arrays as {a;b}, datetimes as WMI text.
func (h *Host) WMI(ctx context.Context, name string) ([]map[string]string, error) {
	c, ok := wmiClasses[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("%w: no WMI query for %q", checks.ErrNotCollected, name)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	query := "SELECT " + strings.Join(c.props, ", ") + " FROM " + c.class
	if c.where != "" {
		query += " WHERE " + c.where
	}
	// COM wants its calls on the thread that initialized it.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := ole.CoInitializeEx(0, ole.COINIT_MULTITHREADED); err != nil {
		var oe *ole.OleError
		// S_FALSE: already initialized on this thread, which is fine.
		if !errors.As(err, &oe) || oe.Code() != 1 {
			return nil, wmiErr("initialize COM", err)
		}
	}
	defer ole.CoUninitialize()

	locator, err := oleutil.CreateObject("WbemScripting.SWbemLocator")
	if err != nil {
		return nil, wmiErr("create WMI locator", err)
	}
	defer locator.Release()
	disp, err := locator.QueryInterface(ole.IID_IDispatch)
	if err != nil {
		return nil, wmiErr("create WMI locator", err)
	}
	defer disp.Release()
	svcVar, err := oleutil.CallMethod(disp, "ConnectServer", ".", `root\CIMV2`)
	if err != nil {
		return nil, wmiErr("connect to WMI", err)
	}
	defer svcVar.Clear()
	setVar, err := oleutil.CallMethod(svcVar.ToIDispatch(), "ExecQuery", query)
	if err != nil {
		return nil, wmiErr("query "+c.class, err)
	}
	defer setVar.Clear()
	set := setVar.ToIDispatch()
	countVar, err := oleutil.GetProperty(set, "Count")
	if err != nil {
		return nil, wmiErr("query "+c.class, err)
	}
	count := int(countVar.Val)
	countVar.Clear()

	rows := make([]map[string]string, 0, count)
	for i := 0; i < count; i++ {
		itemVar, err := oleutil.CallMethod(set, "ItemIndex", i)
		if err != nil {
			return nil, wmiErr("read "+c.class, err)
		}
		item := itemVar.ToIDispatch()
		row := make(map[string]string, len(c.props))
		for _, p := range c.props {
			v, err := oleutil.GetProperty(item, p)
			if err != nil {
				continue // a property this Windows lacks (OSArchitecture on XP) stays empty
			}
			row[p] = variantText(v)
			v.Clear()
		}
		itemVar.Clear()
		rows = append(rows, row)
	}
	return rows, nil
}

func variantText(v *ole.VARIANT) string {
	switch {
	case v.VT == ole.VT_NULL || v.VT == ole.VT_EMPTY:
		return ""
	case v.VT == ole.VT_BOOL:
		if v.Val != 0 {
			return "TRUE"
		}
		return "FALSE"
	case v.VT&ole.VT_ARRAY != 0:
		items := v.ToArray().ToValueArray()
		parts := make([]string, len(items))
		for i, x := range items {
			parts[i] = fmt.Sprint(x)
		}
		return "{" + strings.Join(parts, ";") + "}"
	}
	return fmt.Sprint(v.Value())
}

// RegSubkeys lists a key's subkeys in the 64-bit view; a missing key has
// none.
func (h *Host) RegSubkeys(ctx context.Context, key string) ([]string, error) {
	at, err := h.userKey(key)
	if err != nil {
		return nil, err
	}
	k, err := openKey(at, registry.ENUMERATE_SUB_KEYS)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, winErr("list subkeys of "+key, err)
	}
	defer k.Close()
	names, err := k.ReadSubKeyNames(-1)
	if err != nil {
		return nil, winErr("list subkeys of "+key, err)
	}
	return names, nil
}

var procGetSystemMetrics = windows.NewLazySystemDLL("user32.dll").NewProc("GetSystemMetrics")

const smRemoteSession = 0x1000

// Session is the process's user (from its token) and whether it runs in a
// Remote Desktop session.
func (h *Host) Session(ctx context.Context) (checks.Session, error) {
	tu, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return checks.Session{}, fmt.Errorf("read the current user: %w", err)
	}
	s := checks.Session{UserSID: strings.ToUpper(tu.User.Sid.String())}
	if acct, dom, _, err := tu.User.Sid.LookupAccount(""); err == nil {
		s.UserName = dom + `\` + acct
	}
	if procGetSystemMetrics.Find() == nil {
		r, _, _ := procGetSystemMetrics.Call(smRemoteSession)
		s.Remote = r != 0
	}
	return s, nil
}
