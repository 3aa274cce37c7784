package wazuh

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/winfmt"
)

const idHeader = `# Wazuh SCA check ids of medharden's checks (see IDFile in ids.go).
# "profile NAME BASE" opens a profile's block of 1000 ids; "ID CHECK" gives a
# check its id. Never edit or remove a line: Wazuh keeps results under the id.
# New checks: go test ./checks/wazuh -run TestIDMap -update
`

// assign gives every check of the profile that has no id the next free id
// of the profile's block (a new profile gets the next free block), and
// returns the checks it added. It changes no existing id.
func (m *idMap) assign(p checks.Profile, list []checks.Check) ([]string, error) {
	blk, ok := m.block(p.Name)
	if !ok {
		base := BaseID
		for _, b := range m.Blocks {
			if b.Base+IDBlock > base {
				base = b.Base + IDBlock
			}
		}
		blk = &idBlock{Profile: p.Name, Base: base, IDs: map[string]int{}}
		m.Blocks = append(m.Blocks, blk)
	}
	next := blk.Base
	for _, id := range blk.IDs {
		if id >= next {
			next = id + 1
		}
	}
	var added []string
	for _, ch := range list {
		if _, ok := blk.IDs[ch.ID]; ok {
			continue
		}
		if next >= blk.Base+IDBlock {
			return added, fmt.Errorf("profile %s: block %d is full", p.Name, blk.Base)
		}
		blk.IDs[ch.ID] = next
		added = append(added, ch.ID)
		next++
	}
	return added, nil
}

// format writes the map as parseIDs reads it: blocks in order, ids sorted.
func (m idMap) format() []byte {
	var b bytes.Buffer
	b.WriteString(idHeader)
	for _, blk := range m.Blocks {
		fmt.Fprintf(&b, "\nprofile %s %d\n", blk.Profile, blk.Base)
		type pair struct {
			id    int
			check string
		}
		var ps []pair
		for c, id := range blk.IDs {
			ps = append(ps, pair{id, c})
		}
		sort.Slice(ps, func(i, j int) bool { return ps[i].id < ps[j].id })
		for _, p := range ps {
			fmt.Fprintf(&b, "%d %s\n", p.id, p.check)
		}
	}
	return b.Bytes()
}

// TestIDMap: every check of every profile has an SCA id in the committed
// map, no line of it was removed (each block's ids run without a gap), and
// the policy uses exactly those ids. With -update, checks without an id get
// the next free ones and nothing else changes.
func TestIDMap(t *testing.T) {
	disk, err := os.ReadFile(IDFile)
	require.NoError(t, err)
	m, err := parseIDs(IDFile, disk)
	require.NoError(t, err)
	cat, err := checks.Builtin()
	require.NoError(t, err)
	if *update {
		before := m.format()
		for _, p := range checks.Profiles {
			added, err := m.assign(p, cat.Select(p))
			require.NoError(t, err)
			if len(added) > 0 {
				t.Logf("%s: new ids for %s", p.Name, strings.Join(added, ", "))
			}
		}
		after := m.format()
		require.True(t, linesKept(before, after), "the update only adds lines")
		require.NoError(t, os.WriteFile(IDFile, after, 0o644))
		disk = after
	}
	assert.Equal(t, string(m.format()), string(disk), "%s is in the form the update writes", IDFile)
	for _, p := range checks.Profiles {
		t.Run(p.Name, func(t *testing.T) {
			blk, ok := m.block(p.Name)
			require.True(t, ok, "no block for %s: go test ./checks/wazuh -run TestIDMap -update", p.Name)
			list := cat.Select(p)
			inCatalog := map[string]bool{}
			for _, ch := range list {
				inCatalog[ch.ID] = true
				_, ok := blk.IDs[ch.ID]
				assert.True(t, ok, "check %s has no SCA id: go test ./checks/wazuh -run TestIDMap -update", ch.ID)
			}
			ids := make([]int, 0, len(blk.IDs))
			for c, id := range blk.IDs {
				ids = append(ids, id)
				if !inCatalog[c] {
					t.Logf("%s: check %s is no longer in the profile; its id %d stays taken", p.Name, c, id)
				}
			}
			sort.Ints(ids)
			for i, id := range ids {
				require.Equal(t, blk.Base+i, id, "id %d is missing from %s's block: lines are never removed", blk.Base+i, p.Name)
			}
			if *update {
				return
			}
			pol, _, err := Build(p, list, "p.yml")
			require.NoError(t, err)
			for _, c := range pol.Checks {
				id, ok := blk.IDs[checkOf(t, c)]
				require.True(t, ok)
				assert.Equal(t, id, c.ID, "the policy uses the map's id")
			}
		})
	}
}

// linesKept tells whether every line of before is still in after.
func linesKept(before, after []byte) bool {
	have := map[string]bool{}
	for _, l := range strings.Split(string(after), "\n") {
		have[l] = true
	}
	for _, l := range strings.Split(string(before), "\n") {
		if !have[l] {
			return false
		}
	}
	return true
}

// checkOf reads the medharden check id back from a policy check's
// description ("medharden check ID: ...").
func checkOf(t *testing.T, c Check) string {
	t.Helper()
	rest := strings.TrimPrefix(c.Description, "medharden check ")
	i := strings.Index(rest, ": ")
	require.True(t, i > 0, c.Description)
	return rest[:i]
}

// TestIDsDoNotFollowOrder: a check added at the top of a profile, or the
// profile read in another order, leaves every other check's id as it was;
// the new check gets the next free id; a removed check's id is not given
// to the next new one.
func TestIDsDoNotFollowOrder(t *testing.T) {
	p, list := profile(t, "cis-win7-l1")
	m, err := builtinIDs()
	require.NoError(t, err)
	want := map[string]int{}
	pol, _, err := Build(p, list, "p.yml")
	require.NoError(t, err)
	for _, c := range pol.Checks {
		want[checkOf(t, c)] = c.ID
	}
	blk, _ := m.block(p.Name)
	top := 0
	for _, id := range blk.IDs {
		if id > top {
			top = id
		}
	}

	// A copy of the map, to add to.
	cp, err := parseIDs("copy", m.format())
	require.NoError(t, err)
	added := list[0]
	added.ID = "MH-NEW-1"
	grown := append([]checks.Check{added}, list...)
	reversed := make([]checks.Check, len(grown))
	for i, ch := range grown {
		reversed[len(grown)-1-i] = ch
	}
	_, _, err = build(p, grown, "p.yml", cp)
	require.Error(t, err, "a check without an id is refused, never numbered by its place")
	assert.Contains(t, err.Error(), "MH-NEW-1")
	got, err := cp.assign(p, grown)
	require.NoError(t, err)
	assert.Equal(t, []string{"MH-NEW-1"}, got)
	for _, l := range [][]checks.Check{grown, reversed} {
		pol, _, err := build(p, l, "p.yml", cp)
		require.NoError(t, err)
		for _, c := range pol.Checks {
			id := checkOf(t, c)
			if id == "MH-NEW-1" {
				assert.Equal(t, top+1, c.ID, "the next free id")
				continue
			}
			assert.Equal(t, want[id], c.ID, "check %s keeps its id", id)
		}
	}
	// Removing MH-NEW-1 from the profile keeps its id taken.
	got, err = cp.assign(p, append([]checks.Check{{ID: "MH-NEW-2"}}, list...))
	require.NoError(t, err)
	assert.Equal(t, []string{"MH-NEW-2"}, got)
	b, _ := cp.block(p.Name)
	assert.Equal(t, top+2, b.IDs["MH-NEW-2"])
}

func TestParseIDs(t *testing.T) {
	tests := []struct {
		name, in, err string
		line          int
	}{
		{"good", "# c\nprofile a 80000\n80000 1.1\n80001 MH-X\n\nprofile b 81000\n81000 1.1\n", "", 0},
		{"id before profile", "80000 1.1\n", "before the first", 1},
		{"profile without base", "profile a\n", "profile NAME BASE", 1},
		{"base not a block", "profile a 80001\n", "not a multiple", 1},
		{"second block", "profile a 80000\nprofile a 81000\n", "second block", 2},
		{"overlapping blocks", "profile a 80000\nprofile b 80000\n", "already a's", 2},
		{"not a number", "profile a 80000\nx 1.1\n", "not a number", 2},
		{"outside the block", "profile a 80000\n81000 1.1\n", "outside", 2},
		{"id twice", "profile a 80000\n80000 1.1\n80000 1.2\n", "already 1.1 of a", 3},
		{"id twice across blocks", "profile a 80000\n80000 1.1\nprofile b 81000\n81000 1.1\n", "", 0},
		{"check twice", "profile a 80000\n80000 1.1\n80001 1.1\n", "second id", 3},
		{"extra field", "profile a 80000\n80000 1.1 x\n", "ID CHECK", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := parseIDs("ids.txt", []byte(tc.in))
			if tc.err == "" {
				require.NoError(t, err)
				back, err := parseIDs("again", m.format())
				require.NoError(t, err)
				assert.Equal(t, m.Blocks[0].IDs, back.Blocks[0].IDs)
				return
			}
			require.Error(t, err)
			var pe *winfmt.ParseError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, "ids.txt", pe.File)
			assert.Equal(t, tc.line, pe.Line)
			assert.Contains(t, pe.Msg, tc.err)
		})
	}
}

// FuzzParseIDs: whatever the input, parsing does not panic, and a map it
// accepts reads back the same after format.
func FuzzParseIDs(f *testing.F) {
	f.Add(idFile)
	f.Add([]byte("profile a 80000\n80000 1.1\n80001 MH-X\nprofile b 81000\n81000 1.1\n"))
	f.Add([]byte("profile a 80000\n81000 1.1\n"))
	f.Add([]byte("80000 x\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := parseIDs("f", b)
		if err != nil {
			return
		}
		back, err := parseIDs("f", m.format())
		require.NoError(t, err)
		require.Equal(t, len(m.Blocks), len(back.Blocks))
		for i := range m.Blocks {
			assert.Equal(t, m.Blocks[i].Profile, back.Blocks[i].Profile)
			assert.Equal(t, m.Blocks[i].Base, back.Blocks[i].Base)
			assert.Equal(t, m.Blocks[i].IDs, back.Blocks[i].IDs)
		}
	})
}
