package workflow

import (
	"medharden/assets"
	"medharden/assets/csaf"
)

// DeviceAdvisories matches the CSAF advisories of a folder against one
// device record, as 'medharden advisories match' does for a fleet: the
// findings that concern the device, and how many advisories were read.
func DeviceAdvisories(folder string, rec assets.Record) ([]csaf.Finding, int, error) {
	advs, err := csaf.ReadDir(folder)
	if err != nil {
		return nil, 0, InputError{err}
	}
	d := csaf.DeviceOf(assets.DeviceOf(rec))
	return csaf.Summarize(csaf.MatchAll([]csaf.Device{d}, advs)), len(advs), nil
}
