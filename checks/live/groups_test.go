package live

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordedGroups answers the group calls as a German Windows 7 would: the
// names are localized, the SIDs are not.
type recordedGroups struct {
	names   []string
	enumErr error
	sids    map[string]string
	uses    map[string]uint32
	members map[string][]string
	memErr  map[string]error
	looked  []string
}

func (r *recordedGroups) LocalGroupNames() ([]string, error) { return r.names, r.enumErr }

func (r *recordedGroups) GroupSID(name string) (string, uint32, error) {
	sid, ok := r.sids[name]
	if !ok {
		return "", 0, errors.New("No mapping between account names and security IDs was done.")
	}
	use, ok := r.uses[name]
	if !ok {
		use = sidTypeAlias
	}
	return sid, use, nil
}

func (r *recordedGroups) MemberSIDs(group string) ([]string, error) {
	return r.members[group], r.memErr[group]
}

func (r *recordedGroups) MemberName(sid string) string {
	r.looked = append(r.looked, sid)
	if sid == "S-1-5-21-1-2-3-500" {
		return `ICU-DE01\Administrator`
	}
	return ""
}

func germanWin7() *recordedGroups {
	return &recordedGroups{
		names: []string{"Administratoren", "Benutzer", "Gäste", "Remotedesktopbenutzer"},
		sids: map[string]string{
			"Administratoren": "S-1-5-32-544", "Benutzer": "S-1-5-32-545",
			"Gäste": "S-1-5-32-546", "Remotedesktopbenutzer": "S-1-5-32-555",
		},
		members: map[string][]string{
			"Administratoren": {"S-1-5-21-1-2-3-500", "s-1-5-21-1-2-3-1001"},
			"Benutzer":        {"S-1-5-4", "S-1-5-11", "S-1-5-21-9-9-9-513"},
			"Gäste":           {"S-1-5-21-1-2-3-501", "S-1-5-21-1-2-3-1003"},
		},
	}
}

func TestReadGroupsRecorded(t *testing.T) {
	g, err := readGroups(germanWin7())
	require.NoError(t, err)
	require.Len(t, g, 4)
	assert.Equal(t, "S-1-5-32-544", g[0].SID, "sorted by SID")
	assert.Equal(t, "Administratoren", g[0].Name)
	require.Len(t, g[0].Members, 2)
	assert.Equal(t, "S-1-5-21-1-2-3-500", g[0].Members[0].SID)
	assert.Equal(t, `ICU-DE01\Administrator`, g[0].Members[0].Name)
	assert.Equal(t, "S-1-5-21-1-2-3-1001", g[0].Members[1].SID, "upper case")
	assert.Equal(t, "S-1-5-32-545", g[1].SID)
	assert.Equal(t, "S-1-5-21-9-9-9-513", g[1].Members[2].SID, "a domain group is a member by SID, not expanded")
	assert.Equal(t, "S-1-5-32-555", g[3].SID)
	assert.NotNil(t, g[3].Members, "an empty group is known to be empty")
	assert.Empty(t, g[3].Members)

	tests := []struct {
		name  string
		spoil func(*recordedGroups)
		err   string
	}{
		{"the groups cannot be listed", func(r *recordedGroups) {
			r.enumErr = errors.New("list local groups (NetLocalGroupEnum level 0): Access is denied.")
		}, "(NetLocalGroupEnum level 0): Access is denied"},
		{"a name does not resolve", func(r *recordedGroups) { delete(r.sids, "Gäste") }, `resolve the local group "Gäste"`},
		{"a name resolves to a user", func(r *recordedGroups) { r.uses = map[string]uint32{"Benutzer": 1} }, "not a local group"},
		{"a member list fails", func(r *recordedGroups) {
			r.memErr = map[string]error{"Gäste": errors.New("NetLocalGroupGetMembers level 0: network API error NERR 2220")}
		}, `members of the local group "Gäste" (S-1-5-32-546)`},
		{"no groups, as Wine's stub answers", func(r *recordedGroups) { r.names = nil }, "do not include Administrators (S-1-5-32-544)"},
		{"a list without Administrators", func(r *recordedGroups) { r.names = r.names[1:] }, "the list is not trusted"},
		{"a member that is not a SID", func(r *recordedGroups) { r.members["Benutzer"] = []string{"NT-AUTORITÄT\\INTERAKTIV"} }, "is not a SID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := germanWin7()
			tc.spoil(r)
			g, err := readGroups(r)
			require.Error(t, err)
			assert.Nil(t, g, "no partial list")
			assert.Contains(t, err.Error(), tc.err)
		})
	}
}
