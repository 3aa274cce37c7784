package checks

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// groupHost reads its groups as the live host does, by SID through the Net
// API, without any WMI table.
type groupHost struct {
	*fakeHost
	groups []Group
	err    error
}

func (g groupHost) LocalGroups(context.Context) ([]Group, error) { return g.groups, g.err }

func TestBuildDeviceReadsGroupsBySID(t *testing.T) {
	nurse := "S-1-5-21-1-2-3-1003"
	h := groupHost{
		fakeHost: &fakeHost{os: win7, accounts: []Account{{Name: "nurse", SID: nurse}}},
		groups: []Group{
			{Name: "Gäste", SID: "S-1-5-32-546", Members: []Member{{SID: nurse}}},
			{Name: "Benutzer", SID: "S-1-5-32-545", Members: []Member{{SID: "S-1-5-32-546"}}},
		},
	}
	d := BuildDevice(context.Background(), h, Declared{Operators: []string{"nurse"}})
	assert.True(t, d.Known("groups"), d.Missing["groups"])
	require.Len(t, d.Groups, 2)
	c := d.Closure(Principal{Name: "nurse", SID: nurse, Local: true}, "S-1-5-4")
	assert.True(t, c["S-1-5-32-546"], "a direct member")
	assert.True(t, c["S-1-5-32-545"], "through a group")

	h.err = errors.New("list local groups (NetLocalGroupEnum level 0): Access is denied.")
	d = BuildDevice(context.Background(), h, Declared{})
	assert.False(t, d.Known("groups"))
	assert.Contains(t, d.Missing["groups"], "NetLocalGroupEnum")
	assert.Empty(t, d.Groups, "a failed read is never taken as no groups")
}
