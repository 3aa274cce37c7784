#!/usr/bin/env bash
# Builds the Windows release into dist/:
#   medharden-<version>-windows-386.exe, medharden-<version>-windows-amd64.exe
#   medharden-<version>-x86.msi, medharden-<version>-x64.msi
#   medharden-<version>-x86-portable.zip, medharden-<version>-x64-portable.zip
#     (the installed layout: medharden\medharden.exe, medharden-collect.cmd,
#     software-gl\{medharden.exe,opengl32.dll,libgallium_wgl.dll})
#   medharden-collect.cmd (the offline collector for XP and 7),
#   collect-to-share.cmd (the SCCM / task-sequence step that hands its
#   snapshots to a share for `medharden fleet`), SHA256SUMS
#
# The exes are built with Go 1.20.14, the last Go whose binaries start on
# Windows 7 (DESIGN.md "Toolchain and targets"), with cgo and mingw-w64
# because the GUI is Fyne (OpenGL through GLFW). Mesa's software OpenGL for
# sessions without OpenGL 2.1 is built by installer/mesa.sh (cached; the
# first build takes 16 to 28 min per architecture on 2 cores) and shipped in
# software-gl with a second copy of the exe (README "OpenGL").
#
# Environment:
#   MEDHARDEN_VERSION        version to stamp (default: git describe --tags --always --dirty)
#   MEDHARDEN_ARCHES         Go architectures to build (default: "386 amd64")
#   MEDHARDEN_SOFTWARE_GL    of those, the ones whose MSI and zip carry the software
#                            renderer (default: all of them; CI builds it for amd64 only)
#   MEDHARDEN_CACHE          where mesa.sh keeps its builds (default: ~/.cache/medharden)
#   MEDHARDEN_SIGN_PFX       Authenticode certificate (PKCS#12); signing is skipped without it
#   MEDHARDEN_SIGN_PASSWORD  its password
#   MEDHARDEN_SIGN_CAFILE    CA bundle for `osslsigncode verify` (default: the system bundle;
#                            installer/testcert.sh prints the one for its test certificate)
#   MEDHARDEN_SIGN_TIMESTAMP_URL  RFC 3161 timestamp server; without one a signature stops
#                            validating when the certificate expires
#
# Needs: go (any version that can fetch GOTOOLCHAIN=go1.20.14), gcc-mingw-w64-i686,
# gcc-mingw-w64-x86-64, wixl, msitools (msibuild), zip; for Mesa (mesa.sh) meson,
# ninja-build, python3-mako, bison, flex, dpkg-dev, curl, g++-mingw-w64-*-win32;
# osslsigncode when signing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

toolchain=go1.20.14
# Pinned resource compiler, run through the module proxy so that it stays
# out of go.mod (it is a build tool, not a dependency of medharden).
winres=github.com/tc-hib/go-winres@v0.3.3
arches=${MEDHARDEN_ARCHES:-386 amd64}
software_gl=${MEDHARDEN_SOFTWARE_GL-$arches}
dist=$root/dist

step_start=""
step() { # prints how long the previous step took, then the next step's name
	local now
	now=$(date +%s)
	[ -z "$step_start" ] || echo "   ($((now - step_start)) s)"
	step_start=$now
	echo "== $*"
}
die() { echo "build.sh: $*" >&2; exit 1; }

for tool in go wixl msibuild zip; do
	command -v "$tool" >/dev/null || die "$tool is not installed (see .ci/deps)"
done
signing=""
if [ -n "${MEDHARDEN_SIGN_PFX:-}" ]; then
	[ -f "$MEDHARDEN_SIGN_PFX" ] || die "MEDHARDEN_SIGN_PFX: no such file: $MEDHARDEN_SIGN_PFX"
	[ -n "${MEDHARDEN_SIGN_PASSWORD+set}" ] || die "MEDHARDEN_SIGN_PFX is set but MEDHARDEN_SIGN_PASSWORD is not"
	command -v osslsigncode >/dev/null || die "osslsigncode is not installed (needed to sign)"
	signing=yes
fi
for goarch in $arches; do
	case $goarch in
	386) command -v i686-w64-mingw32-gcc >/dev/null || die "i686-w64-mingw32-gcc is not installed (see .ci/deps)" ;;
	amd64) command -v x86_64-w64-mingw32-gcc >/dev/null || die "x86_64-w64-mingw32-gcc is not installed (see .ci/deps)" ;;
	*) die "unknown architecture '$goarch' in MEDHARDEN_ARCHES (386, amd64)" ;;
	esac
done
for goarch in $software_gl; do
	[[ " $arches " == *" $goarch "* ]] || die "MEDHARDEN_SOFTWARE_GL names $goarch, which MEDHARDEN_ARCHES does not build"
done

# --- Versions ---------------------------------------------------------------
# The text version (in file names, `medharden version`, the version resource)
# is whatever git describe says. Windows Installer needs numbers:
# major.minor.build (<= 255.255.65535), plus a fourth field that it shows but
# does not compare. A tag vX.Y.Z gives X.Y.Z.<commits since the tag>; without
# a tag it is 0.0.<commits in history>.0 so that every later build upgrades.
version=${MEDHARDEN_VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
[[ $version =~ ^[A-Za-z0-9][A-Za-z0-9._+-]*$ ]] || die "version '$version': use letters, digits and . _ + - only"

if [[ ${version#v} =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)(-([0-9]+)-g[0-9a-f]+)?([-+].*)?$ ]]; then
	major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]} build=${BASH_REMATCH[3]} rev=${BASH_REMATCH[5]:-0}
else
	major=0 minor=0 build=$(git rev-list --count HEAD 2>/dev/null || echo 0) rev=0
fi
# 10#: leading zeros are decimal, not octal.
major=$((10#$major)) minor=$((10#$minor)) build=$((10#$build)) rev=$((10#$rev))
((major <= 255 && minor <= 255 && build < 65535 && rev <= 65535)) ||
	die "version $major.$minor.$build.$rev is out of Windows Installer's range (255.255.65534.65535)"
msi_version=$major.$minor.$build.$rev
# Every installed version below this one is replaced (see medharden.wxs).
upgrade_below=$major.$minor.$((build + 1))
echo "== medharden $version (Windows Installer version $msi_version), $toolchain, arches: $arches"

rm -rf "$dist"
mkdir -p "$dist"
work=$(mktemp -d "${TMPDIR:-/tmp}/medharden-build.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- Resources: icon, manifest, version -------------------------------------
# app/rsrc_windows_*.syso are committed so that a plain `go build` on Windows
# gets the manifest and icon; they are regenerated here from installer/winres
# with a neutral version, so a release build leaves them unchanged unless
# their sources changed. The release version is patched into each exe below.
step "resources (app/rsrc_windows_386.syso, app/rsrc_windows_amd64.syso)"
# winres.json names its files relative to itself: manifest.xml, and icon.png,
# which is app/Icon.png (the GUI's icon, named in FyneApp.toml too).
mkdir -p "$work/winres"
cp installer/winres/winres.json installer/winres/manifest.xml "$work/winres/"
[ -f app/Icon.png ] || die "app/Icon.png is missing"
cp app/Icon.png "$work/winres/icon.png"
go run "$winres" make --in "$work/winres/winres.json" --arch 386,amd64 --out app/rsrc
if ! git diff --quiet -- app/rsrc_windows_386.syso app/rsrc_windows_amd64.syso 2>/dev/null; then
	# In CI the committed ones must already be current: a plain `go build`
	# on Windows would otherwise embed an old icon or manifest.
	[ -z "${CI:-}" ] || die "app/rsrc_windows_*.syso are out of date: run installer/build.sh and commit them"
	echo "   note: app/rsrc_windows_*.syso changed: commit them"
fi

# The same resources with this build's version, for `go-winres patch`.
sed -e "s/\"0\.0\.0\.0\"/\"$msi_version\"/g" \
	-e "s/\"ProductVersion\": \"dev\"/\"ProductVersion\": \"$version\"/" \
	"$work/winres/winres.json" >"$work/winres/release.json"
grep -q "\"$msi_version\"" "$work/winres/release.json" || die "could not stamp the version into winres.json"

# --- Collector --------------------------------------------------------------
step "collector"
# Shipped as committed: CRLF line endings, which cmd.exe needs for labels.
for script in checks/snapshot/collector/collect.cmd installer/sccm/collect-to-share.cmd; do
	if [ "$(grep -c $'\r$' "$script")" -ne "$(wc -l <"$script")" ]; then
		die "$script has lines without CRLF (a git autocrlf setting?)"
	fi
done
cp checks/snapshot/collector/collect.cmd "$dist/medharden-collect.cmd"
cp installer/sccm/collect-to-share.cmd "$dist/collect-to-share.cmd"

# --- Signing ----------------------------------------------------------------
# SHA-1 first, then a nested SHA-256 signature: Windows 7 without KB4474419
# validates only the SHA-1 one, everything newer prefers SHA-256.
sign() { # file
	local f=$1 ts=()
	[ -z "${MEDHARDEN_SIGN_TIMESTAMP_URL:-}" ] || ts=(-ts "$MEDHARDEN_SIGN_TIMESTAMP_URL")
	# The password goes through a file, not the command line (visible in ps).
	osslsigncode sign -pkcs12 "$MEDHARDEN_SIGN_PFX" -readpass "$work/signpass" \
		-h sha1 -n medharden "${ts[@]}" -in "$f" -out "$f.sha1" >/dev/null
	osslsigncode sign -pkcs12 "$MEDHARDEN_SIGN_PFX" -readpass "$work/signpass" \
		-nest -h sha256 -n medharden "${ts[@]}" -in "$f.sha1" -out "$f.signed" >/dev/null
	mv "$f.signed" "$f"
	rm -f "$f.sha1"
}
verify() { # file
	local f=$1 out
	local ca=(-CAfile "${MEDHARDEN_SIGN_CAFILE:-/etc/ssl/certs/ca-certificates.crt}")
	if ! out=$(osslsigncode verify "${ca[@]}" -in "$f" 2>&1); then
		echo "$out" >&2
		die "signature of $(basename "$f") does not verify"
	fi
	# Both signatures must be there: the SHA-1 one and the nested SHA-256 one.
	grep -q "Message digest algorithm *: SHA1" <<<"$out" || die "$(basename "$f"): no SHA-1 signature"
	grep -q "Message digest algorithm *: SHA256" <<<"$out" || die "$(basename "$f"): no nested SHA-256 signature"
	grep -q "Number of verified signatures: 2" <<<"$out" || die "$(basename "$f"): not both signatures verify"
	echo "   signed and verified (SHA-1 + SHA-256): $(basename "$f")"
}
if [ -n "$signing" ]; then
	(umask 077 && printf '%s' "$MEDHARDEN_SIGN_PASSWORD" >"$work/signpass")
fi

# --- Executables and MSIs -----------------------------------------------------
for goarch in $arches; do
	case $goarch in
	386) cc=i686-w64-mingw32-gcc msiarch=x86 mesaarch=i686 ;;
	amd64) cc=x86_64-w64-mingw32-gcc msiarch=x64 mesaarch=x86_64 ;;
	esac
	exe=$dist/medharden-$version-windows-$goarch.exe

	step "windows/$goarch exe ($toolchain, $cc)"
	# No -H windowsgui: the same exe is the command line (exit codes, output
	# to the console or a pipe) and, started from Explorer or the Start menu,
	# the GUI, which lets go of the console it was given.
	# no_emoji: Fyne's 4 MB emoji font is loaded once per text style; the
	# window shows no emoji, and leaving it out saves 15 MB of memory.
	GOTOOLCHAIN=$toolchain CGO_ENABLED=1 GOOS=windows GOARCH=$goarch CC=$cc \
		go build -trimpath -tags no_emoji -ldflags "-s -w -X main.version=$version" -o "$exe" ./app
	# Guard against a toolchain switch that did not happen: a newer Go's
	# binary would not start on Windows 7.
	built_with=$(go version "$exe" | awk '{print $2}')
	[ "$built_with" = "$toolchain" ] || die "$(basename "$exe") was built with $built_with, not $toolchain"
	go run "$winres" patch --in "$work/winres/release.json" --no-backup "$exe"
	# Read the resources back from the exe: a manifest that did not make it
	# in would only show on Windows 7 (no elevation, compatibility mode).
	go run "$winres" extract --xml-manifest --dir "$work/res-$goarch" "$exe"
	grep -q 'level="requireAdministrator"' "$work/res-$goarch/app.manifest" || die "$(basename "$exe"): no requireAdministrator in its manifest"
	grep -q '35138b9a-5d96-4fbd-8e2d-a2440225f93a' "$work/res-$goarch/app.manifest" || die "$(basename "$exe"): no Windows 7 supportedOS in its manifest"
	grep -q "\"ProductVersion\": \"$version\"" "$work/res-$goarch/winres.json" || die "$(basename "$exe"): version resource is not $version"
	if [ -n "$signing" ]; then
		sign "$exe"
		verify "$exe"
	fi

	# wixl finds sources relative to the current folder, not as absolute paths.
	mkdir -p "$work/msi-$msiarch"
	cp "$exe" "$work/msi-$msiarch/medharden.exe"
	cp "$dist/medharden-collect.cmd" "$work/msi-$msiarch/"
	cp "$work/res-$goarch/APP_0000.ico" "$work/msi-$msiarch/medharden.ico" # for Programs and Features
	dlls=()
	if [[ " $software_gl " == *" $goarch "* ]]; then
		step "$msiarch software renderer (installer/mesa.sh $mesaarch)"
		mesa=$(bash installer/mesa.sh "$mesaarch")
		mkdir -p "$work/msi-$msiarch/software-gl"
		cp "$mesa/opengl32.dll" "$mesa/libgallium_wgl.dll" "$work/msi-$msiarch/software-gl/"
		for dll in "$work/msi-$msiarch/software-gl/"*.dll; do
			dlls+=("$dll")
			[ -z "$signing" ] || { sign "$dll" && verify "$dll"; }
		done
		ls -l "$work/msi-$msiarch/software-gl/" | awk 'NR > 1 { printf "   %-20s %6.1f MB\n", $NF, $5 / 1048576 }'
	else
		echo "   note: the $msiarch MSI and zip have no software renderer (MEDHARDEN_SOFTWARE_GL=$software_gl)"
	fi
	step "$msiarch imports: only functions Windows 7 SP1 exports (installer/win7imports.sh)"
	bash installer/win7imports.sh "$mesaarch" "$exe"
	[ "${#dlls[@]}" -eq 0 ] || bash installer/win7imports.sh "$mesaarch" "${dlls[@]}"

	step "$msiarch MSI"
	msi=$dist/medharden-$version-$msiarch.msi
	(cd "$work" && bash "$root/installer/msi.sh" "$msiarch" "$msi_version" "$upgrade_below" "msi-$msiarch" "$msi")
	if [ -n "$signing" ]; then
		sign "$msi"
		verify "$msi"
	fi
	size=$(stat -c %s "$msi")
	# Windows Installer and the download page cope with more, but 30 MB is
	# what central stations' software distribution takes.
	[ "$size" -lt $((30 * 1048576)) ] || die "$(basename "$msi") is $((size / 1048576)) MB, over the 30 MB limit"

	step "$msiarch portable zip (the installed layout)"
	zdir=$work/zip-$msiarch/medharden
	mkdir -p "$zdir"
	cp "$work/msi-$msiarch/medharden.exe" "$work/msi-$msiarch/medharden-collect.cmd" "$zdir/"
	if [ -d "$work/msi-$msiarch/software-gl" ]; then
		cp -r "$work/msi-$msiarch/software-gl" "$zdir/"
		cp "$work/msi-$msiarch/medharden.exe" "$zdir/software-gl/"
	fi
	(cd "$work/zip-$msiarch" && zip -q -X -9 -r "$dist/medharden-$version-$msiarch-portable.zip" medharden)
done

step "SHA256SUMS"
(cd "$dist" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | LC_ALL=C sort |
	xargs sha256sum -- >SHA256SUMS)
cat "$dist/SHA256SUMS"

step "done: dist/"
for f in "$dist"/*; do
	awk -v n="$(basename "$f")" -v s="$(stat -c %s "$f")" 'BEGIN { printf "   %-48s %6.1f MB (%d bytes)\n", n, s / 1048576, s }'
done
