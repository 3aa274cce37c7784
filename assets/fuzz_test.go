package assets

import (
	"testing"
)

// FuzzReadRecords: inventory records are merged from many files of unknown
// origin; decoding must never panic, and each error names the file.
func FuzzReadRecords(f *testing.F) {
	for _, seed := range []string{
		`{"hostname":"ICU-CS01","collected_at":"2026-11-18T09:30:00Z"}`,
		`[{"hostname":"A","collected_at":"2026-11-18T09:30:00Z"},{"hostname":"B"}]`,
		`{"hostname":`,
		`[]`,
		`null`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, errs := ReadRecords("fleet.json", b)
		for _, err := range errs {
			if err == nil {
				t.Fatal("nil error in the list")
			}
		}
	})
}

// FuzzParseFields: the technician's sidecar file.
func FuzzParseFields(f *testing.F) {
	f.Add([]byte(`{"asset_tag":"ICU-0042","criticality":"high"}`))
	f.Add([]byte(`{"criticality":"very"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseFields("asset-fields.json", b)
	})
}
