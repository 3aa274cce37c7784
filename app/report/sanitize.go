package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// Text from the host (host names, file names, account names, values) may
// hold bytes that drive a terminal: ESC starts sequences that clear the
// screen, move the cursor or retitle the window; C1 controls do the same on
// some terminals; a lone CR overwrites a line; bidirectional overrides
// reorder what is shown. Sanitize and NewSafeWriter show each as a code, so
// the sequence after it is plain text.

// escapeRune returns how r is shown, and false when it is shown as itself.
// C0 controls are \xNN; DEL, C1 controls and bidirectional overrides are
// \uNNNN, which inside a JSON string is the same character again, so JSON
// passed through NewSafeWriter stays valid and unchanged in meaning.
func escapeRune(r rune) (string, bool) {
	switch {
	case r == '\n' || r == '\t':
		return "", false
	case r < 0x20:
		return fmt.Sprintf(`\x%02x`, r), true
	case r >= 0x7f && r < 0xa0, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return fmt.Sprintf(`\u%04x`, r), true
	}
	return "", false
}

// Sanitize shows every control character of s as a code, keeping tabs,
// line feeds and the CR of a CRLF. Invalid UTF-8 becomes U+FFFD.
func Sanitize(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r == '\r' && i+1 < len(s) && s[i+1] == '\n' {
			b.WriteByte('\r')
			continue
		}
		if e, ok := escapeRune(r); ok {
			b.WriteString(e)
			continue
		}
		b.WriteRune(r) // invalid UTF-8 arrives here as U+FFFD
	}
	return b.String()
}

// SafeWriter passes text through Sanitize on its way to a terminal. A
// character split across two writes (or a CR that may start a CRLF) is
// held until the next write or Flush. It is safe for concurrent use (the
// log package and a command may share stderr).
type SafeWriter struct {
	mu   sync.Mutex
	w    io.Writer
	held []byte
}

// NewSafeWriter returns a SafeWriter writing to w.
func NewSafeWriter(w io.Writer) *SafeWriter { return &SafeWriter{w: w} }

// Write sanitizes p; it reports len(p) when the sanitized text was written.
func (s *SafeWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := append(s.held, p...)
	cut := len(buf) - incompleteTail(buf)
	s.held = append([]byte(nil), buf[cut:]...)
	if cut == 0 {
		return len(p), nil
	}
	if _, err := io.WriteString(s.w, Sanitize(string(buf[:cut]))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what is held (a lone CR, a cut-off character).
func (s *SafeWriter) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.held) == 0 {
		return nil
	}
	held := s.held
	s.held = nil
	_, err := io.WriteString(s.w, Sanitize(string(held)))
	return err
}

// incompleteTail is how many bytes at the end of b may still become a CRLF
// or a complete UTF-8 character with the next write.
func incompleteTail(b []byte) int {
	if n := len(b); n > 0 && b[n-1] == '\r' {
		return 1
	}
	for n := 1; n <= utf8.UTFMax-1 && n <= len(b); n++ {
		c := b[len(b)-n]
		if c < 0x80 {
			return 0 // ASCII: nothing pending
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-n:]) {
				return 0
			}
			return n
		}
	}
	return 0
}
