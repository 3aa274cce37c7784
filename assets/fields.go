package assets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"medharden/checks/outfile"
)

// Fields are what only a person on site knows: entered by the technician,
// kept in a small JSON sidecar next to the snapshot (or on the device), and
// copied into every record. Never secrets: these go into CMDB exports.
type Fields struct {
	AssetTag      string `json:"asset_tag"`
	DeviceMake    string `json:"device_make"`  // clinical device make ("ACME Medical")
	DeviceModel   string `json:"device_model"` // clinical device model ("PM Central Station 4")
	VendorContact string `json:"vendor_contact"`
	Department    string `json:"department"`
	Location      string `json:"location"`
	Owner         string `json:"owner"`
	Criticality   string `json:"criticality"` // life-critical, high, medium, low
	// DeviceVersion is the clinical device's software or firmware version,
	// which advisories name ("2.3.6 and below").
	DeviceVersion string `json:"device_version,omitempty"`
}

// Clinical criticality levels.
const (
	LifeCritical = "life-critical"
	High         = "high"
	Medium       = "medium"
	Low          = "low"
)

// Criticalities lists the allowed levels, most critical first.
var Criticalities = []string{LifeCritical, High, Medium, Low}

// FieldSpec describes one technician field for forms and help texts.
type FieldSpec struct {
	Key     string
	Label   string
	Help    string
	Choices []string // non-empty for an enumeration
	MaxLen  int
}

// FieldSpecs are the technician fields in form order.
var FieldSpecs = []FieldSpec{
	{Key: "asset_tag", Label: "Asset tag", Help: "hospital asset tag: letters, digits and . _ / # : - (up to 64)", MaxLen: 64},
	{Key: "device_make", Label: "Clinical device make", Help: "maker of the medical device this workstation belongs to", MaxLen: 200},
	{Key: "device_model", Label: "Clinical device model", Help: "model of the medical device", MaxLen: 200},
	{Key: "device_version", Label: "Clinical device version", Help: "software or firmware version of the medical device, as its advisories name it", MaxLen: 100},
	{Key: "vendor_contact", Label: "Vendor contact", Help: "service contact at the device vendor (name, phone, e-mail)", MaxLen: 200},
	{Key: "department", Label: "Department", MaxLen: 200},
	{Key: "location", Label: "Location", Help: "building, room or bed", MaxLen: 200},
	{Key: "owner", Label: "Owner", Help: "person or team responsible for the device", MaxLen: 200},
	{Key: "criticality", Label: "Clinical criticality", Choices: Criticalities, Help: "life-critical, high, medium or low", MaxLen: 20},
}

// FieldKeys lists the keys --set accepts.
func FieldKeys() []string {
	out := make([]string, len(FieldSpecs))
	for i, s := range FieldSpecs {
		out[i] = s.Key
	}
	return out
}

func (f *Fields) ptr(key string) *string {
	switch key {
	case "asset_tag":
		return &f.AssetTag
	case "device_make":
		return &f.DeviceMake
	case "device_model":
		return &f.DeviceModel
	case "device_version":
		return &f.DeviceVersion
	case "vendor_contact":
		return &f.VendorContact
	case "department":
		return &f.Department
	case "location":
		return &f.Location
	case "owner":
		return &f.Owner
	case "criticality":
		return &f.Criticality
	}
	return nil
}

// Get returns a field by key ("" for an unknown key).
func (f Fields) Get(key string) string {
	if p := (&f).ptr(key); p != nil {
		return *p
	}
	return ""
}

// FieldError names the field that is wrong.
type FieldError struct {
	Field string
	Msg   string
}

func (e FieldError) Error() string { return e.Field + ": " + e.Msg }

// ValidationError lists every wrong field at once, so a form can mark
// them all.
type ValidationError struct{ Errs []FieldError }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errs))
	for i, fe := range e.Errs {
		parts[i] = fe.Error()
	}
	return strings.Join(parts, "; ")
}

// Set stores one field after normalizing it (trimmed; criticality in its
// canonical spelling). An empty value clears the field.
func (f *Fields) Set(key, value string) error {
	k := strings.ToLower(strings.TrimSpace(key))
	p := f.ptr(k)
	if p == nil {
		return FieldError{Field: key, Msg: "unknown field; use one of " + strings.Join(FieldKeys(), ", ")}
	}
	v := normalizeField(k, value)
	if err := validateField(k, v); err != nil {
		return err
	}
	*p = v
	return nil
}

func normalizeField(key, v string) string {
	v = strings.TrimSpace(v)
	if key == "criticality" {
		v = strings.ToLower(v)
		v = strings.NewReplacer("_", "-", " ", "-").Replace(v)
	}
	return v
}

var assetTagRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9 ._/#:-]*$`)

func validateField(key, v string) error {
	if v == "" {
		return nil
	}
	var spec FieldSpec
	for _, s := range FieldSpecs {
		if s.Key == key {
			spec = s
		}
	}
	switch {
	case !utf8.ValidString(v):
		return FieldError{key, "is not valid UTF-8 text"}
	case utf8.RuneCountInString(v) > spec.MaxLen:
		return FieldError{key, fmt.Sprintf("is %d characters long; at most %d", utf8.RuneCountInString(v), spec.MaxLen)}
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return FieldError{key, "must be one line without control characters"}
	}
	switch key {
	case "asset_tag":
		if !assetTagRe.MatchString(v) || strings.HasSuffix(v, " ") {
			return FieldError{key, fmt.Sprintf("%q: use letters, digits, spaces and . _ / # : - only, starting with a letter or digit", v)}
		}
	case "criticality":
		for _, c := range Criticalities {
			if v == c {
				return nil
			}
		}
		return FieldError{key, fmt.Sprintf("%q is not one of %s", v, strings.Join(Criticalities, ", "))}
	}
	return nil
}

// Validate checks every field; the error is a *ValidationError naming each
// wrong field.
func (f Fields) Validate() error {
	var ve ValidationError
	for _, s := range FieldSpecs {
		v := f.Get(s.Key)
		if v != normalizeField(s.Key, v) && s.Key != "criticality" {
			ve.Errs = append(ve.Errs, FieldError{s.Key, "has leading or trailing spaces"})
			continue
		}
		if err := validateField(s.Key, v); err != nil {
			var fe FieldError
			errors.As(err, &fe)
			ve.Errs = append(ve.Errs, fe)
		}
	}
	if len(ve.Errs) > 0 {
		return &ve
	}
	return nil
}

// IsZero tells whether no field is set.
func (f Fields) IsZero() bool { return f == Fields{} }

// ApplySettings applies "key=value" settings (the CLI's --set) in order.
func (f *Fields) ApplySettings(settings []string) error {
	var ve ValidationError
	for _, s := range settings {
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			ve.Errs = append(ve.Errs, FieldError{strings.TrimSpace(s), "expected key=value, for example asset_tag=ICU-0042"})
			continue
		}
		if err := f.Set(k, v); err != nil {
			var fe FieldError
			errors.As(err, &fe)
			ve.Errs = append(ve.Errs, fe)
		}
	}
	if len(ve.Errs) > 0 {
		return &ve
	}
	return nil
}

// FieldsSchema names the sidecar format.
const FieldsSchema = "medharden-asset-fields/1"

// FieldsFileName is the sidecar's name inside a snapshot folder.
const FieldsFileName = "asset-fields.json"

type fieldsFile struct {
	Schema    string `json:"schema"`
	UpdatedAt string `json:"updated_at,omitempty"`
	Fields
}

// FieldsPath is where the sidecar lives: in the snapshot folder, or for
// this computer under %ProgramData%\medharden (so that the fields stay with
// the device across runs and users).
func FieldsPath(snapshotDir string) string {
	if snapshotDir != "" {
		return filepath.Join(snapshotDir, FieldsFileName)
	}
	if runtime.GOOS == "windows" {
		if pd := os.Getenv("ProgramData"); pd != "" {
			return filepath.Join(pd, "medharden", FieldsFileName)
		}
		if pd := os.Getenv("ALLUSERSPROFILE"); pd != "" { // XP has no ProgramData
			return filepath.Join(pd, "Application Data", "medharden", FieldsFileName)
		}
	}
	if d, err := os.UserConfigDir(); err == nil {
		return filepath.Join(d, "medharden", FieldsFileName)
	}
	return FieldsFileName
}

// FieldsFileError is a sidecar that cannot be used; it names the file.
type FieldsFileError struct {
	File string
	Err  error
}

func (e *FieldsFileError) Error() string { return e.File + ": " + e.Err.Error() }
func (e *FieldsFileError) Unwrap() error { return e.Err }

// LoadFields reads a sidecar. A file that does not exist yet gives empty
// fields and no error; a malformed or invalid one is a *FieldsFileError.
func LoadFields(path string) (Fields, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Fields{}, nil
	}
	if err != nil {
		return Fields{}, err
	}
	return ParseFields(path, b)
}

// ParseFields decodes a sidecar strictly: unknown keys are errors, so a
// typo ("asset-tag") is reported instead of silently lost.
func ParseFields(name string, b []byte) (Fields, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) // Notepad's BOM
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var ff fieldsFile
	if err := dec.Decode(&ff); err != nil {
		return Fields{}, &FieldsFileError{name, jsonError(b, err)}
	}
	if dec.More() {
		return Fields{}, &FieldsFileError{name, errors.New("more than one JSON object")}
	}
	if ff.Schema != "" && ff.Schema != FieldsSchema {
		return Fields{}, &FieldsFileError{name, fmt.Errorf("schema %q is not %q", ff.Schema, FieldsSchema)}
	}
	f := ff.Fields
	f.Criticality = normalizeField("criticality", f.Criticality)
	if err := f.Validate(); err != nil {
		return Fields{}, &FieldsFileError{name, err}
	}
	return f, nil
}

// SaveFields validates and writes a sidecar atomically.
func SaveFields(path string, f Fields) error {
	if err := f.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(fieldsFile{Schema: FieldsSchema, UpdatedAt: now().UTC().Format(time.RFC3339), Fields: f}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("save fields: %w", err)
	}
	return outfile.Write(path, append(b, '\n'), 0o644)
}

// jsonError adds the line and column to a decoder error.
func jsonError(b []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("empty or truncated JSON")
	}
	if off < 0 {
		return err
	}
	line, col := 1, 1
	for i := int64(0); i < off && i < int64(len(b)); i++ {
		if b[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Errorf("line %d, column %d: %v", line, col, err)
}
