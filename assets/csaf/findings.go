package csaf

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Statuses of a Finding: the words of the advisories match JSON contract.
const (
	StatusAffected         = "affected"
	StatusPossiblyAffected = "possibly_affected"
	StatusFixed            = "fixed"
	StatusNotAffected      = "not_affected"
)

// ContractStatus maps a match status to the four words owners act on:
// under investigation is possibly affected; a recommended version is fixed;
// a product version the vulnerability does not list is not affected.
func ContractStatus(s string) string {
	switch s {
	case "known_affected", "first_affected", "last_affected":
		return StatusAffected
	case PossiblyAffected, "under_investigation":
		return StatusPossiblyAffected
	case "fixed", "first_fixed", "recommended":
		return StatusFixed
	}
	return StatusNotAffected
}

// Finding is one device and one advisory that concerns it. The first six
// fields are the JSON contract; the rest add detail.
type Finding struct {
	Advisory  string `json:"advisory"`
	Hostname  string `json:"hostname"`
	DeviceKey string `json:"device_key"`
	Status    string `json:"status"`
	Product   string `json:"product"`
	Reason    string `json:"reason"`

	Title        string        `json:"title"`
	File         string        `json:"file"`
	Score        *float64      `json:"cvss_v3,omitempty"` // highest of the CVEs that affect the device
	CVEs         []CVEStatus   `json:"cves"`
	Remediations []Remediation `json:"remediations"`
	Device       Device        `json:"device"`
}

// CVEStatus is one vulnerability of the advisory for the device.
type CVEStatus struct {
	CVE    string   `json:"cve"`
	Status string   `json:"status"` // the product_status category, possibly_affected or not_listed
	Score  *float64 `json:"cvss_v3,omitempty"`
}

// Summarize folds matches into one finding per device and advisory: the
// most urgent status of its vulnerabilities, with the product and reason
// that gave it, and the remediations of the vulnerabilities that concern it.
func Summarize(ms []Match) []Finding {
	idx := map[string]int{}
	var out []Finding
	for _, m := range ms {
		k := m.Advisory + "\x00" + m.Device.Key
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Finding{Advisory: m.Advisory, Hostname: m.Hostname, DeviceKey: m.Device.Key,
				Status: m.Status, Product: m.Product, Reason: m.Reason, Title: m.Title, File: m.File,
				Device: *m.Device})
		}
		f := &out[i]
		f.CVEs = append(f.CVEs, CVEStatus{CVE: m.CVE, Status: m.Status, Score: m.Score})
		if severity[m.Status] > severity[f.Status] {
			f.Status, f.Product, f.Reason = m.Status, m.Product, m.Reason
		}
		if m.Score != nil && Affected(m.Status) && (f.Score == nil || *m.Score > *f.Score) {
			f.Score = m.Score
		}
		for _, r := range m.Remediations {
			if !hasRemediation(f.Remediations, r) {
				f.Remediations = append(f.Remediations, r)
			}
		}
	}
	for i := range out {
		out[i].Status = ContractStatus(out[i].Status)
	}
	sort.SliceStable(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.Advisory != y.Advisory {
			return x.Advisory < y.Advisory
		}
		return x.Hostname+x.DeviceKey < y.Hostname+y.DeviceKey
	})
	return out
}

// Unmatched is a device some advisories cannot be matched against.
type Unmatched struct {
	DeviceKey string `json:"device_key"`
	Hostname  string `json:"hostname"`
	Reason    string `json:"reason"`
}

// UnmatchedDevices lists devices without a clinical make (no clinical
// product can be matched; their programs and Windows still are) or without
// a recorded operating system (Windows components cannot be matched).
func UnmatchedDevices(devices []Device) []Unmatched {
	out := []Unmatched{}
	for _, d := range devices {
		var why []string
		if len(tokens(d.Make)) == 0 {
			why = append(why, "clinical make unknown: set device_make (and device_model, device_version) so clinical products can be matched")
		}
		if osKey(d.OS) == "" && familyKeys[d.OSFamily] == "" {
			why = append(why, "operating system not recorded: Windows components cannot be matched")
		}
		if len(why) > 0 {
			out = append(out, Unmatched{DeviceKey: d.Key, Hostname: d.Hostname, Reason: strings.Join(why, "; ")})
		}
	}
	return out
}

// Notice is what one owner or department is told about one advisory.
type Notice struct {
	Advisory   string    `json:"advisory"`
	Title      string    `json:"title"`
	To         string    `json:"to"` // owner, else department, else "no owner recorded"
	DeviceKeys []string  `json:"device_keys"`
	Clinical   string    `json:"clinical"`  // for clinical staff: plain language
	Technical  string    `json:"technical"` // for technical staff: CVE, CVSS, fix
	Findings   []Finding `json:"-"`
}

// Notices groups the affected and possibly affected findings of each
// advisory by owner (or department) and writes the two texts.
func Notices(fs []Finding) []Notice {
	idx := map[string]int{}
	var out []Notice
	for _, f := range fs {
		if f.Status != StatusAffected && f.Status != StatusPossiblyAffected {
			continue
		}
		to := f.Device.Owner
		if to == "" {
			to = f.Device.Department
		}
		if to == "" {
			to = "no owner recorded"
		}
		k := f.Advisory + "\x00" + to
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Notice{Advisory: f.Advisory, Title: f.Title, To: to})
		}
		out[i].Findings = append(out[i].Findings, f)
		out[i].DeviceKeys = append(out[i].DeviceKeys, f.DeviceKey)
	}
	for i := range out {
		out[i].Clinical = clinicalText(out[i])
		out[i].Technical = technicalText(out[i])
	}
	return out
}

func clinicalText(n Notice) string {
	var b strings.Builder
	affected, lifeCritical := 0, false
	var names []string
	for _, f := range n.Findings {
		if f.Status == StatusAffected {
			affected++
		}
		lifeCritical = lifeCritical || f.Device.Criticality == "life-critical"
		names = append(names, deviceLabel(f.Device))
	}
	fmt.Fprintf(&b, "The maker of %s has published a security weakness (%s).", plural(len(n.Findings), "this device", "these devices"), strings.Join(names, "; "))
	if affected == 0 {
		b.WriteString(" It is not yet certain that your device is concerned: the technical team will check it.")
	}
	b.WriteString(" What it means for patient care: someone on the hospital network could disrupt the device or read or change its data." +
		" The device keeps working and you can keep using it as usual.")
	b.WriteString(" What to do now: keep watching patients as you normally do; if the device freezes, restarts, shows values that look wrong or does not send them on," +
		" use your backup device or manual procedure and call the technical team at once. Do not plug in USB sticks or other equipment.")
	if lifeCritical {
		b.WriteString(" The device is life-critical: the technical team will plan the fix with you, with a replacement ready, before it is taken out of service.")
	} else {
		b.WriteString(" The technical team will arrange a time with you to apply the fix.")
	}
	return b.String()
}

func technicalText(n Notice) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s.", n.Advisory, n.Title)
	for _, f := range n.Findings {
		var cves []string
		for _, c := range f.CVEs {
			if Affected(c.Status) {
				cves = append(cves, c.CVE)
			}
		}
		fmt.Fprintf(&b, " %s: %s (%s), %s", deviceLabel(f.Device), f.Status, f.Product, strings.Join(cves, ", "))
		if f.Score != nil {
			b.WriteString(", CVSS v3 " + strconv.FormatFloat(*f.Score, 'f', 1, 64))
		}
		fmt.Fprintf(&b, "; %s.", f.Reason)
		for _, r := range f.Remediations {
			fmt.Fprintf(&b, " %s: %s", r.Category, strings.Join(strings.Fields(r.Details), " "))
			if r.URL != "" {
				b.WriteString(" " + r.URL)
			}
		}
		if len(f.Remediations) == 0 {
			b.WriteString(" The advisory gives no remediation for this product: ask the maker.")
		}
	}
	return b.String()
}

// deviceLabel names a device for people: host, asset tag, model, location.
func deviceLabel(d Device) string {
	s := d.Hostname
	if s == "" {
		s = d.Key
	}
	var extra []string
	for _, x := range []string{d.AssetTag, strings.TrimSpace(d.Make + " " + d.Model), d.Location} {
		if x != "" {
			extra = append(extra, x)
		}
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
