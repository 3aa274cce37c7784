//go:build windows

package main

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	kernel32                  = windows.NewLazySystemDLL("kernel32.dll")
	procGetConsoleProcessList = kernel32.NewProc("GetConsoleProcessList")
	procFreeConsole           = kernel32.NewProc("FreeConsole")
)

// guiOnNoArgs tells whether a start without arguments should open the
// window: when Explorer started medharden.exe (a double-click), Windows made
// a console for this process alone, which is released so that no empty
// black window stays behind. Started from a Command Prompt, the console is
// shared and the usage is printed as everywhere else.
func guiOnNoArgs() bool {
	if procGetConsoleProcessList.Find() != nil {
		return false
	}
	var pids [2]uint32
	n, _, _ := procGetConsoleProcessList.Call(uintptr(unsafe.Pointer(&pids[0])), uintptr(len(pids)))
	if n != 1 {
		return false
	}
	procFreeConsole.Call()
	return true
}
