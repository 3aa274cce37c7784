#!/usr/bin/env bash
# The window through the software renderer, under Wine, from the release in
# dist/ (installer/build.sh):
#   1. the x64 MSI is installed silently into a fresh 64-bit prefix (and the
#      portable zip is checked to hold the same files);
#   2. on an X server without GLX (Xvfb -extension GLX: Wine then offers no
#      OpenGL pixel format at all, as a VM without a 3D driver does) the
#      INSTALLED exe is started on the sample snapshot; its probe fails, it
#      starts software-gl\medharden.exe (Wine is told to load its
#      opengl32.dll as Windows does: WINEDLLOVERRIDES below), whose window
#      must open with the title ending "software renderer, animations off";
#      Ctrl+F shows the
#      Results tab with the search field focused; the screenshot must show
#      a rendered window (app/gui/testdata/screenshot.sh -c) and the same
#      picture as the host's OpenGL gives (step 3), apart from anti-aliasing;
#   3. the same exe on an X server with GLX (Wine's OpenGL on the host's
#      Mesa, llvmpipe): the window opens on the host's OpenGL, without the
#      note;
#   4. the software renderer failing too (MESA_GL_VERSION_OVERRIDE=1.1, which
#      the Windows Mesa reads as well): the message box, and stderr naming
#      the system's failure, the software renderer tried, and the command line.
# Each run measures, for both: the time from start until the results are on
# screen, the time to scroll the results list by one page (until the picture
# settles), the CPU the process uses in 10 s with the search field focused,
# and its resident memory; the medians are printed side by side.
#
# Usage: installer/softgl-test.sh [-a x64|x86] [-n RUNS] [-o DIR]
#   -a  the MSI and zip to test (default x64; x86 runs under Wine's 32-bit half)
#   -n  runs of each (default 1)
#   -o  keep the screenshots in DIR
# Needs wine64, Xvfb (xvfb-run), xwininfo, xdotool, ImageMagick, unzip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
snapshot=$root/testdata/snapshots/ICU-CS01-20261118-093000
geometry=1280x800
note="software renderer, animations off"

die() { echo "softgl-test.sh: FAIL: $*" >&2; exit 1; }

wine64=""
for c in wine64 /usr/lib/wine/wine64 /usr/lib64/wine/wine64; do
	if command -v "$c" >/dev/null 2>&1; then wine64=$(command -v "$c"); break; fi
done
wineserver=""
for c in wineserver /usr/lib/wine/wineserver64 /usr/lib/wine/wineserver; do
	if command -v "$c" >/dev/null 2>&1; then wineserver=$(command -v "$c"); break; fi
done

# --- Inside Xvfb: one start of the installed exe ------------------------------
if [ "${MEDHARDEN_IN_XVFB:-}" = 1 ]; then
	mode=$1 exe=$2 out=$3 # mode: software, host or fails
	snap='Z:'$(echo "$snapshot" | tr / '\\')
	log=$out/$mode.log
	start=$(date +%s%N)
	"$wine64" "$exe" gui --snapshot "$snap" >"$log" 2>&1 &
	if [ "$mode" = fails ]; then
		for _ in $(seq 1 600); do
			xwininfo -root -tree 2>/dev/null | grep -q '"medharden: the window cannot open"' && break
			sleep 0.2
		done
		sleep 1
		"$wineserver" -k >/dev/null 2>&1 || true
		wait || true
		tr -d '\r' <"$log" >"$log.txt"
		for want in "the display driver offers no OpenGL pixel format" "then tried the software renderer (Mesa in C:" \
			"OpenGL 1.1" "medharden audit --format html --out report.html"; do
			grep -qF "$want" "$log.txt" || { cat "$log.txt" >&2; die "fails: stderr does not say '$want'"; }
		done
		echo "   ok: both failing, the message box; stderr: $(head -n 1 "$log.txt")"
		exit 0
	fi
	# The window's process: the copy started from software-gl under the
	# software renderer, else the exe itself; of the processes of that name
	# in this prefix (Wine's starter has the name too), the largest.
	winproc() {
		local p cmd
		for p in $(pgrep -f 'medharden\.exe' || true); do
			# (a process that ended meanwhile has no /proc entry)
			{ tr '\0' '\n' <"/proc/$p/environ"; } 2>/dev/null | grep -qx "WINEPREFIX=$WINEPREFIX" || continue
			cmd=$({ tr '\0' ' ' <"/proc/$p/cmdline"; } 2>/dev/null)
			case $mode:$cmd in
			software:*software-gl*) ;;
			host:*software-gl*) continue ;;
			host:*) ;;
			*) continue ;;
			esac
			echo "$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || echo 0) $p"
		done | sort -n | tail -n 1 | awk '{ print $2 }'
	}
	wid="" ms=""
	for _ in $(seq 1 600); do
		line=$(xwininfo -root -tree 2>/dev/null | grep '"medharden .*(snapshot)' | head -n 1 || true)
		if [ -n "$line" ]; then
			ms=$((($(date +%s%N) - start) / 1000000))
			wid=$(echo "$line" | awk '{ print $1 }')
			break
		fi
		if xwininfo -root -tree 2>/dev/null | grep -q '"medharden: the window cannot open"'; then
			echo "softgl-test.sh: FAIL ($mode): the message box instead of the window; stderr:" >&2
			tr -d '\r' <"$log" >&2
			exit 1
		fi
		sleep 0.2
	done
	[ -n "$wid" ] || { xwininfo -root -tree >&2 || true; tr -d '\r' <"$log" >&2; die "$mode: no window with results after 120 s"; }
	title=$(echo "$line" | sed 's/^[^"]*"//; s/".*//')
	if [ "$mode" = software ]; then
		[[ $title == *"— $note" ]] || die "software: the title '$title' does not end with '— $note'"
	elif [[ $title == *"$note"* ]]; then
		# Wine's 32-bit half reaches the host's OpenGL only through the
		# host's 32-bit Mesa (libgl1-mesa-dri:i386), which CI does not install.
		[ "${MEDHARDEN_ARCH:-}" = x86 ] || die "host: the title '$title' says software renderer on the host's OpenGL"
		echo "   host: no 32-bit host OpenGL here (the fallback took over, as it should): no comparison"
		"$wineserver" -k >/dev/null 2>&1 || true
		wait || true
		exit 0
	fi
	pid=$(winproc)
	[ -n "$pid" ] || die "$mode: cannot find the window's process"
	sleep 2
	# Ctrl+F: the Results tab with its search field focused (README "Keys").
	xdotool windowfocus --sync "$wid" 2>/dev/null || true
	xdotool mousemove --window "$wid" 300 300 click 1 key ctrl+f
	sleep 2
	import -window "$wid" "$out/$mode.png"

	# CPU in 10 s with the search field focused (its cursor animates unless
	# animations are off).
	ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
	t0=$(ticks "$pid")
	sleep 10
	t1=$(ticks "$pid")
	cpu=$(awk -v d=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", 100 * d / hz / 10 }')
	rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")

	# Scroll one page: wheel notches (25 pixels each in Fyne) over the
	# results list for its height (the window's less 200 pixels of menu,
	# tabs, search and filters), then screenshots until two in a row are
	# the same; one screenshot's time (poll) is measured too.
	geo=$(xwininfo -id "$wid" | awk '/Width:/ { w = $2 } /Height:/ { h = $2 } END { print w, h }')
	read -r w h <<<"$geo"
	xdotool mousemove --window "$wid" $((w / 2)) $((h / 2))
	sleep 1
	snap_sum() { import -window "$wid" rgb:- 2>/dev/null | md5sum; }
	p0=$(date +%s%N)
	before=$(snap_sum)
	poll=$((($(date +%s%N) - p0) / 1000000))
	s0=$(date +%s%N)
	xdotool click --repeat $(((h - 200) / 25)) --delay 0 5
	prev=$before scroll=""
	for _ in $(seq 1 100); do
		cur=$(snap_sum)
		if [ "$cur" = "$prev" ] && [ "$cur" != "$before" ]; then
			scroll=$((($(date +%s%N) - s0) / 1000000))
			break
		fi
		prev=$cur
	done
	[ -n "$scroll" ] || die "$mode: the results list did not scroll"
	echo "$ms $scroll $cpu $rss $poll" >>"$out/$mode.metrics"
	echo "   $mode: results after $ms ms, scrolled a page in $scroll ms (one screenshot $poll ms), $cpu% CPU with the search focused, RSS $((rss / 1024)) MB"
	"$wineserver" -k >/dev/null 2>&1 || true
	wait || true
	exit 0
fi

# --- Outside: install, then the runs ----------------------------------------------
runs=1 keep="" arch=x64
while getopts a:n:o: opt; do
	case $opt in
	a) arch=$OPTARG ;;
	n) runs=$OPTARG ;;
	o) keep=$OPTARG ;;
	*) sed -n 2,27p "$0" >&2; exit 2 ;;
	esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "-n wants a number of runs"
case $arch in
x64) pfname="Program Files" ;;
x86) pfname="Program Files (x86)" ;;
*) die "-a wants x64 or x86" ;;
esac
[ -n "$wine64" ] && [ -n "$wineserver" ] || die "wine64 is not installed (see .ci/deps)"
for t in xvfb-run xwininfo xdotool import identify convert compare unzip pgrep; do
	command -v "$t" >/dev/null || die "$t is not installed (see .ci/deps)"
done
one() { # glob: the single file it matches
	local m=($1)
	[ "${#m[@]}" -eq 1 ] && [ -f "${m[0]}" ] || die "expected one file matching $1 (run installer/build.sh first)"
	echo "${m[0]}"
}
msi=$(one "$root/dist/medharden-*-$arch.msi")
zip=$(one "$root/dist/medharden-*-$arch-portable.zip")

work=$(mktemp -d /tmp/medharden-softgl.XXXXXX)
# opengl32=n,b: Windows loads an opengl32.dll from the exe's folder before
# the system's (it is not a KnownDLL); Wine prefers its own builtin one
# unless told so. Without a native one beside it (the exe in the install
# folder) Wine's builtin is still what loads.
export WINEPREFIX=$work/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;opengl32=n,b"
cleanup() {
	"$wineserver" -k >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT

echo "== fresh Wine prefix, silent install of $(basename "$msi")"
(unset DISPLAY; timeout 300 "$wine64" wineboot -i >"$work/wineboot.log" 2>&1) || { cat "$work/wineboot.log"; die "wineboot"; }
(unset DISPLAY; timeout 600 "$wine64" msiexec /i "Z:${msi//\//\\}" /qn >"$work/msiexec.log" 2>&1) || die "msiexec /i exited $?"
timeout 120 "$wineserver" -w || true
pf="$WINEPREFIX/drive_c/$pfname/medharden"
for f in medharden.exe software-gl/medharden.exe software-gl/opengl32.dll software-gl/libgallium_wgl.dll; do
	[ -f "$pf/$f" ] || die "the MSI did not install $f"
done
echo "   ok: installed, with software-gl\\{medharden.exe,opengl32.dll,libgallium_wgl.dll}"

# The portable zip: the same files as the install.
unzip -q "$zip" -d "$work/zip"
for f in medharden.exe medharden-collect.cmd software-gl/medharden.exe software-gl/opengl32.dll software-gl/libgallium_wgl.dll; do
	cmp -s "$work/zip/medharden/$f" "$pf/$f" || die "the portable zip's medharden\\$f is not the installed one"
done
echo "   ok: $(basename "$zip") holds the installed files ($(unzip -Z1 "$zip" | grep -vc '/$') files)"

exe="C:\\$pfname\\medharden\\medharden.exe"
out=$work/out
mkdir -p "$out"
for i in $(seq 1 "$runs"); do
	echo "== run $i of $runs"
	# No GLX: Wine has no OpenGL to offer, the software renderer takes over.
	MEDHARDEN_IN_XVFB=1 xvfb-run -a -s "-extension GLX -screen 0 ${geometry}x24" \
		bash "$0" software "$exe" "$out"
	MEDHARDEN_ARCH=$arch MEDHARDEN_IN_XVFB=1 xvfb-run -a -s "-screen 0 ${geometry}x24" \
		bash "$0" host "$exe" "$out"
done
echo "== the software renderer failing too"
MESA_GL_VERSION_OVERRIDE=1.1 MEDHARDEN_IN_XVFB=1 xvfb-run -a -s "-extension GLX -screen 0 ${geometry}x24" \
	bash "$0" fails "$exe" "$out"

bash "$root/app/gui/testdata/screenshot.sh" -c "$out/software.png"
# The Results tab through softpipe is the picture llvmpipe draws, apart from
# anti-aliased edges and the host's blinking cursor: a wrong tab, a missing
# list or a black area differs by far more.
if [ -f "$out/host.png" ]; then
	diff=$(compare -metric RMSE "$out/software.png" "$out/host.png" null: 2>&1 | sed 's/.*(\(.*\)).*/\1/') || true
	awk -v d="$diff" 'BEGIN { exit !(d + 0 < 0.05) }' ||
		die "the software renderer's window differs from the host OpenGL's (RMSE $diff)"
	echo "   ok: the software renderer's Results tab is the host OpenGL's picture (RMSE $diff)"
else
	touch "$out/host.metrics"
fi
if [ -n "$keep" ]; then
	mkdir -p "$keep"
	cp "$out/"*.png "$keep/"
fi

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { # mode column: the median, or - without runs
	if [ -s "$out/$1.metrics" ]; then awk -v c="$2" '{ print $c }' "$out/$1.metrics" | median; else echo -; fi
}
mb() { local k; k=$(col "$1" 4); if [ "$k" = - ]; then echo -; else echo $((${k%.*} / 1024)); fi; }
echo "== medians of $runs run(s), ${geometry}, Wine $("$wine64" --version 2>/dev/null)"
printf '   %-34s %14s %14s\n' "" "software (Mesa)" "host OpenGL"
printf '   %-34s %14s %14s\n' "results on screen after start (ms)" "$(col software 1)" "$(col host 1)"
printf '   %-34s %14s %14s\n' "scroll the results one page (ms)" "$(col software 2)" "$(col host 2)"
printf '   %-34s %14s %14s\n' "  of which polling, about (ms)" "$(col software 5)" "$(col host 5)"
printf '   %-34s %14s %14s\n' "CPU, search field focused (%)" "$(col software 3)" "$(col host 3)"
printf '   %-34s %14s %14s\n' "resident memory (MB)" "$(mb software)" "$(mb host)"
echo "softgl: the installed exe opened its window through the software renderer: ok"
