// Package winfmt reads the text files that built-in Windows tools write
// (regedit/reg export, secedit /export, wmic /format:csv, auditpol /backup)
// and writes .reg and secedit .inf files for remediation packs.
//
// Files are taken as Windows writes them: UTF-16LE with BOM, ANSI
// (Windows-1252) or UTF-8, with CRLF line ends. Errors are *ParseError
// values that name the file and the 1-based line, so a user can open the
// file and see the problem.
package winfmt
