#!/bin/sh
# screenshot.sh: start the real medharden window under Xvfb on the sample
# snapshot, on a 1024x768 screen (a central station's) and a 1920x1080 one,
# take a screenshot of each, and fail when the window did not render (the
# process exited, no window appeared, the results never showed, or the
# picture is blank). It also measures, per run, the time from process start
# until the results are on screen and the process RSS once they are, and
# prints the medians. Then it runs a whole session in a real window (open,
# apply every fix as a rehearsal, roll it back, save the three reports; see
# MEDHARDEN_SESSION in session_test.go) and prints its resident memory
# after loading and after the session.
#
# Usage: app/gui/testdata/screenshot.sh [-o OUT.png | -d DIR] [-n RUNS] [-s SNAPSHOT] [-g WxH] [-S]
#        app/gui/testdata/screenshot.sh -c SHOT.png
#   -c  only check that SHOT.png shows a rendered window (installer/softgl-test.sh)
#   -o  where to write the screenshot, with -g (default: a temporary folder)
#   -d  write screenshot-WxH.png for each screen into DIR; the README's
#       pictures are -d app/gui/testdata
#   -n  number of runs for the measurements (default 1)
#   -s  snapshot folder (default testdata/snapshots/ICU-CS01-20261118-093000)
#   -g  one screen size instead of the two
#   -S  skip the session
# The window opens at the screen's size (MEDHARDEN_WINDOW_SIZE). With
# xdotool installed it also takes the Results and Remediate tabs
# (NAME-results.png, NAME-remediate.png), reached with Ctrl+Tab.
# Needs go, xvfb-run, xwininfo and ImageMagick (import, identify, convert).
# The light theme is what Windows 7 shows; FYNE_THEME=dark overrides it, and
# GOFLAGS=-tags=no_emoji measures a build without Fyne's emoji font.
set -eu
export FYNE_THEME="${FYNE_THEME:-light}"

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
. "$root/app/testdata/pngcheck.sh"

if [ "${MEDHARDEN_IN_XVFB:-}" = 1 ]; then
	# Inside Xvfb: $1 binary, $2 snapshot, $3 screenshot, $4 metrics file,
	# $5 the screen's size.
	bin=$1 snap=$2 shot=$3 metrics=$4 geometry=$5
	log=$shot.log
	start=$(date +%s%N)
	MEDHARDEN_WINDOW_SIZE=$geometry "$bin" gui --snapshot "$snap" >"$log" 2>&1 &
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
	# The pointer starts mid-screen, on a row whose tip it shows; with
	# xdotool it rests on the status bar instead, where there is none.
	xdo=
	if command -v xdotool >/dev/null 2>&1; then
		xdo=1
		xdotool mousemove 4 $((${geometry#*x} - 4))
	fi
	sleep 2 # let the first frames settle
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
	anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status")
	import -window "$wid" "$shot"
	echo "$ms $rss $anon" >>"$metrics"
	if [ -n "$xdo" ]; then
		for tab in results remediate; do
			xdotool key ctrl+Tab
			sleep 1
			import -window "$wid" "${shot%.png}-$tab.png"
		done
	fi
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	exit 0
fi

# A window that did not render is black or a single colour (blank, in
# app/testdata/pngcheck.sh).
check_rendered() { # shot.png [label]: fails unless it shows a rendered window
	if blank "$1"; then
		echo "screenshot: the window did not render${2:+ at $2} ($colours colours, spread $spread)" >&2
		exit 1
	fi
}

out= dir= runs=1 geometries="1024x768 1920x1080" session=1
snap=$root/testdata/snapshots/ICU-CS01-20261118-093000
while getopts o:d:n:s:g:Sc: opt; do
	case $opt in
	c) check_rendered "$OPTARG"; echo "screenshot: $OPTARG shows a rendered window ($colours colours, spread $spread)"; exit 0 ;;
	o) out=$OPTARG ;;
	d) dir=$OPTARG ;;
	n) runs=$OPTARG ;;
	s) snap=$OPTARG ;;
	g) geometries=$OPTARG ;;
	S) session= ;;
	*) sed -n '2,28p' "$0" >&2; exit 2 ;;
	esac
done
need_tools screenshot go xvfb-run xwininfo import identify convert
[ -d "$snap" ] || { echo "screenshot: no snapshot folder $snap" >&2; exit 2; }
snap=$(cd "$snap" && pwd)
for geometry in $geometries; do
	case $geometry in
	*[!0-9x]* | *x*x*) geometry=bad ;;
	[0-9]*x[0-9]*) ;;
	*) geometry=bad ;;
	esac
	[ "$geometry" != bad ] || { echo "screenshot: -g wants WIDTHxHEIGHT, for example 1024x768" >&2; exit 2; }
done
if [ -n "$out" ] && [ "$geometries" != "${geometries% *}" ]; then
	echo "screenshot: -o names one picture: give one screen with -g, or a folder with -d" >&2
	exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -tags gui -o "$work/medharden" ./app)

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for geometry in $geometries; do
	rm -f "$work"/shot*.png "$work/metrics"
	n=0
	while [ $n -lt "$runs" ]; do
		MEDHARDEN_IN_XVFB=1 xvfb-run -a -s "-screen 0 ${geometry}x24" \
			sh "$0" "$work/medharden" "$snap" "$work/shot.png" "$work/metrics" "$geometry"
		n=$((n + 1))
	done

	check_rendered "$work/shot.png" "$geometry"
	if [ -n "$out" ]; then
		dest=$out
	elif [ -n "$dir" ]; then
		dest=$dir/screenshot-$geometry.png
	else
		dest=$(dirname "$work")/medharden-screenshot-$geometry.png
	fi
	cp "$work/shot.png" "$dest"
	for tab in results remediate; do
		[ ! -f "$work/shot-$tab.png" ] || cp "$work/shot-$tab.png" "${dest%.png}-$tab.png"
	done

	echo "screenshot: $dest ($size, $colours colours)"
	echo "runs: $runs"
	echo "results shown after (ms, from process start): $(awk '{printf "%s ", $1}' "$work/metrics")-> median $(awk '{print $1}' "$work/metrics" | median)"
	echo "VmRSS (kB): $(awk '{printf "%s ", $2}' "$work/metrics")-> median $(awk '{print $2}' "$work/metrics" | median)"
	echo "RssAnon (kB): $(awk '{printf "%s ", $3}' "$work/metrics")-> median $(awk '{print $3}' "$work/metrics" | median)"
done

if [ -n "$session" ]; then
	geometry=${geometries%% *}
	(cd "$root" && go test -c -tags gui -o "$work/gui.test" ./app/gui)
	echo "session in a real window at $geometry:"
	MEDHARDEN_SESSION=$snap MEDHARDEN_WINDOW_SIZE=$geometry xvfb-run -a -s "-screen 0 ${geometry}x24" \
		"$work/gui.test" >"$work/session.log" 2>&1 || { cat "$work/session.log" >&2; exit 1; }
	grep '^session:' "$work/session.log"
fi
