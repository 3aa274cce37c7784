package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"medharden/assets"
	"medharden/assets/csaf"
)

type assetsView struct {
	identity *widget.Label
	entries  map[string]*widget.Entry
	crit     *widget.Select
	form     *widget.Form
	errors   *widget.Label
	save     *widget.Button
	reload   *widget.Button
	exports  []*widget.Button
	path     *widget.Label

	// Advisories: a folder of CSAF documents matched against this device.
	advFolder  *widget.Entry
	advChoose  *widget.Button
	advCheck   *widget.Button
	advisories *widget.Label

	rec       assets.Record
	loaded    bool
	exportDir string // where the inventory was last exported
}

func (m *mainWindow) buildAssets() fyne.CanvasObject {
	v := &assetsView{entries: map[string]*widget.Entry{}}
	m.assets = v
	v.identity = widget.NewLabel("Open a target to see its inventory.")
	v.identity.Wrapping = fyne.TextWrapWord
	v.identity.Selectable = true
	v.identity.TextStyle = fyne.TextStyle{}

	v.form = widget.NewForm()
	for _, spec := range assets.FieldSpecs {
		key := spec.Key
		if len(spec.Choices) > 0 {
			v.crit = widget.NewSelect(spec.Choices, nil)
			v.crit.PlaceHolder = "(not set)"
			v.form.Append(spec.Label, v.crit)
			continue
		}
		e := widget.NewEntry()
		e.Validator = func(s string) error { return ValidateField(key, s) }
		v.entries[key] = e
		item := widget.NewFormItem(spec.Label, e)
		item.HintText = spec.Help
		v.form.AppendItem(item)
	}
	v.errors = widget.NewLabel("")
	v.errors.Wrapping = fyne.TextWrapWord
	v.errors.Importance = widget.DangerImportance
	v.errors.Hide()
	v.path = widget.NewLabel("")
	v.path.Wrapping = fyne.TextWrapWord
	v.path.SizeName = theme.SizeNameCaptionText
	v.save = widget.NewButtonWithIcon("Save fields", theme.DocumentSaveIcon(), m.saveAssetFields)
	v.save.Importance = widget.HighImportance
	v.reload = widget.NewButtonWithIcon("Read again", theme.ViewRefreshIcon(), m.loadAssets)
	for _, f := range assets.Formats {
		format := f
		v.exports = append(v.exports, widget.NewButton("Export "+strings.ToUpper(format)+"…", func() { m.exportInventory(format) }))
	}
	v.advFolder = widget.NewEntry()
	v.advFolder.SetPlaceHolder("Folder of CSAF 2.0 advisories (*.json)")
	v.advChoose = widget.NewButtonWithIcon("Choose folder…", theme.FolderOpenIcon(), func() {
		m.openFolder("Folder of CSAF advisories", func(dir string) {
			v.advFolder.SetText(dir)
			m.checkAdvisories()
		})
	})
	v.advCheck = widget.NewButtonWithIcon("Check advisories", theme.SearchIcon(), m.checkAdvisories)
	v.advisories = widget.NewLabel("Choose a folder of advisories to see those that concern this device.")
	v.advisories.Wrapping = fyne.TextWrapWord
	m.actions = append(m.actions, v.save, v.reload, v.advChoose, v.advCheck)
	for _, b := range v.exports {
		m.actions = append(m.actions, b)
	}

	exportRow := container.NewHBox()
	for _, b := range v.exports {
		exportRow.Add(b)
	}
	right := container.NewVScroll(container.NewVBox(
		widget.NewLabelWithStyle("Technician fields", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.form, v.errors, container.NewHBox(v.save, v.reload), v.path,
		widget.NewSeparator(),
		widget.NewLabelWithStyle("Export the inventory", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		exportRow,
		widget.NewSeparator(),
		widget.NewLabelWithStyle("Advisories for this device", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.advFolder, container.NewHBox(v.advChoose, v.advCheck), v.advisories,
	))
	left := border(
		widget.NewLabelWithStyle("Identity, network, patches and exposures", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		nil, nil, nil, container.NewVScroll(v.identity))
	_, split := newAdaptiveSplit(left, right, 0.5, 900)
	return split
}

// loadAssets collects the inventory of the open target.
func (m *mainWindow) loadAssets() {
	if !m.s.Opened() {
		return
	}
	var rec assets.Record
	var file string
	m.run("Reading the inventory", func(ctx context.Context) error {
		var err error
		rec, file, err = m.s.Inventory(ctx)
		return err
	}, func(err error) {
		v := m.assets
		if err != nil {
			v.identity.SetText(err.Error())
			m.showError(err)
			return
		}
		v.rec, v.loaded = rec, true
		v.identity.SetText(InventoryText(rec))
		m.setAssetFields(rec.Fields)
		if _, err := os.Stat(file); err == nil {
			v.path.SetText("Read from " + file)
		} else {
			v.path.SetText("Not saved yet: \"Save fields…\" asks where (next to the inventory export; never inside the snapshot folder).")
		}
		m.status.SetText("Read the inventory of " + rec.Identity.Hostname)
		if strings.TrimSpace(v.advFolder.Text) != "" {
			m.checkAdvisories()
		}
	})
}

// checkAdvisories matches the advisory folder against the device read.
func (m *mainWindow) checkAdvisories() {
	v := m.assets
	folder := strings.TrimSpace(v.advFolder.Text)
	if folder == "" || !v.loaded {
		return
	}
	rec := v.rec
	var fs []csaf.Finding
	var read int
	m.run("Checking advisories", func(ctx context.Context) error {
		var err error
		fs, read, err = m.s.DeviceAdvisories(folder, rec)
		return err
	}, func(err error) {
		if err != nil {
			v.advisories.SetText(err.Error())
			m.showError(err)
			return
		}
		v.advisories.SetText(AdvisoriesText(fs, read))
		m.status.SetText(fmt.Sprintf("Checked %d advisories against %s", read, rec.Identity.Hostname))
	})
}

func (m *mainWindow) setAssetFields(f assets.Fields) {
	v := m.assets
	for key, e := range v.entries {
		e.SetText(f.Get(key))
	}
	if c := f.Criticality; c != "" {
		v.crit.SetSelected(c)
	} else {
		v.crit.ClearSelected()
	}
	v.errors.Hide()
}

// assetFields reads the form; the error names every wrong field.
func (m *mainWindow) assetFields() (assets.Fields, error) {
	v := m.assets
	var f assets.Fields
	var ve assets.ValidationError
	for _, spec := range assets.FieldSpecs {
		val := ""
		if e, ok := v.entries[spec.Key]; ok {
			val = e.Text
		} else if spec.Key == "criticality" {
			val = v.crit.Selected
		}
		if err := f.Set(spec.Key, val); err != nil {
			var fe assets.FieldError
			if errors.As(err, &fe) {
				ve.Errs = append(ve.Errs, fe)
			} else {
				ve.Errs = append(ve.Errs, assets.FieldError{Field: spec.Key, Msg: err.Error()})
			}
		}
	}
	if len(ve.Errs) > 0 {
		return f, &ve
	}
	return f, nil
}

// saveAssetFields checks the form, then asks where to save it.
func (m *mainWindow) saveAssetFields() {
	f, err := m.assetFields()
	if err != nil {
		m.fieldsError(err)
		return
	}
	m.saveFile("Save technician fields", m.s.FieldsSuggestion(m.assets.exportDir), []string{".json"}, func(path string) {
		if err := m.s.SaveFieldsTo(path, f); err != nil {
			m.fieldsError(err)
			return
		}
		v := m.assets
		v.errors.Hide()
		v.rec.Fields = f
		v.identity.SetText(InventoryText(v.rec))
		v.path.SetText("Saved in " + path)
		m.status.SetText("Saved the technician fields to " + path)
	})
}

// fieldsError shows why the fields were not saved, field by field.
func (m *mainWindow) fieldsError(err error) {
	v := m.assets
	var lines []string
	for _, spec := range assets.FieldSpecs {
		if msg, ok := FieldErrors(err)[spec.Key]; ok {
			lines = append(lines, spec.Label+": "+msg)
		}
	}
	if len(lines) == 0 {
		lines = []string{err.Error()}
	}
	v.errors.SetText(strings.Join(lines, "\n"))
	v.errors.Show()
	m.showError(fmt.Errorf("technician fields not saved: %s", strings.Join(lines, "; ")))
}

func (m *mainWindow) exportInventory(format string) {
	v := m.assets
	if !v.loaded {
		m.showError(errors.New("there is no inventory yet: open a target first"))
		return
	}
	if f, err := m.assetFields(); err == nil {
		v.rec.Fields = f
	}
	ext := format
	if format == "text" {
		ext = "txt"
	}
	name := fmt.Sprintf("%s-inventory.%s", v.rec.Identity.Hostname, ext)
	m.saveFile("Export inventory", name, []string{"." + ext}, func(path string) {
		m.writeInventory(path, format)
	})
}

func (m *mainWindow) writeInventory(path, format string) {
	rec := m.assets.rec
	m.run("Exporting "+filepath.Base(path), func(context.Context) error {
		return m.s.ExportInventory(path, format, rec)
	}, func(err error) {
		if err != nil {
			m.showError(err)
			return
		}
		m.assets.exportDir = filepath.Dir(path)
		m.status.SetText("Exported the inventory to " + path)
	})
}
