# pngcheck.sh: what the screenshot scripts share (evidence-screenshot.sh and
# fleet-screenshot.sh here, app/gui/testdata/screenshot.sh), sourced by them.
# POSIX sh; NAME is the calling script's name for its messages.

# out_geometry HELP_LAST ARG...: the options -o OUT and -g GEOMETRY into out
# and geometry, which hold the defaults; any other option prints the
# script's help (its lines 2 to HELP_LAST) and exits 2.
out_geometry() {
	_last=$1
	shift
	while getopts o:g: _opt; do
		case $_opt in
		o) out=$OPTARG ;;
		g) geometry=$OPTARG ;;
		*) sed -n "2,${_last}p" "$0" >&2; exit 2 ;;
		esac
	done
}

# need_tools NAME TOOL...: exit 2 naming the first TOOL not installed.
need_tools() {
	_name=$1
	shift
	for _tool in "$@"; do
		command -v "$_tool" >/dev/null 2>&1 || { echo "$_name: $_tool is not installed" >&2; exit 2; }
	done
}

# find_browser NAME: browser is the first of chromium, chromium-browser and
# google-chrome installed; exit 2 when there is none.
find_browser() {
	browser=
	for _b in chromium chromium-browser google-chrome; do
		if command -v "$_b" >/dev/null 2>&1; then browser=$_b; break; fi
	done
	[ -n "$browser" ] || { echo "$1: chromium is not installed" >&2; exit 2; }
}

# blank PNG: true when the picture did not render, that is when it is white,
# black or a single colour: fewer than 16 colours or a grey standard
# deviation under 0.02. Sets colours, spread and size (WIDTHxHEIGHT).
blank() {
	colours=$(identify -format '%k' "$1")
	spread=$(convert "$1" -colorspace Gray -format '%[fx:standard_deviation]' info:)
	size=$(identify -format '%wx%h' "$1")
	[ "$colours" -lt 16 ] || awk -v s="$spread" 'BEGIN { exit !(s < 0.02) }'
}
