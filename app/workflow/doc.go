// Package workflow is the spine of the medharden application: the one
// sequence that both front ends, the command line (app/cmd_*.go) and the
// window (app/gui's State), call, so that they cannot drift apart. Neither
// front end holds policy; each turns flags or clicks into these calls and
// shows what comes back.
//
// The steps, in order:
//
//   - Open: a snapshot folder or this computer becomes a Target with a
//     typed Identity (Live or Snapshot, host name, OS, folder), decided
//     once; nothing downstream guesses the kind from the host.
//   - Audit (Session.Load, Session.Audit): the catalog with the tailoring's
//     overrides, the profile (a profile for another Windows version, or one
//     that disagrees with the tailoring file, is refused), the checks with
//     the tailoring's waivers, the inventory's critical exposures beside
//     them (waived the same way), the checks of a vendor baseline
//     (SetVendorBaseline: MH-GPO-n, alone with the profile NoProfile)
//     after them, and the marks of overrides and expired waivers. Done
//     once; every report, plan and screen uses its result.
//   - Plan: remediate plans the checks' results; each selected exposure is
//     linked to the steps of the plan that fix it, or becomes a manual step
//     saying what does. WritePack writes the plan as an offline pack,
//     WriteGPO as a GPO backup; both refuse a plan made after a rehearsal.
//     ImportBaseline turns a vendor baseline into a tailoring file.
//   - Apply, Resume, Rollback: runs on this computer are kept in the runs
//     folder and recorded in the Application event log with the
//     technician's account and the tool version; rehearsals on a snapshot
//     (changes to an in-memory copy) are kept in a rehearsals folder of
//     their own, so a crashed rehearsal never blocks a run on a real
//     system. Session.Pending looks only in the open target's folder.
//   - Inventory: the device record with the technician fields.
//   - Baselines and drift (SaveBaseline, LoadBaseline, Drift): the settings
//     the profile's checks read, recorded as validated with a SHA-256 of
//     the content, and compared with a later snapshot.
//   - Compare: the record of a hardening visit, two snapshots of one
//     device audited as Load audits them: the settings changed (the same
//     comparison as Drift), the findings closed, those that remain with
//     why (a waiver, a guard's refusal in the plan of the after snapshot,
//     a manual step), and the new ones.
//   - Evidence: the IEC/TR 80001-2-2 evidence document of the audited
//     target (one section per capability with its checks, waivers, manual
//     steps and the history of verified runs only), with a SHA-256
//     manifest of the snapshot files and of the canonical JSON of the
//     data; Signer signs the written document (detached PKCS#7).
//
// Errors a user can correct are InputError (exit 2 on the command line,
// mapped with the other sentinels in app/main.go's exitCode); anything
// else is internal (exit 3).
package workflow
