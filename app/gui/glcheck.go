package gui

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
)

// Fyne's desktop driver asks GLFW for an OpenGL 2.1 context.
const glMajor, glMinor = 2, 1

// ErrNoOpenGL: the window cannot be drawn on this system.
var ErrNoOpenGL = errors.New("this session has no OpenGL 2.1 driver, so the window cannot be drawn")

// glError says what the OpenGL probe found and, when the software renderer
// was tried too, how that failed.
type glError struct {
	Version, Renderer string
	Cause             string
	Tried             string
}

func (e *glError) Error() string {
	var parts []string
	if e.Cause != "" {
		parts = append(parts, e.Cause)
	}
	if e.Version != "" {
		parts = append(parts, "OpenGL "+e.Version)
	}
	if e.Renderer != "" {
		parts = append(parts, "renderer "+e.Renderer)
	}
	msg := strings.Join(parts, ", ")
	if e.Tried != "" {
		msg += "; then tried " + e.Tried
	}
	return msg
}

func (e *glError) Unwrap() error { return ErrNoOpenGL }

// parseGLVersion reads "major.minor" from glGetString(GL_VERSION), which
// starts with it ("1.1.0", "4.6.0 NVIDIA 537.13", "2.1 Mesa 23.2.1").
func parseGLVersion(s string) (major, minor int, ok bool) {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " -"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return 0, 0, false
	}
	var err1, err2 error
	major, err1 = strconv.Atoi(parts[0])
	minor, err2 = strconv.Atoi(parts[1])
	return major, minor, err1 == nil && err2 == nil
}

// glVersionOK tells whether the reported version is enough for Fyne.
func glVersionOK(version string) bool {
	major, minor, ok := parseGLVersion(version)
	if !ok {
		return false
	}
	return major > glMajor || (major == glMajor && minor >= glMinor)
}

// softwareDir is the install's subfolder that holds a second copy of
// medharden.exe beside Mesa's software OpenGL (opengl32.dll and
// libgallium_wgl.dll). Windows loads an opengl32.dll from the exe's own
// folder before the system's, so only that copy renders in software: the
// exe in the install folder keeps the graphics driver's OpenGL and starts
// the copy when the probe finds less than OpenGL 2.1.
const softwareDir = "software-gl"

// softwareNote ends the window title under the software renderer.
const softwareNote = "software renderer, animations off"

// systemGLEnv carries what the exe in the install folder found to the
// copy it starts, so that the copy's message box names both.
const systemGLEnv = "MEDHARDEN_SYSTEM_OPENGL"

// guiArgs is the command line that opens the same window: the software
// renderer's copy is started with it (a double-click has no arguments, and
// the copy, without a console of its own, would print its usage instead).
func (o Options) guiArgs() []string {
	args := []string{"gui"}
	for _, f := range []struct{ name, value string }{
		{"--snapshot", o.Snapshot}, {"--profile", o.Profile}, {"--tailoring", o.Tailoring},
	} {
		if f.value != "" {
			args = append(args, f.name, f.value)
		}
	}
	return args
}

// titleNote ends the window title: softwareNote under the software renderer.
var titleNote string

// windowTitle is State's title with titleNote.
func windowTitle(s *State) string {
	if titleNote == "" {
		return s.Title()
	}
	return s.Title() + " — " + titleNote
}

// softwareFailed is the error of the software renderer's copy whose own
// probe failed too: what the system's OpenGL gave (systemGL, from
// systemGLEnv; empty when the copy was started directly), then what the
// copy tried.
func softwareFailed(systemGL, dir string, err error) error {
	tried := fmt.Sprintf("the software renderer (Mesa in %s): %v", dir, err)
	if systemGL == "" {
		return &glError{Cause: "the system's OpenGL was not tried (the software renderer's copy was started directly)", Tried: tried}
	}
	return &glError{Cause: systemGL, Tried: tried}
}

// fallbackFailed is the system OpenGL's failure sysErr with why the
// software renderer could not take over.
func fallbackFailed(sysErr, tried error) error {
	var ge *glError
	if errors.As(sysErr, &ge) {
		c := *ge
		c.Tried = tried.Error()
		return &c
	}
	return &glError{Cause: sysErr.Error(), Tried: tried.Error()}
}

// withoutAnimations makes a the current app with animations off: software
// rendering redraws every animation frame on the CPU (a focused text
// field's blinking cursor alone keeps half a core busy). Fyne 2.7 has no
// per-app switch, only its global settings file's "no_animations" and the
// no_animations build tag, which would also turn them off on real drivers;
// its widgets ask fyne.CurrentApp().Settings().ShowAnimations().
func withoutAnimations(a fyne.App) fyne.App {
	q := quietApp{a}
	fyne.SetCurrentApp(q)
	return q
}

type quietApp struct{ fyne.App }

func (a quietApp) Settings() fyne.Settings { return quietSettings{a.App.Settings()} }

type quietSettings struct{ fyne.Settings }

func (quietSettings) ShowAnimations() bool { return false }

// glCheckDisabled lets support skip the probe if it ever misjudges a driver.
func glCheckDisabled() bool { return os.Getenv("MEDHARDEN_GLCHECK") == "0" }

// noGLMessage is what a technician reads when the window cannot open: the
// cause and the command-line way to the same report.
func noGLMessage(cause error) string {
	return fmt.Sprintf("medharden cannot open its window here: %v.\n\n"+
		"This is common over Remote Desktop and in virtual machines without 3D graphics.\n\n"+
		"Use the command line instead. In a Command Prompt, in the folder of medharden.exe:\n\n"+
		"    medharden audit --format html --out report.html\n\n"+
		"then open report.html in a browser. For a snapshot folder add --snapshot FOLDER; "+
		"'medharden help' lists every command.", cause)
}
