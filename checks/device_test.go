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

// taskHost lists tasks as the live host does, with the SIDs the system
// resolved.
type taskHost struct {
	*fakeHost
	tasks []ScheduledTask
}

func (h taskHost) ScheduledTasks(context.Context) ([]ScheduledTask, error) { return h.tasks, nil }

// A localized system name is known by the SID the host resolved; the model
// does not have to read the language.
func TestBuildDeviceTakesTaskSIDs(t *testing.T) {
	h := taskHost{fakeHost: &fakeHost{os: win7}, tasks: []ScheduledTask{
		{Name: `\Microsoft\Windows\Defrag\ScheduledDefrag`, RunAs: `NT-AUTORITÄT\SYSTEM`, SID: "S-1-5-18"},
		{Name: `\Vendor\Export`, RunAs: `svcvendor`, SID: "s-1-5-21-1-2-3-1005"},
		{Name: `\Vendor\Old`, RunAs: `gone`},
	}}
	d := BuildDevice(context.Background(), h, Declared{})
	assert.True(t, d.Known("tasks"))
	require.Len(t, d.Tasks, 3)
	assert.True(t, d.Tasks[0].BuiltIn, "SYSTEM by its SID")
	assert.Equal(t, "S-1-5-21-1-2-3-1005", d.Tasks[1].SID)
	assert.Empty(t, d.Tasks[2].SID, "an account no one resolves keeps its name only")
	assert.Equal(t, "gone", d.Tasks[2].RunAs)
}
