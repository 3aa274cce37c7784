package assets

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFieldsSet(t *testing.T) {
	tests := []struct {
		key, value, want, err string
	}{
		{"asset_tag", "ICU-0042", "ICU-0042", ""},
		{"asset_tag", "  BIOMED/2019#17 ", "BIOMED/2019#17", ""},
		{"asset_tag", "ICU 0042", "ICU 0042", ""},
		{"asset_tag", "-0042", "", "asset_tag: "},
		{"asset_tag", "ICU;0042", "", "asset_tag: "},
		{"asset_tag", strings.Repeat("A", 65), "", "asset_tag: is 65 characters long; at most 64"},
		{"location", "ICU bed 4", "ICU bed 4", ""},
		{"location", "Station Süd, Bett 4", "Station Süd, Bett 4", ""},
		{"location", "ICU\nbed 4", "", "location: must be one line"},
		{"owner", strings.Repeat("x", 201), "", "owner: is 201 characters long"},
		{"criticality", "Life Critical", "life-critical", ""},
		{"criticality", "life_critical", "life-critical", ""},
		{"criticality", "HIGH", "high", ""},
		{"criticality", "urgent", "", `criticality: "urgent" is not one of life-critical, high, medium, low`},
		{"criticality", "", "", ""},
		{"serial", "x", "", "serial: unknown field; use one of asset_tag,"},
		{"Location", "Ward 3", "Ward 3", ""},
	}
	for _, tc := range tests {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			var f Fields
			err := f.Set(tc.key, tc.value)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				var fe FieldError
				require.True(t, errors.As(err, &fe))
				assert.Equal(t, strings.SplitN(tc.err, ":", 2)[0], fe.Field)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, f.Get(strings.ToLower(tc.key)))
			assert.NoError(t, f.Validate())
		})
	}
}

func TestFieldsValidateNamesEveryField(t *testing.T) {
	f := Fields{AssetTag: "#1", Criticality: "critical", Location: " Ward 3", Owner: "ok"}
	err := f.Validate()
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))
	var names []string
	for _, e := range ve.Errs {
		names = append(names, e.Field)
	}
	assert.Equal(t, []string{"asset_tag", "location", "criticality"}, names)
}

func TestApplySettings(t *testing.T) {
	var f Fields
	require.NoError(t, f.ApplySettings([]string{"asset_tag=ICU-0042", "location=ICU bed 4", "location=ICU bed 5", "owner=a=b"}))
	assert.Equal(t, Fields{AssetTag: "ICU-0042", Location: "ICU bed 5", Owner: "a=b"}, f)
	require.NoError(t, f.ApplySettings([]string{"owner="}))
	assert.Empty(t, f.Owner, "an empty value clears")

	err := f.ApplySettings([]string{"department", "criticality=urgent", "asset_tag=OK-1"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "department: expected key=value")
	assert.Contains(t, err.Error(), "criticality:")
	assert.Equal(t, "OK-1", f.AssetTag, "valid settings still apply; the caller does not save on error")
}

func TestFieldsSaveLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", FieldsFileName)
	f, err := LoadFields(path)
	require.NoError(t, err, "no file yet is not an error")
	assert.True(t, f.IsZero())

	want := Fields{AssetTag: "ICU-0042", DeviceMake: "ACME Medical", DeviceModel: "PM Central Station 4", VendorContact: "ACME service +1 555 0100",
		Department: "Intensive care", Location: "ICU bed 4", Owner: "Biomed", Criticality: LifeCritical}
	require.NoError(t, SaveFields(path, want))
	got, err := LoadFields(path)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	b, _ := os.ReadFile(path)
	assert.Contains(t, string(b), `"schema": "medharden-asset-fields/1"`)
	entries, _ := os.ReadDir(filepath.Dir(path))
	assert.Len(t, entries, 1, "no temporary file left behind")

	err = SaveFields(path, Fields{Criticality: "urgent"})
	require.Error(t, err)
	got, _ = LoadFields(path)
	assert.Equal(t, want, got, "an invalid save leaves the file alone")
}

func TestParseFieldsErrorsNameFileAndField(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"typo", `{"asset-tag": "ICU-1"}`, `f.json: json: unknown field "asset-tag"`},
		{"corrupt", "{\n\"asset_tag\": \"ICU-1\"\n\"owner\": \"x\"}", "f.json: line 3, column"},
		{"invalid", `{"criticality": "urgent"}`, `f.json: criticality: "urgent" is not one of`},
		{"schema", `{"schema": "other/1"}`, `f.json: schema "other/1"`},
		{"type", `{"owner": 5}`, "f.json: line 1, column"},
		{"empty", ``, "f.json: empty or truncated JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFields("f.json", []byte(tc.data))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			var fe *FieldsFileError
			assert.True(t, errors.As(err, &fe))
		})
	}
	f, err := ParseFields("f.json", []byte("\ufeff{\"criticality\": \"High\", \"location\": \"ICU\"}"))
	require.NoError(t, err, "Notepad's BOM and a capitalized level are accepted")
	assert.Equal(t, Fields{Criticality: High, Location: "ICU"}, f)
}

func TestFieldsPath(t *testing.T) {
	assert.Equal(t, filepath.Join("snap", FieldsFileName), FieldsPath("snap"))
	assert.NotEmpty(t, FieldsPath(""))
}

func TestFieldSpecsCoverFields(t *testing.T) {
	var f Fields
	for _, s := range FieldSpecs {
		require.NotNil(t, f.ptr(s.Key), s.Key)
		require.NoError(t, f.Set(s.Key, "x"[:0]))
	}
	assert.Len(t, FieldKeys(), 9)
}
