#!/usr/bin/env bash
# Fails when a Windows binary imports a function that Windows 7 SP1 may not
# export: Windows would refuse to start it ("The procedure entry point ...
# could not be located"), which no Linux build or Wine run would show.
#
#   bash installer/win7imports.sh x86_64|i686 FILE...
#
# Every import (DLL and function, from objdump -p) from a DLL that is not
# itself among FILE (Mesa's opengl32.dll imports libgallium_wgl.dll) must be
# listed in
# installer/win7-imports.txt, the functions checked to be exported by the
# DLLs of Windows 7 SP1. A new import fails the build until it is checked
# and added there. Functions that Windows 7 is known to lack (WaitOnAddress,
# which Mesa links unless built with -Dmin-windows-version=7, ProcessPrng,
# which Go 1.21 and later link, ...) may never be added.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
list=$here/win7-imports.txt

die() { echo "win7imports.sh: $*" >&2; exit 1; }
[ $# -ge 2 ] || die "usage: win7imports.sh x86_64|i686 FILE..."
objdump=$1-w64-mingw32-objdump
shift
command -v "$objdump" >/dev/null || die "$objdump is not installed (binutils-mingw-w64)"
[ -f "$list" ] || die "no $list"

# Newer than Windows 7 SP1, or only there with an update (KB2533623 for the
# DLL-directory functions): never in the list.
never='^(waitonaddress|wakebyaddresssingle|wakebyaddressall|processprng|getsystemtimepreciseasfiletime|createfile2|setthreaddescription|getthreaddescription|getcurrentthreadstacklimits|prefetchvirtualmemory|getoverlappedresultex|setdefaultdlldirectories|adddlldirectory|removedlldirectory)$'
bad=$(awk '!/^#/ && NF { print tolower($2) }' "$list" | grep -E "$never" || true)
[ -z "$bad" ] && bad=$(awk '!/^#/ && NF && NF != 2 { print FILENAME ":" FNR ": want DLL FUNCTION" }' "$list")
[ -z "$bad" ] || die "$list lists what Windows 7 lacks or a malformed line: $bad"

# The files' own names: imports between them are not Windows'.
own=$(for f in "$@"; do basename "$f"; done | tr "[:upper:]\n" "[:lower:] ")

status=0
for f in "$@"; do
	[ -f "$f" ] || die "no such file: $f"
	# objdump -p: "DLL Name: KERNEL32.dll", then one line per function:
	# "<vma> <hint> <name>" (an ordinal import has no name: "<none>").
	imports=$("$objdump" -p "$f" | awk -v own="$own" '
		BEGIN { n = split(own, o, " "); for (i = 1; i <= n; i++) skip[o[i]] = 1 }
		/^[ \t]*DLL Name:/ { dll = tolower($3); next }
		/^[ \t]*$/ { dll = "" }
		dll != "" && !(dll in skip) && $1 ~ /^[0-9a-f]+$/ && $2 ~ /^[0-9]+$/ && NF >= 3 { print dll, $3 }
	' | LC_ALL=C sort -u)
	[ -n "$imports" ] || die "$(basename "$f"): objdump found no imports (not a Windows binary?)"
	missing=$(LC_ALL=C comm -23 <(echo "$imports" | awk '{ print tolower($1), $2 }' | LC_ALL=C sort -u) \
		<(awk '!/^#/ && NF { print tolower($1), $2 }' "$list" | LC_ALL=C sort -u))
	if [ -n "$missing" ]; then
		echo "win7imports.sh: $(basename "$f") imports what installer/win7-imports.txt does not list as exported by Windows 7 SP1:" >&2
		echo "$missing" | sed 's/^/    /' >&2
		status=1
		continue
	fi
	echo "   Windows 7 SP1 exports all $(echo "$imports" | wc -l) imports of $(basename "$f") ($(echo "$imports" | awk '{ print $1 }' | sort -u | tr '\n' ' '))"
done
[ "$status" -eq 0 ] || die "a binary would not start on Windows 7 SP1, or its new imports need checking"
