//go:build !windows

package gui

import "errors"

// checkOpenGL has nothing to probe here: without a display GLFW fails to
// start and the log watch in Run reports it.
func checkOpenGL() error { return nil }

// showFatal has no native box here; Run also prints the message.
func showFatal(title, msg string) {}

// softwareCopyDir: the software renderer's copy exists on Windows only.
func softwareCopyDir() (string, bool) { return "", false }

// runSoftwareCopy: there is none to run here.
func runSoftwareCopy(o Options, sysErr error) (int, error) {
	return 0, errors.New("the software renderer, which exists on Windows only")
}
