package gui

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
)

// AppID is the application id of FyneApp.toml.
const AppID = "org.medharden.app"

// Options start the desktop app.
type Options struct {
	// Context closes the window when done (Ctrl+C in the console).
	Context   context.Context
	Snapshot  string // open this snapshot folder at start
	Profile   string
	Tailoring string
	Version   string
	Icon      []byte // PNG
	Stderr    io.Writer
}

// Run shows the window until it is closed. When no window can be drawn
// (no OpenGL 2.1 over Remote Desktop or in a VM) it says so in a native
// message box and on stderr, pointing to the command line, and returns an
// error wrapping ErrNoOpenGL: it never fails silently.
func Run(o Options) (err error) {
	if o.Stderr == nil {
		o.Stderr = os.Stderr
	}
	swDir, software := softwareCopyDir()
	if gerr := checkOpenGL(); gerr != nil {
		if software {
			return fatalNoGL(o.Stderr, softwareFailed(os.Getenv(systemGLEnv), swDir, gerr))
		}
		code, ferr := runSoftwareCopy(o, gerr)
		if ferr == nil {
			// The software renderer's copy showed the window, or its own
			// message box naming both OpenGLs: its exit code is ours, and
			// nothing of this process is left to write.
			os.Exit(code)
		}
		return fatalNoGL(o.Stderr, fallbackFailed(gerr, ferr))
	}
	// Fyne reports a window it could not create in its log and returns
	// from Run; watching the log turns that into the same message.
	watch := &glLogWatch{}
	log.SetOutput(io.MultiWriter(o.Stderr, watch))
	defer log.SetOutput(os.Stderr)
	defer func() {
		if r := recover(); r != nil {
			err = fatalNoGL(o.Stderr, &glError{Cause: fmt.Sprintf("the graphics driver failed: %v", r)})
		}
	}()

	var icon fyne.Resource
	if len(o.Icon) > 0 {
		icon = fyne.NewStaticResource("Icon.png", o.Icon)
	}
	app.SetMetadata(fyne.AppMetadata{ID: AppID, Name: AppName, Version: o.Version, Icon: icon, Release: true})
	a := app.NewWithID(AppID)
	if software {
		a = withoutAnimations(a)
		titleNote = softwareNote
	}
	if icon != nil {
		a.SetIcon(icon)
	}
	s := NewState(o.Version)
	defer s.Close()
	if err := s.SetProfile(o.Profile); err != nil {
		return err
	}
	if o.Tailoring != "" {
		if err := s.SetTailoring(o.Tailoring); err != nil {
			return err
		}
	}
	m := newMainWindow(a, s)
	m.win.SetMaster()
	if o.Snapshot != "" {
		a.Lifecycle().SetOnStarted(func() { m.load(o.Snapshot) })
	}
	if o.Context != nil {
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			select {
			case <-o.Context.Done():
				fyne.Do(a.Quit)
			case <-stop:
			}
		}()
	}
	m.win.ShowAndRun()
	if cause := watch.cause(); cause != "" {
		return fatalNoGL(o.Stderr, &glError{Cause: cause})
	}
	return nil
}

func fatalNoGL(stderr io.Writer, cause error) error {
	msg := noGLMessage(cause)
	fmt.Fprintln(stderr, msg)
	showFatal(AppName+": the window cannot open", msg)
	if _, ok := cause.(*glError); ok {
		return cause
	}
	return fmt.Errorf("%w: %v", ErrNoOpenGL, cause)
}

// glLogWatch spots Fyne's log lines for a window that could not be made.
type glLogWatch struct {
	mu   sync.Mutex
	hit  bool
	text bytes.Buffer
}

var glFailures = []string{"failed to initialise GLFW", "window creation error", "failed to initialise OpenGL"}

func (w *glLogWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.hit {
		for _, f := range glFailures {
			if bytes.Contains(p, []byte(f)) {
				w.hit = true
			}
		}
	}
	if w.hit && w.text.Len() < 2048 {
		w.text.Write(p)
	}
	return len(p), nil
}

// cause is the logged failure, or "" when the window opened.
func (w *glLogWatch) cause() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.hit {
		return ""
	}
	var lines []string
	for _, l := range strings.Split(w.text.String(), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.Contains(l, " At: ") || strings.HasPrefix(l, "At:") {
			continue
		}
		// Drop the log's date and time prefix.
		if f := strings.Fields(l); len(f) > 2 && strings.Count(f[0], "/") == 2 {
			l = strings.Join(f[2:], " ")
		}
		lines = append(lines, l)
	}
	return strings.Join(lines, "; ")
}
