package remediate

import (
	"context"
	"strings"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// Settings, their kinds and values are the checks package's: one table
// there reads, writes, compares and shows each kind.
type (
	Kind    = checks.Kind
	Address = checks.Address
	Value   = checks.Value
	State   = checks.State
)

// Setting kinds remediation changes.
const (
	KindRegistry = checks.KindRegistry
	KindSecPol   = checks.KindSecPol
	KindRight    = checks.KindRight
	KindAudit    = checks.KindAudit
	KindService  = checks.KindService
	KindAccount  = checks.KindAccount
)

// Account fields a step can change.
const (
	FieldDisabled = checks.FieldDisabled
	FieldName     = checks.FieldName
)

// SettingID is the address compared as Windows compares it
// (case-insensitively, registry roots spelled one way).
func SettingID(a Address) string {
	key := a.Key
	if a.Kind == KindRegistry {
		key = normalizeKey(key)
	}
	if a.Kind == KindAudit {
		return string(a.Kind) + "|" + strings.ToLower(strings.Trim(a.Name, "{} "))
	}
	return string(a.Kind) + "|" + strings.ToUpper(key) + "|" + strings.ToUpper(a.Name)
}

// ReadSetting reads a setting's current state through the Host.
func ReadSetting(ctx context.Context, h checks.Host, a Address) (State, error) {
	return checks.ReadSetting(ctx, h, a)
}

func writeSetting(ctx context.Context, w checks.Writer, a Address, v Value) error {
	return checks.WriteSetting(ctx, w, a, v)
}

func restoreSetting(ctx context.Context, w checks.Writer, a Address, st State) error {
	return checks.RestoreSetting(ctx, w, a, st)
}

func regValue(r checks.RegValue) Value { return checks.RegSetting(r) }

func boolPtr(b bool) *bool { return &b }

func startPtr(s checks.StartType) *checks.StartType { return &s }

func normalizeKey(path string) string { return winfmt.NormalizeKey(path) }
