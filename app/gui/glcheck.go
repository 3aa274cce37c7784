package gui

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Fyne's desktop driver asks GLFW for an OpenGL 2.1 context.
const glMajor, glMinor = 2, 1

// ErrNoOpenGL: the window cannot be drawn on this system.
var ErrNoOpenGL = errors.New("this session has no OpenGL 2.1 driver, so the window cannot be drawn")

// glError says what the OpenGL probe found.
type glError struct {
	Version, Renderer string
	Cause             string
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
	return strings.Join(parts, ", ")
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
