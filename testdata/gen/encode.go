package main

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"unicode/utf16"
)

// The encodings Windows' own tools write. reg export, secedit /export and
// wmic /output write UTF-16LE with a byte order mark; cmd's type and echo
// write the ANSI code page (Windows-1252 on an English system). Every tool
// ends lines with CRLF.

// The generator keeps its own UTF-16 encoder rather than medharden's
// (checks.UTF16LE): it is stdlib only, so the samples every reader test
// runs on do not share code with what they test.

// utf16le encodes s as UTF-16LE, without BOM or NUL.
func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		b = append(b, byte(c), byte(c>>8))
	}
	return b
}

// unicodeFile encodes text as UTF-16LE with a BOM.
func unicodeFile(text string) []byte {
	return append([]byte{0xFF, 0xFE}, utf16le(text)...)
}

// ansiFile encodes text in Windows-1252. Only ASCII and the Latin-1 range
// that Windows-1252 shares with Unicode are accepted: that is all the
// snapshots need, and anything else is a bug in the tables.
func ansiFile(text string) []byte {
	b := make([]byte, 0, len(text))
	for _, r := range text {
		if r < 0x80 || (r >= 0xA0 && r <= 0xFF) {
			b = append(b, byte(r))
			continue
		}
		panic(fmt.Sprintf("ansiFile: %q has no Windows-1252 byte in this generator", r))
	}
	return b
}

// crlf ends every line with CRLF.
func crlf(lines []string) string {
	var sb strings.Builder
	for _, l := range lines {
		sb.WriteString(l)
		sb.WriteString("\r\n")
	}
	return sb.String()
}

// utf16z is a string as the registry stores it: UTF-16LE plus a NUL.
func utf16z(s string) []byte {
	return append(utf16le(s), 0, 0)
}

// pseudo returns n bytes that look random but are fixed by label, for
// opaque binary values (caches, GUID blobs, DHCP options). No randomness:
// the same label always gives the same bytes.
func pseudo(label string, n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	block := sha256.Sum256([]byte(label))
	for len(out) < n {
		out = append(out, block[:]...)
		block = sha256.Sum256(block[:])
	}
	return out[:n]
}
