//go:build windows

package live

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// liveHost opens the real host for the read-only conformance tests. They
// need administrator rights and a real Windows: Wine's LSA, NetUserModals*,
// audit policy and secedit are stubs (see wine_windows_test.go).
func liveHost(t *testing.T) *Host {
	t.Helper()
	if os.Getenv("MEDHARDEN_WINE") != "" {
		t.Skip("Wine: security APIs are stubs; covered by the recorded-result tests")
	}
	h, err := New()
	if errors.Is(err, ErrNotElevated) {
		t.Skip("needs an elevated administrator")
	}
	require.NoError(t, err)
	return h
}

func TestLiveConformance(t *testing.T) {
	h := liveHost(t)
	ctx := context.Background()

	t.Run("OS", func(t *testing.T) {
		info, err := h.OS(ctx)
		require.NoError(t, err)
		assert.NotEmpty(t, info.Hostname)
		assert.True(t, strings.HasPrefix(info.Caption, "Microsoft Windows"), info.Caption)
		assert.Contains(t, []string{"32-bit", "64-bit"}, info.Architecture)
	})
	t.Run("registry", func(t *testing.T) {
		v, err := h.RegValue(ctx, `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`, "CurrentVersion")
		require.NoError(t, err)
		assert.Equal(t, checks.RegSZ, v.Type)
		_, err = h.RegValue(ctx, `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`, "medharden-no-such-value")
		assert.True(t, errors.Is(err, checks.ErrAbsent), "%v", err)
		_, err = h.RegValue(ctx, `HKLM\SOFTWARE\medharden-no-such-key`, "x")
		assert.True(t, errors.Is(err, checks.ErrAbsent), "%v", err)
	})
	t.Run("services and drivers", func(t *testing.T) {
		_, err := h.ServiceStart(ctx, "EventLog")
		require.NoError(t, err)
		_, err = h.ServiceStart(ctx, "medharden-no-such-service")
		assert.True(t, errors.Is(err, checks.ErrAbsent), "%v", err)
	})
	t.Run("account policy", func(t *testing.T) {
		for _, k := range []string{"MinimumPasswordLength", "MaximumPasswordAge", "LockoutBadCount"} {
			v, err := h.SecPolicy(ctx, "System Access", k)
			require.NoError(t, err, k)
			_, err = strconv.Atoi(v)
			assert.NoError(t, err, "%s = %q", k, v)
		}
	})
	t.Run("security database, one secedit per audit", func(t *testing.T) {
		for _, k := range []string{"PasswordComplexity", "NewAdministratorName", "NewGuestName", "EnableGuestAccount", "LSAAnonymousNameLookup"} {
			_, err := h.SecPolicy(ctx, "System Access", k)
			require.NoError(t, err, k)
		}
		assert.Equal(t, 1, h.exports)
	})
	t.Run("user rights", func(t *testing.T) {
		sids, err := h.UserRight(ctx, "SeNetworkLogonRight")
		require.NoError(t, err)
		for _, s := range sids {
			assert.True(t, strings.HasPrefix(s, "S-1-"), s)
		}
		none, err := h.UserRight(ctx, "SeTcbPrivilege")
		require.NoError(t, err)
		assert.NotNil(t, none)
	})
	t.Run("audit policy", func(t *testing.T) {
		_, err := h.AuditPolicy(ctx, "{0cce923f-69ae-11d9-bed3-505054503030}")
		require.NoError(t, err)
	})
	t.Run("accounts by RID", func(t *testing.T) {
		accts, err := h.Accounts(ctx)
		require.NoError(t, err)
		rids := map[string]bool{}
		for _, a := range accts {
			rids[a.RID()] = true
		}
		assert.True(t, rids["500"] && rids["501"], "%v", accts)
	})
	t.Run("hotfixes and BitLocker", func(t *testing.T) {
		_, err := h.Hotfixes(ctx)
		require.NoError(t, err)
		_, err = h.Volumes(ctx)
		if err != nil {
			assert.True(t, errors.Is(err, checks.ErrNotSupported), "%v", err)
		}
	})
}
