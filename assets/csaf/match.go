package csaf

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"medharden/assets"
)

// Statuses a match can have besides the product_status categories.
const (
	// PossiblyAffected: an affected product by name whose version cannot be
	// decided (device version unknown, or a range the reader cannot parse).
	PossiblyAffected = "possibly_affected"
	// NotListed: the product by name, but in none of the versions the
	// advisory lists for this vulnerability.
	NotListed = "not_listed"
)

// severity orders statuses: a device matching several products of one
// advisory gets the most urgent one.
var severity = map[string]int{
	"known_affected": 8, "first_affected": 8, "last_affected": 8,
	PossiblyAffected: 7, "under_investigation": 6,
	"fixed": 4, "first_fixed": 4, "recommended": 3, "known_not_affected": 2, NotListed: 1,
}

// Affected tells whether a status means the owners must act.
func Affected(status string) bool { return severity[status] >= severity["under_investigation"] }

// Device is what matching needs of an inventory device.
type Device struct {
	Key         string            `json:"device_key"`
	Hostname    string            `json:"hostname"`
	AssetTag    string            `json:"asset_tag,omitempty"`
	Make        string            `json:"device_make,omitempty"`
	Model       string            `json:"device_model,omitempty"`
	Version     string            `json:"device_version,omitempty"`
	Owner       string            `json:"owner,omitempty"`
	Department  string            `json:"department,omitempty"`
	Location    string            `json:"location,omitempty"`
	Criticality string            `json:"criticality,omitempty"`
	OS          string            `json:"os_name,omitempty"`
	ServicePack string            `json:"os_service_pack,omitempty"`
	OSFamily    string            `json:"-"` // "win7", "xp": when the name says too little
	Hotfixes    []string          `json:"-"` // installed KBs
	Software    []assets.Software `json:"-"`
	Source      string            `json:"source,omitempty"`
}

// DeviceOf takes the matching fields from an inventory device.
func DeviceOf(d assets.Device) Device {
	r := d.Record
	f := r.Fields
	kbs := make([]string, len(r.Hotfixes))
	for i, h := range r.Hotfixes {
		kbs[i] = h.ID
	}
	return Device{Key: d.Key, Hostname: r.Identity.Hostname, AssetTag: f.AssetTag, Make: f.DeviceMake,
		Model: f.DeviceModel, Version: f.DeviceVersion, Owner: f.Owner, Department: f.Department, Location: f.Location,
		Criticality: f.Criticality, OS: r.OS.Name, ServicePack: r.OS.ServicePack, OSFamily: r.OS.Family,
		Hotfixes: kbs, Software: r.Software, Source: strings.Join(d.Sources, ";")}
}

// Match is one device concerned by one vulnerability of one advisory.
type Match struct {
	Advisory     string        `json:"advisory"`
	Title        string        `json:"title"`
	File         string        `json:"file"`
	CVE          string        `json:"cve"`
	Status       string        `json:"status"`
	Product      string        `json:"product"`
	ProductID    string        `json:"product_id"`
	Version      string        `json:"compared_version,omitempty"`
	Reason       string        `json:"reason"`
	Score        *float64      `json:"cvss_v3,omitempty"`
	Remediations []Remediation `json:"remediations"`
	*Device                    // shared by the device's matches
}

// MatchAll lists every (device, advisory, vulnerability) where the device
// is a product the advisory names, sorted by advisory, CVE and host.
// Names are split into words once per device and per product.
func MatchAll(devices []Device, advs []*Advisory) []Match {
	prepared := make([]devNames, len(devices))
	order := make([]int, len(devices)) // devices by key: matches come out sorted
	for i, d := range devices {
		prepared[i] = namesOf(d)
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return devices[order[i]].Key < devices[order[j]].Key })
	advs = append([]*Advisory(nil), advs...)
	sort.SliceStable(advs, func(i, j int) bool { return advs[i].ID < advs[j].ID })
	var out []Match
	var vc vendorCache
	hits := make([][]hit, len(devices))
	for _, a := range advs {
		an := advNamesOf(a)
		for _, i := range order {
			vc.reset(len(an.vendors), len(prepared[i].progs))
			hits[i] = productHits(prepared[i], &an, &vc)
		}
		vulns := make([]int, len(a.Vulns))
		for k := range vulns {
			vulns[k] = k
		}
		sort.SliceStable(vulns, func(x, y int) bool { return a.Vulns[vulns[x]].CVE < a.Vulns[vulns[y]].CVE })
		// Grow out once per advisory, doubling: appending one by one to a
		// large slice grows it by a quarter each time and copies it often.
		need := 0
		for _, h := range hits {
			if len(h) > 0 {
				need += len(vulns)
			}
		}
		if cap(out)-len(out) < need {
			grown := make([]Match, len(out), 2*(len(out)+need))
			copy(grown, out)
			out = grown
		}
		for _, k := range vulns {
			for _, i := range order {
				if len(hits[i]) == 0 {
					continue
				}
				if m, ok := best(&an, k, &devices[i], prepared[i], hits[i]); ok {
					out = append(out, m)
				}
			}
		}
	}
	return out
}

// advNames are an advisory's products prepared for matching, with the
// distinct vendor spellings they use (usually one or two), so that a
// device's make and publishers are compared with each only once.
type advNames struct {
	// names remembers, per program name and per brand-and-model of the
	// fleet, which products it names (1 yes, 2 no): fleets repeat them.
	progNames, brands map[string][]int8
	// decided remembers version verdicts: fleets repeat versions.
	decided map[decideKey]decision
	adv     *Advisory
	fixes   map[fixKey]fix
	prods   []prodNames
	vendors []*prodNames // first product of each vendor spelling
	byID    map[string]*prodNames
}

func advNamesOf(a *Advisory) advNames {
	an := advNames{adv: a, prods: productsOf(a), byID: map[string]*prodNames{}, fixes: map[fixKey]fix{},
		progNames: map[string][]int8{}, brands: map[string][]int8{}, decided: map[decideKey]decision{}}
	seen := map[string]int{}
	for i := range an.prods {
		p := &an.prods[i]
		an.byID[p.id] = p
		k := strings.Join(p.vendor, " ") + "|" + strings.Join(p.idVendor, " ")
		v, ok := seen[k]
		if !ok {
			v = len(an.vendors)
			seen[k] = v
			an.vendors = append(an.vendors, p)
		}
		p.vk = v
	}
	return an
}

// vendorCache remembers, for one device and one advisory, whether the
// make (slot 0) and each program's publisher (slots 1..) name each vendor
// spelling: 0 not yet asked, 1 yes, 2 no.
type vendorCache struct {
	n    int
	memo []int8
	// The device's rows of advNames' program-name and brand caches.
	progRows [][]int8
	brandRow []int8
}

func (c *vendorCache) reset(vendors, progs int) {
	c.n = vendors
	size := vendors * (progs + 1)
	if cap(c.memo) < size {
		c.memo = make([]int8, size)
	}
	c.memo = c.memo[:size]
	for i := range c.memo {
		c.memo[i] = 0
	}
}

func (c *vendorCache) makeOK(d devNames, v *prodNames, vk int) bool {
	if c.memo[vk] == 0 {
		c.memo[vk] = 2
		if sameMaker(d, v) {
			c.memo[vk] = 1
		}
	}
	return c.memo[vk] == 1
}

func (c *vendorCache) pubOK(d devNames, prog int, v *prodNames) bool {
	i := (prog+1)*c.n + v.vk
	if c.memo[i] == 0 {
		c.memo[i] = 2
		if sameName(d.pubs[prog], v.vendor) || sameName(d.pubs[prog], v.idVendor) {
			c.memo[i] = 1
		}
	}
	return c.memo[i] == 1
}

// devNames are a device's names split into words.
type devNames struct {
	make, model     []string
	makeGroup       int      // vendorGroups index, -1 for none
	makeModel       []string // make and model words: a brand in the product name
	brandKey        string   // makeModel joined, for the advisory's name cache
	progKeys        []string // program names joined, for the advisory's name cache
	model1          string   // model words joined, for model numbers
	version         string   // clinical device version
	os              string   // osKey of the installed Windows, "" when unknown
	osName          string
	sp              int // service pack number, 0 for none
	kbs             map[string]bool
	progs, pubs     [][]string
	versions, names []string
}

func namesOf(d Device) devNames {
	n := devNames{make: tokens(d.Make), model: tokens(d.Model), version: strings.TrimSpace(d.Version),
		os: osKey(d.OS), osName: d.OS, sp: servicePackOf(d.ServicePack), kbs: map[string]bool{}}
	n.makeGroup = vendorGroup(n.make)
	if len(n.make) > 0 && len(n.model) > 0 {
		n.makeModel = append(append([]string(nil), n.make...), n.model...)
		n.brandKey = strings.Join(n.makeModel, " ")
	}
	if n.os == "windows" || n.os == "" {
		n.os = familyKeys[d.OSFamily] // "Windows Embedded Standard" says too little
	}
	n.model1 = strings.Join(n.model, " ")
	for _, kb := range d.Hotfixes {
		n.kbs[strings.ToUpper(strings.TrimSpace(kb))] = true
	}
	for _, s := range d.Software {
		n.progs = append(n.progs, tokens(s.Name))
		n.progKeys = append(n.progKeys, strings.Join(n.progs[len(n.progs)-1], " "))
		n.pubs = append(n.pubs, tokens(s.Publisher))
		n.versions = append(n.versions, s.Version)
		n.names = append(n.names, s.Name)
	}
	return n
}

var familyKeys = map[string]string{"win7": "windows 7", "xp": "windows xp"}

// prodNames are a product's names split into words.
type prodNames struct {
	id           string
	vendor, name []string
	vendorGroup  int
	vk           int // index of its vendor spelling in advNames.vendors
	ranges       []modelRange
	series       bool
	versions     versionSpec
	models       []string
	// From the cpe or purl of product_identification_helper.
	idVendor, idName []string
	idVersion        string
	// A Windows component: its osKey, whether Microsoft publishes it (no
	// clinical make needed), the service pack and KBs its name requires.
	os        string
	microsoft bool
	sp        int // -1: any
	kbs       []string
	on        string // relationship target id
}

func productsOf(a *Advisory) []prodNames {
	ids := make([]string, 0, len(a.Products))
	for id := range a.Products {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]prodNames, 0, len(ids))
	for _, id := range ids {
		out = append(out, prodNamesOf(a.Products[id]))
	}
	return out
}

func prodNamesOf(p Product) prodNames {
	pn := prodNames{id: p.ID, vendor: tokens(p.Vendor), name: tokens(p.Product), sp: -1, on: p.On}
	pn.vendorGroup = vendorGroup(pn.vendor)
	pn.ranges, pn.series = modelRanges(pn.name), contains(pn.name, "series")
	if len(pn.name) == 0 {
		pn.name = tokens(p.Name)
	}
	for _, m := range append(append([]string(nil), p.Models...), p.SKUs...) {
		pn.models = append(pn.models, strings.Join(tokens(m), " "))
	}
	part, update := "", ""
	if c := strings.Split(p.CPE, ":"); len(c) >= 5 && strings.EqualFold(c[0], "cpe") && c[1] == "2.3" {
		part, pn.idVendor, pn.idName = c[2], tokens(cpeText(c[3])), tokens(cpeText(c[4]))
		if len(c) > 5 && c[5] != "*" && c[5] != "-" {
			pn.idVersion = cpeText(c[5])
		}
		if len(c) > 6 {
			update = cpeText(c[6])
		}
	} else if v, n, ver, ok := purlNames(p.PURL); ok {
		pn.idVendor, pn.idName, pn.idVersion = tokens(v), tokens(n), ver
	}
	// A Windows product: by name, or a cpe of part "o" by Microsoft.
	vt := p.versionText()
	if vt == "" {
		vt = pn.idVersion // the cpe or purl names the version
	}
	pn.versions = newVersionSpec(vt)
	// A Windows product: by product name, or a cpe of part "o" by
	// Microsoft. A relationship ("Pump Manager on Windows 7") is its
	// program, narrowed by onHit.
	text := p.Name + " " + p.Product + " " + p.Version + " " + update
	if k := osKey(p.Product); k != "" && k != "windows" && p.On == "" {
		pn.os = k
	} else if part == "o" && contains(pn.idVendor, "microsoft") && p.On == "" {
		pn.os = osKey("windows " + strings.TrimPrefix(strings.Join(pn.idName, " "), "windows "))
	}
	if pn.os != "" {
		// Without a vendor branch, "Microsoft Windows 7 SP1" is Windows itself.
		pn.microsoft = contains(pn.vendor, "microsoft") || contains(pn.idVendor, "microsoft") || len(pn.vendor) == 0
		if m := spText.FindStringSubmatch(text); m != nil {
			pn.sp, _ = strconv.Atoi(m[2])
		}
		pn.kbs = kbText.FindAllString(strings.ToUpper(p.Name), -1)
	}
	return pn
}

// cpeText undoes the cpe 2.3 quoting and makes "_" a space.
func cpeText(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\\", ""), "_", " ")
}

// purlNames reads pkg:type/namespace/name@version: the namespace is the
// vendor.
func purlNames(s string) (vendor, name, version string, ok bool) {
	if !strings.HasPrefix(s, "pkg:") {
		return "", "", "", false
	}
	s = strings.TrimPrefix(s, "pkg:")
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		s, version = s[:i], s[i+1:]
	}
	parts := strings.Split(s, "/")
	if len(parts) < 2 {
		return "", "", "", false
	}
	name = parts[len(parts)-1]
	if len(parts) > 2 {
		vendor = strings.Join(parts[1:len(parts)-1], " ")
	}
	return vendor, name, version, name != ""
}

var (
	spText = regexp.MustCompile(`(?i)\b(service\s*pack|sp)\s*(\d+)\b`)
	kbText = regexp.MustCompile(`\bKB\d{6,7}\b`)
)

func servicePackOf(s string) int {
	if m := spText.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[2])
		return n
	}
	return 0
}

// osWords name a Windows release after "Windows".
var osWords = map[string]bool{"xp": true, "vista": true, "7": true, "8": true, "10": true, "11": true,
	"2000": true, "nt": true, "server": true, "me": true, "98": true, "95": true}

// osEditions are words between "Windows" and the release that do not tell
// releases apart ("Windows Embedded Standard 7" is Windows 7).
var osEditions = map[string]bool{"embedded": true, "standard": true, "posready": true, "for": true, "professional": true}

// osKey names a Windows release: "windows 7", "windows xp", "windows server
// 2008 r2"; "windows" when the text says Windows but not which; "" when it
// names no Windows.
func osKey(s string) string {
	t := tokens(s)
	i := 0
	for i < len(t) && t[i] != "windows" {
		i++
	}
	if i == len(t) {
		return ""
	}
	i++
	for i < len(t) && osEditions[t[i]] {
		i++
	}
	if i == len(t) || !osWords[t[i]] {
		return "windows"
	}
	key := "windows " + t[i]
	switch {
	case t[i] == "server" && i+1 < len(t):
		key += " " + t[i+1]
		if i+2 < len(t) && t[i+2] == "r2" {
			key += " r2"
		}
	case t[i] == "8" && i+1 < len(t) && t[i+1] == "1":
		key += ".1"
	}
	return key
}

// hit is a product the device is by vendor and name, with its version verdict.
type hit struct {
	id      string
	version string
	vs      VersionStatus
	reason  string
}

// productHits finds the products the device is: vendor matches the clinical
// make (or a program's publisher) and the product name matches the
// clinical model (or a program's name, whose version is then the device's);
// a Windows product matches the installed Windows.
type decideKey struct {
	product int
	version string
}

type decision struct {
	vs  VersionStatus
	why string
}

// decide is the product's version verdict for version, computed once.
func (an *advNames) decide(pi int, version string) (VersionStatus, string) {
	k := decideKey{pi, version}
	d, ok := an.decided[k]
	if !ok {
		d.vs, d.why = an.prods[pi].versions.decide(version)
		an.decided[k] = d
	}
	return d.vs, d.why
}

// row is the cache row of key in m: one answer per product.
func (an *advNames) row(m map[string][]int8, key string) []int8 {
	r, ok := m[key]
	if !ok {
		r = make([]int8, len(an.prods))
		m[key] = r
	}
	return r
}

func productHits(d devNames, an *advNames, vc *vendorCache) []hit {
	var hits []hit
	// The device's rows of the name caches, looked up once.
	vc.progRows = vc.progRows[:0]
	for _, k := range d.progKeys {
		vc.progRows = append(vc.progRows, an.row(an.progNames, k))
	}
	vc.brandRow = nil
	if d.brandKey != "" {
		vc.brandRow = an.row(an.brands, d.brandKey)
	}
	for i := range an.prods {
		p := &an.prods[i]
		var h hit
		var ok bool
		makeOK := vc.makeOK(d, an.vendors[p.vk], p.vk)
		if p.os != "" {
			h, ok = osHit(d, p, makeOK)
		} else {
			h, ok = nameHit(d, an, i, makeOK, vc)
		}
		if !ok {
			continue
		}
		if p.on != "" {
			if !onHit(d, &h, an.byID[p.on]) {
				continue
			}
		}
		hits = append(hits, h)
	}
	return hits
}

// vendorGroups are makers that are one company for their products'
// advisories: brands and acquired makers publish under the owner's name
// (Welch Allyn under Hillrom, Hillrom under Baxter; CareFusion under BD).
var vendorGroups = [][][]string{
	{tokens("Baxter"), tokens("Hillrom"), tokens("Welch Allyn")},
	{tokens("Becton, Dickinson and Company (BD)"), tokens("CareFusion")},
	{tokens("General Electric (GE)"), tokens("Datex-Ohmeda")},
	{tokens("Philips"), tokens("Respironics")},
}

func vendorGroup(name []string) int {
	for i, g := range vendorGroups {
		for _, alias := range g {
			if sameName(name, alias) {
				return i
			}
		}
	}
	return -1
}

// sameMaker: the make names the vendor (word by word, or one company of
// vendorGroups).
func sameMaker(d devNames, p *prodNames) bool {
	return sameName(d.make, p.vendor) || sameName(d.make, p.idVendor) || (d.makeGroup >= 0 && d.makeGroup == p.vendorGroup)
}

// sameModel: the clinical model is the product: by name, model number or
// SKU, a model inside a range the name gives ("MX400-MX850"), or a model of
// a series ("Efficia CM Series": Efficia CM10).
func sameModel(d devNames, p *prodNames) bool {
	if sameName(d.model, p.name) || sameName(d.model, p.idName) || (d.model1 != "" && contains(p.models, d.model1)) {
		return true
	}
	if len(d.model) == 0 || (len(p.ranges) == 0 && !p.series) {
		return false
	}
	for _, t := range d.model {
		if !contains(p.name, t) && !inModelRange(t, p.ranges) && !inSeries(t, p.name) {
			return false
		}
	}
	return true
}

// modelRange is "MX400-MX850" in a product name.
type modelRange struct {
	prefix string
	lo, hi int
}

// modelCode splits "mx450" into "mx" and 450.
func modelCode(t string) (string, int, bool) {
	i := 0
	for i < len(t) && t[i] >= 'a' && t[i] <= 'z' {
		i++
	}
	if i == 0 || i == len(t) || len(t)-i > 9 {
		return "", 0, false
	}
	n, err := strconv.Atoi(t[i:])
	return t[:i], n, err == nil && startsDigit(t[i:])
}

// modelRanges finds the ranges of a product name: two model codes with
// the same letters that follow each other.
func modelRanges(name []string) []modelRange {
	var out []modelRange
	for i := 0; i+1 < len(name); i++ {
		p1, a, ok1 := modelCode(name[i])
		p2, b, ok2 := modelCode(name[i+1])
		if ok1 && ok2 && p1 == p2 && a < b {
			out = append(out, modelRange{p1, a, b})
		}
	}
	return out
}

// inModelRange: "mx450" is in "MX400-MX850".
func inModelRange(t string, ranges []modelRange) bool {
	if len(ranges) == 0 {
		return false
	}
	prefix, n, ok := modelCode(t)
	if !ok {
		return false
	}
	for _, r := range ranges {
		if r.prefix == prefix && r.lo <= n && n <= r.hi {
			return true
		}
	}
	return false
}

// inSeries: "cm10" is a model of the "CM Series" in the product name.
func inSeries(t string, name []string) bool {
	for i := 0; i+1 < len(name); i++ {
		if name[i+1] == "series" && len(t) > len(name[i]) && strings.HasPrefix(t, name[i]) && startsDigit(t[len(name[i]):]) {
			return true
		}
	}
	return false
}

func nameHit(d devNames, an *advNames, pi int, makeOK bool, vc *vendorCache) (hit, bool) {
	p, v := &an.prods[pi], an.vendors[an.prods[pi].vk]
	// A brand recorded as the make ("Welch Allyn", "Connex Spot Monitor")
	// when the product name carries it.
	brandOK := false
	if r := vc.brandRow; !makeOK && r != nil {
		if r[pi] == 0 {
			r[pi] = 2
			if sameName(d.make, p.name) && sameName(d.makeModel, p.name) {
				r[pi] = 1
			}
		}
		brandOK = r[pi] == 1
	}
	makeOK = makeOK || brandOK
	version, found, by := "", false, ""
	for i := range d.progs {
		if !makeOK && !vc.pubOK(d, i, v) {
			continue
		}
		r := vc.progRows[i]
		if r[pi] == 0 {
			r[pi] = 2
			if sameName(d.progs[i], p.name) || sameName(d.progs[i], p.idName) {
				r[pi] = 1
			}
		}
		if r[pi] == 1 {
			version, found, by = d.versions[i], true, "program "+d.names[i]
			break
		}
	}
	if !found && makeOK && (brandOK || sameModel(d, p)) {
		version, found, by = d.version, true, "clinical make and model"
	}
	if !found {
		return hit{}, false
	}
	vs, why := an.decide(pi, version)
	return hit{id: p.id, version: version, vs: vs, reason: by + ": " + why}, true
}

// osHit: the device runs the Windows the product names; a vendor's own
// listing of Windows ("Spacelabs: Windows 7") needs the clinical make too.
func osHit(d devNames, p *prodNames, makeOK bool) (hit, bool) {
	if !p.microsoft && !makeOK {
		return hit{}, false
	}
	if d.os == "" {
		// A vendor's device by make: its Windows is unknown, so possibly.
		// Microsoft's Windows on a device whose OS is not recorded: the
		// device is listed as one that cannot be matched (Unmatched).
		if p.microsoft {
			return hit{}, false
		}
		return hit{id: p.id, vs: VersionUnknown, reason: "operating system not recorded; the advisory names " + p.os}, true
	}
	if d.os != p.os {
		return hit{}, false
	}
	h := hit{id: p.id, version: d.osName, vs: VersionIn, reason: "operating system " + d.osName}
	if p.sp >= 0 {
		if d.sp != p.sp {
			h.vs = VersionOut
			h.reason += ": service pack " + strconv.Itoa(d.sp) + ", the product is service pack " + strconv.Itoa(p.sp)
			return h, true
		}
		h.reason += " service pack " + strconv.Itoa(p.sp)
	}
	if len(p.kbs) > 0 {
		if kb := firstKB(d, p.kbs); kb != "" {
			h.reason += " with " + kb
		} else {
			h.vs = VersionOut
			h.reason += " without " + strings.Join(p.kbs, ", ")
		}
	}
	return h, true
}

// onHit narrows a relationship product to devices that run its target
// when the target is Windows.
func onHit(d devNames, h *hit, target *prodNames) bool {
	if target == nil || target.os == "" {
		return true
	}
	if d.os == "" {
		if h.vs == VersionIn {
			h.vs = VersionUnknown
		}
		h.reason += "; operating system not recorded, the product is on " + target.os
		return true
	}
	if d.os != target.os || (target.sp >= 0 && d.sp != target.sp) {
		return false
	}
	h.reason += "; on " + d.osName
	return true
}

func firstKB(d devNames, kbs []string) string {
	for _, kb := range kbs {
		if d.kbs[kb] {
			return kb
		}
	}
	return ""
}

// best picks the most urgent status the vulnerability gives the device.
func best(an *advNames, vi int, d *Device, dn devNames, hits []hit) (Match, bool) {
	a, v := an.adv, an.adv.Vulns[vi]
	var m Match
	found := false
	for _, cat := range Statuses {
		for _, id := range v.Status[cat] {
			for _, h := range hits {
				if h.id != id {
					continue
				}
				st := cat
				switch h.vs {
				case VersionOut:
					st = NotListed
				case VersionUnknown:
					if severity[cat] < severity[PossiblyAffected] {
						continue // "maybe fixed" tells the owners nothing
					}
					st = PossiblyAffected
				}
				if found && severity[st] <= severity[m.Status] {
					continue
				}
				found = true
				m = Match{Advisory: a.ID, Title: a.Title, File: a.File, CVE: v.CVE, Status: st,
					Product: a.Products[id].Name, ProductID: id, Version: h.version, Reason: h.reason, Device: d}
			}
		}
	}
	if !found {
		return Match{}, false
	}
	fix := an.fixFor(vi, m.ProductID)
	m.Remediations, m.Score = fix.rems, fix.score
	// The update the advisory's fix names is installed: the device is fixed.
	if Affected(m.Status) {
		if kb := firstKB(dn, fix.kbs); kb != "" {
			m.Status = "fixed"
			m.Reason += "; " + kb + " installed, the update the advisory's fix names"
		}
	}
	return m, true
}

// fix is what a vulnerability gives one product: remediations (without
// product ids), the KBs its vendor fixes name, and the highest CVSS v3 score.
// Devices matching the product share it.
type fix struct {
	rems  []Remediation
	kbs   []string
	score *float64
}

type fixKey struct {
	vuln int
	id   string
}

func (an *advNames) fixFor(vi int, id string) fix {
	k := fixKey{vi, id}
	if f, ok := an.fixes[k]; ok {
		return f
	}
	var f fix
	v := an.adv.Vulns[vi]
	for _, r := range v.Remediations {
		if contains(r.ProductIDs, id) && !hasRemediation(f.rems, r) {
			f.rems = append(f.rems, Remediation{Category: r.Category, Details: r.Details, URL: r.URL})
			f.kbs = append(f.kbs, r.KBs...)
		}
	}
	for _, s := range v.Scores {
		if contains(s.ProductIDs, id) && (f.score == nil || s.BaseScore > *f.score) {
			score := s.BaseScore
			f.score = &score
		}
	}
	an.fixes[k] = f
	return f
}

func hasRemediation(list []Remediation, r Remediation) bool {
	for _, x := range list {
		if x.Category == r.Category && x.Details == r.Details {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// noise are words that do not tell two makers apart: legal forms and the
// trade words makers add to their names ("GE Healthcare" is "GE").
var noise = map[string]bool{"inc": true, "corp": true, "corporation": true, "co": true, "company": true,
	"ltd": true, "llc": true, "plc": true, "gmbh": true, "ag": true, "and": true, "the": true, "of": true,
	"healthcare": true, "medical": true, "systems": true}

// tokens normalises a name: lower case, punctuation as spaces, legal-form
// words dropped ("Becton, Dickinson and Company (BD)" -> becton dickinson bd).
func tokens(s string) []string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := f[:0]
	for _, t := range f {
		if !noise[t] {
			out = append(out, t)
		}
	}
	return out
}

// sameName: the same letters without spaces, or every word of the shorter name is in the longer one, so "BD"
// matches "Becton, Dickinson and Company (BD)" and "Connex Spot Monitor"
// matches "Welch Allyn Connex Spot Monitor (CSM)".
func sameName(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	for _, t := range a {
		if !contains(b, t) {
			// "Hill-Rom" is "Hillrom"; "G.E." is the "(GE)" of a name.
			return sameLetters(a, b) || (len(a) > 1 && joinedIn(a, b))
		}
	}
	return true
}

// joinedIn: the words of a, joined, are one word of b.
func joinedIn(a, b []string) bool {
	n := 0
	for _, t := range a {
		n += len(t)
	}
	for _, w := range b {
		if len(w) == n && sameLetters(a, []string{w}) {
			return true
		}
	}
	return false
}

// sameLetters compares the words joined without spaces, without building them.
func sameLetters(a, b []string) bool {
	var x, y string
	for {
		for x == "" && len(a) > 0 {
			x, a = a[0], a[1:]
		}
		for y == "" && len(b) > 0 {
			y, b = b[0], b[1:]
		}
		if x == "" || y == "" {
			return x == y
		}
		n := len(x)
		if len(y) < n {
			n = len(y)
		}
		if x[:n] != y[:n] {
			return false
		}
		x, y = x[n:], y[n:]
	}
}
