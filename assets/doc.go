// Package assets is the device's identity and inventory: what the device is
// (hostname, model, BIOS serial, adapters, OS and patch level, software,
// local accounts, services), where it stands and who owns it (fields a
// technician enters), and which critical legacy exposures it carries
// (MS17-010, BlueKeep, MS08-067, SMBv1, end-of-support Windows).
//
// Collect reads a record through the same Host the checks use, so a live
// device and a collector snapshot give the same record. A record exports as
// JSON (one device) or CSV (one row per device, columns in COLUMNS.md), and
// Merge folds many records into a fleet inventory: one device across
// hostname changes, moves between locations, asset tags used twice, and
// devices no longer seen (ghost assets).
//
// The package holds no UI: the CLI and the GUI's Assets tab call the same
// functions (Collect, LoadFields/SaveFields, Fields.Validate, WriteJSON,
// WriteCSV, Merge). No export ever holds a password: none is ever read.
package assets
