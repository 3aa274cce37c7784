package workflow

import "medharden/remediate"

// WriteFile writes a report or export crash-safely (temporary file, sync,
// rename), so a failed run never leaves a half-written file.
func WriteFile(path string, data []byte) error {
	return remediate.WriteFileAtomic(path, data, false)
}
