package live

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"medharden/checks"
)

// AUDIT_POLICY_INFORMATION.AuditingInformation bits (ntsecapi.h).
const (
	auditSuccess = 0x1
	auditFailure = 0x2
	auditNone    = 0x4 // "no auditing"; 0 would mean "leave unchanged"
)

// guid has the layout of a Windows GUID.
type guid struct {
	Data1 uint32
	Data2 uint16
	Data3 uint16
	Data4 [8]byte
}

// parseGUID reads "{0cce923f-69ae-11d9-bed3-505054503030}", with or without
// braces, as the catalog writes subcategories.
func parseGUID(s string) (guid, error) {
	var g guid
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
		t = t[1 : len(t)-1]
	}
	p := strings.Split(t, "-")
	if len(p) != 5 || len(p[0]) != 8 || len(p[1]) != 4 || len(p[2]) != 4 || len(p[3]) != 4 || len(p[4]) != 12 {
		return g, fmt.Errorf("audit subcategory %q is not a GUID like {0cce923f-69ae-11d9-bed3-505054503030}", s)
	}
	d1, err1 := strconv.ParseUint(p[0], 16, 32)
	d2, err2 := strconv.ParseUint(p[1], 16, 16)
	d3, err3 := strconv.ParseUint(p[2], 16, 16)
	d4, err4 := hex.DecodeString(p[3] + p[4])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
		return g, fmt.Errorf("audit subcategory %q is not a GUID: bad hex digits", s)
	}
	g.Data1, g.Data2, g.Data3 = uint32(d1), uint16(d2), uint16(d3)
	copy(g.Data4[:], d4)
	return g, nil
}

func auditFlags(info uint32) checks.AuditFlags {
	return checks.AuditFlags{Success: info&auditSuccess != 0, Failure: info&auditFailure != 0}
}

func auditInfo(f checks.AuditFlags) uint32 {
	var v uint32
	if f.Success {
		v |= auditSuccess
	}
	if f.Failure {
		v |= auditFailure
	}
	if v == 0 {
		return auditNone
	}
	return v
}
