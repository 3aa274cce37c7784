//go:build windows

package remediate

import (
	"fmt"
	"os"
	"path/filepath"
	"unsafe"

	"golang.org/x/sys/windows"
)

// backupSDDL grants full control to Administrators and SYSTEM only, and
// does not inherit from ProgramData (which lets Users read).
const backupSDDL = "D:P(A;OICI;FA;;;BA)(A;OICI;FA;;;SY)"

// restrictDir lets only Administrators and SYSTEM open a backup folder.
func restrictDir(dir string) error {
	sd, err := windows.SecurityDescriptorFromString(backupSDDL)
	if err != nil {
		return fmt.Errorf("restrict %s: %w", dir, err)
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return fmt.Errorf("restrict %s: %w", dir, err)
	}
	err = windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil)
	if err != nil {
		return fmt.Errorf("restrict %s to Administrators and SYSTEM: %w (needs administrator)", dir, err)
	}
	return nil
}

// DefaultRoot is %ProgramData%\medharden\runs.
func DefaultRoot() string {
	pd := os.Getenv("ProgramData")
	if pd == "" {
		pd = `C:\ProgramData`
	}
	return filepath.Join(pd, "medharden", "runs")
}

// keySDDL lets only SYSTEM and Administrators open the key file.
const keySDDL = "D:P(A;;FA;;;SY)(A;;FA;;;BA)"

// createPrivate creates a new file that only Administrators and SYSTEM may
// open. The access list is set as the file is created, so there is no
// moment in which others could open it.
func createPrivate(path string) (*os.File, error) {
	sd, err := windows.SecurityDescriptorFromString(keySDDL)
	if err != nil {
		return nil, err
	}
	sa := &windows.SecurityAttributes{Length: uint32(unsafe.Sizeof(windows.SecurityAttributes{})), SecurityDescriptor: sd}
	name, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(name, windows.GENERIC_WRITE, 0, sa, windows.CREATE_NEW, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		return nil, &os.PathError{Op: "create", Path: path, Err: err}
	}
	return os.NewFile(uintptr(h), path), nil
}

// fileDeleteChild is FILE_DELETE_CHILD (winnt.h), which x/sys does not name.
const fileDeleteChild = 0x40

// writeRights are the rights that change a file or folder or its
// permissions.
const writeRights = windows.FILE_WRITE_DATA | windows.FILE_APPEND_DATA | windows.FILE_WRITE_EA |
	fileDeleteChild | windows.FILE_WRITE_ATTRIBUTES | windows.DELETE | windows.WRITE_DAC |
	windows.WRITE_OWNER | windows.GENERIC_WRITE | windows.GENERIC_ALL

// checkPrivate refuses a file or folder whose owner is not SYSTEM,
// Administrators or the user running medharden, or whose access list lets
// anyone but SYSTEM and Administrators change it (secret: open it at all).
func checkPrivate(f *os.File, secret bool) error {
	sd, err := windows.GetSecurityInfo(windows.Handle(f.Fd()), windows.SE_FILE_OBJECT,
		windows.OWNER_SECURITY_INFORMATION|windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		return fmt.Errorf("read the permissions of %s: %w", f.Name(), err)
	}
	owner, _, err := sd.Owner()
	if err != nil {
		return fmt.Errorf("read the owner of %s: %w", f.Name(), err)
	}
	if !trustedSID(owner) && !isCurrentUser(owner) {
		return fmt.Errorf("%s is owned by %s, not by Administrators or SYSTEM", f.Name(), owner)
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		return fmt.Errorf("%s has no access list: everyone may change it", f.Name())
	}
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			return fmt.Errorf("read the permissions of %s: %w", f.Name(), err)
		}
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE || ace.Header.AceFlags&windows.INHERIT_ONLY_ACE != 0 {
			continue
		}
		if !secret && ace.Mask&writeRights == 0 {
			continue
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		if !trustedSID(sid) {
			return fmt.Errorf("%s lets %s open or change it; only Administrators and SYSTEM may", f.Name(), sid)
		}
	}
	return nil
}

func trustedSID(s *windows.SID) bool {
	return s.IsWellKnown(windows.WinLocalSystemSid) || s.IsWellKnown(windows.WinBuiltinAdministratorsSid)
}

func isCurrentUser(s *windows.SID) bool {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	return err == nil && windows.EqualSid(u.User.Sid, s)
}
