#!/bin/sh
# fleet-screenshot.sh: render the fleet dashboard of a generated fleet (the
# one TestFleetHTML builds: renamed Windows 7 devices with their own serials,
# two snapshots of one device, an XP device, a corrupt folder and a host name
# holding markup) in headless Chromium, and fail when the picture is blank or
# the matrix did not render (no red and green cells).
#
# Usage: app/testdata/fleet-screenshot.sh [-o OUT.png] [-g W,H]
#   -o  where to write the screenshot (default: a temporary folder); the
#       README's picture is -o app/testdata/fleet-dashboard.png
#   -g  the window's size (default 1280,900)
# Needs go, chromium (or chromium-browser, google-chrome) and ImageMagick
# (identify, convert).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/pngcheck.sh"

out= geometry=1280,900
out_geometry 13 "$@"
case $geometry in
*[!0-9,]* | *,*,*) geometry=bad ;;
[0-9]*,[0-9]*) ;;
*) geometry=bad ;;
esac
[ "$geometry" != bad ] || { echo "fleet-screenshot: -g wants WIDTH,HEIGHT, for example 1280,900" >&2; exit 2; }
find_browser fleet-screenshot
need_tools fleet-screenshot go identify convert

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$out" ] || out=$(dirname "$work")/medharden-fleet-dashboard.png

# The page comes from the test that checks its order, links and escaping.
(cd "$root" && MEDHARDEN_FLEET_HTML="$work/fleet.html" go test -count=1 -run '^TestFleetHTML$' ./app >"$work/test.log" 2>&1) ||
	{ cat "$work/test.log" >&2; echo "fleet-screenshot: TestFleetHTML failed" >&2; exit 1; }
[ -s "$work/fleet.html" ] || { echo "fleet-screenshot: the test wrote no page" >&2; exit 1; }

sandbox=
[ "$(id -u)" -ne 0 ] || sandbox=--no-sandbox # Chromium refuses root with its sandbox
timeout 120 "$browser" --headless $sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
	--user-data-dir="$work/profile" --window-size="$geometry" --screenshot="$work/shot.png" \
	"file://$work/fleet.html" >"$work/browser.log" 2>&1 ||
	{ cat "$work/browser.log" >&2; echo "fleet-screenshot: $browser failed" >&2; exit 1; }
[ -s "$work/shot.png" ] || { cat "$work/browser.log" >&2; echo "fleet-screenshot: no screenshot" >&2; exit 1; }

# fraction COLOUR: the share of pixels within 3% of COLOUR.
fraction() {
	convert "$work/shot.png" -alpha off -fuzz 3% -fill white +opaque "$1" -fill black -opaque "$1" \
		-colorspace Gray -format '%[fx:1-mean]' info:
}
size=$(identify -format '%w,%h' "$work/shot.png")
colours=$(identify -format '%k' "$work/shot.png")
ink=$(convert "$work/shot.png" -alpha off -fuzz 3% -fill black +opaque white -colorspace Gray -format '%[fx:1-mean]' info:)
red=$(fraction '#e74c3c')
green=$(fraction '#2ecc71')
echo "fleet-screenshot: $size, $colours colours, non-white $ink, fail cells $red, pass cells $green"
fail=
[ "$size" = "$geometry" ] || fail="the picture is $size, not $geometry"
[ "$colours" -ge 16 ] || fail="only $colours colours"
awk -v f="$ink" 'BEGIN { exit !(f >= 0.03 && f <= 0.9) }' || fail="non-white share $ink is not between 0.03 and 0.9 (blank or flooded)"
awk -v r="$red" -v g="$green" 'BEGIN { exit !(r >= 0.002 && g >= 0.001) }' || fail="the matrix has no red (fail) or no green (pass) cells"
if [ -n "$fail" ]; then
	echo "fleet-screenshot: the dashboard did not render: $fail" >&2
	exit 1
fi
cp "$work/shot.png" "$out"
echo "fleet-screenshot: $out"
