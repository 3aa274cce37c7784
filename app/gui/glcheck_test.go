package gui

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGUIArgs(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    Options
		want []string
	}{
		{"double-click", Options{}, []string{"gui"}},
		{"snapshot", Options{Snapshot: `C:\snaps\ICU CS01`}, []string{"gui", "--snapshot", `C:\snaps\ICU CS01`}},
		{"all", Options{Snapshot: "s", Profile: "win7-l1", Tailoring: "-t.json"},
			[]string{"gui", "--snapshot", "s", "--profile", "win7-l1", "--tailoring", "-t.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.o.guiArgs())
		})
	}
}

func TestFallbackMessages(t *testing.T) {
	sys := &glError{Version: "1.1.0", Renderer: "GDI Generic", Cause: "OpenGL 2.1 or later is needed"}
	for _, tc := range []struct {
		name string
		err  error
		want []string
	}{
		{"the copy did not start", fallbackFailed(sys, errors.New(`the software renderer (C:\m\software-gl\medharden.exe), which Windows ended with 0xC0000135`)),
			[]string{"GDI Generic", "OpenGL 1.1.0", "then tried the software renderer", "0xC0000135"}},
		{"not a glError", fallbackFailed(errors.New("probe panicked"), errors.New("the software renderer, but X is not installed")),
			[]string{"probe panicked", "then tried the software renderer, but X is not installed"}},
		{"the copy's probe failed", softwareFailed(sys.Error(), `C:\m\software-gl`, &glError{Cause: "the display driver offers no OpenGL pixel format"}),
			[]string{"GDI Generic", `then tried the software renderer (Mesa in C:\m\software-gl): the display driver offers no OpenGL pixel format`}},
		{"the copy started directly", softwareFailed("", `C:\m\software-gl`, errors.New("cannot create an OpenGL context")),
			[]string{"was not tried", "cannot create an OpenGL context"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.ErrorIs(t, tc.err, ErrNoOpenGL)
			msg := noGLMessage(tc.err)
			for _, w := range tc.want {
				assert.Contains(t, msg, w)
			}
			assert.Contains(t, msg, "medharden audit --format html --out report.html")
		})
	}
	assert.Empty(t, sys.Tried, "fallbackFailed leaves the probe's error as it was")
}

func TestWithoutAnimations(t *testing.T) {
	a := test.NewApp()
	defer test.NewApp()
	require.True(t, a.Settings().ShowAnimations(), "the test app animates")
	q := withoutAnimations(a)
	assert.False(t, q.Settings().ShowAnimations())
	assert.False(t, fyne.CurrentApp().Settings().ShowAnimations(), "widgets ask the current app")
	assert.Equal(t, a.Settings().Theme(), fyne.CurrentApp().Settings().Theme(), "the other settings are the app's")
}

func TestWindowTitle(t *testing.T) {
	s := NewState("1.2.3")
	defer s.Close()
	defer func() { titleNote = "" }()
	assert.Equal(t, s.Title(), windowTitle(s))
	titleNote = softwareNote
	assert.Equal(t, s.Title()+" — software renderer, animations off", windowTitle(s))
}
