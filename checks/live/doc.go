// Package live is the Host that reads and changes the running Windows.
//
// It asks the native APIs first: the registry through
// golang.org/x/sys/windows/registry (always the 64-bit view, so a 32-bit
// build on 64-bit Windows sees what Windows uses), services and drivers
// through the service control manager with query or change-config rights
// only, account and lockout policy through NetUserModalsGet/Set, local
// accounts through NetUserEnum, user rights through the LSA, advanced audit
// policy through AuditQuerySystemPolicy, and installed updates and BitLocker
// through WMI. Security options that exist only in the security database
// (NewAdministratorName, LSAAnonymousNameLookup, ...) come from a single
// `secedit /export` per Host, read once and cached; writes to them go through
// `secedit /configure` with a generated template.
//
// The files without a build tag hold the Windows-free half: registry path
// splitting, the mapping of NetUserModals structures to secedit's names,
// account flags, audit GUIDs and the user-right diff. They are tested on any
// machine with recorded API results; the Windows half is tested against the
// real registry and service manager under Wine (testdata/wine-test.sh).
// Wine's LSA, NetUserModals*, audit policy and secedit are stubs, so those
// paths are covered by the recorded-result tests only.
package live
