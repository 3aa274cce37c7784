#!/usr/bin/env bash
# Wine integration tests of the live host: builds the checks/live test
# binary for windows/amd64 and windows/386 with Go 1.20.14, the last Go that runs on Windows 7, and runs it
# with MEDHARDEN_WINE=1 in a throwaway prefix under /tmp.
#
# Real under Wine: the registry (every value type, the 64-bit view, HKCU,
# a person's NTUSER.DAT made with RegSaveKey, loaded with RegLoadKey and
# unloaded with RegUnLoadKey; Wine keeps a loaded hive in memory and does
# not write changes back to the file on unload, Windows does), the hive
# lock (the named mutex Global\medharden-hives between two hosts), the
# scheduled tasks' definitions in System32\Tasks (through Sysnative for
# the 32-bit binary) with LookupAccountName,
# the service manager (a shipped service and a kernel driver, start type
# changed and restored), OS identification, WMI (BitLocker namespace missing
# -> not supported), and the conformance suite checks/hosttest that the
# snapshot host passes (TestWineConformance must pass on both). Wine's
# NetLocalGroupEnum lists no groups (TestWineLocalGroups checks the read
# refuses that; TestReadGroupsRecorded tests the logic). Wine's LSA,
# NetUserModals*, NetUserSetInfo, audit policy and secedit are stubs: the
# suite skips those parts by name, and the skips are printed with their
# reasons; those calls are only checked not to crash here, and their logic
# is tested on recorded results by the ordinary `go test ./checks/live/`.
#
# Exits 0 with "skipped: wine not installed" when there is no Wine.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
toolchain=${MEDHARDEN_WIN7_GO:-go1.20.14}

wine64=""
for c in wine64 /usr/lib/wine/wine64 /usr/lib64/wine/wine64 wine; do
	if command -v "$c" >/dev/null 2>&1; then
		wine64=$(command -v "$c")
		break
	fi
done
if [ -z "$wine64" ]; then
	echo "skipped: wine not installed (Debian: apt-get install wine wine64)"
	exit 0
fi
wine32=""
for c in wine /usr/lib/wine/wine; do
	if command -v "$c" >/dev/null 2>&1; then
		wine32=$(command -v "$c")
		break
	fi
done

work=$(mktemp -d /tmp/medharden-wine.XXXXXX)
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" MEDHARDEN_WINE=1
unset DISPLAY WAYLAND_DISPLAY
cleanup() {
	if command -v wineserver >/dev/null 2>&1; then wineserver -k >/dev/null 2>&1 || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "== building test binaries with $toolchain"
(cd "$root" && GOTOOLCHAIN=$toolchain GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$work/live-amd64.test.exe" ./checks/live/)
(cd "$root" && GOTOOLCHAIN=$toolchain GOOS=windows GOARCH=386 CGO_ENABLED=0 go test -c -o "$work/live-386.test.exe" ./checks/live/)

echo "== fresh prefix $WINEPREFIX ($("$wine64" --version 2>/dev/null || echo wine))"
timeout 300 "$wine64" wineboot -i >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log"; exit 1; }
# Until the services wineboot started have settled, Wine's service manager
# accepts ChangeServiceConfig and forgets it.
if command -v wineserver >/dev/null 2>&1; then timeout 120 wineserver -w || true; else sleep 10; fi

status=0
run() { # arch loader
	local arch=$1 loader=$2 log="$work/$1.log" rc=0
	# From the package folder, as go test runs it, so testdata/ is found.
	(cd "$root/checks/live" && timeout 600 "$loader" "$work/live-$arch.test.exe" -test.v -test.count=1 \
		-test.bench=. -test.benchtime=1s -test.benchmem) >"$log" 2>&1 || rc=$?
	tr -d '\r' <"$log" | grep -E '^(--- FAIL|    [a-z_]+_test\.go:[0-9]+:|Benchmark|FAIL|PASS|ok|panic)|^ *--- SKIP|^ +hosttest\.go:[0-9]+: [a-z]+ skipped' | grep -v '^    .*: [0-9]* hotfixes' || true
	local pass fail skip
	pass=$(grep -c -- '^--- PASS' "$log" || true)
	fail=$(grep -c -- '^--- FAIL' "$log" || true)
	skip=$(grep -c -- '^--- SKIP' "$log" || true)
	echo "$arch: $pass passed, $fail failed, $skip skipped (exit $rc)"
	if [ "$rc" -ne 0 ]; then
		tr -d '\r' <"$log" | tail -40
		status=1
	fi
	if ! tr -d '\r' <"$log" | grep -q '^--- PASS: TestWineConformance '; then
		echo "$arch: FAIL: the live host did not pass the conformance suite (TestWineConformance)"
		status=1
	fi
}

run amd64 "$wine64"
# The 386 exe is what Windows 7 x86 central stations run: it must run here
# too. A Wine without its 32-bit half may exit 0 without running anything,
# so the probe must print the test binary's PASS.
if [ -n "$wine32" ] && timeout 120 "$wine32" "$work/live-386.test.exe" -test.run '^$' 2>/dev/null | tr -d '\r' | grep -qx PASS; then
	run 386 "$wine32"
else
	echo "386: FAIL: this Wine cannot run 32-bit programs (Debian: dpkg --add-architecture i386; apt-get install wine32:i386; .ci/deps does both)"
	status=1
fi
exit $status
