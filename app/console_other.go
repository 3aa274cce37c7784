//go:build !windows

package main

// guiOnNoArgs is false: outside Windows a start without arguments prints
// the usage.
func guiOnNoArgs() bool { return false }
