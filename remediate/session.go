package remediate

import (
	"context"
	"errors"

	"medharden/checks"
)

// errNoSession: the host cannot say who is logged on.
var errNoSession = errors.New("this host cannot tell who is logged on")

// sessionOf asks the host who runs medharden.
func sessionOf(ctx context.Context, h checks.Host) (checks.Session, error) {
	if src, ok := h.(checks.SessionSource); ok {
		return src.Session(ctx)
	}
	return checks.Session{}, errNoSession
}
