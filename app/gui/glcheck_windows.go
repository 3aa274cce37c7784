//go:build windows

package gui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The probe makes what GLFW makes, minus the visible window: a hidden
// window, a pixel format, a legacy WGL context, then reads GL_VERSION. An
// RDP session or a VM without 3D drivers gives Microsoft's "GDI Generic"
// OpenGL 1.1, or no context at all.
//
// gdi32's pixel-format calls go to whichever opengl32.dll the process
// loaded: the system's, or in the software renderer's copy Mesa's.
var (
	user32 = windows.NewLazySystemDLL("user32.dll")
	gdi32  = windows.NewLazySystemDLL("gdi32.dll")

	procCreateWindowExW   = user32.NewProc("CreateWindowExW")
	procDestroyWindow     = user32.NewProc("DestroyWindow")
	procGetDC             = user32.NewProc("GetDC")
	procReleaseDC         = user32.NewProc("ReleaseDC")
	procChoosePixelFormat = gdi32.NewProc("ChoosePixelFormat")
	procSetPixelFormat    = gdi32.NewProc("SetPixelFormat")
)

// openGL32 is the opengl32.dll the exe imports: Mesa's beside the software
// renderer's copy, else the system's.
func openGL32() *windows.LazyDLL {
	if dir, ok := softwareCopyDir(); ok {
		return windows.NewLazyDLL(filepath.Join(dir, "opengl32.dll"))
	}
	return windows.NewLazySystemDLL("opengl32.dll")
}

const (
	wsPopup          = 0x80000000
	pfdDrawToWindow  = 0x00000004
	pfdSupportOpenGL = 0x00000020
	pfdDoubleBuffer  = 0x00000001
	pfdTypeRGBA      = 0
	glRenderer       = 0x1F01
	glVersion        = 0x1F02
	mbOK             = 0x00000000
	mbIconWarning    = 0x00000030
	mbSetForeground  = 0x00010000
	mbTopmost        = 0x00040000
)

// pixelFormatDescriptor is PIXELFORMATDESCRIPTOR (40 bytes).
type pixelFormatDescriptor struct {
	Size, Version                                  uint16
	Flags                                          uint32
	PixelType, ColorBits                           byte
	RedBits, RedShift, GreenBits, GreenShift       byte
	BlueBits, BlueShift, AlphaBits, AlphaShift     byte
	AccumBits, AccumRed, AccumGreen, AccumBlue     byte
	AccumAlpha, DepthBits, StencilBits, AuxBuffers byte
	LayerType, Reserved                            byte
	LayerMask, VisibleMask, DamageMask             uint32
}

// Windows reads exactly 40 bytes, on 386 and amd64 alike.
var _ [40]byte = [unsafe.Sizeof(pixelFormatDescriptor{})]byte{}

// checkOpenGL returns an error wrapping ErrNoOpenGL when no OpenGL 2.1
// context can be made.
func checkOpenGL() (err error) {
	if glCheckDisabled() {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = &glError{Cause: fmt.Sprintf("the OpenGL probe failed: %v", r)}
		}
	}()
	version, renderer, perr := probeOpenGL(openGL32())
	if perr != nil {
		return &glError{Cause: perr.Error()}
	}
	if !glVersionOK(version) {
		return &glError{Version: version, Renderer: renderer, Cause: fmt.Sprintf("OpenGL %d.%d or later is needed", glMajor, glMinor)}
	}
	return nil
}

func probeOpenGL(opengl32 *windows.LazyDLL) (version, renderer string, err error) {
	procWglCreateContext := opengl32.NewProc("wglCreateContext")
	procWglMakeCurrent := opengl32.NewProc("wglMakeCurrent")
	procWglDeleteContext := opengl32.NewProc("wglDeleteContext")
	procGlGetString := opengl32.NewProc("glGetString")
	for _, p := range []*windows.LazyProc{procCreateWindowExW, procGetDC, procChoosePixelFormat, procSetPixelFormat,
		procWglCreateContext, procWglMakeCurrent, procGlGetString} {
		if e := p.Find(); e != nil {
			return "", "", fmt.Errorf("OpenGL is not available: %v", e)
		}
	}
	// A window and a GL context belong to the thread that made them.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	class, _ := windows.UTF16PtrFromString("STATIC")
	title, _ := windows.UTF16PtrFromString("medharden OpenGL probe")
	hwnd, _, e := procCreateWindowExW.Call(0, uintptr(unsafe.Pointer(class)), uintptr(unsafe.Pointer(title)),
		wsPopup, 0, 0, 16, 16, 0, 0, 0, 0)
	if hwnd == 0 {
		return "", "", fmt.Errorf("cannot create the probe window: %v", e)
	}
	defer procDestroyWindow.Call(hwnd)
	hdc, _, e := procGetDC.Call(hwnd)
	if hdc == 0 {
		return "", "", fmt.Errorf("cannot get a device context: %v", e)
	}
	defer procReleaseDC.Call(hwnd, hdc)

	pfd := pixelFormatDescriptor{
		Version: 1, Flags: pfdDrawToWindow | pfdSupportOpenGL | pfdDoubleBuffer,
		PixelType: pfdTypeRGBA, ColorBits: 32, DepthBits: 24, StencilBits: 8,
	}
	pfd.Size = uint16(unsafe.Sizeof(pfd))
	format, _, e := procChoosePixelFormat.Call(hdc, uintptr(unsafe.Pointer(&pfd)))
	if format == 0 {
		// Without an error code (Wine on an X server without GLX, a VM
		// without a 3D driver) the driver simply lists no OpenGL formats.
		if e == windows.ERROR_SUCCESS {
			return "", "", errors.New("the display driver offers no OpenGL pixel format")
		}
		return "", "", fmt.Errorf("no OpenGL pixel format: %v", e)
	}
	if ok, _, e := procSetPixelFormat.Call(hdc, format, uintptr(unsafe.Pointer(&pfd))); ok == 0 {
		return "", "", fmt.Errorf("cannot set the OpenGL pixel format: %v", e)
	}
	ctx, _, e := procWglCreateContext.Call(hdc)
	if ctx == 0 {
		return "", "", fmt.Errorf("cannot create an OpenGL context: %v", e)
	}
	defer procWglDeleteContext.Call(ctx)
	if ok, _, e := procWglMakeCurrent.Call(hdc, ctx); ok == 0 {
		return "", "", fmt.Errorf("cannot use the OpenGL context: %v", e)
	}
	defer procWglMakeCurrent.Call(0, 0)
	return glString(procGlGetString, glVersion), glString(procGlGetString, glRenderer), nil
}

func glString(glGetString *windows.LazyProc, name uintptr) string {
	p, _, _ := glGetString.Call(name)
	if p == 0 {
		return ""
	}
	// p points into the driver's static memory, never Go's heap.
	return windows.BytePtrToString((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&p))))
}

// showFatal shows a native message box, which needs no OpenGL.
func showFatal(title, msg string) {
	t, _ := windows.UTF16PtrFromString(title)
	m, _ := windows.UTF16PtrFromString(msg)
	windows.MessageBox(0, m, t, mbOK|mbIconWarning|mbSetForeground|mbTopmost)
}

// usableHandle tells whether f is an open console, file or pipe (the
// software renderer's copy gets it; softgl_windows.go).
func usableHandle(f *os.File) bool {
	if f == nil {
		return false
	}
	h := windows.Handle(f.Fd())
	if h == 0 || h == windows.InvalidHandle {
		return false
	}
	t, err := windows.GetFileType(h)
	return err == nil && t != windows.FILE_TYPE_UNKNOWN
}
