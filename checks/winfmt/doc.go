// Package winfmt reads the text files that built-in Windows tools write
// (regedit/reg export, secedit /export, wmic /format:csv, auditpol /backup)
// and writes .reg and secedit .inf files for remediation packs. It also
// reads and writes Group Policy's binary registry.pol (PReg) and LGPO text.
//
// Files are taken as Windows writes them: UTF-16LE with BOM, ANSI
// (Windows-1252) or UTF-8, with CRLF line ends. Errors are *ParseError
// values that name the file and the 1-based line, so a user can open the
// file and see the problem. A registry.pol has no lines: its errors say
// "record at offset N" with the record's byte offset instead.
package winfmt
