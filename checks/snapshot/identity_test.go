package snapshot

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// TestOpenIdentity: the identity read says what Open says about which
// device a snapshot is and when it was collected, for every sample, and
// answers nothing else (an audit of it could not pass by accident).
func TestOpenIdentity(t *testing.T) {
	ctx := context.Background()
	samples, err := filepath.Glob(filepath.Join("..", "..", "testdata", "snapshots", "*-*"))
	require.NoError(t, err)
	require.NotEmpty(t, samples)
	for _, dir := range samples {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			full, err := Open(dir)
			if errors.Is(err, ErrNotSnapshot) {
				// testdata/snapshots also holds a GPO backup: both reads refuse it.
				_, err = OpenIdentity(dir)
				assert.ErrorIs(t, err, ErrNotSnapshot)
				return
			}
			require.NoError(t, err)
			id, err := OpenIdentity(dir)
			require.NoError(t, err)
			assert.Equal(t, full.Identity(), id.Identity())
			fo, ferr := full.OS(ctx)
			io, ierr := id.OS(ctx)
			assert.Equal(t, ferr, ierr)
			assert.Equal(t, fo, io)
			for class := range identityClasses {
				fr, ferr := full.WMI(ctx, class)
				ir, ierr := id.WMI(ctx, class)
				assert.Equal(t, ferr == nil, ierr == nil, class)
				assert.Equal(t, fr, ir, class)
			}
			_, err = id.SecPolicy(ctx, "System Access", "MinimumPasswordLength")
			assert.True(t, errors.Is(err, checks.ErrNotCollected), "%v", err)
			_, err = id.RegValue(ctx, `HKLM\SYSTEM\CurrentControlSet\Control\Lsa`, "NoLMHash")
			assert.True(t, errors.Is(err, checks.ErrNotCollected), "%v", err)
			_, err = id.WMI(ctx, "service")
			assert.True(t, errors.Is(err, checks.ErrNotCollected), "%v", err)
		})
	}
}

// TestOpenIdentityReadsOnlyIdentity: damage outside the identity files
// does not stop the identity read (Open reports it, once, for the audit);
// damage in them is reported with the file's name, as Open reports it.
func TestOpenIdentityReadsOnlyIdentity(t *testing.T) {
	tests := []struct {
		name, file, content string
		wantErr             bool
	}{
		{"damaged secedit.inf", "secedit.inf", "[Unicode]\nUnicode=yes\n", false},
		{"damaged service.csv", "wmic/service.csv", "\nNode,Name\n", false},
		{"damaged reg export", "reg/lsa.reg", "not a reg file\n", false},
		{"damaged bios.csv", "wmic/bios.csv", "\nNode,Manufacturer\nWS1,Acme\n", true},
		{"empty computersystem.csv", "wmic/computersystem.csv", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeSnapshot(t, map[string]string{
				"collect.log":             "start=2026-11-18 15:15:00\n",
				"secedit.inf":             seceditINF,
				"reg/lsa.reg":             lsaREG,
				"wmic/os.csv":             osCSV,
				"wmic/bios.csv":           "\nNode,Manufacturer,SerialNumber\nWS1,Acme,SN-1\n",
				"wmic/computersystem.csv": "\nNode,Name,PartOfDomain\nWS1,WS1,FALSE\n",
				"wmic/service.csv":        serviceCSV,
			})
			p := filepath.Join(dir, filepath.FromSlash(tc.file))
			require.NoError(t, os.WriteFile(p, windowsText(tc.content), 0o644))
			_, fullErr := Open(dir)
			require.Error(t, fullErr, "the damage is real")
			h, err := OpenIdentity(dir)
			if !tc.wantErr {
				require.NoError(t, err)
				rows, err := h.WMI(context.Background(), "bios")
				require.NoError(t, err)
				assert.Equal(t, "SN-1", rows[0]["SerialNumber"])
				assert.Equal(t, "2026-11-18 15:15:00", h.Identity().CollectedAt)
				return
			}
			require.Error(t, err)
			var pe *winfmt.ParseError
			require.True(t, errors.As(err, &pe), "%v", err)
			assert.Equal(t, p, pe.File)
			assert.Equal(t, fullErr.Error(), err.Error(), "reported as Open reports it")
		})
	}
}
