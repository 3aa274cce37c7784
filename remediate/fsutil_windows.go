//go:build windows

package remediate

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// syncDir is a no-op: Windows cannot open a folder for flushing, and NTFS
// journals renames itself.
func syncDir(dir string) error { return nil }

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
