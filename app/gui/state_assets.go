package gui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"medharden/app/workflow"
	"medharden/assets"
	"medharden/assets/csaf"
)

// Inventory collects the device record of the open target, with the
// technician fields attached, as 'medharden inventory' does: read from the
// file this window saved them to, else from the usual place. It returns
// that file.
func (s *State) Inventory(ctx context.Context) (assets.Record, string, error) {
	s.mu.RLock()
	file := s.fieldsFile
	s.mu.RUnlock()
	return s.session().Inventory(ctx, file, nil)
}

// SaveFieldsTo validates the technician fields and saves them to a file
// the technician chose, never inside a snapshot folder; the error of an
// invalid field is an *assets.ValidationError naming each one.
func (s *State) SaveFieldsTo(path string, f assets.Fields) error {
	if err := s.session().SaveFieldsTo(path, f); err != nil {
		return err
	}
	s.mu.Lock()
	s.fieldsFile = path
	s.mu.Unlock()
	return nil
}

// FieldsSuggestion is where the save dialog proposes to keep the fields:
// the file saved before, else in exportDir (where the inventory was
// exported), else next to the snapshot folder (never in it), else the
// usual place for this computer.
func (s *State) FieldsSuggestion(exportDir string) string {
	s.mu.RLock()
	file := s.fieldsFile
	s.mu.RUnlock()
	if file != "" {
		return file
	}
	t, _ := s.session().Target()
	name := assets.FieldsFileName
	if h := t.ID.Hostname; h != "" {
		name = h + "-" + name
	}
	switch {
	case exportDir != "":
		return filepath.Join(exportDir, name)
	case t.ID.Kind == workflow.Snapshot:
		return filepath.Join(filepath.Dir(filepath.Clean(t.ID.Folder)), name)
	}
	return workflow.FieldsPath(t.ID)
}

// FieldErrors maps a validation error to the fields it names.
func FieldErrors(err error) map[string]string {
	out := map[string]string{}
	var ve *assets.ValidationError
	var fe assets.FieldError
	switch {
	case errors.As(err, &ve):
		for _, e := range ve.Errs {
			out[e.Field] = e.Msg
		}
	case errors.As(err, &fe):
		out[fe.Field] = fe.Msg
	}
	return out
}

// ValidateField checks one technician field as the form is typed.
func ValidateField(key, value string) error {
	var f assets.Fields
	if err := f.Set(key, value); err != nil {
		var fe assets.FieldError
		if errors.As(err, &fe) {
			return errors.New(fe.Msg)
		}
		return err
	}
	return nil
}

// ExportInventory writes the record in a format of assets.Formats.
func (s *State) ExportInventory(path, format string, rec assets.Record) error {
	var buf bytes.Buffer
	if err := assets.Export(&buf, format, rec); err != nil {
		return fmt.Errorf("export inventory: %w", err)
	}
	return workflow.WriteFile(path, buf.Bytes())
}

// InventoryText is the record as the identity pane shows it.
func InventoryText(rec assets.Record) string {
	var b strings.Builder
	if err := assets.WriteText(&b, rec); err != nil {
		return err.Error()
	}
	return strings.TrimSpace(b.String())
}

// DeviceAdvisories matches the CSAF advisories of folder against the
// device record (the matching is workflow's; the window only shows it).
func (s *State) DeviceAdvisories(folder string, rec assets.Record) ([]csaf.Finding, int, error) {
	return workflow.DeviceAdvisories(folder, rec)
}

// AdvisoriesText is what the Assets tab shows of the advisories that
// concern the device, most urgent first.
func AdvisoriesText(fs []csaf.Finding, read int) string {
	if len(fs) == 0 {
		return fmt.Sprintf("None of the %d advisories read concerns this device.", read)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d of the %d advisories read concern this device:\n", len(fs), read)
	for _, want := range []string{csaf.StatusAffected, csaf.StatusPossiblyAffected, csaf.StatusFixed, csaf.StatusNotAffected} {
		for _, f := range fs {
			if f.Status != want {
				continue
			}
			fmt.Fprintf(&b, "\n%s  %s  %s\n  product: %s\n  why: %s\n", strings.ToUpper(strings.ReplaceAll(f.Status, "_", " ")), f.Advisory, f.Title, f.Product, f.Reason)
			if want == csaf.StatusAffected || want == csaf.StatusPossiblyAffected {
				for _, r := range f.Remediations {
					fmt.Fprintf(&b, "  do (%s): %s\n", r.Category, strings.Join(strings.Fields(r.Details), " "))
				}
			}
		}
	}
	return strings.TrimSpace(b.String())
}
