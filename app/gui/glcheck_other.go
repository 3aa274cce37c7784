//go:build !windows

package gui

// checkOpenGL has nothing to probe here: without a display GLFW fails to
// start and the log watch in Run reports it.
func checkOpenGL() error { return nil }

// showFatal has no native box here; Run also prints the message.
func showFatal(title, msg string) {}
