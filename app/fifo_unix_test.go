//go:build !windows

package main

import "syscall"

// mkfifo makes a named pipe; Windows has none in folders.
var mkfifo = func(path string) error { return syscall.Mkfifo(path, 0o644) }
