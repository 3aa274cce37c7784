package wazuh

import (
	"bufio"
	"bytes"
	_ "embed" // the committed id map
	"fmt"
	"strconv"
	"strings"
	"sync"

	"medharden/checks/winfmt"
)

// IDFile is the committed map of medharden check ids to SCA check ids.
// Wazuh keeps a check's results under its numeric id, so an id must never
// follow the profile's order (adding a check would shift every later one)
// and never be given to another check: a new check takes the next free id
// of its profile's block, and a removed check keeps its line.
// `go test ./checks/wazuh -run TestIDMap -update` adds the ids of new
// checks and changes no other line.
const IDFile = "ids.txt"

//go:generate go test -run ^TestIDMap$ -update .

//go:embed ids.txt
var idFile []byte

// idBlock is one profile's ids.
type idBlock struct {
	Profile string
	Base    int
	IDs     map[string]int // medharden check id -> SCA id
	line    int            // of the profile line, for messages
}

// idMap is the parsed id file: the blocks in file order.
type idMap struct {
	Blocks []*idBlock
}

func (m idMap) block(profile string) (*idBlock, bool) {
	for _, b := range m.Blocks {
		if b.Profile == profile {
			return b, true
		}
	}
	return nil, false
}

var (
	builtinOnce sync.Once
	builtinMap  idMap
	builtinErr  error
)

// builtinIDs is the embedded id map, parsed once.
func builtinIDs() (idMap, error) {
	builtinOnce.Do(func() { builtinMap, builtinErr = parseIDs("checks/wazuh/"+IDFile, idFile) })
	return builtinMap, builtinErr
}

// parseIDs reads an id file: comment lines (#) and empty lines, then for
// each profile a line "profile NAME BASE" followed by "ID CHECK" lines.
// Every SCA id lies in its profile's block [BASE, BASE+IDBlock), is used
// once in the file, and every check is named once per profile; blocks do
// not overlap.
func parseIDs(name string, b []byte) (idMap, error) {
	var m idMap
	var cur *idBlock
	used := map[int]string{} // SCA id -> where it was given
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		n++
		fail := func(format string, a ...interface{}) error {
			return &winfmt.ParseError{File: name, Line: n, Msg: fmt.Sprintf(format, a...)}
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if f[0] == "profile" {
			if len(f) != 3 {
				return m, fail("want \"profile NAME BASE\", got %q", line)
			}
			base, err := strconv.Atoi(f[2])
			if err != nil || base < 0 || base%IDBlock != 0 {
				return m, fail("block base %q is not a multiple of %d", f[2], IDBlock)
			}
			if _, dup := m.block(f[1]); dup {
				return m, fail("profile %s has a second block", f[1])
			}
			for _, o := range m.Blocks {
				if o.Base == base {
					return m, fail("block %d of %s is already %s's (line %d)", base, f[1], o.Profile, o.line)
				}
			}
			cur = &idBlock{Profile: f[1], Base: base, IDs: map[string]int{}, line: n}
			m.Blocks = append(m.Blocks, cur)
			continue
		}
		if cur == nil {
			return m, fail("an id line before the first \"profile NAME BASE\" line")
		}
		if len(f) != 2 {
			return m, fail("want \"ID CHECK\", got %q", line)
		}
		id, err := strconv.Atoi(f[0])
		if err != nil {
			return m, fail("SCA id %q is not a number", f[0])
		}
		if id < cur.Base || id >= cur.Base+IDBlock {
			return m, fail("SCA id %d is outside %s's block %d..%d", id, cur.Profile, cur.Base, cur.Base+IDBlock-1)
		}
		if where, dup := used[id]; dup {
			return m, fail("SCA id %d is already %s", id, where)
		}
		if _, dup := cur.IDs[f[1]]; dup {
			return m, fail("check %s of %s has a second id", f[1], cur.Profile)
		}
		used[id] = fmt.Sprintf("%s of %s (line %d)", f[1], cur.Profile, n)
		cur.IDs[f[1]] = id
	}
	if err := sc.Err(); err != nil {
		return m, &winfmt.ParseError{File: name, Line: n + 1, Msg: err.Error()}
	}
	return m, nil
}
