#!/usr/bin/env bash
# Builds one MSI from installer/medharden.wxs with wixl, then adds what
# wixl cannot express: the DuplicateFile row that installs the second copy
# of medharden.exe into software-gl (the software renderer's, README
# "OpenGL") from the one file the MSI carries, with the DuplicateFiles and
# RemoveDuplicateFiles actions at their standard places in the sequence.
#
#   bash installer/msi.sh x64|x86 VERSION UPGRADE_BELOW SOURCEDIR OUT.msi
#
# SOURCEDIR (relative to the current folder: wixl wants it so) holds what
# medharden.wxs names; without SOURCEDIR/software-gl the MSI has no software
# renderer (build.sh says so when it builds one). Needs wixl and msibuild
# (Debian: wixl, msitools).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "msi.sh: $*" >&2; exit 1; }
[ $# -eq 5 ] || die "usage: msi.sh x64|x86 VERSION UPGRADE_BELOW SOURCEDIR OUT.msi"
arch=$1 version=$2 below=$3 src=$4 out=$5
files=(medharden.exe medharden-collect.cmd medharden.ico)
software=no
if [ -e "$src/software-gl" ]; then
	software=yes
	files+=(software-gl/opengl32.dll software-gl/libgallium_wgl.dll)
fi
for f in "${files[@]}"; do
	[ -f "$src/$f" ] || die "$src/$f is missing"
done
wixl -a "$arch" -D Arch="$arch" -D Version="$version" -D UpgradeBelow="$below" -D SourceDir="$src" \
	-D SoftwareGL="$software" -o "$out" "$here/medharden.wxs"
[ "$software" = yes ] || exit 0
msibuild "$out" \
	-q 'CREATE TABLE `DuplicateFile` (`FileKey` CHAR(72) NOT NULL, `Component_` CHAR(72) NOT NULL, `File_` CHAR(72) NOT NULL, `DestName` CHAR(255) LOCALIZABLE, `DestFolder` CHAR(72) PRIMARY KEY `FileKey`)' \
	-q "INSERT INTO \`DuplicateFile\` (\`FileKey\`, \`Component_\`, \`File_\`, \`DestName\`, \`DestFolder\`) VALUES ('medharden_exe_software_gl', 'SoftwareGL', 'medharden.exe', 'medharden.exe', 'SOFTWAREGLDIR')" \
	-q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('RemoveDuplicateFiles', 3400)" \
	-q "INSERT INTO \`InstallExecuteSequence\` (\`Action\`, \`Sequence\`) VALUES ('DuplicateFiles', 4210)" ||
	die "msibuild could not add the DuplicateFile row to $out"
msiinfo export "$out" DuplicateFile | grep -q "^medharden_exe_software_gl	SoftwareGL	medharden.exe	" ||
	die "$out has no DuplicateFile row for software-gl\\medharden.exe"
