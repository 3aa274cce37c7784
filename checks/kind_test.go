package checks

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kindConstants reads the Kind constants declared in kind.go, so that a
// constant added there without a table entry fails the test below.
func kindConstants(t *testing.T) map[Kind]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "kind.go", nil, 0)
	require.NoError(t, err)
	out := map[Kind]string{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Kind" {
				continue
			}
			for i, n := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				require.True(t, ok, n.Name)
				v, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				out[Kind(v)] = n.Name
			}
		}
	}
	return out
}

// A probe of each kind.
var sampleProbes = map[Kind]Probe{
	KindRegistry:    {Registry: &RegistryProbe{Key: `HKLM\SOFTWARE\X`, Value: "V"}},
	KindSecPol:      {SecPol: &SecPolProbe{Section: "System Access", Key: "MinimumPasswordLength"}},
	KindRight:       {Right: "SeNetworkLogonRight"},
	KindAudit:       {Audit: &AuditProbe{GUID: "{0cce9215-69ae-11d9-bed3-505054503030}", Name: "Logon"}},
	KindService:     {Service: "RemoteRegistry"},
	KindDriver:      {Driver: "USBSTOR"},
	KindAccount:     {Account: &AccountProbe{RID: "501"}},
	KindAccounts:    {Accounts: &struct{}{}},
	KindHotfix:      {Hotfix: []string{"KB4012212"}},
	KindVolumes:     {Volumes: &struct{}{}},
	KindCredentials: {Credentials: &CredentialsProbe{Test: "blank"}},
}

// TestKindsHandledOnce proves the one dispatch table covers every Kind
// constant exactly once, and that each entry is complete.
func TestKindsHandledOnce(t *testing.T) {
	consts := kindConstants(t)
	require.NotEmpty(t, consts)
	listed := map[Kind]bool{}
	for _, k := range Kinds {
		assert.False(t, listed[k], "%s is listed twice", k)
		listed[k] = true
	}
	assert.Len(t, Kinds, len(consts), "Kinds lists every constant")
	assert.Len(t, kinds, len(consts), "the table has one entry per constant and no other")
	for k, name := range consts {
		t.Run(string(k), func(t *testing.T) {
			assert.True(t, listed[k], "%s is missing from Kinds", name)
			ops, ok := kinds[k]
			require.True(t, ok, "%s has no entry in the table", name)
			assert.NotNil(t, ops.has)
			assert.NotNil(t, ops.observe)
			assert.NotEmpty(t, ops.absent)
			p, ok := sampleProbes[k]
			require.True(t, ok, "no sample probe for %s", name)
			assert.Equal(t, k, p.Kind())
			assert.Equal(t, 1, p.count())
			assert.NotEmpty(t, p.Describe())
			if s := ops.setting; s != nil {
				assert.True(t, k.Settable())
				for what, fn := range map[string]bool{"read": s.read != nil, "write": s.write != nil,
					"equal": s.equal != nil, "show": s.show != nil, "address": s.address != nil} {
					assert.True(t, fn, "%s has no %s", name, what)
				}
			}
		})
	}
	assert.Equal(t, Kind(""), Probe{}.Kind())
	assert.Equal(t, "", Probe{}.Describe())
}

// TestSettingUnknownKind: a setting of a kind nothing can write is an
// error, never a silent success.
func TestSettingUnknownKind(t *testing.T) {
	ctx := context.Background()
	for _, k := range []Kind{KindDriver, KindHotfix, "bogus"} {
		a := Address{Kind: k, Name: "x"}
		_, err := ReadSetting(ctx, nil, a)
		assert.Error(t, err, "read %s", k)
		assert.Error(t, WriteSetting(ctx, nil, a, Value{}), "write %s", k)
		assert.Error(t, RestoreSetting(ctx, nil, a, State{}), "restore %s", k)
		assert.False(t, k.Settable())
		assert.False(t, Value{}.Equal(k, Value{}))
	}
}

func TestSettingShow(t *testing.T) {
	st := StartDisabled
	off := true
	audit := AuditFlags{Success: true}
	tests := []struct {
		addr Address
		st   State
		want string
		text string
	}{
		{Address{Kind: KindRegistry, Key: `HKLM\X`, Name: "V"}, State{Exists: true, Value: RegSetting(DWORDValue(1))}, "1 (REG_DWORD)", `HKLM\X\V`},
		{Address{Kind: KindRegistry, Key: `HKLM\X`}, State{}, "absent", `HKLM\X\(Default)`},
		{Address{Kind: KindSecPol, Key: "System Access", Name: "LockoutBadCount"}, State{}, "not defined", "[System Access] LockoutBadCount"},
		{Address{Kind: KindRight, Name: "SeDebugPrivilege"}, State{Exists: true, Value: Value{SIDs: []string{}}}, "No One", "user right SeDebugPrivilege"},
		{Address{Kind: KindAudit, Name: "{guid}", Label: "Logon"}, State{Exists: true, Value: Value{Audit: &audit}}, "Success", "audit policy Logon {guid}"},
		{Address{Kind: KindAudit, Name: "{guid}"}, State{}, "not set", "audit policy {guid}"},
		{Address{Kind: KindService, Name: "Spooler"}, State{Exists: true, Value: Value{Start: &st}}, "disabled", "service Spooler start type"},
		{Address{Kind: KindAccount, Key: "S-1-5-21-1-2-3-501", Name: FieldDisabled, Label: "Guest"}, State{Exists: true, Value: Value{Disabled: &off}}, "disabled", `account "Guest" (S-1-5-21-1-2-3-501) enabled/disabled`},
		{Address{Kind: KindAccount, Key: "S-1-5-21-1-2-3-500", Name: FieldName}, State{Exists: true, Value: Value{Text: "admin"}}, `"admin"`, "name of account S-1-5-21-1-2-3-500"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.st.Show(tt.addr.Kind), tt.addr.String())
		assert.Equal(t, tt.text, tt.addr.String())
		assert.True(t, tt.st.Equal(tt.addr.Kind, tt.st))
	}
}
