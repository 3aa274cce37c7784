package remediate

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/require"

	"medharden/checks"
	"medharden/checks/snapshot"
	"medharden/checks/winfmt"
)

// A pass and a fail fixture for every check of the built-in catalog
// (STYLE rule 4). Each check starts from a sample snapshot of its Windows
// version, written by testdata/gen in Windows' own encodings:
//
//   - fail: a value that violates the expectation, derived from the
//     expectation alone (eq: another value; gte/lte/range: just outside;
//     in: a value not in the set; subset/set_eq: one SID more; superset:
//     one less; none: a matching item), written at the setting the probe
//     reads. The check must say fail.
//   - pass: the check's own fix, written through the remediation path
//     (addressFor, targetValue, writeSetting) on the failing host. The
//     check must say pass. A check without an automatic fix gets values
//     derived from the expectation instead.
//
// A probe that reads another setting than the one its expectation and fix
// describe, or a fix value the expectation refuses, fails here. What cannot
// be produced is listed in fixtureExceptions with the reason; a listed
// check that becomes coverable fails the test too, so the list stays true.

// fixtureExceptions are the checks, by id or id@os, that cannot have both
// fixtures.
var fixtureExceptions = map[string]string{
	// Windows XP has no BitLocker: Win32_EncryptableVolume does not exist
	// there, so the check is always "not applicable" on XP.
	"MH-ENC-1@xp": "no BitLocker on Windows XP: notapplicable",
	// A snapshot cannot prove a password, so these never pass offline;
	// their pass and fail are tested against recorded logon answers
	// (checks/credentials_test.go, checks/credprobe).
	"MH-CRED-1": "logon test: never pass on a snapshot",
	"MH-CRED-2": "logon test: never pass on a snapshot",
}

// referenceCorrections are the checks that rightly read another setting
// than the independent reading names; their reference fixture must leave
// the check passing, so the entry goes when the catalog follows the
// reference.
var referenceCorrections = map[string]string{
	// XP keeps FIPS mode as the DWORD Lsa\FIPSAlgorithmPolicy (secedit's
	// MACHINE\...\Lsa\FIPSAlgorithmPolicy=4,1); the FIPSAlgorithmPolicy key
	// with Enabled the reference names is Vista's.
	"STIG:V-3383": "XP reads Lsa\\FIPSAlgorithmPolicy as a DWORD; the key with Enabled is Vista's",
	// On XP "Network access: Remotely accessible registry paths" is
	// Winreg\AllowedPaths (AllowedExactPaths arrived with Server 2003 and
	// Vista); the values listed are XP's AllowedPaths defaults.
	"STIG:V-3339": "XP's remotely accessible paths are Winreg\\AllowedPaths; AllowedExactPaths is Server 2003/Vista's",
	// The STIG's time check reads Type first (NT5DS passes) and the server
	// only when Type is NTP: MH-XPTIME-1 reads Type, V-3472 the server.
	"STIG:V-3472": "the server name (NtpServer) is this check; Type is read by MH-XPTIME-1",
}

// Sample snapshots the fixtures start from.
var (
	win7Sample = filepath.Join("..", "testdata", "snapshots", "ICU-CS01-20261118-093000")
	xpSample   = filepath.Join("..", "testdata", "snapshots", "PUMPSRV-XP-20261119-084500")
)

// fixture is one input for a check: writes through the snapshot host's
// overlay, on the sample in dir.
type fixture struct {
	name  string
	dir   string
	write func(ctx context.Context, h *snapshot.Host) error
	want  checks.Status
	fix   bool // the check's own fix
	// reference: written at the address of the independent reading
	reference bool
}

type writeFunc = func(context.Context, *snapshot.Host) error

// failThenPass is the order fixtures are made in: a failing host first,
// so that a passing one shows a change.
var failThenPass = []checks.Status{checks.Fail, checks.Pass}

func TestEveryCheckHasPassAndFailFixture(t *testing.T) {
	cat, err := checks.Builtin()
	require.NoError(t, err)
	ctx := context.Background()
	sm := &samples{t: t, dirs: map[string]string{}, readers: map[string]*snapshot.Host{}, ref: loadReference(t)}
	both, excepted, total, atRef := 0, 0, 0, 0
	for _, ch := range cat.Checks {
		for _, osName := range ch.OS {
			ch, osName := ch, osName
			total++
			key := ch.ID + "@" + osName
			why, listed := fixtureExceptions[key]
			if !listed {
				why, listed = fixtureExceptions[ch.ID]
			}
			t.Run(key, func(t *testing.T) {
				problems, refOK := runFixtures(ctx, sm, ch, osName)
				if refOK {
					atRef++
				}
				switch {
				case len(problems) == 0 && listed:
					t.Errorf("listed as an exception (%s) but both fixtures now work: remove it from fixtureExceptions", why)
				case len(problems) == 0:
					both++
				case listed:
					excepted++
					t.Logf("exception: %s (%s)", why, strings.Join(problems, "; "))
				default:
					t.Errorf("%s", strings.Join(problems, "\n"))
				}
			})
		}
	}
	for key := range fixtureExceptions {
		id := strings.SplitN(key, "@", 2)[0]
		if _, ok := cat.Get(id); !ok {
			t.Errorf("fixtureExceptions names %s, which is not in the catalog", key)
		}
	}
	for id := range referenceCorrections {
		if ch, ok := cat.Get(id); !ok || len(sm.ref.find(ch)) == 0 && len(sm.ref) > 0 {
			t.Errorf("referenceCorrections names %s, which is not both in the catalog and in the reference", id)
		}
	}
	t.Logf("%d check/OS pairs: %d with a pass and a fail fixture (%d also at the reference's address), %d listed exceptions", total, both, atRef, excepted)
}

// runFixtures applies a check's fixtures in order and returns what went
// wrong; none means the check has a fail fixture that fails and a pass
// fixture that passes (its own fix when it has one).
func runFixtures(ctx context.Context, sm *samples, ch checks.Check, osName string) (problems []string, atReference bool) {
	base := sm.base(ch, osName)
	fixtures, err := fixturesFor(ctx, sm, ch, base)
	if err != nil {
		return []string{err.Error()}, false
	}
	var pass, fail, fix bool
	hosts := map[string]*snapshot.Host{}
	for _, f := range fixtures {
		h := hosts[f.dir]
		if h == nil {
			if h, err = snapshot.Open(f.dir); err != nil {
				return []string{fmt.Sprintf("open %s: %v", f.dir, err)}, false
			}
			hosts[f.dir] = h
		}
		if err := f.write(ctx, h); err != nil {
			problems = append(problems, fmt.Sprintf("%s fixture %s: cannot write: %v", f.want, f.name, err))
			continue
		}
		r := checks.Evaluate(ctx, h, ch)
		if r.Status != f.want {
			problems = append(problems, fmt.Sprintf("%s fixture %s: got %s (actual %s; %s) from %s", f.want, f.name, r.Status, r.Actual, r.Reason, r.Source))
			continue
		}
		atReference = atReference || f.reference
		switch f.want {
		case checks.Pass:
			pass = true
			fix = fix || f.fix
		case checks.Fail:
			fail = true
		}
	}
	if !fail {
		problems = append(problems, "no fail fixture")
	}
	if !pass {
		problems = append(problems, "no pass fixture")
	}
	if automatic(ch) && !fix {
		problems = append(problems, "the fix does not make the check pass")
	}
	return problems, atReference
}

func automatic(ch checks.Check) bool { return ch.Fix.Manual == "" && ch.Fix.Value != nil }

// fixturesFor derives a check's fixtures: fail ones first, then the fix,
// then the passing values derived from the expectation.
func fixturesFor(ctx context.Context, sm *samples, ch checks.Check, base string) ([]fixture, error) {
	h, err := sm.reader(base)
	if err != nil {
		return nil, err
	}
	var fails, passes []fixture
	// failAt keeps the first failing value, to be written again at the
	// address an independent reading of the benchmark gives.
	var atReference func(refAddress) writeFunc
	var refValue string
	failAt := func(v interface{}, at func(refAddress) writeFunc) {
		if atReference == nil {
			atReference, refValue = at, fmt.Sprint(v)
		}
	}
	regAt := func(v checks.RegValue) func(refAddress) writeFunc {
		return func(r refAddress) writeFunc {
			if r.kind != "registry" {
				return nil
			}
			return setReg(r.location, r.name, v)
		}
	}
	add := func(want checks.Status, name string, w func(context.Context, *snapshot.Host) error) {
		f := fixture{name: name, dir: base, write: w, want: want}
		if want == checks.Pass {
			passes = append(passes, f)
		} else {
			fails = append(fails, f)
		}
	}
	p := ch.Probe
	switch p.Kind() {
	case "registry":
		regType := ch.Fix.Type
		if isListOp(ch.Expect) || regType == "multi_sz" {
			ok, bad := listCases(ch.Expect, func([]string) string { return `Fixture\Extra` })
			for _, c := range ok {
				add(checks.Pass, show(c), setReg(p.Registry.Key, p.Registry.Value, checks.MultiStringValue(c)))
			}
			for _, c := range bad {
				add(checks.Fail, show(c), setReg(p.Registry.Key, p.Registry.Value, checks.MultiStringValue(c)))
				failAt(c, regAt(checks.MultiStringValue(c)))
			}
			break
		}
		if regType == "" {
			regType = "sz"
			if numericExpectation(ch.Expect) {
				regType = "dword"
			}
		}
		ok, bad := scalarCases(ch.Expect, nil)
		for _, want := range failThenPass {
			list := ok
			if want == checks.Fail {
				list = bad
			}
			for _, c := range list {
				v, valid := regFrom(regType, c[""])
				if valid {
					add(want, regType+" "+strconv.Quote(c[""]), setReg(p.Registry.Key, p.Registry.Value, v))
					if want == checks.Fail {
						failAt(c[""], regAt(v))
					}
				}
			}
		}
	case "secpol":
		names, err := hostNames(ctx, h)
		if err != nil {
			return nil, err
		}
		ok, bad := scalarCases(ch.Expect, names)
		for _, want := range failThenPass {
			list := ok
			if want == checks.Fail {
				list = bad
			}
			for _, c := range list {
				v := c[""]
				add(want, strconv.Quote(v), func(ctx context.Context, h *snapshot.Host) error {
					return h.SetSecPolicy(ctx, p.SecPol.Section, p.SecPol.Key, v)
				})
				if want == checks.Fail {
					failAt(v, func(r refAddress) writeFunc {
						if r.kind != "secpol" {
							return nil
						}
						return func(ctx context.Context, h *snapshot.Host) error { return h.SetSecPolicy(ctx, r.section(), r.name, v) }
					})
				}
			}
		}
	case "right":
		ok, bad := listCases(ch.Expect, extraSID)
		for _, c := range ok {
			add(checks.Pass, show(c), setRight(p.Right, c))
		}
		for _, c := range bad {
			c := c
			add(checks.Fail, show(c), setRight(p.Right, c))
			failAt(c, func(r refAddress) writeFunc {
				if r.kind != "userright" {
					return nil
				}
				return setRight(r.name, c)
			})
		}
	case "audit":
		ok, bad := listCases(ch.Expect, extraAuditFlag)
		for _, want := range failThenPass {
			list := ok
			if want == checks.Fail {
				list = bad
			}
			for _, c := range list {
				f, err := parseAudit(&checks.Literal{List: true, Items: c})
				if err != nil {
					return nil, err
				}
				guid := p.Audit.GUID
				add(want, show(c), func(ctx context.Context, h *snapshot.Host) error { return h.SetAuditPolicy(ctx, guid, f) })
			}
		}
	case "service", "driver":
		name, driver := p.Service, p.Driver != ""
		if driver {
			name = p.Driver
		}
		ok, bad := domainCases(ch.Expect, []string{"automatic", "manual", "disabled"})
		for _, want := range failThenPass {
			list := ok
			if want == checks.Fail {
				list = bad
			}
			for _, v := range list {
				st, _ := checks.ParseStartType(v)
				add(want, v, setStart(name, st, driver))
				if want == checks.Fail {
					failAt(v, func(r refAddress) writeFunc {
						if r.kind != "service" || !strings.EqualFold(r.name, "Start") {
							return nil
						}
						return setReg(r.location, "Start", checks.DWORDValue(uint32(st)))
					})
				}
			}
		}
	case "account":
		names, err := hostNames(ctx, h)
		if err != nil {
			return nil, err
		}
		sid, err := sidOfRID(ctx, h, p.Account.RID)
		if err != nil {
			return nil, err
		}
		ok, bad := scalarCases(ch.Expect, names)
		for _, want := range failThenPass {
			list := ok
			if want == checks.Fail {
				list = bad
			}
			for _, c := range list {
				add(want, c.String(), setAccount(sid, c))
			}
		}
	case "accounts":
		if ch.Expect.Op != "none" {
			return nil, fmt.Errorf("accounts fixtures know only op none, not %s", describeOp(ch.Expect))
		}
		fail, pass, err := accountsCases(ctx, h, *ch.Expect.Where)
		if err != nil {
			return nil, err
		}
		add(checks.Fail, "an account that matches", fail)
		add(checks.Pass, "no account that matches", pass)
	case "hotfix":
		with, without, err := sm.hotfixVariants(base, p.Hotfix)
		if err != nil {
			return nil, err
		}
		nop := func(context.Context, *snapshot.Host) error { return nil }
		ok, bad := with, without
		if ch.Expect.Op == "empty" {
			ok, bad = without, with
		} else if ch.Expect.Op != "nonempty" {
			return nil, fmt.Errorf("hotfix fixtures know only empty and nonempty, not %s", describeOp(ch.Expect))
		}
		fails = append(fails, fixture{name: "qfe.csv " + filepath.Base(bad), dir: bad, write: nop, want: checks.Fail})
		passes = append(passes, fixture{name: "qfe.csv " + filepath.Base(ok), dir: ok, write: nop, want: checks.Pass})
	case "volumes":
		if _, err := h.Volumes(ctx); err != nil {
			return nil, fmt.Errorf("the sample cannot have BitLocker volumes: %w", err)
		}
		for _, v := range volumeFixtures {
			dir, err := sm.volumeVariant(base, v.rows)
			if err != nil {
				return nil, err
			}
			f := fixture{name: v.name, dir: dir, write: func(context.Context, *snapshot.Host) error { return nil }, want: v.want}
			if v.want == checks.Pass {
				passes = append(passes, f)
			} else {
				fails = append(fails, f)
			}
		}
	default:
		return nil, fmt.Errorf("no fixtures for a %s probe", p.Kind())
	}
	out := fails
	if automatic(ch) {
		out = append(out, fixture{name: "the fix " + ch.Fix.Value.String(), dir: base, write: applyFix(ch), want: checks.Pass, fix: true})
	}
	out = append(out, passes...)
	// Last, on a passing host: the failing value written where the
	// independent reading says the setting lives. A probe that reads
	// another setting still passes, and that is reported.
	refs := sm.ref.find(ch)
	if len(refs) == 0 || atReference == nil {
		if p.Audit != nil && len(refs) > 0 && !auditNamed(refs, p.Audit.Name) {
			return nil, fmt.Errorf("the reference names the subcategory %v, the probe %q", refs, p.Audit.Name)
		}
		return out, nil
	}
	var writes []writeFunc
	for _, r := range refs {
		if w := atReference(r); w != nil {
			writes = append(writes, w)
		}
	}
	if len(writes) == 0 {
		return nil, fmt.Errorf("the reference reads this setting as %v, the probe as %s", refs, p.Kind())
	}
	f := fixture{name: refValue + " at the reference's " + fmt.Sprint(refs), dir: base, want: checks.Fail, reference: true,
		write: func(ctx context.Context, h *snapshot.Host) error {
			for _, w := range writes {
				if err := w(ctx, h); err != nil {
					return err
				}
			}
			return nil
		}}
	if why, ok := referenceCorrections[ch.ID]; ok {
		// The check reads another setting, rightly: it keeps passing.
		f.want, f.name = checks.Pass, f.name+" (corrected: "+why+")"
	}
	return append(out, f), nil
}

// applyFix writes the check's fix value at the fix's address, as apply does.
func applyFix(ch checks.Check) func(context.Context, *snapshot.Host) error {
	return func(ctx context.Context, h *snapshot.Host) error {
		accts, err := h.Accounts(ctx)
		if err != nil {
			return err
		}
		a, err := addressFor(ch, accts)
		if err != nil {
			return err
		}
		v, err := targetValue(ch, accts)
		if err != nil {
			return err
		}
		return writeSetting(ctx, h, a, v)
	}
}

func setReg(key, name string, v checks.RegValue) func(context.Context, *snapshot.Host) error {
	return func(ctx context.Context, h *snapshot.Host) error { return h.SetRegValue(ctx, key, name, v) }
}

func setRight(right string, sids []string) func(context.Context, *snapshot.Host) error {
	return func(ctx context.Context, h *snapshot.Host) error { return h.SetUserRight(ctx, right, sids) }
}

// setStart sets a service's start type through the writer; a service the
// sample lacks, and a driver, get the Start value their probe reads.
func setStart(name string, st checks.StartType, driver bool) func(context.Context, *snapshot.Host) error {
	return func(ctx context.Context, h *snapshot.Host) error {
		if !driver {
			if _, err := h.ServiceStart(ctx, name); err == nil {
				return h.SetServiceStart(ctx, name, st)
			}
		}
		return h.SetRegValue(ctx, `HKLM\SYSTEM\CurrentControlSet\Services\`+name, "Start", checks.DWORDValue(uint32(st)))
	}
}

func setAccount(sid string, c record) func(context.Context, *snapshot.Host) error {
	return func(ctx context.Context, h *snapshot.Host) error {
		for field, v := range c {
			var err error
			switch field {
			case "disabled":
				err = h.SetAccountDisabled(ctx, sid, v == "true")
			case "name":
				err = h.RenameAccount(ctx, sid, v)
			default:
				err = fmt.Errorf("the writer cannot set an account's %s", field)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
}

// regFrom builds a registry value of a fix type from text; false when the
// text is no such value (a negative DWORD).
func regFrom(typ, s string) (checks.RegValue, bool) {
	switch typ {
	case "dword":
		n, err := strconv.ParseUint(s, 10, 32)
		return checks.DWORDValue(uint32(n)), err == nil
	case "expand_sz":
		return checks.StringValue(checks.RegExpandSZ, s), true
	}
	return checks.StringValue(checks.RegSZ, s), true
}

func hostNames(ctx context.Context, h checks.Host) (checks.BuiltinNames, error) {
	info, err := h.OS(ctx)
	if err != nil {
		return checks.BuiltinNames{}, err
	}
	names, ok := checks.DefaultNames(info.Language)
	if !ok {
		return checks.BuiltinNames{}, fmt.Errorf("sample language %d has no default account names", info.Language)
	}
	return names, nil
}

func sidOfRID(ctx context.Context, h checks.Host, rid string) (string, error) {
	accts, err := h.Accounts(ctx)
	if err != nil {
		return "", err
	}
	for _, a := range accts {
		if a.RID() == rid {
			return a.SID, nil
		}
	}
	return "", fmt.Errorf("the sample has no account with RID %s", rid)
}

// record is one candidate input: a value per field ("" for a plain value).
type record map[string]string

func (r record) String() string {
	var parts []string
	for k, v := range r {
		if k == "" {
			parts = append(parts, strconv.Quote(v))
		} else {
			parts = append(parts, k+"="+strconv.Quote(v))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// scalarCases derives candidate inputs from the bounds and values an
// expectation names (each value, and just beyond each bound) and sorts
// them into those the expectation accepts and those it refuses.
func scalarCases(p checks.Predicate, names interface{ Name(string) string }) (pass, fail []record) {
	fields := map[string][]string{}
	candidates(p, names, fields)
	var keys []string
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	recs := []record{{}}
	for _, k := range keys {
		var next []record
		for _, r := range recs {
			for _, v := range unique(fields[k]) {
				c := record{}
				for x, y := range r {
					c[x] = y
				}
				c[k] = v
				next = append(next, c)
			}
		}
		recs = next
	}
	for _, r := range recs {
		if expectHolds(p, r, names) {
			pass = append(pass, r)
		} else {
			fail = append(fail, r)
		}
	}
	return pass, fail
}

func candidates(p checks.Predicate, names interface{ Name(string) string }, out map[string][]string) {
	for _, sub := range append(append([]checks.Predicate{}, p.All...), p.Any...) {
		candidates(sub, names, out)
	}
	if p.Not != nil {
		candidates(*p.Not, names, out)
	}
	want := ""
	if p.Value != nil {
		want = p.Value.Text
	}
	f := p.Field
	switch p.Op {
	case "eq", "ne":
		out[f] = append(out[f], want, other(want))
	case "gte", "lte":
		n, _ := strconv.ParseInt(want, 10, 64)
		out[f] = append(out[f], fmtInt(n-1), want, fmtInt(n+1))
	case "range":
		out[f] = append(out[f], fmtInt(*p.Min-1), fmtInt(*p.Min), fmtInt(*p.Max), fmtInt(*p.Max+1))
	case "in":
		out[f] = append(out[f], p.Values...)
		out[f] = append(out[f], notIn(p.Values))
	case "empty", "nonempty":
		out[f] = append(out[f], "", "fixture")
	case "regex":
		if lit, ok := literalOf(want); ok {
			out[f] = append(out[f], lit)
		}
		out[f] = append(out[f], "fixture.invalid")
	case "default_name":
		if names != nil {
			out[f] = append(out[f], names.Name(want))
		}
		out[f] = append(out[f], "fixture-renamed")
	}
}

// expectHolds reads an expectation as the benchmark states it, for the
// candidates above: a second reading, kept to these plain operators.
func expectHolds(p checks.Predicate, r record, names interface{ Name(string) string }) bool {
	switch {
	case len(p.All) > 0:
		for _, s := range p.All {
			if !expectHolds(s, r, names) {
				return false
			}
		}
		return true
	case len(p.Any) > 0:
		for _, s := range p.Any {
			if expectHolds(s, r, names) {
				return true
			}
		}
		return false
	case p.Not != nil:
		return !expectHolds(*p.Not, r, names)
	}
	v := strings.TrimSpace(r[p.Field])
	want := ""
	if p.Value != nil {
		want = p.Value.Text
	}
	n, numErr := strconv.ParseInt(v, 10, 64)
	w, _ := strconv.ParseInt(want, 10, 64)
	switch p.Op {
	case "eq":
		return same(v, want)
	case "ne":
		return !same(v, want)
	case "gte":
		return numErr == nil && n >= w
	case "lte":
		return numErr == nil && n <= w
	case "range":
		return numErr == nil && n >= *p.Min && n <= *p.Max
	case "in":
		for _, x := range p.Values {
			if same(v, x) {
				return true
			}
		}
		return false
	case "empty":
		return v == ""
	case "nonempty":
		return v != ""
	case "regex":
		return regexp.MustCompile(want).MatchString(v)
	case "default_name":
		return names != nil && same(v, names.Name(want))
	}
	panic("fixture: unknown op " + p.Op)
}

func same(a, b string) bool {
	x, errA := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
	y, errB := strconv.ParseInt(strings.TrimSpace(b), 10, 64)
	if errA == nil && errB == nil {
		return x == y
	}
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// other is a value of the same kind that differs: 0 and 1 swap (enabled
// and disabled), other numbers become 0, true and false swap, text gets a
// suffix.
func other(v string) string {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n == 0 {
			return "1"
		}
		return "0"
	}
	switch strings.ToLower(v) {
	case "true":
		return "false"
	case "false":
		return "true"
	case "":
		return "fixture"
	}
	return v + "-fixture"
}

// notIn is a value outside a set: one above the largest number, or a word
// none of the values is.
func notIn(values []string) string {
	var max int64
	for i, v := range values {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "fixture-other"
		}
		if i == 0 || n > max {
			max = n
		}
	}
	return fmtInt(max + 1)
}

// literalOf is the text a regular expression made only of literal
// characters matches.
func literalOf(re string) (string, bool) {
	r, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return "", false
	}
	r = r.Simplify()
	switch r.Op {
	case syntax.OpLiteral:
		return string(r.Rune), true
	case syntax.OpConcat:
		var sb strings.Builder
		for _, s := range r.Sub {
			if s.Op != syntax.OpLiteral {
				return "", false
			}
			sb.WriteString(string(s.Rune))
		}
		return sb.String(), true
	}
	return "", false
}

func numericExpectation(p checks.Predicate) bool {
	numeric, seen := true, false
	var walk func(p checks.Predicate)
	walk = func(p checks.Predicate) {
		for _, s := range append(append([]checks.Predicate{}, p.All...), p.Any...) {
			walk(s)
		}
		if p.Not != nil {
			walk(*p.Not)
		}
		vals := append([]string{}, p.Values...)
		if p.Value != nil {
			vals = append(vals, p.Value.Text)
		}
		if p.Min != nil {
			vals = append(vals, "0")
		}
		for _, v := range vals {
			seen = true
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				numeric = false
			}
		}
	}
	walk(p)
	return numeric && seen
}

func isListOp(p checks.Predicate) bool {
	switch p.Op {
	case "set_eq", "subset", "superset":
		return true
	}
	return false
}

// listCases derives lists from a list expectation: the values themselves
// pass; one item more (subset, set_eq, empty) or one less (superset,
// set_eq) fails. extra names an item the values do not hold ("" when
// there is none).
func listCases(p checks.Predicate, extra func(values []string) string) (pass, fail [][]string) {
	vals := append([]string{}, p.Values...)
	more := func() []string {
		if x := extra(vals); x != "" {
			return append(append([]string{}, vals...), x)
		}
		return nil
	}
	less := func() []string {
		if len(vals) == 0 {
			return nil
		}
		return append([]string{}, vals[:len(vals)-1]...)
	}
	switch p.Op {
	case "set_eq":
		pass = [][]string{vals}
		fail = [][]string{more(), less()}
	case "subset":
		pass = [][]string{vals}
		fail = [][]string{more()}
	case "superset":
		pass = [][]string{vals}
		if m := more(); m != nil {
			pass = append(pass, m)
		}
		fail = [][]string{less()}
	case "empty":
		pass = [][]string{{}}
		fail = [][]string{{extra(nil)}}
	case "nonempty":
		pass = [][]string{{extra(nil)}}
		fail = [][]string{{}}
	}
	return dropNil(pass), dropNil(fail)
}

func dropNil(in [][]string) [][]string {
	var out [][]string
	for _, l := range in {
		if l != nil {
			out = append(out, l)
		}
	}
	return out
}

// extraSID is a principal the values do not name, most privileged first
// in what it would give away: Everyone, Guests, Users, Anonymous.
func extraSID(values []string) string {
	for _, sid := range []string{"S-1-1-0", "S-1-5-32-546", "S-1-5-32-545", "S-1-5-7"} {
		found := false
		for _, v := range values {
			if r, err := resolveSID(v, nil); err == nil && strings.EqualFold(r, sid) {
				found = true
			}
		}
		if !found {
			return sid
		}
	}
	return ""
}

func extraAuditFlag(values []string) string {
	for _, f := range []string{"success", "failure"} {
		found := false
		for _, v := range values {
			found = found || strings.EqualFold(v, f)
		}
		if !found {
			return f
		}
	}
	return ""
}

// domainCases sorts every value of a small domain (start types) into
// those the expectation accepts and those it refuses.
func domainCases(p checks.Predicate, domain []string) (pass, fail []string) {
	for _, v := range domain {
		if expectHolds(p, record{"": v}, nil) {
			pass = append(pass, v)
		} else {
			fail = append(fail, v)
		}
	}
	return pass, fail
}

// accountsCases: fail makes one sample account match the condition through
// the writer (it enables an account whose other flags already match);
// pass disables every account that matches.
func accountsCases(ctx context.Context, h checks.Host, where checks.Predicate) (fail, pass func(context.Context, *snapshot.Host) error, err error) {
	accts, err := h.Accounts(ctx)
	if err != nil {
		return nil, nil, err
	}
	var target string
	for _, a := range accts {
		r := accountFields(a)
		r["disabled"] = "false"
		if expectHolds(where, r, nil) {
			target = a.SID
			break
		}
	}
	if target == "" {
		return nil, nil, fmt.Errorf("no sample account can be made to match %s through the writer", describeOp(where))
	}
	if expectHolds(where, record{"disabled": "true"}, nil) {
		return nil, nil, fmt.Errorf("disabling an account does not end a match of %s", describeOp(where))
	}
	fail = func(ctx context.Context, h *snapshot.Host) error { return h.SetAccountDisabled(ctx, target, false) }
	pass = func(ctx context.Context, h *snapshot.Host) error {
		accts, err := h.Accounts(ctx)
		if err != nil {
			return err
		}
		for _, a := range accts {
			if expectHolds(where, accountFields(a), nil) {
				if err := h.SetAccountDisabled(ctx, a.SID, true); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return fail, pass, nil
}

func accountFields(a checks.Account) record {
	return record{
		"name":              a.Name,
		"disabled":          strconv.FormatBool(a.Disabled),
		"password_required": strconv.FormatBool(a.PasswordRequired),
		"password_expires":  strconv.FormatBool(a.PasswordExpires),
		"lockout":           strconv.FormatBool(a.Lockout),
	}
}

// volumeFixtures are written by hand: Win32_EncryptableVolume rows
// (DriveLetter, ProtectionStatus) on a Windows 7 Enterprise sample.
var volumeFixtures = []struct {
	name string
	rows [][2]string
	want checks.Status
}{
	{"C: and D: protected", [][2]string{{"C:", "1"}, {"D:", "1"}}, checks.Pass},
	{"D: not protected", [][2]string{{"C:", "1"}, {"D:", "0"}}, checks.Fail},
	{"no encryptable volume", nil, checks.Fail},
}

func describeOp(p checks.Predicate) string {
	if p.Op != "" {
		return "op " + p.Op
	}
	return "a composite expectation"
}

func unique(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

func show(list []string) string {
	if len(list) == 0 {
		return "(empty list)"
	}
	return "[" + strings.Join(list, ", ") + "]"
}

// samples makes the sample snapshots the fixtures need, derived from the
// generator's output by editing single files in a copy: a Windows 7
// Enterprise edition (BitLocker), and qfe.csv with and without an update.
type samples struct {
	t       *testing.T
	dirs    map[string]string
	readers map[string]*snapshot.Host
	ref     reference
}

// reader is a sample opened once for what the fixtures need to know about
// it (its accounts, language, services); it is never written.
func (s *samples) reader(dir string) (*snapshot.Host, error) {
	if h, ok := s.readers[dir]; ok {
		return h, nil
	}
	h, err := snapshot.Open(dir)
	if err != nil {
		return nil, err
	}
	s.readers[dir] = h
	return h, nil
}

// base is the sample a check starts from: the vendor Windows 7 or the XP
// sample; BitLocker checks need an edition that has BitLocker.
func (s *samples) base(ch checks.Check, osName string) string {
	if osName == "xp" {
		return xpSample
	}
	if ch.Level == "BL" || ch.Probe.Volumes != nil {
		dir, err := s.volumeVariant(win7Sample, [][2]string{{"C:", "1"}})
		require.NoError(s.t, err)
		return dir
	}
	return win7Sample
}

// variant copies a sample and rewrites some of its files (by slash path;
// the function gets the old text, "" when the file is new).
func (s *samples) variant(base, label string, edit map[string]func(string) string) (string, error) {
	key := base + "|" + label
	if d, ok := s.dirs[key]; ok {
		return d, nil
	}
	dir := filepath.Join(s.t.TempDir(), filepath.Base(base))
	err := filepath.Walk(base, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(base, path)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		return "", err
	}
	for rel, f := range edit {
		path := filepath.Join(dir, filepath.FromSlash(rel))
		old := ""
		if b, err := os.ReadFile(path); err == nil {
			old = fromUTF16(b)
		}
		if err := os.WriteFile(path, winfmt.UTF16File(f(old)), 0o644); err != nil {
			return "", err
		}
	}
	s.dirs[key] = dir
	return dir, nil
}

// volumeVariant turns the Windows 7 Professional sample into Enterprise
// (which has BitLocker) with the given encryptable volumes.
func (s *samples) volumeVariant(base string, rows [][2]string) (string, error) {
	return s.variant(base, fmt.Sprintf("volumes %v", rows), map[string]func(string) string{
		"wmic/os.csv": func(old string) string {
			return strings.Replace(strings.Replace(old, "Windows 7 Professional", "Windows 7 Enterprise", 1), ",48,64-bit,", ",4,64-bit,", 1)
		},
		"wmic/encryptablevolume.csv": func(string) string {
			text := "\r\nNode,DriveLetter,ProtectionStatus\r\n"
			for _, r := range rows {
				text += "ICU-CS01," + r[0] + "," + r[1] + "\r\n"
			}
			return text
		},
	})
}

// hotfixVariants are the sample with the first listed update added to
// qfe.csv, and with every listed update removed.
func (s *samples) hotfixVariants(base string, kbs []string) (with, without string, err error) {
	listed := map[string]bool{}
	for _, kb := range kbs {
		listed[strings.ToUpper(kb)] = true
	}
	edit := func(add bool) func(string) string {
		return func(old string) string {
			lines := strings.Split(strings.TrimSuffix(old, "\r\n"), "\r\n")
			var header []string
			node := ""
			var out []string
			for _, l := range lines {
				cols := strings.Split(l, ",")
				if header == nil {
					out = append(out, l)
					if strings.HasPrefix(l, "Node,") {
						header = cols
					}
					continue
				}
				node = cols[0]
				id := ""
				for j, c := range header {
					if c == "HotFixID" && j < len(cols) {
						id = cols[j]
					}
				}
				if !listed[strings.ToUpper(id)] {
					out = append(out, l)
				}
			}
			if add {
				row := make([]string, len(header))
				for j, c := range header {
					switch c {
					case "Node":
						row[j] = node
					case "HotFixID":
						row[j] = kbs[0]
					case "Description":
						row[j] = "Security Update"
					}
				}
				out = append(out, strings.Join(row, ","))
			}
			return strings.Join(out, "\r\n") + "\r\n"
		}
	}
	with, err = s.variant(base, "with "+kbs[0], map[string]func(string) string{"wmic/qfe.csv": edit(true)})
	if err != nil {
		return "", "", err
	}
	without, err = s.variant(base, "without "+strings.Join(kbs, ","), map[string]func(string) string{"wmic/qfe.csv": edit(false)})
	return with, without, err
}

// fromUTF16 decodes a UTF-16LE file with a BOM, as wmic writes it.
func fromUTF16(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE {
		b = b[2:]
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return string(utf16.Decode(u))
}

// refAddress is where an independent reading of the benchmark says a
// setting lives: ../shared/reference holds the CIS Windows 7 rows of a
// public PowerShell audit and the XP rows of the DISA STIG.
type refAddress struct{ kind, location, name string }

func (r refAddress) String() string { return r.kind + " " + r.location + " " + r.name }

// section is the secedit section of a location such as
// "secedit INF [System Access]".
func (r refAddress) section() string {
	i, j := strings.Index(r.location, "["), strings.LastIndex(r.location, "]")
	if i < 0 || j < i {
		return r.location
	}
	return r.location[i+1 : j]
}

// reference holds the rows of each id; an XP STIG item can name several
// settings, of which a check reads one.
type reference map[string][]refAddress

// v310Number is the reference's (CIS Windows 7 v3.1.0) number of the
// checks whose v3.2.0 number the reference gives to another recommendation,
// so that they cannot carry it as an alias; "" for a recommendation new in
// v3.2.0 whose number the reference uses for another.
var v310Number = map[string]string{
	"2.3.17.2": "2.3.17.3", "2.3.17.3": "2.3.17.4", "2.3.17.4": "2.3.17.5", "2.3.17.5": "2.3.17.6",
	"2.3.17.6": "2.3.17.7", "2.3.17.7": "2.3.17.8", "17.6.1": "", "17.6.2": "17.6.1", "17.6.3": "17.6.2",
	"18.3.6": "18.5.4.1", "18.3.7": "18.3.6", "18.8.37.1": "18.8.36.1", "18.8.37.2": "18.8.36.2",
	"MH-RETIRED-1": "2.3.17.2", "MH-RETIRED-2": "17.2.2", "MH-RETIRED-3": "17.2.3",
}

// find looks a check up by its id and by its earlier ids. The Windows 7
// reference is numbered as v3.1.0, so a Windows 7 check's earlier id comes
// first.
func (ref reference) find(ch checks.Check) []refAddress {
	win7 := len(ch.OS) > 0 && ch.OS[0] == "win7"
	ids := append([]string{ch.ID}, ch.Aliases...)
	if n, ok := v310Number[ch.ID]; ok && win7 {
		ids = []string{n}
	} else if win7 {
		ids = append(append([]string{}, ch.Aliases...), ch.ID)
	}
	for _, id := range ids {
		if r, ok := ref[id]; ok {
			return r
		}
	}
	return nil
}

func auditNamed(refs []refAddress, name string) bool {
	for _, r := range refs {
		if r.kind == "auditpol" && strings.EqualFold(r.name, name) {
			return true
		}
	}
	return false
}

// firewallLocal is how the reference adds the firewall's local key to the
// policy key: "HKLM\...\DomainProfile (or local: HKLM\...)".
var firewallLocal = regexp.MustCompile(` \(or local: [^)]*\)`)

// loadReference reads the reference lists beside the checkout (CI has
// them); without them the fixtures are still made, with a note.
func loadReference(t *testing.T) reference {
	ref := reference{}
	dir := filepath.Join("..", "..", "shared", "reference")
	for _, name := range []string{"cis-win7-recommendations.csv", "winxp-recommendations.csv"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Logf("no reference addresses: %v", err)
			return reference{}
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		require.NoError(t, err, name)
		col := map[string]int{}
		for i, c := range rows[0] {
			col[c] = i
		}
		for _, r := range rows[1:] {
			a := refAddress{kind: r[col["kind"]], location: firewallLocal.ReplaceAllString(r[col["location"]], ""), name: r[col["value_name"]]}
			if a.name == "(Default)" {
				a.name = ""
			}
			ref[r[col["cis_id"]]] = append(ref[r[col["cis_id"]]], a)
		}
	}
	return ref
}
