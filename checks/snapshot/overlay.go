package snapshot

import (
	"context"
	"fmt"
	"strings"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// overlay holds writes made to a snapshot host. The files are never
// touched; reads consult the overlay first.
type overlay struct {
	regs     map[string]map[string]ovValue // normalized key -> upper name
	secpols  map[string]ovString           // upper "section\name"
	rights   map[string][]string           // upper right name
	audit    map[string]checks.AuditFlags  // lower GUID without braces
	disabled map[string]bool               // upper SID
	names    map[string]string             // upper SID
}

type ovValue struct {
	value   checks.RegValue
	deleted bool
}

func (v ovValue) err() error {
	if v.deleted {
		return checks.ErrAbsent
	}
	return nil
}

type ovString struct {
	value   string
	deleted bool
}

func (v ovString) err() error {
	if v.deleted {
		return checks.ErrAbsent
	}
	return nil
}

func (o *overlay) reg(key, name string) (ovValue, bool) {
	v, ok := o.regs[key][strings.ToUpper(name)]
	return v, ok
}

func (o *overlay) secpol(section, name string) (ovString, bool) {
	v, ok := o.secpols[strings.ToUpper(section+`\`+name)]
	return v, ok
}

func (o *overlay) account(a checks.Account) checks.Account {
	sid := strings.ToUpper(a.SID)
	if d, ok := o.disabled[sid]; ok {
		a.Disabled = d
	}
	if n, ok := o.names[sid]; ok {
		a.Name = n
	}
	return a
}

var _ checks.HostWriter = (*Host)(nil)

func (h *Host) setReg(key, name string, v ovValue) {
	if h.overlay.regs == nil {
		h.overlay.regs = map[string]map[string]ovValue{}
	}
	nk := winfmt.NormalizeKey(key)
	if h.overlay.regs[nk] == nil {
		h.overlay.regs[nk] = map[string]ovValue{}
	}
	h.overlay.regs[nk][strings.ToUpper(name)] = v
}

// SetRegValue records a registry write.
func (h *Host) SetRegValue(ctx context.Context, key, name string, v checks.RegValue) error {
	h.setReg(key, name, ovValue{value: checks.RegValue{Type: v.Type, Data: append([]byte(nil), v.Data...)}})
	return nil
}

// DeleteRegValue records a deletion.
func (h *Host) DeleteRegValue(ctx context.Context, key, name string) error {
	h.setReg(key, name, ovValue{deleted: true})
	return nil
}

// SetSecPolicy records a security-policy write.
func (h *Host) SetSecPolicy(ctx context.Context, section, name, value string) error {
	if h.overlay.secpols == nil {
		h.overlay.secpols = map[string]ovString{}
	}
	h.overlay.secpols[strings.ToUpper(section+`\`+name)] = ovString{value: value}
	return nil
}

// ClearSecPolicy makes a key "not defined".
func (h *Host) ClearSecPolicy(ctx context.Context, section, name string) error {
	if h.overlay.secpols == nil {
		h.overlay.secpols = map[string]ovString{}
	}
	h.overlay.secpols[strings.ToUpper(section+`\`+name)] = ovString{deleted: true}
	return nil
}

// SetUserRight records the holders of a right.
func (h *Host) SetUserRight(ctx context.Context, right string, sids []string) error {
	if h.overlay.rights == nil {
		h.overlay.rights = map[string][]string{}
	}
	h.overlay.rights[strings.ToUpper(right)] = append([]string{}, sids...)
	return nil
}

// SetAuditPolicy records an audit subcategory setting.
func (h *Host) SetAuditPolicy(ctx context.Context, guid string, f checks.AuditFlags) error {
	if h.overlay.audit == nil {
		h.overlay.audit = map[string]checks.AuditFlags{}
	}
	h.overlay.audit[strings.ToLower(strings.Trim(guid, "{}"))] = f
	return nil
}

// SetServiceStart records a start type as the service's registry value.
func (h *Host) SetServiceStart(ctx context.Context, name string, st checks.StartType) error {
	if _, err := h.ServiceStart(ctx, name); err != nil {
		return fmt.Errorf("set start type of %s: %w", name, err)
	}
	return h.SetRegValue(ctx, `HKLM\SYSTEM\CurrentControlSet\Services\`+name, "Start", checks.DWORDValue(uint32(st)))
}

// SetAccountDisabled records an account's state.
func (h *Host) SetAccountDisabled(ctx context.Context, sid string, disabled bool) error {
	if h.overlay.disabled == nil {
		h.overlay.disabled = map[string]bool{}
	}
	h.overlay.disabled[strings.ToUpper(sid)] = disabled
	return nil
}

// RenameAccount records an account's new name.
func (h *Host) RenameAccount(ctx context.Context, sid, name string) error {
	if h.overlay.names == nil {
		h.overlay.names = map[string]string{}
	}
	h.overlay.names[strings.ToUpper(sid)] = name
	return nil
}
