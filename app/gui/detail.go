package gui

import "medharden/checks"

// Capability is an IEC/TR 80001-2-2 capability as people read it.
type Capability struct {
	Code    string
	Name    string
	Meaning string
}

// capabilityMeanings are the one-line meanings of the MDS2 2019 form
// (shared/reference/iec80001-2-2-capabilities.csv).
var capabilityMeanings = map[string]string{
	"ALOF": "Prevent access and misuse by unauthorized users if the device is left idle for a period of time.",
	"AUDT": "Ability to reliably audit activity on the device.",
	"AUTH": "Ability of the device to determine the authorization of users.",
	"CNFS": "Ability to configure device security capabilities to meet users' needs.",
	"CSUP": "Ability of on-site/remote service staff or authorized customer staff to install/upgrade the device's security patches.",
	"DIDT": "Ability of the device to directly remove information that allows identification of a person.",
	"DTBK": "Ability to recover after damage or destruction of device data, hardware, software or site configuration information.",
	"EMRG": "Ability of the device user to access health data in a medical emergency requiring immediate access (break-glass).",
	"IGAU": "How the device ensures stored data has not been altered or destroyed in an unauthorized manner and is from the originator.",
	"MLDP": "Ability of the device to effectively prevent, detect and remove malicious software.",
	"NAUT": "Ability of the device to authenticate communication partners/nodes.",
	"PAUT": "Ability to configure the device to authenticate users.",
	"PLOK": "Physical locks preventing unauthorized users with physical access from compromising stored data or removable media.",
	"RDMP": "Manufacturer's plans for security support of third-party components within the device's life cycle.",
	"SAHD": "The device's inherent resistance to cyber attacks and malware.",
	"SGUD": "Availability of security guidance for operator and administrator of the device and manufacturer sales and service.",
	"STCF": "Ability to ensure unauthorized access does not compromise integrity/confidentiality of data stored on the device or removable media.",
	"TXCF": "Ability of the device to ensure the confidentiality of transmitted data.",
	"TXIG": "Ability of the device to ensure the integrity of transmitted data.",
}

// CapabilityInfo returns the name and meaning of a code; an unknown code is
// still shown rather than dropped.
func CapabilityInfo(code string) Capability {
	name, ok := checks.Capabilities[code]
	if !ok {
		name = "(not an 80001-2-2 capability)"
	}
	return Capability{Code: code, Name: name, Meaning: capabilityMeanings[code]}
}

// Detail is everything the detail pane shows about one result.
type Detail struct {
	Result       checks.Result
	Rationale    string
	Setting      string // where the value lives, for people
	Fix          string // the remediation
	Tradeoff     string // the emergency-access or usability cost, if any
	Capabilities []Capability
}

// NewDetail joins a result with its catalog entry; cat may be nil.
func NewDetail(r checks.Result, cat *checks.Catalog) Detail {
	d := Detail{Result: r}
	for _, c := range r.Capabilities {
		d.Capabilities = append(d.Capabilities, CapabilityInfo(c))
	}
	if cat == nil {
		return d
	}
	ch, ok := cat.Get(r.ID)
	if !ok {
		return d
	}
	g := ch.Guidance()
	d.Rationale, d.Fix, d.Tradeoff = g.Rationale, g.Fix, g.Tradeoff
	d.Setting = ch.Probe.Describe()
	return d
}
