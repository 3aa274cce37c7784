// Package checks is medharden's audit core: the Host boundary, the
// catalog and the engine that judges it.
//
//   - Host is the only door to the operating system. checks/snapshot reads
//     a collector folder (writes go to an in-memory overlay); checks/live is
//     the running Windows. Each host says what it is (Host.Identity: this
//     computer, or a snapshot with its folder and collection time), and both
//     pass the conformance suite in checks/hosttest.
//   - The catalog (catalog/*.yaml, embedded) is data: one Check per
//     recommendation with its Probe, its expectation and its Fix. Profiles
//     select checks by level and Windows version.
//   - Kind names where a probe reads and where a setting lives (registry,
//     security policy, user right, audit subcategory, service, account, ...).
//     One table in kind.go holds, per kind, how the engine observes it, how
//     people are told where it lives, and how a setting of that kind is read,
//     written, restored, compared and shown: the engine, remediate and the
//     window's detail pane all use it.
//   - Audit runs a profile's checks on a host and returns a Report; a
//     check that cannot read its input is an error, never a pass.
//   - The device model (people, their hives, services and tasks) lives
//     here too, so remediation's guards reason over the device, not names.
//
// checks imports nothing of medharden above it: remediate, assets and app
// build on it.
package checks
