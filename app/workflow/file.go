package workflow

import "medharden/checks/outfile"

// WriteFile writes a report or export crash-safely (temporary file, sync,
// rename, folder sync), so a failed run never leaves a half-written file.
// Only its owner may read it: reports name the host and its weaknesses.
func WriteFile(path string, data []byte) error {
	return outfile.Write(path, data, 0o600)
}
