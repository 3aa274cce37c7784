package gui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"medharden/app/workflow"
	"medharden/assets"
)

// FieldsPath is where the technician fields of the open target are kept:
// beside the snapshot, or under ProgramData for this computer.
func (s *State) FieldsPath() string {
	t, _ := s.session().Target()
	return workflow.FieldsPath(t.ID)
}

// Inventory collects the device record of the open target, with the
// technician fields attached, as 'medharden inventory' does.
func (s *State) Inventory(ctx context.Context) (assets.Record, error) {
	rec, _, err := s.session().Inventory(ctx, "", nil)
	return rec, err
}

// SaveFields validates the technician fields and saves them; the error of
// an invalid field is an *assets.ValidationError naming each one.
func (s *State) SaveFields(f assets.Fields) error { return s.session().SaveFields(f) }

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
