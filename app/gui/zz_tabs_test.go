package gui

import (
	"image/png"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

func TestZZTabs(t *testing.T) {
	h := newHarness(t)
	fyne.CurrentApp().Settings().SetTheme(theme.LightTheme())
	h.open()
	save := func(name string) {
		f, _ := os.Create("/tmp/guiwork/tab-" + name + ".png")
		png.Encode(f, h.m.win.Canvas().Capture())
		f.Close()
	}
	h.m.tabs.Select(h.m.startTab)
	save("start")
	h.m.tabs.Select(h.m.remediateTab)
	h.m.rem.mode.SetSelected(modeFailed)
	h.tap(h.m.rem.preview)
	save("plan")
	h.tap(h.m.rem.apply)
	save("applied")
	h.m.tabs.Select(h.m.backupsTab)
	h.m.backups.list.Select(0)
	save("backups")
	h.m.tabs.Select(h.m.reportsTab)
	save("reports")
	h.m.tabs.Select(h.m.assetsTab)
	h.m.wait()
	test.Type(h.m.assets.entries["asset_tag"], "bad tag!")
	save("assets")
}
