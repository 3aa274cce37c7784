package csaf

import (
	"sort"
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
func Affected(status string) bool { return severity[status] >= severity[PossiblyAffected] }

// Device is what matching needs of an inventory device.
type Device struct {
	Key         string            `json:"device_key"`
	Hostname    string            `json:"hostname"`
	AssetTag    string            `json:"asset_tag,omitempty"`
	Make        string            `json:"device_make,omitempty"`
	Model       string            `json:"device_model,omitempty"`
	Owner       string            `json:"owner,omitempty"`
	Department  string            `json:"department,omitempty"`
	Location    string            `json:"location,omitempty"`
	Criticality string            `json:"criticality,omitempty"`
	Software    []assets.Software `json:"-"`
	Source      string            `json:"source,omitempty"`
}

// DeviceOf takes the matching fields from an inventory device.
func DeviceOf(d assets.Device) Device {
	f := d.Record.Fields
	return Device{Key: d.Key, Hostname: d.Record.Identity.Hostname, AssetTag: f.AssetTag, Make: f.DeviceMake,
		Model: f.DeviceModel, Owner: f.Owner, Department: f.Department, Location: f.Location,
		Criticality: f.Criticality, Software: d.Record.Software, Source: strings.Join(d.Sources, ";")}
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
	Version      string        `json:"device_version,omitempty"`
	Reason       string        `json:"reason"`
	Score        *float64      `json:"cvss_v3,omitempty"`
	Remediations []Remediation `json:"remediations"`
	Device
}

// MatchAll lists every (device, advisory, vulnerability) where the device
// is a product the advisory names, sorted by advisory, CVE and host.
// Names are split into words once per device and per product.
func MatchAll(devices []Device, advs []*Advisory) []Match {
	prepared := make([]devNames, len(devices))
	for i, d := range devices {
		prepared[i] = namesOf(d)
	}
	var out []Match
	for _, a := range advs {
		prods := productsOf(a)
		for i, d := range devices {
			hits := productHits(prepared[i], a, prods)
			if len(hits) == 0 {
				continue
			}
			for _, v := range a.Vulns {
				if m, ok := best(a, v, d, hits); ok {
					out = append(out, m)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Advisory != y.Advisory {
			return x.Advisory < y.Advisory
		}
		if x.CVE != y.CVE {
			return x.CVE < y.CVE
		}
		return x.Device.Key < y.Device.Key
	})
	return out
}

// devNames are a device's names split into words.
type devNames struct {
	make, model     []string
	model1          string // model words joined, for model numbers
	progs, pubs     [][]string
	versions, names []string
}

func namesOf(d Device) devNames {
	n := devNames{make: tokens(d.Make), model: tokens(d.Model)}
	n.model1 = strings.Join(n.model, " ")
	for _, s := range d.Software {
		n.progs = append(n.progs, tokens(s.Name))
		n.pubs = append(n.pubs, tokens(s.Publisher))
		n.versions = append(n.versions, s.Version)
		n.names = append(n.names, s.Name)
	}
	return n
}

// prodNames are a product's names split into words.
type prodNames struct {
	id           string
	vendor, name []string
	models       []string
}

func productsOf(a *Advisory) []prodNames {
	ids := make([]string, 0, len(a.Products))
	for id := range a.Products {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]prodNames, 0, len(ids))
	for _, id := range ids {
		p := a.Products[id]
		pn := prodNames{id: id, vendor: tokens(p.Vendor), name: tokens(p.Product)}
		if len(pn.name) == 0 {
			pn.name = tokens(p.Name)
		}
		for _, m := range append(append([]string(nil), p.Models...), p.SKUs...) {
			pn.models = append(pn.models, strings.Join(tokens(m), " "))
		}
		out = append(out, pn)
	}
	return out
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
// clinical model (or a program's name, whose version is then the device's).
func productHits(d devNames, a *Advisory, prods []prodNames) []hit {
	var hits []hit
	for _, p := range prods {
		makeOK := sameName(d.make, p.vendor)
		version, found, by := "", false, ""
		for i := range d.progs {
			if (makeOK || sameName(d.pubs[i], p.vendor)) && sameName(d.progs[i], p.name) {
				version, found, by = d.versions[i], true, "program "+d.names[i]
				break
			}
		}
		if !found && makeOK && (sameName(d.model, p.name) || (d.model1 != "" && contains(p.models, d.model1))) {
			found, by = true, "clinical make and model"
		}
		if !found {
			continue
		}
		vs, why := a.Products[p.id].MatchVersion(version)
		hits = append(hits, hit{id: p.id, version: version, vs: vs, reason: by + ": " + why})
	}
	return hits
}

// best picks the most urgent status the vulnerability gives the device.
func best(a *Advisory, v Vulnerability, d Device, hits []hit) (Match, bool) {
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
	for _, r := range v.Remediations {
		if contains(r.ProductIDs, m.ProductID) && !hasRemediation(m.Remediations, r) {
			m.Remediations = append(m.Remediations, Remediation{Category: r.Category, Details: r.Details, URL: r.URL})
		}
	}
	for _, s := range v.Scores {
		if contains(s.ProductIDs, m.ProductID) && (m.Score == nil || s.BaseScore > *m.Score) {
			score := s.BaseScore
			m.Score = &score
		}
	}
	return m, true
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
	"ltd": true, "llc": true, "gmbh": true, "ag": true, "and": true, "the": true, "of": true,
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
			return sameLetters(a, b) // "Hill-Rom" is "Hillrom"
		}
	}
	return true
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
