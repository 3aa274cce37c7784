// Package hosttest is the conformance suite every Host implementation runs:
// the snapshot host with its in-memory overlay on any machine, the live
// host on Windows. The same writes must read back the same way through both.
package hosttest

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
)

// Fixture describes what the host under test holds.
type Fixture struct {
	// Open returns a fresh host for one subtest.
	Open func(t *testing.T) checks.HostWriter
	// Key is a registry key the suite may create values under.
	Key string
	// Service is an installed service whose start type may be changed.
	Service string
	// AccountSID is a local account that may be disabled and renamed.
	AccountSID string
	// Skip names parts the host cannot do here, with the reason
	// (for example Wine's stubbed LSA): "secpol", "rights", "audit", "accounts".
	// A skipped part is reported as skipped with its reason; an unknown
	// name or an empty reason fails the suite.
	Skip map[string]string
}

// Parts are the names Fixture.Skip accepts. The registry and the service
// manager are never skipped: every host can do them.
var Parts = []string{"secpol", "rights", "audit", "accounts"}

// Run executes the suite.
func Run(t *testing.T, f Fixture) {
	ctx := context.Background()
	for part, why := range f.Skip {
		known := false
		for _, p := range Parts {
			known = known || p == part
		}
		if !known || why == "" {
			t.Fatalf("hosttest: Skip[%q] = %q: the part must be one of %v and the reason must be given", part, why, Parts)
		}
	}
	skip := func(t *testing.T, part string) {
		if why, ok := f.Skip[part]; ok {
			t.Skipf("%s skipped on this host: %s", part, why)
		}
	}

	t.Run("identity", func(t *testing.T) {
		id := f.Open(t).Identity()
		switch id.Origin {
		case checks.Live:
			assert.Empty(t, id.Dir, "this computer has no snapshot folder")
			assert.Empty(t, id.CollectedAt)
		case checks.Snapshot:
			assert.True(t, filepath.IsAbs(id.Dir), "a snapshot names its folder as an absolute path: %q", id.Dir)
		default:
			t.Errorf("unknown origin %d", id.Origin)
		}
	})

	t.Run("registry round trip of every type", func(t *testing.T) {
		h := f.Open(t)
		values := map[string]checks.RegValue{
			"sz":      checks.StringValue(checks.RegSZ, "Text with ünïcode and \"quotes\""),
			"expand":  checks.StringValue(checks.RegExpandSZ, `%SystemRoot%\System32`),
			"dword":   checks.DWORDValue(0xfffffff8),
			"multi":   checks.MultiStringValue([]string{"System\\CurrentControlSet\\Control", "b"}),
			"multi0":  checks.MultiStringValue(nil),
			"binary":  {Type: checks.RegBinary, Data: []byte{0, 1, 2, 0xff}},
			"qword":   {Type: checks.RegQWORD, Data: []byte{1, 2, 3, 4, 5, 6, 7, 8}},
			"emptysz": checks.StringValue(checks.RegSZ, ""),
			"":        checks.StringValue(checks.RegSZ, "default value"),
		}
		for name, v := range values {
			require.NoError(t, h.SetRegValue(ctx, f.Key, name, v), name)
		}
		for name, v := range values {
			got, err := h.RegValue(ctx, f.Key, name)
			require.NoError(t, err, name)
			assert.Equal(t, v.Type, got.Type, name)
			assert.Equal(t, v.Data, got.Data, name)
		}
		for name := range values {
			require.NoError(t, h.DeleteRegValue(ctx, f.Key, name), name)
			_, err := h.RegValue(ctx, f.Key, name)
			assert.True(t, errors.Is(err, checks.ErrAbsent), "%s: %v", name, err)
		}
		assert.NoError(t, h.DeleteRegValue(ctx, f.Key, "never-existed"))
	})

	t.Run("service start type", func(t *testing.T) {
		h := f.Open(t)
		before, err := h.ServiceStart(ctx, f.Service)
		require.NoError(t, err)
		target := checks.StartDisabled
		if before == checks.StartDisabled {
			target = checks.StartManual
		}
		require.NoError(t, h.SetServiceStart(ctx, f.Service, target))
		got, err := h.ServiceStart(ctx, f.Service)
		require.NoError(t, err)
		assert.Equal(t, target, got)
		require.NoError(t, h.SetServiceStart(ctx, f.Service, before))
		got, err = h.ServiceStart(ctx, f.Service)
		require.NoError(t, err)
		assert.Equal(t, before, got)

		_, err = h.ServiceStart(ctx, "medharden-no-such-service")
		assert.True(t, errors.Is(err, checks.ErrAbsent), "%v", err)
		assert.Error(t, h.SetServiceStart(ctx, "medharden-no-such-service", checks.StartDisabled))
	})

	t.Run("security policy", func(t *testing.T) {
		skip(t, "secpol")
		h := f.Open(t)
		require.NoError(t, h.SetSecPolicy(ctx, "System Access", "MinimumPasswordLength", "14"))
		v, err := h.SecPolicy(ctx, "System Access", "MinimumPasswordLength")
		require.NoError(t, err)
		assert.Equal(t, "14", v)
		require.NoError(t, h.ClearSecPolicy(ctx, "System Access", "LockoutDuration"))
		_, err = h.SecPolicy(ctx, "System Access", "LockoutDuration")
		assert.True(t, errors.Is(err, checks.ErrAbsent), "%v", err)
	})

	t.Run("user rights", func(t *testing.T) {
		skip(t, "rights")
		h := f.Open(t)
		want := []string{"S-1-5-32-544", "S-1-5-32-555"}
		require.NoError(t, h.SetUserRight(ctx, "SeRemoteInteractiveLogonRight", want))
		got, err := h.UserRight(ctx, "SeRemoteInteractiveLogonRight")
		require.NoError(t, err)
		assert.ElementsMatch(t, want, got)
		require.NoError(t, h.SetUserRight(ctx, "SeTcbPrivilege", nil))
		got, err = h.UserRight(ctx, "SeTcbPrivilege")
		require.NoError(t, err)
		assert.Empty(t, got)
	})

	t.Run("audit policy", func(t *testing.T) {
		skip(t, "audit")
		h := f.Open(t)
		const logon = "{0cce9215-69ae-11d9-bed3-505054503030}"
		for _, flags := range []checks.AuditFlags{{Success: true, Failure: true}, {}, {Failure: true}} {
			require.NoError(t, h.SetAuditPolicy(ctx, logon, flags))
			got, err := h.AuditPolicy(ctx, logon)
			require.NoError(t, err)
			assert.Equal(t, flags, got)
		}
	})

	t.Run("accounts", func(t *testing.T) {
		skip(t, "accounts")
		h := f.Open(t)
		find := func() checks.Account {
			list, err := h.Accounts(ctx)
			require.NoError(t, err)
			for _, a := range list {
				if a.SID == f.AccountSID {
					return a
				}
			}
			t.Fatalf("account %s not found", f.AccountSID)
			return checks.Account{}
		}
		before := find()
		require.NoError(t, h.SetAccountDisabled(ctx, f.AccountSID, !before.Disabled))
		require.NoError(t, h.RenameAccount(ctx, f.AccountSID, "mh-renamed"))
		after := find()
		assert.Equal(t, !before.Disabled, after.Disabled)
		assert.Equal(t, "mh-renamed", after.Name)
		require.NoError(t, h.SetAccountDisabled(ctx, f.AccountSID, before.Disabled))
		require.NoError(t, h.RenameAccount(ctx, f.AccountSID, before.Name))
		assert.Equal(t, before, find())
	})
}
