package outfile

import "testing"

// specialFiles: Windows has no FIFOs or device nodes in folders; its
// devices are the reserved names TestIsDeviceName covers.
func specialFiles(t *testing.T, dir string) []checkCase { return nil }
