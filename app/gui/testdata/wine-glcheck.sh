#!/bin/sh
# wine-glcheck.sh: the Windows exe (Go 1.20.14, the Windows 7 floor) under
# Wine and Xvfb, twice:
#   1. with OpenGL 2.1 or later: the window opens on the sample snapshot and
#      its title names the host;
#   2. with Mesa told to offer OpenGL 1.1 only (what Remote Desktop gives):
#      the OpenGL probe refuses, a native message box titled "medharden: the
#      window cannot open" appears and stderr points to the command line.
# Exits 0 with "skipped: ..." when Wine or Xvfb is missing.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
toolchain=${MEDHARDEN_WIN7_GO:-go1.20.14}

wine64=
for c in wine64 /usr/lib/wine/wine64 /usr/lib64/wine/wine64; do
	if command -v "$c" >/dev/null 2>&1; then wine64=$(command -v "$c"); break; fi
done
for tool in "$wine64" xvfb-run xwininfo x86_64-w64-mingw32-gcc; do
	if [ -z "$tool" ] || ! command -v "$tool" >/dev/null 2>&1; then
		echo "skipped: ${tool:-wine64} not installed"
		exit 0
	fi
done

if [ "${MEDHARDEN_IN_XVFB:-}" = 1 ]; then
	exe=$1 work=$2
	snap='Z:'$(echo "$root/testdata/snapshots/ICU-CS01-20261118-093000" | tr / '\\')
	# wait_title PATTERN LOG: the window appears within 90 s (Wine starts slowly).
	wait_title() {
		i=0
		while [ $i -lt 180 ]; do
			if xwininfo -root -tree 2>/dev/null | grep -q "$1"; then return 0; fi
			sleep 0.5
			i=$((i + 1))
		done
		echo "FAIL: no window matching $1; windows:" >&2
		xwininfo -root -tree >&2 || true
		cat "$2" >&2
		return 1
	}
	status=0
	"$wine64" "$exe" gui --snapshot "$snap" >"$work/ok.log" 2>&1 &
	if wait_title '"medharden .*ICU-CS01 (snapshot)"' "$work/ok.log"; then
		echo "ok: the window opened on the snapshot"
	else
		status=1
	fi
	wineserver -k >/dev/null 2>&1 || true
	wait || true

	MESA_GL_VERSION_OVERRIDE=1.1 "$wine64" "$exe" gui --snapshot "$snap" >"$work/nogl.log" 2>&1 &
	if wait_title '"medharden: the window cannot open"' "$work/nogl.log" &&
		grep -q 'medharden audit --format html --out report.html' "$work/nogl.log"; then
		echo "ok: without OpenGL 2.1 a message box points to the command line:"
		sed 's/^/    /' "$work/nogl.log" | head -n 3
	else
		echo "FAIL: no message box or no hint on stderr" >&2
		cat "$work/nogl.log" >&2
		status=1
	fi
	wineserver -k >/dev/null 2>&1 || true
	wait || true
	exit $status
fi

work=$(mktemp -d /tmp/medharden-wine-gl.XXXXXX)
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
	wineserver -k >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "== building medharden.exe with $toolchain"
(cd "$root" && GOTOOLCHAIN=$toolchain CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
	go build -o "$work/medharden.exe" ./app)
echo "== fresh prefix"
timeout 300 "$wine64" wineboot -i >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log"; exit 1; }
timeout 120 wineserver -w || true
MEDHARDEN_IN_XVFB=1 xvfb-run -a -s "-screen 0 1280x800x24" sh "$0" "$work/medharden.exe" "$work"
