//go:build windows

package gui

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// softwareCopyDir tells whether this exe is the software renderer's copy:
// it sits in a folder named software-gl beside Mesa's opengl32.dll.
func softwareCopyDir() (string, bool) {
	exe, err := os.Executable()
	if err != nil {
		return "", false
	}
	dir := filepath.Dir(exe)
	if !strings.EqualFold(filepath.Base(dir), softwareDir) {
		return "", false
	}
	if _, err := os.Stat(filepath.Join(dir, "opengl32.dll")); err != nil {
		return "", false
	}
	return dir, true
}

// runSoftwareCopy starts software-gl\medharden.exe beside this exe with the
// same window's command line, the same standard handles and the system
// OpenGL's failure in systemGLEnv, and waits for it. It returns the copy's
// exit code, or an error saying why the copy did not run: missing, not
// started, or ended by Windows before it could say anything itself (a DLL
// that does not load gives an NTSTATUS such as 0xC0000135).
func runSoftwareCopy(o Options, sysErr error) (int, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("the software renderer: %v", err)
	}
	copyExe := filepath.Join(filepath.Dir(exe), softwareDir, "medharden.exe")
	if _, err := os.Stat(copyExe); err != nil {
		return 0, fmt.Errorf("the software renderer, but %s is not installed", copyExe)
	}
	cmd := exec.Command(copyExe, o.guiArgs()...)
	cmd.Env = append(os.Environ(), systemGLEnv+"="+sysErr.Error())
	// The copy's output is its own (it writes through the same safe
	// writer); a handle that a double-click's freed console left invalid
	// is not passed on.
	if usableHandle(os.Stdin) {
		cmd.Stdin = os.Stdin
	}
	if usableHandle(os.Stdout) {
		cmd.Stdout = os.Stdout
	}
	if usableHandle(os.Stderr) {
		cmd.Stderr = os.Stderr
	}
	err = cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return 0, fmt.Errorf("the software renderer (%s), which did not start: %v", copyExe, err)
	}
	code := uint32(cmd.ProcessState.ExitCode())
	if code >= 0xC0000000 { // NTSTATUS error: the loader or a crash ended it
		return 0, fmt.Errorf("the software renderer (%s), which Windows ended with 0x%08X", copyExe, code)
	}
	return int(code), nil
}
