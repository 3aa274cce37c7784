package main

import "testing"

// mkfifo is nil: Windows has no named pipes in folders.
var mkfifo func(path string) error

// mkdevice skips: Windows has no device nodes in folders; its devices are
// reserved names (TestOutputTargetsMustBeRegularFiles, "NUL").
func mkdevice(t *testing.T, path string) { t.Skip("no device nodes on Windows") }
