// Package outfile writes the files medharden produces: reports, exports,
// inventories, fields files, backups, pack files and the collector script.
// It sits under checks, below every package that writes, so there is one
// writer and one rule about where it may write.
//
// Write is crash-safe: a temporary file in the target's folder, the data
// and the caller's mode, fsync, rename over the target, fsync of the
// folder. A crash or power loss leaves the old file or the complete new
// one, never half of it.
//
// medharden writes only regular files (and pack folders). A rename
// replaces whatever the name pointed to: run as root or Administrator,
// "--out /dev/full" would turn a device node into a file, and a symbolic
// link would silently stop being one. So a target that exists must be a
// regular file (a folder for a pack), a symbolic link or junction is
// refused rather than followed, and Windows device names (NUL, CON, COM1
// ...) are refused on every system. Only the last element is examined:
// folders on the way may be links. Write applies the rule itself, before
// anything is written.
//
// CSVCell and the UTF-16 encoder used for Windows' files (checks.UTF16LE)
// are the other rules every writer shares.
package outfile
