package assets

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"medharden/checks"
)

// Schema names the record format; it changes only when a field changes meaning.
const Schema = "medharden-inventory/1"

// Record is one device's inventory at one time. Field names are a public
// contract (JSON export, fleet merge): add fields, never rename them.
type Record struct {
	Schema      string     `json:"schema"`
	CollectedAt string     `json:"collected_at"` // RFC 3339
	Source      string     `json:"source,omitempty"`
	Identity    Identity   `json:"identity"`
	OS          OS         `json:"os"`
	Network     []Adapter  `json:"network"`
	Hotfixes    []Hotfix   `json:"hotfixes"`
	Software    []Software `json:"software"`
	Accounts    []Account  `json:"accounts"`
	Services    []Service  `json:"services"`
	Fields      Fields     `json:"fields"`
	Exposures   []Exposure `json:"exposures"`
	// Gaps name the parts that could not be read, with the reason: a part
	// that is empty because it was not collected is never silently empty.
	Gaps []Gap `json:"gaps"`
}

// Identity is what names the device and its hardware.
type Identity struct {
	Hostname     string `json:"hostname"`
	Domain       string `json:"domain,omitempty"`    // set when joined to a domain
	Workgroup    string `json:"workgroup,omitempty"` // set when standalone
	PartOfDomain bool   `json:"part_of_domain"`
	Manufacturer string `json:"manufacturer,omitempty"`
	Model        string `json:"model,omitempty"`
	SystemType   string `json:"system_type,omitempty"`
	SerialNumber string `json:"serial_number,omitempty"` // BIOS serial (service tag)
	BIOSVersion  string `json:"bios_version,omitempty"`
	BIOSDate     string `json:"bios_date,omitempty"` // yyyy-mm-dd
}

// OS is the installed Windows.
type OS struct {
	Name         string `json:"name"`              // "Microsoft Windows 7 Professional"
	Edition      string `json:"edition,omitempty"` // "Professional"
	Version      string `json:"version"`           // "6.1.7601"
	Build        string `json:"build,omitempty"`   // "7601"
	ServicePack  string `json:"service_pack,omitempty"`
	Architecture string `json:"architecture,omitempty"` // "64-bit" / "32-bit"
	Family       string `json:"family,omitempty"`       // "win7", "xp"
	InstallDate  string `json:"install_date,omitempty"` // RFC 3339
	LastBoot     string `json:"last_boot,omitempty"`    // RFC 3339
}

// Adapter is one network adapter with IP enabled.
type Adapter struct {
	Description string   `json:"description,omitempty"`
	MAC         string   `json:"mac,omitempty"` // upper case, colon separated
	IPAddresses []string `json:"ip_addresses"`
	Gateways    []string `json:"gateways,omitempty"`
	DHCP        bool     `json:"dhcp"`
	// Virtual marks tunnel, miniport and other adapters whose MAC says
	// nothing about the device (RAS Async has the same one everywhere).
	Virtual bool `json:"virtual,omitempty"`
}

// Hotfix is one installed update.
type Hotfix struct {
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	InstalledOn string `json:"installed_on,omitempty"` // yyyy-mm-dd when readable
	// InstalledOnRaw is the text Windows gave, kept when it differs from
	// the normalized date or could not be read.
	InstalledOnRaw string `json:"installed_on_raw,omitempty"`
}

// Software is one entry of Programs and Features.
type Software struct {
	Name        string `json:"name"`
	Version     string `json:"version,omitempty"`
	Publisher   string `json:"publisher,omitempty"`
	InstallDate string `json:"install_date,omitempty"` // yyyy-mm-dd, or as written
	View        string `json:"view"`                   // "64-bit" or "32-bit" registry view
	Key         string `json:"key"`                    // Uninstall subkey (often the product code)
}

// Account is a local user account. No password data is ever read.
type Account struct {
	Name             string `json:"name"`
	SID              string `json:"sid"`
	Disabled         bool   `json:"disabled"`
	PasswordRequired bool   `json:"password_required"`
}

// Service is a service that starts automatically or is running.
type Service struct {
	Name      string `json:"name"`
	StartMode string `json:"start_mode"` // boot, system, automatic, manual, disabled
	State     string `json:"state,omitempty"`
}

// Gap is a part of the record that could not be read.
type Gap struct {
	Part   string `json:"part"`
	Reason string `json:"reason"`
}

// Registry keys the inventory reads.
const (
	uninstallKey      = `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall`
	uninstallWOW64Key = `HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Uninstall`
)

// ErrNoInventory: the host cannot list WMI rows or registry subkeys.
var ErrNoInventory = errors.New("this host cannot be inventoried (no WMI rows or registry subkeys)")

// Collect reads the inventory record of a host, which must also be a
// checks.InventorySource. Every missing source becomes an empty part and a
// Gap; only a host that does not even say which Windows it runs fails.
// Technician fields are not part of the host: attach them with LoadFields.
func Collect(ctx context.Context, h checks.Host) (Record, error) {
	inv, ok := h.(checks.InventorySource)
	if !ok {
		return Record{}, ErrNoInventory
	}
	info, err := h.OS(ctx)
	if err != nil {
		return Record{}, fmt.Errorf("inventory: no OS information: %w", err)
	}
	c := collector{ctx: ctx, h: h, inv: inv, rec: newRecord()}
	c.osInfo(info)
	c.identity(info)
	c.network()
	c.hotfixes()
	c.software()
	c.accounts()
	c.services()
	c.collectedAt()
	if err := ctx.Err(); err != nil {
		return Record{}, err
	}
	c.rec.Exposures = assess(ctx, h, &c.rec)
	return c.rec, nil
}

func newRecord() Record {
	return Record{Schema: Schema, Network: []Adapter{}, Hotfixes: []Hotfix{}, Software: []Software{},
		Accounts: []Account{}, Services: []Service{}, Exposures: []Exposure{}, Gaps: []Gap{}}
}

type collector struct {
	ctx context.Context
	h   checks.Host
	inv checks.InventorySource
	rec Record
	// bootOffset is the device's UTC offset as WMI reported it, used for
	// the collector's start time, which is logged without one.
	bootOffset *time.Location
}

func (c *collector) gap(part string, err error) {
	c.rec.Gaps = append(c.rec.Gaps, Gap{Part: part, Reason: err.Error()})
}

// firstRow returns the first row of a class, or a gap.
func (c *collector) firstRow(part, class string) (map[string]string, bool) {
	rows, err := c.inv.WMI(c.ctx, class)
	if err != nil {
		c.gap(part, err)
		return nil, false
	}
	if len(rows) == 0 {
		c.gap(part, fmt.Errorf("%s: no rows", class))
		return nil, false
	}
	return rows[0], true
}

func (c *collector) osInfo(info checks.OSInfo) {
	o := OS{
		Name:         strings.TrimSpace(info.Caption),
		Version:      strings.TrimSpace(info.Version),
		ServicePack:  strings.TrimSpace(info.ServicePack),
		Architecture: strings.TrimSpace(info.Architecture),
		Family:       info.Family(),
	}
	if row, ok := c.firstRow("os", "os"); ok {
		o.Build = row["BuildNumber"]
		if t, ok := parseWMITime(row["InstallDate"]); ok {
			o.InstallDate = t.Format(time.RFC3339)
		}
		if t, ok := parseWMITime(row["LastBootUpTime"]); ok {
			o.LastBoot = t.Format(time.RFC3339)
			c.bootOffset = t.Location()
		}
	}
	if o.Build == "" {
		if i := strings.LastIndexByte(o.Version, '.'); i >= 0 {
			o.Build = o.Version[i+1:]
		}
	}
	if strings.HasPrefix(o.Name, "Microsoft Windows [") { // from ver, no edition
		o.Name = ""
	}
	o.Edition = edition(o.Name, info.SKU)
	if o.Name == "" {
		o.Name = osNameFromVersion(o.Version, o.Edition)
	}
	c.rec.OS = o
}

// skuEditions are OperatingSystemSKU values of Windows 7 editions, for when
// the caption does not say.
var skuEditions = map[int]string{
	1: "Ultimate", 2: "Home Basic", 3: "Home Premium", 4: "Enterprise", 5: "Home Basic N",
	6: "Business", 11: "Starter", 16: "Business N", 26: "Home Premium N", 27: "Enterprise N",
	28: "Ultimate N", 48: "Professional", 49: "Professional N",
}

// edition is what follows the product name in the caption:
// "Microsoft Windows 7 Professional" -> "Professional".
func edition(caption string, sku int) string {
	c := strings.TrimSpace(caption)
	for _, p := range []string{"Microsoft Windows 7 ", "Microsoft Windows XP ", "Windows 7 ", "Windows XP "} {
		if len(c) > len(p) && strings.EqualFold(c[:len(p)], p) {
			return strings.TrimSpace(c[len(p):])
		}
	}
	return skuEditions[sku]
}

func osNameFromVersion(version, ed string) string {
	name := "Windows " + version
	switch {
	case strings.HasPrefix(version, "6.1."):
		name = "Microsoft Windows 7"
	case strings.HasPrefix(version, "5.1."):
		name = "Microsoft Windows XP"
	}
	if ed != "" {
		name += " " + ed
	}
	return name
}

func (c *collector) identity(info checks.OSInfo) {
	id := Identity{Hostname: strings.TrimSpace(info.Hostname), PartOfDomain: info.PartOfDomain}
	if row, ok := c.firstRow("computersystem", "computersystem"); ok {
		if n := row["Name"]; n != "" {
			id.Hostname = n
		}
		id.PartOfDomain = strings.EqualFold(row["PartOfDomain"], "TRUE")
		id.Manufacturer = row["Manufacturer"]
		id.Model = row["Model"]
		id.SystemType = row["SystemType"]
		if id.PartOfDomain {
			id.Domain = row["Domain"]
		} else {
			// XP has no Workgroup property: Domain then holds the workgroup.
			id.Workgroup = row["Workgroup"]
			if id.Workgroup == "" {
				id.Workgroup = row["Domain"]
			}
		}
	} else if info.PartOfDomain {
		id.Domain = info.Domain
	}
	if row, ok := c.firstRow("bios", "bios"); ok {
		id.SerialNumber = row["SerialNumber"]
		id.BIOSVersion = row["SMBIOSBIOSVersion"]
		if t, ok := parseWMITime(row["ReleaseDate"]); ok {
			id.BIOSDate = t.Format("2006-01-02")
		}
		if id.Manufacturer == "" {
			id.Manufacturer = row["Manufacturer"]
		}
	}
	if id.Hostname == "" {
		id.Hostname = hostFromFolder(c.h)
	}
	if c.rec.OS.Architecture == "" && id.SystemType != "" {
		if strings.Contains(strings.ToLower(id.SystemType), "x64") {
			c.rec.OS.Architecture = "64-bit"
		} else if strings.Contains(strings.ToLower(id.SystemType), "x86") {
			c.rec.OS.Architecture = "32-bit"
		}
	}
	if id.Hostname == "" {
		c.gap("identity", errors.New("no hostname in wmic os/computersystem nor in the folder name"))
	}
	c.rec.Identity = id
}

// hostFromFolder reads HOST from a collector folder named HOST-yyyymmdd-hhmmss.
func hostFromFolder(h checks.Host) string {
	id := h.Identity()
	if id.Origin != checks.Snapshot {
		return ""
	}
	host, _, ok := splitFolderName(filepath.Base(id.Dir))
	if !ok {
		return ""
	}
	return host
}

// splitFolderName splits "ICU-CS01-20261118-093000" into its host and stamp.
func splitFolderName(base string) (string, time.Time, bool) {
	if len(base) < len("X-20060102-150405") {
		return "", time.Time{}, false
	}
	host, stamp := base[:len(base)-16], base[len(base)-15:]
	if base[len(base)-16] != '-' {
		return "", time.Time{}, false
	}
	t, err := time.Parse("20060102-150405", stamp)
	if err != nil || host == "" {
		return "", time.Time{}, false
	}
	return host, t, true
}

func (c *collector) network() {
	rows, err := c.inv.WMI(c.ctx, "nicconfig")
	if err != nil {
		c.gap("network", err)
		return
	}
	for _, r := range rows {
		a := Adapter{
			Description: r["Description"],
			MAC:         normalizeMAC(r["MACAddress"]),
			IPAddresses: splitWMIArray(r["IPAddress"]),
			Gateways:    splitWMIArray(r["DefaultIPGateway"]),
			DHCP:        strings.EqualFold(r["DHCPEnabled"], "TRUE"),
		}
		if a.MAC == "" && len(a.IPAddresses) == 0 {
			continue // WAN miniports and tunnels without an address say nothing
		}
		if len(a.Gateways) == 0 {
			a.Gateways = nil
		}
		a.Virtual = isVirtualAdapter(a)
		c.rec.Network = append(c.rec.Network, a)
	}
}

// splitWMIArray reads wmic's array form "{192.0.2.10;fe80::1}".
func splitWMIArray(s string) []string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(strings.TrimPrefix(s, "{"), "}")
	out := []string{}
	for _, p := range strings.Split(s, ";") {
		p = strings.Trim(strings.TrimSpace(p), `"`)
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// normalizeMAC writes a MAC as upper-case hex pairs with colons; anything
// that is not six octets is returned as "" (it cannot identify a device).
func normalizeMAC(s string) string {
	h := macSeparators.Replace(strings.TrimSpace(s))
	if len(h) != 12 || !isHex(h) {
		return ""
	}
	h = strings.ToUpper(h)
	var b strings.Builder
	for i := 0; i < 12; i += 2 {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}

var macSeparators = strings.NewReplacer(":", "", "-", "", ".", "", " ", "")

// virtualMACs are MACs Windows gives pseudo adapters on every machine.
var virtualMACs = map[string]bool{
	"20:41:53:59:4E:FF": true, // RAS Async Adapter (" ASYN\xff")
	"02:00:4C:4F:4F:50": true, // Microsoft Loopback Adapter
	"00:00:00:00:00:00": true,
	"FF:FF:FF:FF:FF:FF": true,
}

// virtualWords mark pseudo adapters by description. Not "miniport" alone:
// XP names real cards "... - Packet Scheduler Miniport".
var virtualWords = []string{"wan miniport", "ras async", "direct parallel", "isatap", "teredo", "6to4", "tunnel",
	"loopback", "virtual", "vmware", "hyper-v", "vpn"}

func isVirtualAdapter(a Adapter) bool {
	if a.MAC == "" || virtualMACs[a.MAC] {
		return true
	}
	d := strings.ToLower(a.Description)
	for _, w := range virtualWords {
		if strings.Contains(d, w) {
			return true
		}
	}
	return false
}

func (c *collector) hotfixes() {
	fixes, err := c.h.Hotfixes(c.ctx)
	if err != nil {
		c.gap("hotfixes", err)
		return
	}
	seen := map[string]int{}
	for _, f := range fixes {
		id := strings.ToUpper(strings.TrimSpace(f.ID))
		if id == "" {
			continue
		}
		hf := Hotfix{ID: id, Description: strings.TrimSpace(f.Description)}
		raw := strings.TrimSpace(f.InstalledOn)
		hf.InstalledOn = normalizeDate(raw)
		if hf.InstalledOn == "" || raw != hf.InstalledOn {
			hf.InstalledOnRaw = raw
		}
		// XP lists one row per updated component; one update is one entry.
		if i, dup := seen[id]; dup {
			if c.rec.Hotfixes[i].InstalledOn == "" && hf.InstalledOn != "" {
				c.rec.Hotfixes[i] = hf
			}
			continue
		}
		seen[id] = len(c.rec.Hotfixes)
		c.rec.Hotfixes = append(c.rec.Hotfixes, hf)
	}
	sort.SliceStable(c.rec.Hotfixes, func(i, j int) bool { return kbLess(c.rec.Hotfixes[i].ID, c.rec.Hotfixes[j].ID) })
}

// kbLess orders KB numbers numerically, so KB976902 comes before KB2479943.
func kbLess(a, b string) bool {
	na, ea := strconv.Atoi(strings.TrimPrefix(a, "KB"))
	nb, eb := strconv.Atoi(strings.TrimPrefix(b, "KB"))
	if ea == nil && eb == nil && na != nb {
		return na < nb
	}
	if (ea == nil) != (eb == nil) {
		return ea == nil
	}
	return a < b
}

func (c *collector) software() {
	views := []struct{ key, view string }{{uninstallKey, "64-bit"}, {uninstallWOW64Key, "32-bit"}}
	is64 := c.rec.OS.Architecture == "64-bit"
	if !is64 {
		views = views[:1]
		views[0].view = "32-bit"
	}
	for i, v := range views {
		subs, err := c.inv.RegSubkeys(c.ctx, v.key)
		if err != nil {
			part := "software"
			if i == 1 {
				part = "software (32-bit view)"
			}
			c.gap(part, err)
			continue
		}
		for _, sub := range subs {
			if s, ok := c.program(v.key+`\`+sub, sub, v.view); ok {
				c.rec.Software = append(c.rec.Software, s)
			}
		}
	}
	sort.SliceStable(c.rec.Software, func(i, j int) bool {
		a, b := c.rec.Software[i], c.rec.Software[j]
		if !strings.EqualFold(a.Name, b.Name) {
			return strings.ToLower(a.Name) < strings.ToLower(b.Name)
		}
		return a.View > b.View
	})
}

// program reads one Uninstall entry the way Programs and Features shows
// it: no DisplayName or SystemComponent=1 means hidden, and an entry with
// a ParentKeyName is an update of another entry (XP lists its hotfixes so),
// which the hotfix list already holds.
func (c *collector) program(key, sub, view string) (Software, bool) {
	name := c.regString(key, "DisplayName")
	if name == "" {
		return Software{}, false
	}
	if v, err := c.h.RegValue(c.ctx, key, "SystemComponent"); err == nil {
		if n, ok := v.Uint64(); ok && n == 1 {
			return Software{}, false
		}
	}
	if c.regString(key, "ParentKeyName") != "" {
		return Software{}, false
	}
	s := Software{Name: name, Version: c.regString(key, "DisplayVersion"),
		Publisher: c.regString(key, "Publisher"), View: view, Key: sub}
	raw := c.regString(key, "InstallDate")
	s.InstallDate = normalizeDate(raw)
	if s.InstallDate == "" {
		s.InstallDate = raw
	}
	return s, true
}

func (c *collector) regString(key, name string) string {
	v, err := c.h.RegValue(c.ctx, key, name)
	if err != nil {
		return ""
	}
	switch v.Type {
	case checks.RegSZ, checks.RegExpandSZ:
		return strings.TrimSpace(v.String())
	}
	if n, ok := v.Uint64(); ok {
		return strconv.FormatUint(n, 10)
	}
	return ""
}

func (c *collector) accounts() {
	accts, err := c.h.Accounts(c.ctx)
	if err != nil {
		c.gap("accounts", err)
		return
	}
	for _, a := range accts {
		c.rec.Accounts = append(c.rec.Accounts, Account{Name: a.Name, SID: a.SID, Disabled: a.Disabled, PasswordRequired: a.PasswordRequired})
	}
}

func (c *collector) services() {
	rows, err := c.inv.WMI(c.ctx, "service")
	if err != nil {
		c.gap("services", err)
		return
	}
	for _, r := range rows {
		name := r["Name"]
		st, ok := checks.ParseStartType(r["StartMode"])
		mode := r["StartMode"]
		if ok {
			mode = st.String()
		}
		state := r["State"]
		if name == "" || !(st == checks.StartAuto && ok || strings.EqualFold(state, "Running")) {
			continue
		}
		c.rec.Services = append(c.rec.Services, Service{Name: name, StartMode: mode, State: state})
	}
	sort.SliceStable(c.rec.Services, func(i, j int) bool {
		return strings.ToLower(c.rec.Services[i].Name) < strings.ToLower(c.rec.Services[j].Name)
	})
}

// collectedAt dates the record: the collector's start time for a snapshot
// (with the device's UTC offset from WMI), else the folder's stamp, else now.
func (c *collector) collectedAt() {
	loc := c.bootOffset
	if loc == nil {
		loc = time.UTC
	}
	if id := c.h.Identity(); id.Origin == checks.Snapshot {
		// The collector's start time as logged, in the device's local time.
		if s := strings.TrimSpace(id.CollectedAt); s != "" {
			if t, err := time.ParseInLocation("2006-01-02 15:04:05", s, loc); err == nil {
				c.rec.CollectedAt = t.Format(time.RFC3339)
				return
			}
		}
		if _, t, ok := splitFolderName(filepath.Base(id.Dir)); ok {
			c.rec.CollectedAt = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc).Format(time.RFC3339)
			return
		}
		c.gap("collected_at", errors.New("collect.log has no readable start time and the folder name has no stamp: dated with the time of the inventory"))
	}
	c.rec.CollectedAt = now().Format(time.RFC3339)
}

// now is replaced in tests.
var now = time.Now
