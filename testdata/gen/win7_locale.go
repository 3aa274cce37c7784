package main

import "time"

// ICU-FR01 and ICU-DE01: the vendor's Windows 7 image installed in French
// and in German, nothing renamed. Windows names the built-in accounts in
// the install language (OSLanguage 1036: Administrateur, Invité; 1031:
// Administrator, Gast), and secedit writes local accounts by name, so
// the deny rights name the localized Guest. Everything else is the vendor
// image of win7.go.

func icuFrench() *host {
	return localizedICU("ICU-FR01", "1036", "Administrateur", "Invité", time.Date(2026, 11, 20, 10, 0, 0, 0, cet))
}

func icuGerman() *host {
	return localizedICU("ICU-DE01", "1031", "Administrator", "Gast", time.Date(2026, 11, 20, 11, 0, 0, 0, cet))
}

func localizedICU(name, lcid, admin, guest string, start time.Time) *host {
	h := icuVendor()
	h.name, h.start = name, start
	h.collector = admin
	h.policy.systemAccess["NewAdministratorName"] = `"` + admin + `"`
	h.policy.systemAccess["NewGuestName"] = `"` + guest + `"`
	for right, holders := range h.policy.rights {
		for i, x := range holders {
			if x == "Guest" {
				h.policy.rights[right][i] = guest
			}
		}
	}
	os := h.wmi["os"][0]
	os["CSName"], os["OSLanguage"] = name, lcid
	cs := h.wmi["computersystem"][0]
	cs["Name"], cs["UserName"] = name, name+`\operator`
	accts := icuAccounts()
	accts[0].name, accts[1].name = admin, guest
	h.wmi["useraccount"] = accountRows(icuSID, accts)
	h.reg.set(winlogon, sz("DefaultDomainName", name))
	return h
}
