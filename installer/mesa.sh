#!/usr/bin/env bash
# Builds Mesa's software OpenGL for Windows (opengl32.dll + libgallium_wgl.dll,
# the softpipe renderer, OpenGL 3.3 compatibility) with mingw-w64, for the
# window's fallback on machines whose OpenGL is older than 2.1 (Remote
# Desktop, virtual machines without a 3D driver): see README "OpenGL".
#
#   bash installer/mesa.sh x86_64|i686
#
# Prints the folder that holds the two DLLs. The result is cached by Mesa
# version, architecture and build options in
#   ${MEDHARDEN_CACHE:-$HOME/.cache/medharden}/mesa-<version>-<arch>/
# so only the first run on a machine builds (16 to 28 min per architecture
# on 2 cores); the Debian source package is downloaded once into
# .../src/ and checked against its pinned SHA-256.
#
# Needs: meson, ninja, python3 with mako (python3-mako), bison, flex,
# dpkg-source (dpkg-dev), curl, gcc-mingw-w64 and g++-mingw-w64 (win32
# threads), x86_64-w64-mingw32-objdump (binutils-mingw-w64).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

die() { echo "mesa.sh: $*" >&2; exit 1; }

arch=${1:-}
case $arch in
x86_64 | i686) ;;
*) die "usage: mesa.sh x86_64|i686" ;;
esac

# Debian bookworm's source package: Mesa 22.3.6 with Debian's patches.
mesa_version=22.3.6
deb_version=22.3.6-1+deb12u1
dsc=mesa_$deb_version.dsc
dsc_sha256=bbcdcd01885e820a697c0226a148f28cfdb2262f1fdb48d32293aaf38bfbf27e
pool=http://deb.debian.org/debian/pool/main/m/mesa

# min-windows-version=7: the default (Windows 8) links WaitOnAddress, which
# Windows 7 lacks. No LLVM (llvmpipe) because Debian has none for mingw.
options=(-Dplatforms=windows -Dgallium-drivers=swrast -Dvulkan-drivers=[] -Dopengl=true
	-Dgles1=disabled -Dgles2=disabled -Degl=disabled -Dglx=disabled -Dgbm=disabled
	-Dshared-glapi=disabled -Dllvm=disabled -Dzlib=disabled -Dzstd=disabled
	-Dmin-windows-version=7 --buildtype=release)

cache=${MEDHARDEN_CACHE:-$HOME/.cache/medharden}
out=$cache/mesa-$mesa_version-$arch
# The stamp records what the cached DLLs were built from: other options or
# another source package rebuild them.
stamp="$deb_version ${options[*]}"
built() { [ -f "$1/stamp" ] && [ "$(cat "$1/stamp")" = "$stamp" ] && [ -f "$1/opengl32.dll" ] && [ -f "$1/libgallium_wgl.dll" ]; }
if built "$out"; then
	echo "$out"
	exit 0
fi
# A build whose imports failed the Windows 7 check is kept in $out.new:
# once installer/win7-imports.txt lists them (after checking), it is taken
# without building again.
promote() {
	bash "$root/installer/win7imports.sh" "$arch" "$out.new/opengl32.dll" "$out.new/libgallium_wgl.dll" >&2
	rm -rf "$out"
	mv "$out.new" "$out"
	echo "$out"
}
if built "$out.new"; then
	promote
	exit 0
fi

# Debian's python3, which has mako, before any other (pyenv, venv).
export PATH=/usr/bin:$PATH
for tool in meson ninja bison flex dpkg-source curl "$arch-w64-mingw32-gcc-win32" "$arch-w64-mingw32-g++-win32" "$arch-w64-mingw32-objdump"; do
	command -v "$tool" >/dev/null || die "$tool is not installed (see .ci/deps)"
done
python3 -c 'import mako' 2>/dev/null || die "python3 has no mako module (install python3-mako)"

# --- Source -------------------------------------------------------------------
src=$cache/src
mkdir -p "$src"
if [ ! -f "$src/$dsc" ] || ! echo "$dsc_sha256  $src/$dsc" | sha256sum -c --quiet - 2>/dev/null; then
	echo "mesa.sh: downloading $dsc" >&2
	curl -fsSL -o "$src/$dsc.part" "$pool/$dsc" || die "cannot download $pool/$dsc"
	echo "$dsc_sha256  $src/$dsc.part" | sha256sum -c --quiet - || die "$dsc: SHA-256 differs from the pinned one"
	mv "$src/$dsc.part" "$src/$dsc"
fi
# The .dsc pins the other files' checksums; dpkg-source -x checks them.
for f in $(awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 } on { print $3 }' "$src/$dsc"); do
	[ -f "$src/$f" ] && continue
	echo "mesa.sh: downloading $f" >&2
	curl -fsSL -o "$src/$f.part" "$pool/$f" || die "cannot download $pool/$f"
	mv "$src/$f.part" "$src/$f"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/medharden-mesa.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$work" && dpkg-source --no-check -x "$src/$dsc" mesa >/dev/null) || die "dpkg-source could not unpack $dsc"
# --no-check skips only the (unavailable) signature; the checksums of the
# tarball and diff against the pinned .dsc are verified here.
awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 } on { print $1 "  " $3 }' "$src/$dsc" |
	(cd "$src" && sha256sum -c --quiet -) || die "the source files do not match $dsc"

# --- Build --------------------------------------------------------------------
cpu=$arch
[ "$arch" = i686 ] && cpu=x86
cat >"$work/cross.ini" <<EOF
[binaries]
c = '$arch-w64-mingw32-gcc-win32'
cpp = '$arch-w64-mingw32-g++-win32'
ar = '$arch-w64-mingw32-ar'
strip = '$arch-w64-mingw32-strip'
windres = '$arch-w64-mingw32-windres'
pkgconfig = 'false'

[built-in options]
# libgcc and libstdc++ linked in, so that the two DLLs are all there is to ship.
c_link_args = ['-static', '-static-libgcc']
cpp_link_args = ['-static', '-static-libgcc', '-static-libstdc++']

[host_machine]
system = 'windows'
cpu_family = '$cpu'
cpu = '$cpu'
endian = 'little'
EOF
start=$(date +%s)
echo "mesa.sh: building Mesa $mesa_version for $arch (log: $work/build.log)" >&2
if ! (cd "$work/mesa" && meson setup --cross-file "$work/cross.ini" "${options[@]}" "$work/build" &&
	ninja -C "$work/build" -j"$(nproc)") >"$work/build.log" 2>&1; then
	tail -40 "$work/build.log" >&2
	die "the Mesa build failed"
fi
echo "mesa.sh: built in $(($(date +%s) - start)) s" >&2

# --- Result -------------------------------------------------------------------
rm -rf "$out.new"
mkdir -p "$out.new"
for dll in opengl32.dll libgallium_wgl.dll; do
	f=$(find "$work/build" -name "$dll" -type f | head -1)
	[ -n "$f" ] || die "the build made no $dll"
	"$arch-w64-mingw32-strip" -o "$out.new/$dll" "$f"
done
echo "$stamp" >"$out.new/stamp"
promote
