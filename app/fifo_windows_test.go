package main

// mkfifo is nil: Windows has no named pipes in folders.
var mkfifo func(path string) error
