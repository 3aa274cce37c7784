package assets

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"medharden/checks/outfile"
)

// Formats lists the export formats of one record.
var Formats = []string{"json", "csv", "text"}

// Export writes one record in a format of Formats.
func Export(w io.Writer, format string, rec Record) error {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "json":
		return WriteJSON(w, rec)
	case "csv":
		return WriteCSV(w, []Device{DeviceOf(rec)})
	case "text":
		return WriteText(w, rec)
	}
	return fmt.Errorf("unknown inventory format %q: use one of %s", format, strings.Join(Formats, ", "))
}

// WriteJSON writes one record as indented JSON. Lists are [] rather than
// null, so scripts need no null check.
func WriteJSON(w io.Writer, rec Record) error {
	r := rec
	fill := func(s *[]string) {
		if *s == nil {
			*s = []string{}
		}
	}
	r.Network = append([]Adapter{}, r.Network...)
	for i := range r.Network {
		fill(&r.Network[i].IPAddresses)
	}
	if r.Hotfixes == nil {
		r.Hotfixes = []Hotfix{}
	}
	if r.Software == nil {
		r.Software = []Software{}
	}
	if r.Accounts == nil {
		r.Accounts = []Account{}
	}
	if r.Services == nil {
		r.Services = []Service{}
	}
	if r.Gaps == nil {
		r.Gaps = []Gap{}
	}
	r.Exposures = append([]Exposure{}, r.Exposures...)
	for i := range r.Exposures {
		fill(&r.Exposures[i].Capabilities)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// Input is one record read for a merge, with where it came from.
type Input struct {
	File   string
	Index  int // 1-based position in a JSON array; 0 for a file holding one record
	Record Record
	at     time.Time
}

// Where names the record for messages: "a.json" or "a.json record 3".
func (in Input) Where() string { return where(in.File, in.Index) }

func where(file string, index int) string {
	if index > 0 {
		return fmt.Sprintf("%s record %d", file, index)
	}
	return file
}

// RecordError is a file or a record that cannot be used; it names both.
type RecordError struct {
	File  string
	Index int    // as in Input; 0 with Host "" is the whole file
	Host  string // hostname when known
	Err   error
}

func (e *RecordError) Error() string {
	s := where(e.File, e.Index)
	if e.Host != "" {
		s += " (" + e.Host + ")"
	}
	return s + ": " + e.Err.Error()
}

func (e *RecordError) Unwrap() error { return e.Err }

// ReadFile reads the records of one JSON file.
func ReadFile(path string) ([]Input, []error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, []error{&RecordError{File: path, Err: err}}
	}
	return ReadRecords(path, b)
}

// ReadRecords decodes a JSON file holding one record or an array of them.
// Each bad record is its own error, so one typo does not hide the rest.
func ReadRecords(name string, b []byte) ([]Input, []error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	trim := bytes.TrimSpace(b)
	if len(trim) == 0 {
		return nil, []error{&RecordError{File: name, Err: errors.New("empty file: expected a JSON inventory record")}}
	}
	switch trim[0] {
	case '{':
		// One record: decode straight into it, one pass over the bytes.
		var rec Record
		if err := strictDecode(b, &rec); err != nil {
			return nil, []error{&RecordError{File: name, Err: jsonError(b, err)}}
		}
		in, err := checkRecord(name, 0, rec)
		if err != nil {
			return nil, []error{err}
		}
		return []Input{in}, nil
	case '[':
	default:
		return nil, []error{&RecordError{File: name, Err: errors.New("not a JSON object or array of inventory records")}}
	}
	var raws []json.RawMessage
	if err := strictDecode(b, &raws); err != nil {
		return nil, []error{&RecordError{File: name, Err: jsonError(b, err)}}
	}
	var out []Input
	var errs []error
	for i, raw := range raws {
		in, err := decodeRecord(name, i+1, raw)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, in)
	}
	return out, errs
}

// strictDecode decodes exactly one JSON value.
func strictDecode(b []byte, v interface{}) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

func decodeRecord(file string, idx int, raw json.RawMessage) (Input, error) {
	in := Input{File: file, Index: idx}
	fail := func(host string, err error) (Input, error) {
		return in, &RecordError{File: file, Index: idx, Host: host, Err: err}
	}
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return fail("", errors.New("not a JSON object"))
	}
	var rec Record
	if err := json.Unmarshal(raw, &rec); err != nil {
		return fail("", jsonError(raw, err))
	}
	return checkRecord(file, idx, rec)
}

// checkRecord enforces what a merge needs: a hostname and a time.
func checkRecord(file string, idx int, rec Record) (Input, error) {
	in := Input{File: file, Index: idx}
	fail := func(host string, err error) (Input, error) {
		return in, &RecordError{File: file, Index: idx, Host: host, Err: err}
	}
	host := rec.Identity.Hostname
	if rec.Schema != "" && rec.Schema != Schema {
		return fail(host, fmt.Errorf("schema %q is not %q", rec.Schema, Schema))
	}
	var missing []string
	if strings.TrimSpace(host) == "" {
		missing = append(missing, "identity.hostname")
	}
	if strings.TrimSpace(rec.CollectedAt) == "" {
		missing = append(missing, "collected_at")
	}
	if len(missing) > 0 {
		return fail(host, fmt.Errorf("missing required field %s", strings.Join(missing, " and ")))
	}
	t, err := time.Parse(time.RFC3339, rec.CollectedAt)
	if err != nil {
		return fail(host, fmt.Errorf("collected_at %q is not an RFC 3339 time", rec.CollectedAt))
	}
	if err := rec.Fields.Validate(); err != nil {
		return fail(host, fmt.Errorf("fields: %w", err))
	}
	in.Record, in.at = rec, t
	return in, nil
}

// Device is one device of a fleet inventory: its latest record and what
// the older records tell about it.
type Device struct {
	Key          string   `json:"key"`    // "serial:…", "mac:…" or "host:…"
	Record       Record   `json:"record"` // latest, with technician fields completed from older records
	FirstSeen    string   `json:"first_seen"`
	LastSeen     string   `json:"last_seen"`
	Records      int      `json:"records"`
	Hostnames    []string `json:"hostnames"` // every hostname, oldest first
	Moves        []Move   `json:"moves,omitempty"`
	DuplicateTag bool     `json:"duplicate_tag,omitempty"`
	Ghost        bool     `json:"ghost,omitempty"`
	// DaysSinceSeen is counted to the merge's "now"; -1 when not merged.
	DaysSinceSeen int      `json:"days_since_seen"`
	Sources       []string `json:"sources"`
}

// Move is a change of the technician-entered location between two records.
type Move struct {
	From  string `json:"from"`
	To    string `json:"to"`
	At    string `json:"at"`    // collected_at of the record with the new location
	Where string `json:"where"` // file (and record) that shows it
}

// DeviceOf makes a one-record device, for the CSV of a single record.
func DeviceOf(rec Record) Device {
	return Device{Key: deviceKey(rec), Record: rec, FirstSeen: rec.CollectedAt, LastSeen: rec.CollectedAt,
		Records: 1, Hostnames: []string{rec.Identity.Hostname}, DaysSinceSeen: -1, Sources: []string{rec.Source}}
}

// Flags are the merge's findings on the device, for the CSV "flags" column.
func (d Device) Flags() []string {
	var f []string
	if d.Records > 1 {
		f = append(f, "merged")
	}
	if len(d.Hostnames) > 1 {
		f = append(f, "renamed")
	}
	if len(d.Moves) > 0 {
		f = append(f, "moved")
	}
	if d.DuplicateTag {
		f = append(f, "duplicate_tag")
	}
	if d.Ghost {
		f = append(f, "ghost")
	}
	return f
}

func (d Device) exposure(id string) string {
	for _, e := range d.Record.Exposures {
		if e.ID == id {
			return string(e.Status)
		}
	}
	return ""
}

// csvColumn is one column of the CMDB CSV; COLUMNS.md documents each.
type csvColumn struct {
	name string
	get  func(d *Device) string
}

var csvColumns = []csvColumn{
	{"device_key", func(d *Device) string { return d.Key }},
	{"hostname", func(d *Device) string { return d.Record.Identity.Hostname }},
	{"previous_hostnames", func(d *Device) string {
		var prev []string
		for _, h := range d.Hostnames {
			if !strings.EqualFold(h, d.Record.Identity.Hostname) {
				prev = append(prev, h)
			}
		}
		return join(prev)
	}},
	{"domain", func(d *Device) string { return d.Record.Identity.Domain }},
	{"workgroup", func(d *Device) string { return d.Record.Identity.Workgroup }},
	{"manufacturer", func(d *Device) string { return d.Record.Identity.Manufacturer }},
	{"model", func(d *Device) string { return d.Record.Identity.Model }},
	{"serial_number", func(d *Device) string { return d.Record.Identity.SerialNumber }},
	{"bios_version", func(d *Device) string { return d.Record.Identity.BIOSVersion }},
	{"mac_addresses", func(d *Device) string { return join(identityMACs(d.Record)) }},
	{"ip_addresses", func(d *Device) string { return join(ipAddresses(d.Record)) }},
	{"os_name", func(d *Device) string { return d.Record.OS.Name }},
	{"os_edition", func(d *Device) string { return d.Record.OS.Edition }},
	{"os_version", func(d *Device) string { return d.Record.OS.Version }},
	{"os_build", func(d *Device) string { return d.Record.OS.Build }},
	{"os_service_pack", func(d *Device) string { return d.Record.OS.ServicePack }},
	{"os_architecture", func(d *Device) string { return d.Record.OS.Architecture }},
	{"os_install_date", func(d *Device) string { return d.Record.OS.InstallDate }},
	{"last_boot", func(d *Device) string { return d.Record.OS.LastBoot }},
	{"hotfix_count", func(d *Device) string { return countOrEmpty(d.Record, "hotfixes", len(d.Record.Hotfixes)) }},
	{"last_hotfix_date", func(d *Device) string { return lastHotfixDate(d.Record) }},
	{"software_count", func(d *Device) string { return countOrEmpty(d.Record, "software", len(d.Record.Software)) }},
	{"asset_tag", func(d *Device) string { return d.Record.Fields.AssetTag }},
	{"device_make", func(d *Device) string { return d.Record.Fields.DeviceMake }},
	{"device_model", func(d *Device) string { return d.Record.Fields.DeviceModel }},
	{"vendor_contact", func(d *Device) string { return d.Record.Fields.VendorContact }},
	{"department", func(d *Device) string { return d.Record.Fields.Department }},
	{"location", func(d *Device) string { return d.Record.Fields.Location }},
	{"previous_location", func(d *Device) string {
		if len(d.Moves) == 0 {
			return ""
		}
		return d.Moves[len(d.Moves)-1].From
	}},
	{"owner", func(d *Device) string { return d.Record.Fields.Owner }},
	{"criticality", func(d *Device) string { return d.Record.Fields.Criticality }},
	{"exposure_ms17_010", func(d *Device) string { return d.exposure(ExpMS17010) }},
	{"exposure_bluekeep", func(d *Device) string { return d.exposure(ExpBlueKeep) }},
	{"exposure_ms08_067", func(d *Device) string { return d.exposure(ExpMS08067) }},
	{"exposure_smb1", func(d *Device) string { return d.exposure(ExpSMB1) }},
	{"exposure_end_of_support", func(d *Device) string { return d.exposure(ExpEOS) }},
	{"exposed", func(d *Device) string {
		var ids []string
		for _, e := range d.Record.Exposures {
			if e.Status == Exposed {
				ids = append(ids, e.ID)
			}
		}
		return join(ids)
	}},
	{"gaps", func(d *Device) string {
		var parts []string
		for _, g := range d.Record.Gaps {
			parts = append(parts, g.Part)
		}
		return join(parts)
	}},
	{"first_seen", func(d *Device) string { return d.FirstSeen }},
	{"last_seen", func(d *Device) string { return d.LastSeen }},
	{"days_since_seen", func(d *Device) string {
		if d.DaysSinceSeen < 0 {
			return ""
		}
		return strconv.Itoa(d.DaysSinceSeen)
	}},
	{"record_count", func(d *Device) string { return strconv.Itoa(d.Records) }},
	{"flags", func(d *Device) string { return join(d.Flags()) }},
	{"sources", func(d *Device) string { return join(d.Sources) }},
	{"hotfixes", func(d *Device) string {
		ids := make([]string, len(d.Record.Hotfixes))
		for i, h := range d.Record.Hotfixes {
			ids[i] = h.ID
		}
		return join(ids)
	}},
	{"software", func(d *Device) string {
		progs := make([]string, len(d.Record.Software))
		for i, s := range d.Record.Software {
			progs[i] = s.Name
			if s.Version != "" {
				progs[i] += " (" + s.Version + ")"
			}
		}
		return join(progs)
	}},
	{"device_version", func(d *Device) string { return d.Record.Fields.DeviceVersion }},
}

// CSVColumns lists the CSV header, in order. It is a public contract:
// columns are added at the end, never renamed or removed.
func CSVColumns() []string {
	out := make([]string, len(csvColumns))
	for i, c := range csvColumns {
		out[i] = c.name
	}
	return out
}

// WriteCSV writes one row per device: UTF-8 with a byte order mark and
// CRLF line ends (what Excel and most CMDB importers on Windows expect),
// list values joined with ';', and cells that a spreadsheet would run as a
// formula made plain text with a leading quote.
func WriteCSV(w io.Writer, devices []Device) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(CSVColumns()); err != nil {
		return err
	}
	row := make([]string, len(csvColumns))
	for i := range devices {
		for j, c := range csvColumns {
			row[j] = outfile.CSVCell(c.get(&devices[i]))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// join joins list values; a ';' inside a value would split it, so it
// becomes ','.
func join(items []string) string {
	if len(items) == 0 {
		return ""
	}
	clean := make([]string, 0, len(items))
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			clean = append(clean, strings.ReplaceAll(s, ";", ","))
		}
	}
	return strings.Join(clean, ";")
}

func countOrEmpty(rec Record, part string, n int) string {
	if n == 0 && gapOf(&rec, part) != "" {
		return "" // not collected is not zero
	}
	return strconv.Itoa(n)
}

func lastHotfixDate(rec Record) string {
	last := ""
	for _, h := range rec.Hotfixes {
		if h.InstalledOn > last {
			last = h.InstalledOn
		}
	}
	return last
}

// identityMACs are the MACs that identify the device: physical adapters
// only, sorted, without duplicates.
func identityMACs(rec Record) []string {
	var out []string
	for _, a := range rec.Network {
		m := normalizeMAC(a.MAC)
		if m == "" || a.Virtual || isVirtualAdapter(Adapter{MAC: m, Description: a.Description}) {
			continue
		}
		out = append(out, m)
	}
	sort.Strings(out)
	return dedupe(out)
}

// ipAddresses of physical adapters, link-local IPv6 left out.
func ipAddresses(rec Record) []string {
	var out []string
	for _, a := range rec.Network {
		if a.Virtual {
			continue
		}
		for _, ip := range a.IPAddresses {
			if strings.HasPrefix(strings.ToLower(ip), "fe80:") {
				continue
			}
			out = append(out, ip)
		}
	}
	return dedupe(out)
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// WriteText writes a record for people: identity first, then exposures.
func WriteText(w io.Writer, rec Record) error {
	var b strings.Builder
	p := func(format string, a ...interface{}) { fmt.Fprintf(&b, format, a...) }
	id := rec.Identity
	p("Device %s (collected %s)\n", id.Hostname, rec.CollectedAt)
	if rec.Source != "" {
		p("  source:        %s\n", rec.Source)
	}
	if id.PartOfDomain {
		p("  domain:        %s\n", id.Domain)
	} else if id.Workgroup != "" {
		p("  workgroup:     %s\n", id.Workgroup)
	}
	p("  hardware:      %s %s, serial %s, BIOS %s\n", orDash(id.Manufacturer), orDash(id.Model), orDash(id.SerialNumber), orDash(id.BIOSVersion))
	o := rec.OS
	p("  os:            %s %s (%s, build %s, %s)\n", o.Name, o.ServicePack, o.Version, orDash(o.Build), orDash(o.Architecture))
	p("  installed:     %s, last boot %s\n", orDash(o.InstallDate), orDash(o.LastBoot))
	for _, a := range rec.Network {
		if a.Virtual {
			continue
		}
		p("  adapter:       %s  %s  %s\n", orDash(a.MAC), strings.Join(a.IPAddresses, ", "), a.Description)
	}
	p("  hotfixes:      %d (latest %s)\n", len(rec.Hotfixes), orDash(lastHotfixDate(rec)))
	p("  software:      %d programs\n", len(rec.Software))
	p("  accounts:      %d local (%d enabled)\n", len(rec.Accounts), enabledAccounts(rec))
	p("  services:      %d automatic or running\n", len(rec.Services))
	p("\nTechnician fields:\n")
	for _, s := range FieldSpecs {
		p("  %-22s %s\n", s.Label+":", orDash(rec.Fields.Get(s.Key)))
	}
	p("\nCritical exposures:\n")
	for _, e := range rec.Exposures {
		p("  %-12s %-14s %s\n", statusWord(e.Status), e.ID, e.Title)
		p("  %-12s %-14s %s\n", "", "", e.Evidence)
	}
	if len(rec.Gaps) > 0 {
		p("\nNot collected:\n")
		for _, g := range rec.Gaps {
			p("  %s: %s\n", g.Part, g.Reason)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func statusWord(s ExposureStatus) string {
	switch s {
	case Exposed:
		return "EXPOSED"
	case NotExposed:
		return "ok"
	}
	return "UNKNOWN"
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func enabledAccounts(rec Record) int {
	n := 0
	for _, a := range rec.Accounts {
		if !a.Disabled {
			n++
		}
	}
	return n
}

// deviceKey is the identity a record is merged under: BIOS serial, else
// the lowest physical MAC, else the hostname.
func deviceKey(rec Record) string {
	if s := normalizeSerial(rec.Identity.SerialNumber); s != "" {
		return "serial:" + s
	}
	if m := identityMACs(rec); len(m) > 0 {
		return "mac:" + m[0]
	}
	return "host:" + strings.ToUpper(strings.TrimSpace(rec.Identity.Hostname))
}

// placeholderSerials are what BIOSes report when the maker left the field
// empty; they are on thousands of machines and identify none.
var placeholderSerials = map[string]bool{
	"": true, "0": true, "NONE": true, "N/A": true, "NA": true, "DEFAULT STRING": true,
	"TO BE FILLED BY O.E.M.": true, "TO BE FILLED BY OEM": true, "SYSTEM SERIAL NUMBER": true,
	"SERIAL NUMBER": true, "NOT SPECIFIED": true, "NOT APPLICABLE": true, "OEM": true,
	"INVALID": true, "123456789": true, "1234567890": true, "CHASSIS SERIAL NUMBER": true,
}

// normalizeSerial upper-cases a BIOS serial and drops placeholders.
func normalizeSerial(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if placeholderSerials[s] || strings.Trim(s, "0 .-") == "" || strings.Trim(s, "F") == "" {
		return ""
	}
	return s
}
