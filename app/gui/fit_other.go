//go:build !windows

package gui

import "fyne.io/fyne/v2"

// workArea is unknown here: Fyne has no call for the screen's size, and
// the window opens at fallbackSize.
func workArea() (fyne.Size, bool) { return fyne.Size{}, false }
