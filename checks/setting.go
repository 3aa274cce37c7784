package checks

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Account fields a setting can address.
const (
	FieldDisabled = "disabled"
	FieldName     = "name"
)

// Address says which setting a change reaches.
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

// String renders the address for people and logs.
func (a Address) String() string {
	if s := kinds[a.Kind].setting; s != nil {
		return s.address(a)
	}
	return string(a.Kind) + " " + a.Key + " " + a.Name
}

// Value is a setting's value, typed by the address's kind: exactly the
// fields of that kind are used. Registry values keep their raw type and
// bytes so that a rollback writes back exactly what was there.
type Value struct {
	RegType  uint32      `json:"reg_type,omitempty"`
	RegData  []byte      `json:"reg_data,omitempty"`
	Text     string      `json:"text,omitempty"` // secpol value as secedit writes it; account name
	SIDs     []string    `json:"sids,omitempty"`
	Audit    *AuditFlags `json:"audit,omitempty"`
	Start    *StartType  `json:"start,omitempty"`
	Disabled *bool       `json:"disabled,omitempty"`
}

// Reg returns the registry value.
func (v Value) Reg() RegValue {
	return RegValue{Type: v.RegType, Data: v.RegData}
}

// RegSetting is a registry value as a setting's Value.
func RegSetting(r RegValue) Value {
	return Value{RegType: r.Type, RegData: append([]byte(nil), r.Data...)}
}

// Equal compares two values of kind k exactly (rights as sets, since
// Windows does not keep an order).
func (v Value) Equal(k Kind, o Value) bool {
	if s := kinds[k].setting; s != nil {
		return s.equal(v, o)
	}
	return false
}

// Show renders a value of kind k for people.
func (v Value) Show(k Kind) string {
	if s := kinds[k].setting; s != nil {
		return s.show(v)
	}
	return "?"
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
		if ops := kinds[k].setting; ops != nil && ops.unset != "" {
			return ops.unset
		}
		return "absent"
	}
	return s.Value.Show(k)
}

// Equal compares two states of kind k.
func (s State) Equal(k Kind, o State) bool {
	if s.Exists != o.Exists {
		return false
	}
	return !s.Exists || s.Value.Equal(k, o.Value)
}

// settingOps is how one kind of setting is read, written, restored,
// compared and shown.
type settingOps struct {
	read  func(context.Context, Host, Address) (State, error)
	write func(context.Context, Writer, Address, Value) error
	// clear restores "did not exist"; nil when nothing needs undoing
	// (a service or account that did not exist was never changed).
	clear   func(context.Context, Writer, Address) error
	equal   func(a, b Value) bool
	show    func(Value) string
	unset   string // how a setting that does not exist is shown; "" is "absent"
	address func(Address) string
}

// ReadSetting reads a setting's current state through the Host.
func ReadSetting(ctx context.Context, h Host, a Address) (State, error) {
	s := kinds[a.Kind].setting
	if s == nil {
		return State{}, fmt.Errorf("unknown setting kind %q", a.Kind)
	}
	return s.read(ctx, h, a)
}

// WriteSetting sets a value.
func WriteSetting(ctx context.Context, w Writer, a Address, v Value) error {
	s := kinds[a.Kind].setting
	if s == nil {
		return fmt.Errorf("unknown setting kind %q", a.Kind)
	}
	return s.write(ctx, w, a, v)
}

// RestoreSetting puts a setting back into a recorded state: a value that did
// not exist is deleted, a policy key that was not defined is cleared.
func RestoreSetting(ctx context.Context, w Writer, a Address, st State) error {
	if st.Exists {
		return WriteSetting(ctx, w, a, st.Value)
	}
	s := kinds[a.Kind].setting
	if s == nil {
		return fmt.Errorf("unknown setting kind %q", a.Kind)
	}
	if s.clear == nil {
		return nil
	}
	return s.clear(ctx, w, a)
}

// exists turns a read into a State: ErrAbsent is "did not exist".
func exists(v Value, err error) (State, error) {
	if errors.Is(err, ErrAbsent) {
		return State{}, nil
	}
	if err != nil {
		return State{}, err
	}
	return State{Exists: true, Value: v}, nil
}

var registrySetting = settingOps{
	read: func(ctx context.Context, h Host, a Address) (State, error) {
		v, err := h.RegValue(ctx, a.Key, a.Name)
		return exists(RegSetting(v), err)
	},
	write: func(ctx context.Context, w Writer, a Address, v Value) error {
		return w.SetRegValue(ctx, a.Key, a.Name, v.Reg())
	},
	clear: func(ctx context.Context, w Writer, a Address) error {
		return w.DeleteRegValue(ctx, a.Key, a.Name)
	},
	equal: func(a, b Value) bool { return a.Reg().Equal(b.Reg()) },
	show:  showReg,
	address: func(a Address) string {
		if a.Label != "" {
			return a.Key + `\` + valueName(a.Name) + " (settings of " + a.Label + ")"
		}
		return a.Key + `\` + valueName(a.Name)
	},
}

var secPolSetting = settingOps{
	read: func(ctx context.Context, h Host, a Address) (State, error) {
		s, err := h.SecPolicy(ctx, a.Key, a.Name)
		return exists(Value{Text: s}, err)
	},
	write: func(ctx context.Context, w Writer, a Address, v Value) error {
		return w.SetSecPolicy(ctx, a.Key, a.Name, v.Text)
	},
	clear: func(ctx context.Context, w Writer, a Address) error {
		return w.ClearSecPolicy(ctx, a.Key, a.Name)
	},
	equal:   func(a, b Value) bool { return a.Text == b.Text },
	show:    func(v Value) string { return v.Text },
	unset:   "not defined",
	address: func(a Address) string { return "[" + a.Key + "] " + a.Name },
}

var rightSetting = settingOps{
	read: func(ctx context.Context, h Host, a Address) (State, error) {
		sids, err := h.UserRight(ctx, a.Name)
		if err != nil {
			return State{}, err
		}
		return State{Exists: true, Value: Value{SIDs: append([]string{}, sids...)}}, nil
	},
	write: func(ctx context.Context, w Writer, a Address, v Value) error {
		return w.SetUserRight(ctx, a.Name, append([]string{}, v.SIDs...))
	},
	clear: func(ctx context.Context, w Writer, a Address) error {
		return w.SetUserRight(ctx, a.Name, []string{})
	},
	equal:   func(a, b Value) bool { return sameSIDs(a.SIDs, b.SIDs) },
	show:    func(v Value) string { return sidList(v.SIDs) },
	address: func(a Address) string { return "user right " + a.Name },
}

var auditSetting = settingOps{
	read: func(ctx context.Context, h Host, a Address) (State, error) {
		f, err := h.AuditPolicy(ctx, a.Name)
		return exists(Value{Audit: &f}, err)
	},
	write: func(ctx context.Context, w Writer, a Address, v Value) error {
		if v.Audit == nil {
			return fmt.Errorf("%s: no audit setting given", a)
		}
		return w.SetAuditPolicy(ctx, a.Name, *v.Audit)
	},
	// A subcategory missing from auditpol's backup is not audited, and
	// Windows has no "unset" for it.
	clear: func(ctx context.Context, w Writer, a Address) error {
		return w.SetAuditPolicy(ctx, a.Name, AuditFlags{})
	},
	equal: func(a, b Value) bool { return a.Audit != nil && b.Audit != nil && *a.Audit == *b.Audit },
	show: func(v Value) string {
		if v.Audit == nil {
			return "?"
		}
		return v.Audit.String()
	},
	unset: "not set",
	address: func(a Address) string {
		if a.Label != "" {
			return "audit policy " + a.Label + " " + a.Name
		}
		return "audit policy " + a.Name
	},
}

var serviceSetting = settingOps{
	read: func(ctx context.Context, h Host, a Address) (State, error) {
		st, err := h.ServiceStart(ctx, a.Name)
		return exists(Value{Start: &st}, err)
	},
	write: func(ctx context.Context, w Writer, a Address, v Value) error {
		if v.Start == nil {
			return fmt.Errorf("%s: no start type given", a)
		}
		return w.SetServiceStart(ctx, a.Name, *v.Start)
	},
	equal: func(a, b Value) bool { return a.Start != nil && b.Start != nil && *a.Start == *b.Start },
	show: func(v Value) string {
		if v.Start == nil {
			return "?"
		}
		return v.Start.String()
	},
	address: func(a Address) string { return "service " + a.Name + " start type" },
}

var accountSetting = settingOps{
	read: func(ctx context.Context, h Host, a Address) (State, error) {
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
			disabled := acct.Disabled
			return State{Exists: true, Value: Value{Disabled: &disabled}}, nil
		}
		return State{}, nil
	},
	write: func(ctx context.Context, w Writer, a Address, v Value) error {
		if a.Name == FieldName {
			return w.RenameAccount(ctx, a.Key, v.Text)
		}
		if v.Disabled == nil {
			return fmt.Errorf("%s: no account state given", a)
		}
		return w.SetAccountDisabled(ctx, a.Key, *v.Disabled)
	},
	equal: func(a, b Value) bool {
		if a.Disabled != nil || b.Disabled != nil {
			return a.Disabled != nil && b.Disabled != nil && *a.Disabled == *b.Disabled
		}
		return a.Text == b.Text
	},
	show: func(v Value) string {
		if v.Disabled != nil {
			if *v.Disabled {
				return "disabled"
			}
			return "enabled"
		}
		return strconv.Quote(v.Text)
	},
	address: func(a Address) string {
		who := a.Key
		if a.Label != "" {
			who = strconv.Quote(a.Label) + " (" + a.Key + ")"
		}
		if a.Name == FieldName {
			return "name of account " + who
		}
		return "account " + who + " enabled/disabled"
	},
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

func showReg(v Value) string {
	r := v.Reg()
	switch r.Type {
	case RegDWORD, RegQWORD:
		if n, ok := r.Uint64(); ok {
			return fmt.Sprintf("%d (%s)", n, regTypeName(r.Type))
		}
	case RegSZ, RegExpandSZ:
		return strconv.Quote(r.String()) + " (" + regTypeName(r.Type) + ")"
	case RegMultiSZ:
		items := r.Strings()
		quoted := make([]string, len(items))
		for i, s := range items {
			quoted[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(quoted, ", ") + "] (REG_MULTI_SZ)"
	}
	return "hex:" + hex.EncodeToString(r.Data) + " (" + regTypeName(r.Type) + ")"
}

func regTypeName(t uint32) string {
	switch t {
	case RegNone:
		return "REG_NONE"
	case RegSZ:
		return "REG_SZ"
	case RegExpandSZ:
		return "REG_EXPAND_SZ"
	case RegBinary:
		return "REG_BINARY"
	case RegDWORD:
		return "REG_DWORD"
	case RegMultiSZ:
		return "REG_MULTI_SZ"
	case RegQWORD:
		return "REG_QWORD"
	}
	return "type " + strconv.FormatUint(uint64(t), 10)
}
