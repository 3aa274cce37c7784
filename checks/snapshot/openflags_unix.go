//go:build unix

package snapshot

import "syscall"

// openFlags: a FIFO put in place after the type check must not block open.
const openFlags = syscall.O_NONBLOCK
