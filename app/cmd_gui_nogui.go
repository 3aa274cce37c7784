//go:build !windows && !gui

package main

import (
	"context"
	"io"
)

func runGUI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return usagef("this build has no desktop window; build it with 'go build -tags gui ./app' (after .ci/deps installs the X11/OpenGL headers), or use the CLI and the HTML report")
}
