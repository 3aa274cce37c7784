package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/app/workflow"
)

// saveFleetBaseline writes the vendor sample's baseline, its model
// cleared when noModel.
func saveFleetBaseline(t *testing.T, dir string, noModel bool) string {
	t.Helper()
	path := filepath.Join(dir, "b.json")
	code, _, errs := runCLI("baseline", "save", "--snapshot", sample(win7Vendor), "--out", path)
	require.Equal(t, exitOK, code, errs)
	if noModel {
		b, err := workflow.LoadBaseline(path)
		require.NoError(t, err)
		b.Device.Manufacturer, b.Device.Model = "", ""
		data, err := b.Encode()
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, data, 0o600))
	}
	return path
}

func TestFleetBaseline(t *testing.T) {
	share := t.TempDir()
	for _, d := range []fleetDevice{
		// Host names kept: only the serials tell the copies apart.
		{"BED-01-20261118-093000", win7Vendor, "ICU-CS01", "ICU-CS01", "7XQ2B52", "SERIAL-A"},
		{"BED-02-20261118-151500", win7Hardened, "ICU-CS01", "ICU-CS01", "7XQ2B52", "SERIAL-B"},
		{"PUMP-01-20261119-084500", xpVendor, "PUMPSRV-XP", "PUMPSRV-XP", "4J8QRG1", "SERIAL-C"},
	} {
		makeSnapshot(t, share, d)
	}
	tests := []struct {
		name    string
		noModel bool
		format  string
		code    int
		drifted map[string]bool // serial: has drift rows
	}{
		{"baseline's model only", false, "jsonl", exitFindings, map[string]bool{"SERIAL-A": false, "SERIAL-B": true, "SERIAL-C": false}},
		// No model: every device is compared; the XP device cannot be
		// read with the Windows 7 profile (an error row, exit 2).
		{"no model: every device", true, "jsonl", exitInput, map[string]bool{"SERIAL-A": false, "SERIAL-B": true, "SERIAL-C": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := saveFleetBaseline(t, t.TempDir(), tt.noModel)
			code, out, errs := runCLI("fleet", share, "--baseline", base, "--format", tt.format)
			require.Equal(t, tt.code, code, errs)
			drift := map[string]int{}
			kinds := map[string]bool{}
			for _, r := range readJSONL(t, out) {
				assert.Equal(t, FleetSchema, r.Schema)
				require.Contains(t, []string{recordCheck, recordDrift}, r.Record)
				if r.Record != recordDrift {
					assert.Empty(t, r.Change)
					continue
				}
				drift[r.BIOSSerial]++
				kinds[r.Change] = true
				if r.Status == statusDrift {
					assert.NotEmpty(t, r.Setting)
					assert.NotEmpty(t, r.CheckID)
				} else {
					assert.Equal(t, "error", r.Status)
					assert.Contains(t, r.Reason, "drift: ")
				}
			}
			for serial, want := range tt.drifted {
				assert.Equal(t, want, drift[serial] > 0, serial)
			}
			assert.True(t, kinds[workflow.Changed])
		})
	}
}

func TestFleetBaselineCSVAndRefusals(t *testing.T) {
	share := t.TempDir()
	makeSnapshot(t, share, fleetDevice{"BED-02-20261118-151500", win7Hardened, "ICU-CS01", "BED-02", "7XQ2B52", "SERIAL-B"})
	dir := t.TempDir()
	base := saveFleetBaseline(t, dir, false)

	code, out, errs := runCLI("fleet", share, "--baseline", base, "--format", "csv")
	require.Equal(t, exitFindings, code, errs)
	assert.Contains(t, out, ",drift,changed,[System Access] PasswordHistorySize")

	code, out, _ = runCLI("fleet", share, "--baseline", base, "--format", "html")
	assert.Equal(t, exitInput, code)
	assert.Empty(t, out)

	data, err := os.ReadFile(base)
	require.NoError(t, err)
	tampered := filepath.Join(dir, "t.json")
	require.NoError(t, os.WriteFile(tampered, []byte(strings.Replace(string(data), `"shown": "42"`, `"shown": "60"`, 1)), 0o600))
	outFile := filepath.Join(dir, "rows.jsonl")
	code, out, errs = runCLI("fleet", share, "--baseline", tampered, "--out", outFile)
	assert.Equal(t, exitInput, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, "t.json")
	assert.NoFileExists(t, outFile)
}
