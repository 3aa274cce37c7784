package live

import (
	"fmt"
	"sort"
	"strings"

	"medharden/checks"
)

// groupAPI is what the group read asks Windows: the Net API's local groups
// (NetLocalGroupEnum level 0) and their members as SIDs
// (NetLocalGroupGetMembers level 0), and LookupAccountName for each
// group's SID. The tests answer it from recordings.
type groupAPI interface {
	// LocalGroupNames lists the local groups' names, in the system's
	// language.
	LocalGroupNames() ([]string, error)
	// GroupSID resolves a group name of this computer to its SID and
	// SID_NAME_USE.
	GroupSID(name string) (sid string, use uint32, err error)
	// MemberSIDs lists a group's direct members as SIDs.
	MemberSIDs(group string) ([]string, error)
	// MemberName names a member for reports; "" when it is not looked up
	// (a domain account: a lookup could wait on an unreachable domain
	// controller).
	MemberName(sid string) string
}

// SID_NAME_USE values a local group resolves to: an alias (the built-in
// groups and the groups made on the computer) or, for the few groups the
// Net API lists under a well-known name, a well-known group.
const (
	sidTypeAlias          = 4
	sidTypeWellKnownGroup = 5
)

// readGroups reads the local groups and their direct members as SIDs. The
// names only travel from one call to the next on the same computer, so no
// language is assumed; every comparison after this is made on SIDs. A
// group that cannot be read makes the whole read fail: a partial list of
// memberships would let a guard miss a protected person.
func readGroups(api groupAPI) ([]checks.Group, error) {
	names, err := api.LocalGroupNames()
	if err != nil {
		return nil, err
	}
	out := make([]checks.Group, 0, len(names))
	for _, n := range names {
		sid, use, err := api.GroupSID(n)
		if err != nil {
			return nil, fmt.Errorf("resolve the local group %q (LookupAccountName): %w", n, err)
		}
		sid = strings.ToUpper(strings.TrimSpace(sid))
		if !strings.HasPrefix(sid, "S-1-") {
			return nil, fmt.Errorf("resolve the local group %q (LookupAccountName): %q is not a SID", n, sid)
		}
		if use != sidTypeAlias && use != sidTypeWellKnownGroup {
			return nil, fmt.Errorf("resolve the local group %q (LookupAccountName): it names %s, an account of type %d, not a local group", n, sid, use)
		}
		members, err := api.MemberSIDs(n)
		if err != nil {
			return nil, fmt.Errorf("list the members of the local group %q (%s): %w", n, sid, err)
		}
		g := checks.Group{Name: n, SID: sid, Members: []checks.Member{}}
		for _, m := range members {
			m = strings.ToUpper(strings.TrimSpace(m))
			if !strings.HasPrefix(m, "S-1-") {
				return nil, fmt.Errorf("list the members of the local group %q (%s): %q is not a SID", n, sid, m)
			}
			g.Members = append(g.Members, checks.Member{Name: api.MemberName(m), SID: m})
		}
		out = append(out, g)
	}
	// Every Windows has the built-in Administrators group. A list without
	// it is a stub's answer (Wine returns no groups and success), and an
	// empty list would read as "no one is in any group".
	admins := false
	for _, g := range out {
		admins = admins || g.SID == checks.SIDAdministrators
	}
	if !admins {
		return nil, fmt.Errorf("%w: the local groups listed (%d, by NetLocalGroupEnum) do not include Administrators (%s), which every Windows has: the list is not trusted", checks.ErrNotCollected, len(out), checks.SIDAdministrators)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SID < out[j].SID })
	return out, nil
}
