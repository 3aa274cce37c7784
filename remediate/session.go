package remediate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"medharden/checks"
	"medharden/checks/winfmt"
)

// errNoSession: the host cannot say who is logged on.
var errNoSession = errors.New("this host cannot tell who is logged on")

// sessionOf asks the host who runs medharden. A snapshot folder that its
// host does not interpret for this is read directly: collect.log records
// the collecting user (user=, usersid=, session=).
func sessionOf(ctx context.Context, h checks.Host) (checks.Session, error) {
	if src, ok := h.(checks.SessionSource); ok {
		return src.Session(ctx)
	}
	snap, ok := h.(snapshotHost)
	if !ok {
		return checks.Session{}, errNoSession
	}
	path := filepath.Join(snap.Dir(), "collect.log")
	b, err := os.ReadFile(path)
	if err != nil {
		return checks.Session{}, fmt.Errorf("%w: %v", checks.ErrNotCollected, err)
	}
	text, err := winfmt.DecodeText(path, b)
	if err != nil {
		return checks.Session{}, err
	}
	var s checks.Session
	found := false
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "user="):
			s.UserName, found = strings.TrimSpace(line[len("user="):]), true
		case strings.HasPrefix(line, "usersid="):
			s.UserSID = strings.ToUpper(strings.TrimSpace(line[len("usersid="):]))
		case strings.HasPrefix(line, "session="):
			// %SESSIONNAME% is "Console" locally and "RDP-Tcp#N" over Remote Desktop.
			s.Remote = strings.HasPrefix(strings.ToUpper(strings.TrimSpace(line[len("session="):])), "RDP")
		}
	}
	if !found {
		return checks.Session{}, fmt.Errorf("%w: collect.log does not record the collecting user", checks.ErrNotCollected)
	}
	return s, nil
}
