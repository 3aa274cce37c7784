#!/bin/sh
# screenshot.sh: start the real medharden window under Xvfb on the sample
# snapshot, take a screenshot of it, and fail when the window did not render
# (the process exited, no window appeared, the results never showed, or the
# picture is blank). It also measures, per run, the time from process start
# until the results are on screen and the process RSS once they are, and
# prints the medians.
#
# Usage: app/gui/testdata/screenshot.sh [-o OUT.png] [-n RUNS] [-s SNAPSHOT] [-g WxH]
#        app/gui/testdata/screenshot.sh -c SHOT.png
#   -c  only check that SHOT.png shows a rendered window (installer/softgl-test.sh)
#   -o  where to write the screenshot (default: a temporary folder)
#   -n  number of runs for the measurements (default 1)
#   -s  snapshot folder (default testdata/snapshots/ICU-CS01-20261118-093000)
#   -g  the screen's size (default 1280x800); the README's picture is
#       -g 1024x768 -o app/gui/testdata/screenshot-1024x768.png, a central
#       station's screen
# Needs go, xvfb-run, xwininfo and ImageMagick (import, identify, convert).
# The light theme is what Windows 7 shows; FYNE_THEME=dark overrides it, and
# GOFLAGS=-tags=no_emoji measures a build without Fyne's emoji font.
set -eu
export FYNE_THEME="${FYNE_THEME:-light}"

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)

if [ "${MEDHARDEN_IN_XVFB:-}" = 1 ]; then
	# Inside Xvfb: $1 binary, $2 snapshot, $3 screenshot, $4 metrics file.
	bin=$1 snap=$2 shot=$3 metrics=$4
	log=$shot.log
	start=$(date +%s%N)
	"$bin" gui --snapshot "$snap" >"$log" 2>&1 &
	pid=$!
	wid= ms=
	i=0
	while [ $i -lt 600 ]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "screenshot: medharden exited before showing results; its output:" >&2
			cat "$log" >&2
			exit 1
		fi
		# The title gains the host name once the results are on screen.
		line=$(xwininfo -root -tree 2>/dev/null | grep '"medharden .*(snapshot)"' | head -n 1 || true)
		if [ -n "$line" ]; then
			ms=$(( ($(date +%s%N) - start) / 1000000 ))
			wid=$(echo "$line" | awk '{print $1}')
			break
		fi
		sleep 0.02
		i=$((i + 1))
	done
	if [ -z "$wid" ]; then
		echo "screenshot: no medharden window with results after 12 s; open windows:" >&2
		xwininfo -root -tree >&2 || true
		cat "$log" >&2
		kill "$pid" 2>/dev/null || true
		exit 1
	fi
	sleep 1 # let the first frames settle
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
	anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status")
	import -window "$wid" "$shot"
	echo "$ms $rss $anon" >>"$metrics"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	exit 0
fi

# A window that did not render is black or a single colour.
check_rendered() { # shot.png: fails unless it shows a rendered window
	colours=$(identify -format '%k' "$1")
	spread=$(convert "$1" -colorspace Gray -format '%[fx:standard_deviation]' info:)
	if [ "$colours" -lt 16 ] || awk -v s="$spread" 'BEGIN { exit !(s < 0.02) }'; then
		echo "screenshot: the window did not render ($colours colours, spread $spread)" >&2
		exit 1
	fi
}

out= runs=1 geometry=1280x800
snap=$root/testdata/snapshots/ICU-CS01-20261118-093000
while getopts o:n:s:g:c: opt; do
	case $opt in
	c) check_rendered "$OPTARG"; echo "screenshot: $OPTARG shows a rendered window ($colours colours, spread $spread)"; exit 0 ;;
	o) out=$OPTARG ;;
	n) runs=$OPTARG ;;
	s) snap=$OPTARG ;;
	g) geometry=$OPTARG ;;
	*) sed -n '2,18p' "$0" >&2; exit 2 ;;
	esac
done
for tool in go xvfb-run xwininfo import identify convert; do
	command -v "$tool" >/dev/null 2>&1 || { echo "screenshot: $tool is not installed" >&2; exit 2; }
done
[ -d "$snap" ] || { echo "screenshot: no snapshot folder $snap" >&2; exit 2; }
case $geometry in
*[!0-9x]* | *x*x*) geometry=bad ;;
[0-9]*x[0-9]*) ;;
*) geometry=bad ;;
esac
[ "$geometry" != bad ] || { echo "screenshot: -g wants WIDTHxHEIGHT, for example 1024x768" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$out" ] || out=$(dirname "$work")/medharden-screenshot.png
(cd "$root" && go build -tags gui -o "$work/medharden" ./app)

n=0
while [ $n -lt "$runs" ]; do
	MEDHARDEN_IN_XVFB=1 xvfb-run -a -s "-screen 0 ${geometry}x24" \
		sh "$0" "$work/medharden" "$snap" "$work/shot.png" "$work/metrics"
	n=$((n + 1))
done

check_rendered "$work/shot.png"
size=$(identify -format '%wx%h' "$work/shot.png")
cp "$work/shot.png" "$out"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "screenshot: $out ($size, $colours colours)"
echo "runs: $runs"
echo "results shown after (ms, from process start): $(awk '{printf "%s ", $1}' "$work/metrics")-> median $(awk '{print $1}' "$work/metrics" | median)"
echo "VmRSS (kB): $(awk '{printf "%s ", $2}' "$work/metrics")-> median $(awk '{print $2}' "$work/metrics" | median)"
echo "RssAnon (kB): $(awk '{printf "%s ", $3}' "$work/metrics")-> median $(awk '{print $3}' "$work/metrics" | median)"
