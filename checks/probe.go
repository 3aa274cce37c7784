package checks

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// One observe function per probe kind; the kinds table picks the one.

func observeRegistry(ctx context.Context, h Host, p Probe) (observation, error) {
	keys := append([]string{p.Registry.Key}, p.Registry.Fallback...)
	var lastErr error
	for _, key := range keys {
		v, err := h.RegValue(ctx, key, p.Registry.Value)
		src := key + `\` + p.Registry.Value
		if errors.Is(err, ErrAbsent) {
			lastErr = err
			continue
		}
		if err != nil {
			return observation{source: src}, fmt.Errorf("read %s: %w", src, err)
		}
		val, disp := regObservation(v)
		_, text := val.(string)
		isText := text && (v.Type == RegSZ || v.Type == RegExpandSZ)
		secret := isText && strings.Contains(strings.ToLower(p.Registry.Value), "password")
		return observation{value: val, display: disp, source: src, secret: secret}, nil
	}
	return observation{source: p.Registry.Key + `\` + p.Registry.Value}, lastErr
}

func observeSecPol(ctx context.Context, h Host, p Probe) (observation, error) {
	src := "[" + p.SecPol.Section + "] " + p.SecPol.Key
	s, err := h.SecPolicy(ctx, p.SecPol.Section, p.SecPol.Key)
	if err != nil {
		if errors.Is(err, ErrAbsent) {
			return observation{source: src}, err
		}
		return observation{source: src}, fmt.Errorf("read security policy %s: %w", src, err)
	}
	s = unquote(s)
	return observation{value: s, display: s, source: src}, nil
}

func observeRight(ctx context.Context, h Host, p Probe) (observation, error) {
	src := "[Privilege Rights] " + p.Right
	sids, err := h.UserRight(ctx, p.Right)
	if err != nil {
		return observation{source: src}, fmt.Errorf("read user right %s: %w", p.Right, err)
	}
	return observation{value: sids, display: sidList(sids), source: src}, nil
}

func observeAudit(ctx context.Context, h Host, p Probe) (observation, error) {
	src := "audit policy " + p.Audit.Name + " " + p.Audit.GUID
	f, err := h.AuditPolicy(ctx, p.Audit.GUID)
	if err != nil {
		if errors.Is(err, ErrAbsent) {
			return observation{source: src}, err
		}
		return observation{source: src}, fmt.Errorf("read audit policy %s: %w", p.Audit.Name, err)
	}
	var flags []string
	if f.Success {
		flags = append(flags, "success")
	}
	if f.Failure {
		flags = append(flags, "failure")
	}
	return observation{value: flags, display: f.String(), source: src}, nil
}

func observeService(ctx context.Context, h Host, p Probe) (observation, error) {
	src := "service " + p.Service
	st, err := h.ServiceStart(ctx, p.Service)
	if err != nil {
		if errors.Is(err, ErrAbsent) {
			return observation{source: src}, err
		}
		return observation{source: src}, fmt.Errorf("read service %s: %w", p.Service, err)
	}
	return observation{value: st.String(), display: st.String(), source: src}, nil
}

func observeDriver(ctx context.Context, h Host, p Probe) (observation, error) {
	key := `HKLM\SYSTEM\CurrentControlSet\Services\` + p.Driver
	src := "driver " + p.Driver + " (" + key + `\Start)`
	v, err := h.RegValue(ctx, key, "Start")
	if err != nil {
		if errors.Is(err, ErrAbsent) {
			return observation{source: src}, err
		}
		return observation{source: src}, fmt.Errorf("read driver %s: %w", p.Driver, err)
	}
	n, ok := v.Uint64()
	if !ok || n > 4 {
		return observation{source: src}, fmt.Errorf("%s\\Start is not a start type (type %d)", key, v.Type)
	}
	st := StartType(n)
	return observation{value: st.String(), display: st.String(), source: src}, nil
}

func observeAccounts(ctx context.Context, h Host, p Probe) (observation, error) {
	src := "local accounts"
	accts, err := h.Accounts(ctx)
	if err != nil {
		return observation{source: src}, fmt.Errorf("list local accounts: %w", err)
	}
	if p.Accounts != nil {
		recs := make([]record, 0, len(accts))
		names := make([]string, 0, len(accts))
		for _, a := range accts {
			recs = append(recs, accountRecord(a))
			names = append(names, a.Name)
		}
		return observation{value: recs, display: fmt.Sprintf("%d accounts: %s", len(accts), strings.Join(names, ", ")), source: src}, nil
	}
	for _, a := range accts {
		if a.RID() == p.Account.RID {
			rec := accountRecord(a)
			return observation{value: rec, display: describeAccount(a), source: src + " (RID " + p.Account.RID + ")"}, nil
		}
	}
	return observation{source: src}, ErrAbsent
}

func observeHotfix(ctx context.Context, h Host, p Probe) (observation, error) {
	src := "installed updates"
	fixes, err := h.Hotfixes(ctx)
	if err != nil {
		return observation{source: src}, fmt.Errorf("list installed updates: %w", err)
	}
	want := map[string]bool{}
	for _, kb := range p.Hotfix {
		want[strings.ToUpper(kb)] = true
	}
	var found []string
	for _, f := range fixes {
		if want[strings.ToUpper(f.ID)] {
			found = append(found, strings.ToUpper(f.ID))
		}
	}
	disp := "none of " + strings.Join(p.Hotfix, ", ") + fmt.Sprintf(" among %d installed updates", len(fixes))
	if len(found) > 0 {
		disp = "installed: " + strings.Join(found, ", ")
	}
	return observation{value: found, display: disp, source: src}, nil
}

func observeVolumes(ctx context.Context, h Host, p Probe) (observation, error) {
	src := "BitLocker volumes (Win32_EncryptableVolume)"
	vols, err := h.Volumes(ctx)
	if err != nil {
		if errors.Is(err, ErrNotSupported) {
			return observation{source: src}, err
		}
		return observation{source: src}, fmt.Errorf("read encryption status: %w", err)
	}
	recs := make([]record, 0, len(vols))
	var parts []string
	for _, v := range vols {
		recs = append(recs, record{"name": v.DriveLetter, "drive_letter": v.DriveLetter, "protection_status": strconv.Itoa(v.ProtectionStatus)})
		parts = append(parts, v.DriveLetter+" "+protection(v.ProtectionStatus))
	}
	disp := "no volumes"
	if len(parts) > 0 {
		disp = strings.Join(parts, ", ")
	}
	return observation{value: recs, display: disp, source: src}, nil
}
