// Package remediate changes a host's settings so that failed checks pass,
// and can always put them back.
//
// The pipeline has six stages, and every front end (CLI, GUI) walks the
// same ones:
//
// Plan. NewPlan turns an audit report and a selection (every failed check,
// the failed checks of one 80001-2-2 capability, or chosen ids) into a
// Plan: for each check, the setting it changes (a registry value, a
// security-policy key, a user right, an audit subcategory, a service's
// start type or a local account), the value found and the target. Making
// a plan reads the host and writes nothing. Checks without an automatic
// fix become manual steps with their text. The safety guards run here, so
// a refused change is shown, with the reason, before anything happens:
// the logged-on account is never disabled or renamed; an enabled
// administrator always remains; the operator keeps the right to log on at
// the console; Remote Desktop is not cut while it is in use or declared as
// the management path; services and accounts on the tailoring file's
// do-not-touch list are left alone; the emergency account stays enabled,
// and lockout policy is flagged as affecting it. When it is not known who
// is logged on, every change that could lock someone out is refused.
//
// Backup. Apply reads every setting again just before the first write and
// refuses a plan the host no longer matches. The values, whether each
// existed, the host's identity, the time, the tool version and the user go
// into backup.json in a new run folder (root/<id>/, administrators only),
// written through a temporary file, fsync and rename, then made read-only;
// its SHA-256 is kept beside it and in the journal, and its HMAC-SHA256
// under a per-machine key (runs.key beside the runs folder, readable by
// administrators only) beside it. For a registry value that did not exist,
// the keys writing it creates are recorded too.
//
// Journal. journal.jsonl is append-only. Each change is announced (and
// flushed to disk) before it is made and confirmed after; the journal is
// closed with the run's final state. Each record carries an HMAC chained to
// the previous record, so a changed, added, removed or reordered line is
// found; a last line without its newline is a torn write and is dropped. A journal that is not closed means
// the process died mid-run: Pending finds such runs at the next start, and
// the CLI refuses to go on until the run is rolled back or resumed.
//
// Apply. Steps run in plan order. If a change fails, or the run is
// cancelled, the changes already made are rolled back at once, so the host
// is as before, and the error says so.
//
// Verify. Every touched setting is read back through the Host and compared
// with its target, and every touched check is evaluated again; what did
// not take is reported.
//
// Rollback. Rollback restores, in reverse order, every setting of the
// backup that does not hold its old value (so a journal cut short cannot
// leave a change in place): values that did not exist are deleted, policy
// keys that were not defined are cleared, rights, audit policy, service
// start types and account state get their old values; then the keys the
// apply created are deleted if empty. It refuses a backup or journal whose
// HMAC does not match or that was taken on another system unless forced,
// and always a run outside the runs folder, a runs folder or key others may
// change, or a backup naming a setting no fix of the catalog writes.
// Running it twice has the effect of running it once.
//
// Recovery. After a crash, Rollback undoes the interrupted run (announced
// steps included, as they may or may not have happened), or Resume
// finishes it: confirmed steps that still hold are kept, the others are
// made again, then the run is verified. Setting a value twice is the same
// as setting it once, which is what makes both safe.
//
// For systems medharden cannot run on (Windows XP) or must not run on (a
// vendor's image build), BuildPack writes the plan as an offline pack:
// apply.cmd and undo.cmd with .reg and .inf files that need only tools
// built into Windows; undo restores the snapshot's values.
package remediate
