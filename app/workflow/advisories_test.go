package workflow

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/assets"
)

func TestDeviceAdvisories(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join("..", "..", "assets", "csaf", "testdata", "windows.json"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "acme.json"), b, 0o644))
	rec := assets.Record{Identity: assets.Identity{Hostname: "ICU-CS01"},
		OS: assets.OS{Name: "Microsoft Windows 7 Professional", ServicePack: "Service Pack 1", Family: "win7"}}
	tests := []struct {
		name   string
		kbs    []string
		status string
	}{
		{"update missing", nil, "affected"},
		{"update installed", []string{"KB4499175"}, "fixed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rec
			for _, kb := range tt.kbs {
				r.Hotfixes = append(r.Hotfixes, assets.Hotfix{ID: kb})
			}
			fs, n, err := DeviceAdvisories(dir, r)
			require.NoError(t, err)
			assert.Equal(t, 1, n)
			require.Len(t, fs, 1)
			assert.Equal(t, "ACME-2026-002", fs[0].Advisory)
			assert.Equal(t, tt.status, fs[0].Status, fs[0].Reason)
		})
	}
	_, _, err = DeviceAdvisories(t.TempDir(), rec)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds no .json advisory")
	var ie InputError
	assert.ErrorAs(t, err, &ie)
}
