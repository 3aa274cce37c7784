//go:build windows || gui

// The desktop window is linked into Windows builds always and elsewhere only
// with -tags gui: Fyne needs cgo and the X11/OpenGL headers, and a plain
// Linux build of the CLI (auditing snapshots) should need neither.

package main

import (
	"context"
	_ "embed"
	"io"

	"medharden/app/gui"
)

// iconPNG is the app icon (FyneApp.toml names the same file).
//
//go:embed Icon.png
var iconPNG []byte

func runGUI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlagSet("gui", stderr)
	snap := fl.String("snapshot", "", "collector snapshot `folder` to open at start")
	profile := fl.String("profile", "", "profile: "+profileNames()+" (default: chosen from the Windows version)")
	tailoring := fl.String("tailoring", "", "tailoring `file` (waivers, overrides, do-not-touch)")
	setUsage(fl, stderr, "Usage: medharden gui [--snapshot DIR] [--profile P] [--tailoring FILE]\n\n"+
		"Opens the desktop window. It needs OpenGL 2.1; over Remote Desktop or in a VM without\n"+
		"3D graphics it says so and exits with code 3: use 'medharden audit' there.\n\n",
		"")
	if help, err := parseOptions("gui", fl, args); help || err != nil {
		return err
	}
	return gui.Run(gui.Options{
		Context: ctx, Snapshot: *snap, Profile: *profile, Tailoring: *tailoring,
		Version: version, Icon: iconPNG, Stderr: stderr,
	})
}
