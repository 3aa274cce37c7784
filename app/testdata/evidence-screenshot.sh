#!/usr/bin/env bash
# evidence-screenshot.sh: render the evidence document of the hardened
# ICU-CS01 sample (the golden file app/report/testdata/evidence-icu.html.golden)
# in headless Chromium, fail when the screenshot is blank, and report the
# printed page count (Chromium's print to PDF, counted by pdfinfo where it is
# installed) and the document's size.
#
# Usage: app/testdata/evidence-screenshot.sh [-o OUT.png] [-g WxH]
#   -o  where to write the screenshot (default: a temporary folder);
#       -o app/testdata/evidence-icu.png refreshes the committed one
#   -g  window size (default 1024x1400)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
doc=$root/app/report/testdata/evidence-icu.html.golden
. "$root/app/testdata/pngcheck.sh"

out= geometry=1024x1400
out_geometry 12 "$@"
case $geometry in
[0-9]*x[0-9]*) ;;
*) echo "evidence-screenshot: -g wants WIDTHxHEIGHT, for example 1024x1400" >&2; exit 2 ;;
esac
find_browser evidence-screenshot
need_tools evidence-screenshot identify convert
[ -f "$doc" ] || { echo "evidence-screenshot: no document $doc (go test ./app/report/ -run Evidence -update)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$doc" "$work/evidence.html"
[ -n "$out" ] || out=$(dirname "$work")/medharden-evidence.png
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$work/profile")

"$browser" "${flags[@]}" --window-size="${geometry/x/,}" --screenshot="$work/shot.png" "file://$work/evidence.html" >/dev/null 2>&1 || true
[ -s "$work/shot.png" ] || { echo "evidence-screenshot: $browser wrote no screenshot" >&2; exit 1; }

if blank "$work/shot.png"; then
	echo "evidence-screenshot: the document did not render ($colours colours, spread $spread)" >&2
	exit 1
fi
cp "$work/shot.png" "$out"
echo "evidence-screenshot: $out ($size, $colours colours, spread $spread)"
echo "document: $(wc -c <"$doc") bytes"

"$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$work/evidence.pdf" "file://$work/evidence.html" >/dev/null 2>&1 || true
if [ ! -s "$work/evidence.pdf" ]; then
	echo "evidence-screenshot: $browser did not print the document to PDF" >&2
	exit 1
fi
if command -v pdfinfo >/dev/null 2>&1; then
	echo "printed: $(pdfinfo "$work/evidence.pdf" | awk '/^Pages:/ {p=$2} /^Page size:/ {$1=$2=""; s=$0} END {print p " pages," s}')"
else
	echo "printed: $(wc -c <"$work/evidence.pdf") bytes of PDF (pdfinfo, from poppler-utils, counts the pages)"
fi
