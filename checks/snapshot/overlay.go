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
	// keys records the registry keys writes created (true) and the empty
	// keys deleted (false), by normalized path.
	keys map[string]bool
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

// reg and secpol skip the upper-cased copy when nothing was written (an
// audit): every check looks here first.
func (o *overlay) reg(key, name string) (ovValue, bool) {
	vals := o.regs[key]
	if len(vals) == 0 {
		return ovValue{}, false
	}
	v, ok := vals[strings.ToUpper(name)]
	return v, ok
}

func (o *overlay) secpol(section, name string) (ovString, bool) {
	if len(o.secpols) == 0 {
		return ovString{}, false
	}
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
	if !v.deleted {
		// Windows creates the key and its missing parents.
		if h.overlay.keys == nil {
			h.overlay.keys = map[string]bool{}
		}
		for k := nk; strings.IndexByte(k, '\\') > 0; k = k[:strings.LastIndexByte(k, '\\')] {
			h.overlay.keys[k] = true
		}
	}
}

// RegKeyExists tells whether a key exists: created or deleted by a write,
// else as the exports hold it (a key whose values were deleted remains).
func (h *Host) RegKeyExists(ctx context.Context, key string) (bool, error) {
	nk := winfmt.NormalizeKey(key)
	if v, ok := h.overlay.keys[nk]; ok {
		return v, nil
	}
	for k := range h.reg.keys {
		if k == nk || strings.HasPrefix(k, nk+`\`) {
			return true, nil
		}
	}
	if h.reg.covers(nk) || h.keyAbsent(nk) {
		return false, nil
	}
	if alias, ok := h.collectorHKCU(nk); ok {
		return h.RegKeyExists(ctx, alias)
	}
	return false, h.notCollected(nk, key)
}

// DeleteEmptyRegKey records the deletion of a key without values or
// subkeys.
func (h *Host) DeleteEmptyRegKey(ctx context.Context, key string) (bool, error) {
	nk := winfmt.NormalizeKey(key)
	if ok, err := h.RegKeyExists(ctx, nk); !ok || err != nil {
		return false, err
	}
	for _, v := range h.overlay.regs[nk] {
		if !v.deleted {
			return false, nil
		}
	}
	for name := range h.reg.values(nk) {
		if v, ok := h.overlay.reg(nk, name); !ok || !v.deleted {
			return false, nil
		}
	}
	for k, exists := range h.overlay.keys {
		if exists && strings.HasPrefix(k, nk+`\`) {
			return false, nil
		}
	}
	for k := range h.reg.keys {
		if exists, ok := h.overlay.keys[k]; strings.HasPrefix(k, nk+`\`) && (!ok || exists) {
			return false, nil
		}
	}
	if h.overlay.keys == nil {
		h.overlay.keys = map[string]bool{}
	}
	h.overlay.keys[nk] = false
	return true, nil
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
