package checks

import "context"

// Writer changes settings. Remediation is its only caller; the live host
// writes to Windows, the snapshot host to an in-memory overlay so that every
// plan can be applied, verified and rolled back in tests.
type Writer interface {
	SetRegValue(ctx context.Context, key, name string, v RegValue) error
	// DeleteRegValue removes a value; removing an absent value is not an error.
	DeleteRegValue(ctx context.Context, key, name string) error
	SetSecPolicy(ctx context.Context, section, name, value string) error
	// ClearSecPolicy makes a security-policy key "not defined" again.
	ClearSecPolicy(ctx context.Context, section, name string) error
	SetUserRight(ctx context.Context, right string, sids []string) error
	SetAuditPolicy(ctx context.Context, subcategoryGUID string, f AuditFlags) error
	SetServiceStart(ctx context.Context, name string, st StartType) error
	SetAccountDisabled(ctx context.Context, sid string, disabled bool) error
	RenameAccount(ctx context.Context, sid, name string) error
	// RegKeyExists tells whether a registry key exists, so that an apply
	// can record the keys its writes create.
	RegKeyExists(ctx context.Context, key string) (bool, error)
	// DeleteEmptyRegKey removes a key that holds neither values nor
	// subkeys and reports whether it did; a key with content is left alone
	// and an absent key is not an error.
	DeleteEmptyRegKey(ctx context.Context, key string) (bool, error)
}

// HostWriter is a host that can also be changed.
type HostWriter interface {
	Host
	Writer
}
