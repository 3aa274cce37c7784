package remediate

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// Kind names where a setting lives.
type Kind string

// Setting kinds; each maps to one Host read and one Writer call.
const (
	KindRegistry Kind = "registry"
	KindSecPol   Kind = "secpol"
	KindRight    Kind = "right"
	KindAudit    Kind = "audit"
	KindService  Kind = "service"
	KindAccount  Kind = "account"
)

// Account fields a step can change.
const (
	FieldDisabled = "disabled"
	FieldName     = "name"
)

// Address says which setting a step changes.
//
//	registry: Key = key path, Name = value name ("" is the default value),
//	          Label = the person whose hive (HKU\<SID>) it is
//	          (a user-scope check)
//	secpol:   Key = section ("System Access"), Name = key
//	right:    Name = privilege or logon right
//	audit:    Name = subcategory GUID, Label = its English name
//	service:  Name = service name
//	account:  Key = SID, Name = "disabled" or "name", Label = account name
type Address struct {
	Kind  Kind   `json:"kind"`
	Key   string `json:"key,omitempty"`
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
}

// id is the address compared as Windows compares it (case-insensitively).
func (a Address) id() string {
	key := a.Key
	if a.Kind == KindRegistry {
		key = normalizeKey(key)
	}
	if a.Kind == KindAudit {
		return string(a.Kind) + "|" + strings.ToLower(strings.Trim(a.Name, "{} "))
	}
	return string(a.Kind) + "|" + strings.ToUpper(key) + "|" + strings.ToUpper(a.Name)
}

// String renders the address for people and logs.
func (a Address) String() string {
	switch a.Kind {
	case KindRegistry:
		name := a.Name
		if name == "" {
			name = "(Default)"
		}
		if a.Label != "" {
			return a.Key + `\` + name + " (settings of " + a.Label + ")"
		}
		return a.Key + `\` + name
	case KindSecPol:
		return "[" + a.Key + "] " + a.Name
	case KindRight:
		return "user right " + a.Name
	case KindAudit:
		if a.Label != "" {
			return "audit policy " + a.Label + " " + a.Name
		}
		return "audit policy " + a.Name
	case KindService:
		return "service " + a.Name + " start type"
	case KindAccount:
		who := a.Key
		if a.Label != "" {
			who = strconv.Quote(a.Label) + " (" + a.Key + ")"
		}
		if a.Name == FieldName {
			return "name of account " + who
		}
		return "account " + who + " enabled/disabled"
	}
	return string(a.Kind) + " " + a.Key + " " + a.Name
}

// Value is a setting's value, typed by the address's kind: exactly the
// fields of that kind are used. Registry values keep their raw type and
// bytes so that a rollback writes back exactly what was there.
type Value struct {
	RegType  uint32             `json:"reg_type,omitempty"`
	RegData  []byte             `json:"reg_data,omitempty"`
	Text     string             `json:"text,omitempty"` // secpol value as secedit writes it; account name
	SIDs     []string           `json:"sids,omitempty"`
	Audit    *checks.AuditFlags `json:"audit,omitempty"`
	Start    *checks.StartType  `json:"start,omitempty"`
	Disabled *bool              `json:"disabled,omitempty"`
}

// Reg returns the registry value.
func (v Value) Reg() checks.RegValue {
	return checks.RegValue{Type: v.RegType, Data: v.RegData}
}

func regValue(r checks.RegValue) Value {
	return Value{RegType: r.Type, RegData: append([]byte(nil), r.Data...)}
}

func boolPtr(b bool) *bool { return &b }

func startPtr(s checks.StartType) *checks.StartType { return &s }

// equal compares two values of kind k exactly (rights as sets, since
// Windows does not keep an order).
func (v Value) equal(k Kind, o Value) bool {
	switch k {
	case KindRegistry:
		return v.Reg().Equal(o.Reg())
	case KindSecPol:
		return v.Text == o.Text
	case KindRight:
		return sameSIDs(v.SIDs, o.SIDs)
	case KindAudit:
		return v.Audit != nil && o.Audit != nil && *v.Audit == *o.Audit
	case KindService:
		return v.Start != nil && o.Start != nil && *v.Start == *o.Start
	case KindAccount:
		if v.Disabled != nil || o.Disabled != nil {
			return v.Disabled != nil && o.Disabled != nil && *v.Disabled == *o.Disabled
		}
		return v.Text == o.Text
	}
	return false
}

func sameSIDs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[strings.ToUpper(s)]++
	}
	for _, s := range b {
		seen[strings.ToUpper(s)]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// Show renders a value of kind k for people.
func (v Value) Show(k Kind) string {
	switch k {
	case KindRegistry:
		r := v.Reg()
		switch r.Type {
		case checks.RegDWORD, checks.RegQWORD:
			if n, ok := r.Uint64(); ok {
				return fmt.Sprintf("%d (%s)", n, regTypeName(r.Type))
			}
		case checks.RegSZ, checks.RegExpandSZ:
			return strconv.Quote(r.String()) + " (" + regTypeName(r.Type) + ")"
		case checks.RegMultiSZ:
			return "[" + strings.Join(quoteAll(r.Strings()), ", ") + "] (REG_MULTI_SZ)"
		}
		return "hex:" + hex.EncodeToString(r.Data) + " (" + regTypeName(r.Type) + ")"
	case KindSecPol:
		return v.Text
	case KindRight:
		if len(v.SIDs) == 0 {
			return "No One"
		}
		out := make([]string, len(v.SIDs))
		for i, s := range v.SIDs {
			out[i] = checks.SIDLabel(s)
		}
		return strings.Join(out, ", ")
	case KindAudit:
		if v.Audit == nil {
			return "?"
		}
		return v.Audit.String()
	case KindService:
		if v.Start == nil {
			return "?"
		}
		return v.Start.String()
	case KindAccount:
		if v.Disabled != nil {
			if *v.Disabled {
				return "disabled"
			}
			return "enabled"
		}
		return strconv.Quote(v.Text)
	}
	return "?"
}

func quoteAll(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = strconv.Quote(s)
	}
	return out
}

func regTypeName(t uint32) string {
	switch t {
	case checks.RegNone:
		return "REG_NONE"
	case checks.RegSZ:
		return "REG_SZ"
	case checks.RegExpandSZ:
		return "REG_EXPAND_SZ"
	case checks.RegBinary:
		return "REG_BINARY"
	case checks.RegDWORD:
		return "REG_DWORD"
	case checks.RegMultiSZ:
		return "REG_MULTI_SZ"
	case checks.RegQWORD:
		return "REG_QWORD"
	}
	return "type " + strconv.FormatUint(uint64(t), 10)
}

// State is a setting as found: whether it existed and its value. A
// registry value or policy key that did not exist is deleted again on
// rollback rather than set to some default.
type State struct {
	Exists bool  `json:"exists"`
	Value  Value `json:"value"`
}

// Show renders a state for people.
func (s State) Show(k Kind) string {
	if !s.Exists {
		switch k {
		case KindSecPol:
			return "not defined"
		case KindAudit:
			return "not set"
		}
		return "absent"
	}
	return s.Value.Show(k)
}

func (s State) equal(k Kind, o State) bool {
	if s.Exists != o.Exists {
		return false
	}
	return !s.Exists || s.Value.equal(k, o.Value)
}

// ReadSetting reads a setting's current state through the Host.
func ReadSetting(ctx context.Context, h checks.Host, a Address) (State, error) {
	switch a.Kind {
	case KindRegistry:
		v, err := h.RegValue(ctx, a.Key, a.Name)
		if errors.Is(err, checks.ErrAbsent) {
			return State{}, nil
		}
		if err != nil {
			return State{}, err
		}
		return State{Exists: true, Value: regValue(v)}, nil
	case KindSecPol:
		s, err := h.SecPolicy(ctx, a.Key, a.Name)
		if errors.Is(err, checks.ErrAbsent) {
			return State{}, nil
		}
		if err != nil {
			return State{}, err
		}
		return State{Exists: true, Value: Value{Text: s}}, nil
	case KindRight:
		sids, err := h.UserRight(ctx, a.Name)
		if err != nil {
			return State{}, err
		}
		return State{Exists: true, Value: Value{SIDs: append([]string{}, sids...)}}, nil
	case KindAudit:
		f, err := h.AuditPolicy(ctx, a.Name)
		if errors.Is(err, checks.ErrAbsent) {
			return State{}, nil
		}
		if err != nil {
			return State{}, err
		}
		return State{Exists: true, Value: Value{Audit: &f}}, nil
	case KindService:
		st, err := h.ServiceStart(ctx, a.Name)
		if errors.Is(err, checks.ErrAbsent) {
			return State{}, nil
		}
		if err != nil {
			return State{}, err
		}
		return State{Exists: true, Value: Value{Start: startPtr(st)}}, nil
	case KindAccount:
		accts, err := h.Accounts(ctx)
		if err != nil {
			return State{}, err
		}
		for _, acct := range accts {
			if !strings.EqualFold(acct.SID, a.Key) {
				continue
			}
			if a.Name == FieldName {
				return State{Exists: true, Value: Value{Text: acct.Name}}, nil
			}
			return State{Exists: true, Value: Value{Disabled: boolPtr(acct.Disabled)}}, nil
		}
		return State{}, nil
	}
	return State{}, fmt.Errorf("unknown setting kind %q", a.Kind)
}

// writeSetting sets a value.
func writeSetting(ctx context.Context, w checks.Writer, a Address, v Value) error {
	switch a.Kind {
	case KindRegistry:
		return w.SetRegValue(ctx, a.Key, a.Name, v.Reg())
	case KindSecPol:
		return w.SetSecPolicy(ctx, a.Key, a.Name, v.Text)
	case KindRight:
		return w.SetUserRight(ctx, a.Name, append([]string{}, v.SIDs...))
	case KindAudit:
		if v.Audit == nil {
			return fmt.Errorf("%s: no audit setting given", a)
		}
		return w.SetAuditPolicy(ctx, a.Name, *v.Audit)
	case KindService:
		if v.Start == nil {
			return fmt.Errorf("%s: no start type given", a)
		}
		return w.SetServiceStart(ctx, a.Name, *v.Start)
	case KindAccount:
		if a.Name == FieldName {
			return w.RenameAccount(ctx, a.Key, v.Text)
		}
		if v.Disabled == nil {
			return fmt.Errorf("%s: no account state given", a)
		}
		return w.SetAccountDisabled(ctx, a.Key, *v.Disabled)
	}
	return fmt.Errorf("unknown setting kind %q", a.Kind)
}

// restoreSetting puts a setting back into a recorded state: a value that did
// not exist is deleted, a policy key that was not defined is cleared.
func restoreSetting(ctx context.Context, w checks.Writer, a Address, st State) error {
	if st.Exists {
		return writeSetting(ctx, w, a, st.Value)
	}
	switch a.Kind {
	case KindRegistry:
		return w.DeleteRegValue(ctx, a.Key, a.Name)
	case KindSecPol:
		return w.ClearSecPolicy(ctx, a.Key, a.Name)
	case KindAudit:
		// A subcategory missing from auditpol's backup is not audited, and
		// Windows has no "unset" for it.
		return w.SetAuditPolicy(ctx, a.Name, checks.AuditFlags{})
	case KindRight:
		return w.SetUserRight(ctx, a.Name, []string{})
	}
	// A service or account that did not exist was never changed.
	return nil
}

func normalizeKey(path string) string { return winfmt.NormalizeKey(path) }
