//go:build windows

package gui

import (
	"unsafe"

	"fyne.io/fyne/v2"
)

var (
	procSystemParametersInfoW = user32.NewProc("SystemParametersInfoW")
	procGetDeviceCaps         = gdi32.NewProc("GetDeviceCaps")
)

const (
	spiGetWorkArea = 0x0030
	logPixelsY     = 90
)

// workArea is the primary screen's area without the taskbar, in Fyne's
// units (pixels at 96 dpi), which is the largest the window may open at.
func workArea() (fyne.Size, bool) {
	var r struct{ Left, Top, Right, Bottom int32 }
	if ok, _, _ := procSystemParametersInfoW.Call(spiGetWorkArea, 0, uintptr(unsafe.Pointer(&r)), 0); ok == 0 {
		return fyne.Size{}, false
	}
	scale := float32(1)
	if dc, _, _ := procGetDC.Call(0); dc != 0 {
		if dpi, _, _ := procGetDeviceCaps.Call(dc, logPixelsY); dpi > 0 {
			scale = float32(dpi) / 96
		}
		procReleaseDC.Call(0, dc)
	}
	return fyne.NewSize(float32(r.Right-r.Left)/scale, float32(r.Bottom-r.Top)/scale), true
}
