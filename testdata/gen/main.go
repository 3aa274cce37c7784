// Command gen writes the collector snapshots under testdata/snapshots:
//
//	go run ./testdata/gen            (from the module root)
//
// Each snapshot is what the medharden collector (a .cmd script using only
// tools built into Windows XP SP3 and 7) leaves behind on one machine,
// byte for byte in Windows' own encodings: UTF-16LE with BOM for reg
// export, secedit and wmic; ANSI for collect.log and the Winlogon export
// that passes through `type`; CRLF everywhere. The machines are described
// as tables (win7.go, win7reg.go, win7_hardened.go, xp.go); collect.go
// plays the collector against them. The output is deterministic: no clock,
// no randomness, fixed file times.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", filepath.Join("testdata", "snapshots"), "directory that receives the snapshot folders")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	for _, h := range []*host{icuVendor(), icuHardened(), pumpXP(), icuFrench(), icuGerman()} {
		s := collect(h)
		if err := s.write(*out); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d files\n", filepath.Join(*out, s.dir), len(s.files)+1)
	}
	n, err := writeGPO(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d files\n", filepath.Join(*out, gpoDir), n)
}
