package checks

import (
	"context"
	"fmt"
	"strings"
)

// Kind names where a check reads its value: the catalog's probe keys. The
// kinds remediation can change are also the kinds of a setting's Address,
// and appear by these names in backups and journals.
type Kind string

// Probe and setting kinds.
const (
	KindRegistry Kind = "registry"
	KindSecPol   Kind = "secpol"
	KindRight    Kind = "right"
	KindAudit    Kind = "audit"
	KindService  Kind = "service"
	KindDriver   Kind = "driver"
	KindAccount  Kind = "account"
	KindAccounts Kind = "accounts"
	KindHotfix   Kind = "hotfix"
	KindVolumes  Kind = "volumes"
	// KindCredentials tests passwords (credentials.go); nothing to set.
	KindCredentials Kind = "credentials"
)

// Kinds lists every kind, in the order Probe.Kind tries them.
var Kinds = []Kind{KindRegistry, KindSecPol, KindRight, KindAudit, KindService,
	KindDriver, KindAccount, KindAccounts, KindHotfix, KindVolumes, KindCredentials}

// kindOps is everything that differs between kinds. The engine, the
// remediation's reads and writes and the window's detail pane all go
// through this one table, so a kind is added in one place.
type kindOps struct {
	has      func(Probe) bool // the probe's field for this kind is set
	observe  func(context.Context, Host, Probe) (observation, error)
	describe func(Probe) string // where the value lives, for people
	absent   string             // what a missing value is, for people
	// setting is nil for kinds remediation cannot change.
	setting *settingOps
}

// kinds is filled in init: its functions refer back to the table.
var kinds map[Kind]kindOps

func init() {
	kinds = map[Kind]kindOps{
		KindRegistry: {
			has:      func(p Probe) bool { return p.Registry != nil },
			observe:  observeRegistry,
			describe: func(p Probe) string { return "registry " + p.Registry.Key + `\` + valueName(p.Registry.Value) },
			absent:   "not configured",
			setting:  &registrySetting,
		},
		KindSecPol: {
			has:      func(p Probe) bool { return p.SecPol != nil },
			observe:  observeSecPol,
			describe: func(p Probe) string { return "security policy [" + p.SecPol.Section + "] " + p.SecPol.Key },
			absent:   "not configured",
			setting:  &secPolSetting,
		},
		KindRight: {
			has:      func(p Probe) bool { return p.Right != "" },
			observe:  observeRight,
			describe: func(p Probe) string { return "user right " + p.Right },
			absent:   "not configured",
			setting:  &rightSetting,
		},
		KindAudit: {
			has:      func(p Probe) bool { return p.Audit != nil },
			observe:  observeAudit,
			describe: func(p Probe) string { return "audit subcategory " + p.Audit.Name + " " + p.Audit.GUID },
			absent:   "not configured",
			setting:  &auditSetting,
		},
		KindService: {
			has:      func(p Probe) bool { return p.Service != "" },
			observe:  observeService,
			describe: func(p Probe) string { return "start type of service " + p.Service },
			absent:   "not installed",
			setting:  &serviceSetting,
		},
		KindDriver: {
			has:      func(p Probe) bool { return p.Driver != "" },
			observe:  observeDriver,
			describe: func(p Probe) string { return "start type of driver " + p.Driver },
			absent:   "not installed",
		},
		KindAccount: {
			has:      func(p Probe) bool { return p.Account != nil },
			observe:  observeAccounts,
			describe: func(p Probe) string { return "local account with RID " + p.Account.RID },
			absent:   "no such account",
			setting:  &accountSetting,
		},
		KindAccounts: {
			has:      func(p Probe) bool { return p.Accounts != nil },
			observe:  observeAccounts,
			describe: func(Probe) string { return "local accounts" },
			absent:   "not configured",
		},
		KindHotfix: {
			has:      func(p Probe) bool { return len(p.Hotfix) > 0 },
			observe:  observeHotfix,
			describe: func(p Probe) string { return "installed updates " + strings.Join(p.Hotfix, ", ") },
			absent:   "not configured",
		},
		KindVolumes: {
			has:      func(p Probe) bool { return p.Volumes != nil },
			observe:  observeVolumes,
			describe: func(Probe) string { return "BitLocker volumes" },
			absent:   "not configured",
		},
		KindCredentials: {
			has:      func(p Probe) bool { return p.Credentials != nil },
			observe:  observeAccounts,
			describe: func(p Probe) string { return "logon test of the local accounts (" + p.Credentials.Test + " password)" },
			absent:   "no local accounts",
		},
	}
}

// Kind names the probe's source; "" when no field is set.
func (p Probe) Kind() Kind {
	for _, k := range Kinds {
		if kinds[k].has(p) {
			return k
		}
	}
	return ""
}

// count is how many of the probe's fields are set; a valid probe has one.
func (p Probe) count() int {
	n := 0
	for _, k := range Kinds {
		if kinds[k].has(p) {
			n++
		}
	}
	return n
}

// Describe names where a check reads its value, for people; "" for a probe
// with no field set.
func (p Probe) Describe() string {
	ops, ok := kinds[p.Kind()]
	if !ok {
		return ""
	}
	return ops.describe(p)
}

// Settable tells whether remediation can change a setting of kind k.
func (k Kind) Settable() bool { return kinds[k].setting != nil }

func observe(ctx context.Context, h Host, ch Check) (observation, error) {
	ops, ok := kinds[ch.Probe.Kind()]
	if !ok {
		return observation{}, fmt.Errorf("check %s has no probe", ch.ID)
	}
	return ops.observe(ctx, h, ch.Probe)
}

func valueName(name string) string {
	if name == "" {
		return "(Default)"
	}
	return name
}
