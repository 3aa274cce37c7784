package gui

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Any change of what to fix, of the profile or of the tailoring drops the
// plan on screen; Apply waits for a fresh preview.
func TestStalePlanCannotBeApplied(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(h *harness)
	}{
		{"mode", func(h *harness) { h.m.rem.mode.SetSelected(modeCapability) }},
		{"capability", func(h *harness) {
			h.m.rem.capability.SetSelectedIndex(indexOf(h.m.rem.capCodes, "AUTH"))
		}},
		{"ticked check", func(h *harness) {
			h.m.tabs.Select(h.m.remediateTab)
			var box *widget.Check
			for _, o := range test.LaidOutObjects(h.m.rem.picks) {
				if c, ok := o.(*widget.Check); ok && box == nil {
					box = c
				}
			}
			require.NotNil(h.t, box, "the list shows a box per fixable check")
			test.Tap(box)
		}},
		{"profile", func(h *harness) {
			h.m.start.profile.SetSelected("cis-win7-l2 — CIS Windows 7 Level 1 + Level 2")
		}},
		{"tailoring", func(h *harness) {
			h.file = filepath.Join(h.t.TempDir(), "site.yaml")
			require.NoError(h.t, os.WriteFile(h.file, []byte(tailoring), 0o644))
			test.Tap(h.m.start.chooseTailor)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.open()
			if tc.name == "capability" {
				h.m.rem.mode.SetSelected(modeCapability)
				h.m.rem.capability.SetSelectedIndex(indexOf(h.m.rem.capCodes, "ALOF"))
			}
			h.tap(h.m.rem.preview)
			h.noErrors()
			require.NotNil(t, h.m.s.Plan())
			require.False(t, h.m.rem.apply.Disabled())

			tc.change(h)
			assert.Nil(t, h.m.s.Plan(), "the plan is dropped at once")
			assert.True(t, h.m.rem.apply.Disabled(), "Apply waits for a fresh preview")
			assert.Empty(t, h.m.rem.rows)
			h.wait()
			h.noErrors()
			assert.True(t, h.m.rem.apply.Disabled())
		})
	}
}
