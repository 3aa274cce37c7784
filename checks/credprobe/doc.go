// Package credprobe finds blank and vendor-default passwords of local
// accounts on a running Windows without ever locking an account out.
//
// It asks Windows one question per attempt: LogonUserW with
// LOGON32_LOGON_NETWORK and LOGON32_PROVIDER_DEFAULT, for the account on
// this computer (domain "."), with an empty password (the blank test) or a
// vendor's published default password (the vendor-default test). The
// answer codes and what they mean are in answer.go.
//
// A wrong password costs one bad-password count (the Security log records
// event 4625), so before every attempt the probe reads the lockout policy
// (NetUserModalsGet level 3: threshold, observation window, duration) and
// the account's bad-password count and flags (NetUserGetInfo level 3), and
// tries only while at least Margin failures would remain before the
// threshold after the attempt (budget.go). Before the first attempt it
// writes one Application event naming who probes, which accounts and how
// many attempts at most, so a SOC can tell the probe from an attack.
//
// The Windows calls live in checks/live; this package talks to them
// through the API interface, so every path is tested against recorded
// answers (Wine's LogonUser is a stub and proves nothing).
package credprobe
