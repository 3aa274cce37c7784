#!/usr/bin/env bash
# Runs the offline pack's apply.cmd and undo.cmd under Wine's cmd.exe with
# host, service and account names that hold cmd's metacharacters
# (TestPackUnderWine), in a throwaway Wine prefix under the test's temporary
# folder. About 30 s, most of it wineboot.
#
# Exits 0 with "skipped: wine not installed" when there is no Wine.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if ! command -v wine >/dev/null; then
	echo "skipped: wine not installed"
	exit 0
fi
cd "$root"
unset DISPLAY
MEDHARDEN_WINE=1 go test ./remediate -run '^TestPackUnderWine$' -count=1 -v
