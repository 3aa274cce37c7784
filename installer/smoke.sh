#!/usr/bin/env bash
# Smoke test of the release in dist/ (made by build.sh) under Wine, in a
# throwaway 64-bit prefix under /tmp:
#   x64 MSI: silent install; files (with the software renderer's
#            software-gl\{medharden.exe,opengl32.dll,libgallium_wgl.dll}
#            when the MSI has it), Start-menu shortcut and Programs and
#            Features entry present; the INSTALLED exe audits a testdata
#            snapshot to JSON (exit 1 = findings) and reports the version;
#            silent uninstall; nothing left behind.
#   upgrades: a later build (fourth version field, then third) replaces the
#            installed one instead of installing beside it; an older one is
#            refused; uninstalling the survivor leaves nothing behind.
#   x86 MSI: silent install into Program Files (x86); the INSTALLED 32-bit
#            exe reports the version and audits the snapshot as the 64-bit
#            one does (Wine's 32-bit half, wine32, is required); silent
#            uninstall; nothing left behind.
# The GUI is not started: Wine may have no OpenGL window to give it
# (installer/softgl-test.sh starts it through the software renderer).
# MEDHARDEN_SMOKE_KEEP=1 keeps the prefix and the msiexec logs for a look.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
snapshot=$root/testdata/snapshots/ICU-CS01-20261118-093000

die() { echo "smoke.sh: FAIL: $*" >&2; exit 1; }
ok() { echo "   ok: $*"; }

wine64=""
for c in wine64 /usr/lib/wine/wine64 /usr/lib64/wine/wine64; do
	if command -v "$c" >/dev/null 2>&1; then wine64=$(command -v "$c"); break; fi
done
[ -n "$wine64" ] || die "wine64 is not installed (Debian: apt-get install wine wine64)"
wineserver=""
for c in wineserver /usr/lib/wine/wineserver64 /usr/lib/wine/wineserver; do
	if command -v "$c" >/dev/null 2>&1; then wineserver=$(command -v "$c"); break; fi
done
[ -n "$wineserver" ] || die "wineserver is not installed"
command -v python3 >/dev/null || die "python3 is needed to read the audit JSON"
command -v msiinfo >/dev/null || die "msiinfo is not installed (Debian: msitools)"

one() { # glob: the single file it matches
	local m=($1)
	[ "${#m[@]}" -eq 1 ] && [ -f "${m[0]}" ] || die "expected one file matching $1 (run installer/build.sh first)"
	echo "${m[0]}"
}
msi64=$(one "$root/dist/medharden-*-x64.msi")
msi32=$(one "$root/dist/medharden-*-x86.msi")
exe64=$(one "$root/dist/medharden-*-windows-amd64.exe")
version=$(basename "$msi64")
version=${version#medharden-}
version=${version%-x64.msi}

work=$(mktemp -d /tmp/medharden-smoke.XXXXXX)
export WINEPREFIX=$work/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
# No window may open: msiexec runs with /qn and the exe only as a command line.
unset DISPLAY WAYLAND_DISPLAY
cleanup() {
	"$wineserver" -k >/dev/null 2>&1 || true
	if [ -n "${MEDHARDEN_SMOKE_KEEP:-}" ]; then
		echo "kept $work (msiexec logs, audit.json, the prefix)"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

winpath() { # a Linux path as Wine sees it on drive Z:
	local p=${1//\//\\}
	echo "Z:$p"
}
# Wine writes the registry to system.reg when its server stops, a few seconds
# after the last program exits: wait for that before reading it.
settle() { timeout 120 "$wineserver" -w || true; }
msiexec() { # args...: runs msiexec, returns its exit code
	local rc=0
	timeout 600 "$wine64" msiexec "$@" >>"$work/msiexec.out" 2>&1 || rc=$?
	settle
	return $rc
}
# Programs and Features entries are the Uninstall keys (32- and 64-bit views).
arp() { # prints the DisplayVersion of each medharden entry, one a line
	awk '/^\[/ { key = $0; uninstall = ($0 ~ /\\\\Uninstall\\\\/) }
		uninstall && /^"DisplayName"="medharden"$/ { found[key] = 1 }
		uninstall && /^"DisplayVersion"=/ { v = $0; sub(/^"DisplayVersion"="/, "", v); sub(/"$/, "", v); ver[key] = v }
		END { for (k in found) print ver[k] }' "$WINEPREFIX/system.reg"
}
arp_entries() { arp | grep -c . || true; }
arp_version() { arp | head -1; }

pf64="$WINEPREFIX/drive_c/Program Files/medharden"
pf32="$WINEPREFIX/drive_c/Program Files (x86)/medharden"
# A per-machine install puts the shortcut in the All Users Start menu; Wine's
# msi puts it in the installing user's (a FIXME in Wine: it ignores ALLUSERS
# for ProgramMenuFolder), so both places are looked at.
menu_common="$WINEPREFIX/drive_c/ProgramData/Microsoft/Windows/Start Menu/Programs/medharden"
menu_user="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/medharden"
shortcut() { # prints the shortcut's path, or nothing
	local d
	for d in "$menu_common" "$menu_user"; do
		if [ -f "$d/medharden.lnk" ]; then echo "$d/medharden.lnk"; return; fi
	done
}

assert_gone() { # label
	[ ! -e "$pf64" ] || die "$1: $pf64 is still there: $(ls -A "$pf64" | tr '\n' ' ')"
	[ ! -e "$pf32" ] || die "$1: $pf32 is still there: $(ls -A "$pf32" | tr '\n' ' ')"
	[ ! -e "$menu_common" ] && [ ! -e "$menu_user" ] || die "$1: the Start-menu folder is still there"
	[ "$(arp_entries)" -eq 0 ] || die "$1: still listed in Programs and Features"
	if grep -qi '^\[Software\\\\\(Wow6432Node\\\\\)\?medharden\]' "$WINEPREFIX/system.reg"; then
		die "$1: HKLM\\Software\\medharden is still there"
	fi
	ok "$1: no files, shortcut, registry key or Programs and Features entry left"
}

# The installed exe audits the sample snapshot to JSON: exit 1 (findings),
# results with ids, at least one failed check.
audit_installed() { # exe label
	local exe=$1 json=$work/audit-$2.json rc=0
	timeout 300 "$wine64" "$exe" audit --snapshot "$(winpath "$snapshot")" --format json \
		--out "$(winpath "$json")" >"$work/audit-$2.out" 2>&1 || rc=$?
	[ "$rc" -eq 1 ] || { tr -d '\r' <"$work/audit-$2.out" | tail -20; die "$2-bit audit exited $rc, expected 1 (findings)"; }
	[ -s "$json" ] || die "$2-bit audit wrote no JSON"
	python3 - "$json" <<'EOF' || die "the $2-bit audit JSON is not as expected"
import collections, json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    report = json.load(f)
results = report.get("results")
assert isinstance(results, list) and results, "results is empty"
statuses = collections.Counter(r.get("status") for r in results)
assert statuses.get("fail", 0) > 0, "exit 1 but no failed check: %s" % dict(statuses)
assert all(r.get("id") for r in results), "a result without an id"
print("   ok: audit JSON: %d results, %s" % (len(results), ", ".join("%s %d" % kv for kv in sorted(statuses.items()))))
EOF
	ok "$2-bit exe: audit --snapshot ICU-CS01-20261118-093000 exited 1 (findings)"
}

echo "== fresh Wine prefix $WINEPREFIX ($("$wine64" --version 2>/dev/null || echo wine))"
start=$(date +%s)
timeout 300 "$wine64" wineboot -i >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log"; die "wineboot"; }
settle
ok "prefix ready in $(($(date +%s) - start)) s"

echo "== x64 MSI: silent install ($(basename "$msi64"))"
msiexec /i "$(winpath "$msi64")" /qn /l*v "$(winpath "$work/install64.log")" || die "msiexec /i exited $? (log: install64.log)"
[ -f "$pf64/medharden.exe" ] || die "medharden.exe is not in Program Files"
[ -f "$pf64/medharden-collect.cmd" ] || die "medharden-collect.cmd is not in Program Files"
cmp -s "$pf64/medharden.exe" "$exe64" || die "the installed exe is not dist/$(basename "$exe64")"
cmp -s "$pf64/medharden-collect.cmd" "$root/dist/medharden-collect.cmd" || die "the installed collector differs from dist/"
[ -n "$(shortcut)" ] || die "no Start-menu shortcut medharden\\medharden.lnk"
[ "$(arp_entries)" -eq 1 ] || die "expected one Programs and Features entry, found $(arp_entries)"
installed_version=$(arp_version)
ok "installed: C:\\Program Files\\medharden\\{medharden.exe,medharden-collect.cmd}, Start-menu shortcut, Programs and Features entry $installed_version"
# The software renderer: the DLLs and the copy of the exe that the MSI's
# DuplicateFile row makes from the one it carries (installer/msi.sh).
software=""
if msiinfo export "$msi64" File | grep -q '^opengl32\.dll'; then
	software=yes
	for f in opengl32.dll libgallium_wgl.dll medharden.exe; do
		[ -f "$pf64/software-gl/$f" ] || die "software-gl\\$f is not installed"
	done
	cmp -s "$pf64/software-gl/medharden.exe" "$exe64" || die "software-gl\\medharden.exe is not dist/$(basename "$exe64")"
	# Kept for the upgrade MSIs below.
	mkdir -p "$work/upgrade/software-gl"
	cp "$pf64/software-gl/opengl32.dll" "$pf64/software-gl/libgallium_wgl.dll" "$work/upgrade/software-gl/"
	ok "installed: software-gl\\{medharden.exe (the DuplicateFile copy),opengl32.dll,libgallium_wgl.dll}"
else
	echo "   note: $(basename "$msi64") has no software renderer"
fi

echo "== the installed exe"
exe='C:\Program Files\medharden\medharden.exe'
out=$(timeout 120 "$wine64" "$exe" version 2>&1 | tr -d '\r') || die "medharden version: $out"
[ "$out" = "medharden $version" ] || die "medharden version printed '$out', expected 'medharden $version'"
ok "medharden version: $out"

audit_installed "$exe" 64

echo "== x64 MSI: silent uninstall"
msiexec /x "$(winpath "$msi64")" /qn /l*v "$(winpath "$work/uninstall64.log")" || die "msiexec /x exited $?"
assert_gone "after uninstall"

echo "== upgrades"
# Later builds of the same exe: only the version differs. Windows Installer
# compares three version fields, so a build that differs in the fourth must
# still replace the installed one (medharden.wxs, UpgradeBelow).
IFS=. read -r v1 v2 v3 v4 <<<"$installed_version"
[ -n "${v4:-}" ] || die "Programs and Features version '$installed_version' has no fourth field"
mkdir -p "$work/upgrade"
cp "$exe64" "$work/upgrade/medharden.exe"
cp "$root/dist/medharden-collect.cmd" "$work/upgrade/"
go run github.com/tc-hib/go-winres@v0.3.3 extract --dir "$work/res" "$exe64" >/dev/null
cp "$work/res/APP_0000.ico" "$work/upgrade/medharden.ico"
make_msi() { # version upgrade_below out
	(cd "$work" && bash "$root/installer/msi.sh" x64 "$1" "$2" upgrade "$work/$3")
}
next4=$v1.$v2.$v3.$((v4 + 1))
next3=$v1.$v2.$((v3 + 1)).0
make_msi "$next4" "$v1.$v2.$((v3 + 1))" next4.msi
make_msi "$next3" "$v1.$v2.$((v3 + 2))" next3.msi

msiexec /i "$(winpath "$msi64")" /qn || die "reinstall of dist MSI exited $?"
msiexec /i "$(winpath "$work/next4.msi")" /qn /l*v "$(winpath "$work/next4.log")" || die "install of $next4 exited $?"
[ "$(arp_entries)" -eq 1 ] || die "$installed_version -> $next4: $(arp_entries) Programs and Features entries, expected 1"
[ "$(arp_version)" = "$next4" ] || die "$installed_version -> $next4: the entry says $(arp_version)"
ok "$installed_version -> $next4 (fourth field): replaced, one entry"
msiexec /i "$(winpath "$work/next3.msi")" /qn /l*v "$(winpath "$work/next3.log")" || die "install of $next3 exited $?"
[ "$(arp_entries)" -eq 1 ] || die "$next4 -> $next3: $(arp_entries) Programs and Features entries, expected 1"
[ "$(arp_version)" = "$next3" ] || die "$next4 -> $next3: the entry says $(arp_version)"
[ -f "$pf64/medharden.exe" ] || die "$next4 -> $next3: medharden.exe is gone after the upgrade"
if [ -n "$software" ]; then
	[ -f "$pf64/software-gl/medharden.exe" ] && [ -f "$pf64/software-gl/opengl32.dll" ] ||
		die "$next4 -> $next3: the software renderer's files are gone after the upgrade"
fi
ok "$next4 -> $next3 (third field): replaced, one entry, files in place"
rc=0
msiexec /i "$(winpath "$msi64")" /qn /l*v "$(winpath "$work/downgrade.log")" || rc=$?
[ "$rc" -ne 0 ] || die "installing the older $installed_version over $next3 succeeded"
# The launch condition fails the install with 1603, which a Unix exit status
# keeps only the low byte of (67). Wine's log does not carry the message.
[ "$rc" -eq 1603 ] || [ "$rc" -eq 67 ] || die "the downgrade failed with $rc, expected 1603 (fatal error)"
[ "$(arp_entries)" -eq 1 ] || die "after the refused downgrade: $(arp_entries) Programs and Features entries"
[ "$(arp_version)" = "$next3" ] || die "the refused downgrade changed the installed version to $(arp_version)"
ok "$installed_version over $next3: refused (msiexec exit $rc), $next3 stays"
msiexec /x "$(winpath "$work/next3.msi")" /qn || die "uninstall of $next3 exited $?"
assert_gone "after uninstalling the upgraded product"

echo "== x86 MSI: silent install and uninstall ($(basename "$msi32"))"
msiexec /i "$(winpath "$msi32")" /qn /l*v "$(winpath "$work/install32.log")" || die "msiexec /i (x86) exited $?"
[ -f "$pf32/medharden.exe" ] || die "medharden.exe is not in Program Files (x86)"
[ -f "$pf32/medharden-collect.cmd" ] || die "medharden-collect.cmd is not in Program Files (x86)"
[ -n "$(shortcut)" ] || die "no Start-menu shortcut (x86)"
[ "$(arp_entries)" -eq 1 ] || die "x86: expected one Programs and Features entry, found $(arp_entries)"
ok "installed into C:\\Program Files (x86)\\medharden"
# The 32-bit exe is what Windows 7 x86 central stations run: it must run
# here (wine32). Its own output is what counts: a Wine without its 32-bit
# half may exit 0 without running anything.
exe32='C:\Program Files (x86)\medharden\medharden.exe'
out=$(timeout 120 "$wine64" "$exe32" version 2>&1 | tr -d '\r' || true)
[ "$out" = "medharden $version" ] || die "the installed 32-bit exe printed '$out', expected 'medharden $version' (is wine32:i386 installed? .ci/deps installs it)"
ok "the installed 32-bit exe runs: $out"
audit_installed "$exe32" 32
msiexec /x "$(winpath "$msi32")" /qn || die "msiexec /x (x86) exited $?"
assert_gone "after x86 uninstall"

echo "smoke: x64 and x86 MSI install, upgrade and uninstall under Wine: ok"
