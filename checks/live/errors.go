package live

import "errors"

// ErrNotElevated: the process has no administrator token. The live host
// refuses to start then, because a limited token reads much of the security
// configuration as "access denied" and a partial audit could look clean.
var ErrNotElevated = errors.New("not running as administrator")
