package assets

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// MergeOptions tune a fleet merge.
type MergeOptions struct {
	// StaleDays: a device not seen for more than this many days is a ghost
	// asset; 0 turns the check off.
	StaleDays int
	// Now is the reference time for ghosts (default: the current time).
	Now time.Time
}

// DefaultStaleDays is the ghost-asset threshold of the CLI.
const DefaultStaleDays = 90

// MergeSummary counts what a merge found.
type MergeSummary struct {
	Records       int `json:"records"`
	Devices       int `json:"devices"`
	Merged        int `json:"merged"`  // records folded into a device already seen
	Renamed       int `json:"renamed"` // devices seen under more than one hostname
	Moved         int `json:"moved"`
	DuplicateTags int `json:"duplicate_tags"` // asset tags on more than one device
	Ghosts        int `json:"ghosts"`
}

// Warning is a finding of the merge that someone should look at; it names
// the files and records involved.
type Warning struct {
	Kind string `json:"kind"` // duplicate_tag, shared_mac, shared_hostname, moved, renamed, ghost
	Msg  string `json:"message"`
}

func (w Warning) String() string { return w.Kind + ": " + w.Msg }

// MergeResult is a fleet inventory.
type MergeResult struct {
	Devices  []Device     `json:"devices"`
	Summary  MergeSummary `json:"summary"`
	Warnings []Warning    `json:"warnings"`
}

// Merge folds records into devices. Records are the same device when they
// share a BIOS serial; failing that, a physical MAC (unless their serials
// differ: a swapped network card does not make two machines one); records
// with neither fall back to the hostname. The latest record describes the
// device; older ones give its earlier hostnames and locations.
func Merge(inputs []Input, opt MergeOptions) MergeResult {
	if opt.Now.IsZero() {
		opt.Now = now()
	}
	ins, ats := byCollectionTime(inputs)
	var res MergeResult
	uf := res.link(ins)
	res.Devices = buildDevices(ins, ats, uf, opt)
	res.flagDuplicates()
	res.flagSharedHostnames()
	res.summarize(len(ins))
	return res
}

// byCollectionTime orders the records oldest first, with their times.
func byCollectionTime(inputs []Input) ([]*Input, []time.Time) {
	// Sort pointers, not records: the caller's slice stays as it was.
	ins := make([]*Input, len(inputs))
	ats := make([]time.Time, len(inputs))
	for i := range inputs {
		ins[i] = &inputs[i]
	}
	for i, in := range ins {
		ats[i] = in.at
		if ats[i].IsZero() {
			ats[i], _ = time.Parse(time.RFC3339, in.Record.CollectedAt)
		}
	}
	sort.Stable(byTime{ins, ats})
	return ins, ats
}

// link joins the records of one device: by serial, then by MAC, then by
// hostname for records with neither.
func (res *MergeResult) link(ins []*Input) *unionFind {
	uf := newUnionFind(len(ins))
	serials := make([]string, len(ins))
	bySerial := map[string]int{}
	for i := range ins {
		s := normalizeSerial(ins[i].Record.Identity.SerialNumber)
		serials[i] = s
		uf.serial[i] = s
		if s == "" {
			continue
		}
		if j, ok := bySerial[s]; ok {
			uf.union(j, i)
		} else {
			bySerial[s] = i
		}
	}
	byMAC := map[string]int{}
	macs := make([][]string, len(ins))
	warnedMAC := map[string]bool{}
	for i := range ins {
		macs[i] = identityMACs(ins[i].Record)
		for _, m := range macs[i] {
			j, ok := byMAC[m]
			if !ok {
				byMAC[m] = i
				continue
			}
			if !uf.union(j, i) && !warnedMAC[m] {
				warnedMAC[m] = true
				res.Warnings = append(res.Warnings, Warning{"shared_mac", fmt.Sprintf(
					"MAC %s is on devices with different BIOS serials: %s (serial %s, %s) and %s (serial %s, %s); kept apart",
					m, ins[j].Record.Identity.Hostname, serials[j], ins[j].Where(),
					ins[i].Record.Identity.Hostname, serials[i], ins[i].Where())})
			}
		}
	}
	byHost := map[string]int{}
	for i := range ins {
		if serials[i] != "" || len(macs[i]) > 0 {
			h := strings.ToUpper(ins[i].Record.Identity.Hostname)
			if _, ok := byHost[h]; !ok {
				byHost[h] = i
			}
		}
	}
	for i := range ins {
		if serials[i] != "" || len(macs[i]) > 0 {
			continue
		}
		h := strings.ToUpper(ins[i].Record.Identity.Hostname)
		if j, ok := byHost[h]; ok {
			uf.union(j, i)
		} else {
			byHost[h] = i
		}
	}
	return uf
}

// buildDevices makes one device per linked group, ordered by hostname.
func buildDevices(ins []*Input, ats []time.Time, uf *unionFind, opt MergeOptions) []Device {
	groups := map[int][]int{}
	var roots []int
	for i := range ins {
		r := uf.find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], i) // ascending time: ins is sorted
	}
	// Build, then order by hostname through an index: a Device is large,
	// and sorting the values themselves would move them around many times.
	built := make([]Device, 0, len(roots))
	names := make([]string, 0, len(roots))
	for _, r := range roots {
		d := buildDevice(ins, ats, groups[r], opt)
		built = append(built, d)
		names = append(names, strings.ToUpper(d.Record.Identity.Hostname))
	}
	order := make([]int, len(built))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if names[a] != names[b] {
			return names[a] < names[b]
		}
		return built[a].Key < built[b].Key
	})
	devices := make([]Device, len(built))
	for i, k := range order {
		devices[i] = built[k]
	}
	return devices
}

// summarize counts and explains what the merge did.
func (res *MergeResult) summarize(records int) {
	res.Summary.Records = records
	res.Summary.Devices = len(res.Devices)
	for _, d := range res.Devices {
		res.Summary.Merged += d.Records - 1
		if len(d.Hostnames) > 1 {
			res.Summary.Renamed++
			res.Warnings = append(res.Warnings, Warning{"renamed", fmt.Sprintf("%s was seen as %s (%s)",
				d.Key, strings.Join(d.Hostnames, " -> "), strings.Join(d.Sources, ", "))})
		}
		if len(d.Moves) > 0 {
			res.Summary.Moved++
			for _, m := range d.Moves {
				res.Warnings = append(res.Warnings, Warning{"moved", fmt.Sprintf("%s (%s): %s -> %s on %s (%s)",
					d.Record.Identity.Hostname, d.Key, m.From, m.To, dateOf(m.At), m.Where)})
			}
		}
		if d.Ghost {
			res.Summary.Ghosts++
			res.Warnings = append(res.Warnings, Warning{"ghost", fmt.Sprintf("%s (%s) not seen for %d days, last on %s (%s)",
				d.Record.Identity.Hostname, d.Key, d.DaysSinceSeen, dateOf(d.LastSeen), d.Sources[len(d.Sources)-1])})
		}
	}
}

func dateOf(rfc string) string {
	if len(rfc) >= 10 {
		return rfc[:10]
	}
	return rfc
}

// buildDevice makes one device from its records, oldest first.
func buildDevice(ins []*Input, ats []time.Time, idx []int, opt MergeOptions) Device {
	last := ins[idx[len(idx)-1]]
	lastAt := ats[idx[len(idx)-1]]
	d := Device{
		Key:       deviceKey(last.Record),
		Record:    last.Record,
		FirstSeen: ins[idx[0]].Record.CollectedAt,
		LastSeen:  last.Record.CollectedAt,
		Records:   len(idx),
		Sources:   make([]string, 0, len(idx)),
	}
	// A group may have gained its serial from a later record only.
	for k := len(idx) - 1; k >= 0 && !strings.HasPrefix(d.Key, "serial:"); k-- {
		if s := normalizeSerial(ins[idx[k]].Record.Identity.SerialNumber); s != "" {
			d.Key = "serial:" + s
		}
	}
	var loc string
	for _, i := range idx {
		in := ins[i]
		d.Sources = append(d.Sources, in.Where())
		h := in.Record.Identity.Hostname
		if len(d.Hostnames) == 0 || !strings.EqualFold(d.Hostnames[len(d.Hostnames)-1], h) {
			if !containsFold(d.Hostnames, h) {
				d.Hostnames = append(d.Hostnames, h)
			}
		}
		if l := strings.TrimSpace(in.Record.Fields.Location); l != "" {
			if loc != "" && !strings.EqualFold(loc, l) {
				d.Moves = append(d.Moves, Move{From: loc, To: l, At: in.Record.CollectedAt, Where: in.Where()})
			}
			loc = l
		}
	}
	// A later record without a sidecar keeps what the technician entered before.
	for k := len(idx) - 2; k >= 0; k-- {
		older := ins[idx[k]].Record.Fields
		for _, s := range FieldSpecs {
			if p := d.Record.Fields.ptr(s.Key); *p == "" {
				*p = older.Get(s.Key)
			}
		}
	}
	d.DaysSinceSeen = -1
	if !lastAt.IsZero() {
		d.DaysSinceSeen = int(opt.Now.Sub(lastAt).Hours() / 24)
		if d.DaysSinceSeen < 0 {
			d.DaysSinceSeen = 0
		}
		d.Ghost = opt.StaleDays > 0 && opt.Now.Sub(lastAt) > time.Duration(opt.StaleDays)*24*time.Hour
	}
	return d
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// flagDuplicates marks every device whose current asset tag another
// device also carries.
func (res *MergeResult) flagDuplicates() {
	byTag := map[string][]int{}
	var tags []string
	for i, d := range res.Devices {
		t := strings.ToUpper(strings.TrimSpace(d.Record.Fields.AssetTag))
		if t == "" {
			continue
		}
		if _, ok := byTag[t]; !ok {
			tags = append(tags, t)
		}
		byTag[t] = append(byTag[t], i)
	}
	for _, t := range tags {
		ds := byTag[t]
		if len(ds) < 2 {
			continue
		}
		res.Summary.DuplicateTags++
		var who []string
		for _, i := range ds {
			d := &res.Devices[i]
			d.DuplicateTag = true
			who = append(who, fmt.Sprintf("%s (%s, %s)", d.Record.Identity.Hostname, d.Key, d.Sources[len(d.Sources)-1]))
		}
		res.Warnings = append(res.Warnings, Warning{"duplicate_tag", fmt.Sprintf("asset tag %q is on %d devices: %s",
			res.Devices[ds[0]].Record.Fields.AssetTag, len(ds), strings.Join(who, "; "))})
	}
}

// flagSharedHostnames warns of two devices answering to one name now,
// which usually means a cloned image that was never renamed.
func (res *MergeResult) flagSharedHostnames() {
	for i := 1; i < len(res.Devices); i++ {
		a, b := res.Devices[i-1], res.Devices[i] // sorted by hostname
		if strings.EqualFold(a.Record.Identity.Hostname, b.Record.Identity.Hostname) {
			res.Warnings = append(res.Warnings, Warning{"shared_hostname", fmt.Sprintf("hostname %s is used by two devices: %s (%s) and %s (%s)",
				a.Record.Identity.Hostname, a.Key, a.Sources[len(a.Sources)-1], b.Key, b.Sources[len(b.Sources)-1])})
		}
	}
}

// byTime sorts records and their times together, oldest first.
type byTime struct {
	ins []*Input
	ats []time.Time
}

func (b byTime) Len() int           { return len(b.ins) }
func (b byTime) Less(i, j int) bool { return b.ats[i].Before(b.ats[j]) }
func (b byTime) Swap(i, j int) {
	b.ins[i], b.ins[j] = b.ins[j], b.ins[i]
	b.ats[i], b.ats[j] = b.ats[j], b.ats[i]
}

// unionFind groups records; a group carries at most one BIOS serial, and
// two groups with different serials are never joined.
type unionFind struct {
	parent []int
	serial []string
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int, n), serial: make([]string, n)}
	for i := range u.parent {
		u.parent[i] = i
	}
	return u
}

func (u *unionFind) find(i int) int {
	for u.parent[i] != i {
		u.parent[i] = u.parent[u.parent[i]]
		i = u.parent[i]
	}
	return i
}

// union joins the groups of a and b unless their serials conflict; it
// reports whether they are one group afterwards.
func (u *unionFind) union(a, b int) bool {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return true
	}
	sa, sb := u.serial[ra], u.serial[rb]
	if sa != "" && sb != "" && sa != sb {
		return false
	}
	if ra > rb { // the oldest record stays the root: groups list in time order
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
	if u.serial[ra] == "" {
		u.serial[ra] = u.serial[rb]
	}
	return true
}
