package credprobe

import "time"

// InstallMargin is how long after Windows's install date a password still
// counts as set by the installation: setup writes InstallDate before the
// first user is created (OOBE) and before a vendor's install scripts run,
// which can take hours on a device image. One day.
const InstallMargin = 24 * time.Hour

// SetAtInstall says whether a password last set age ago (usri3_password_age,
// read at now) was set before installed + InstallMargin: the password was
// never changed since Windows was installed, an indirect sign of a default
// password. An unknown install date (zero) makes no claim.
func SetAtInstall(age time.Duration, installed, now time.Time) bool {
	if installed.IsZero() || age < 0 {
		return false
	}
	return !now.Add(-age).After(installed.Add(InstallMargin))
}
