#!/usr/bin/env bash
# Makes a throwaway self-signed code-signing certificate for CI, so that
# build.sh's signing and verification run on every build without the real
# certificate. Everything goes to a new folder under /tmp, never into the
# repository. Prints shell assignments for build.sh:
#
#   eval "$(bash installer/testcert.sh)"
#   bash installer/build.sh
#
# A signature made with this certificate verifies only against its own CA
# file (MEDHARDEN_SIGN_CAFILE); Windows shows the publisher as unverified.
set -euo pipefail

command -v openssl >/dev/null || { echo "testcert.sh: openssl is not installed" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/medharden-testcert.XXXXXX")
chmod 700 "$dir"
password=$(openssl rand -hex 16)

# codeSigning extended key usage: osslsigncode verify and Windows both
# reject a signing certificate without it.
openssl req -x509 -newkey rsa:3072 -sha256 -days 30 -nodes \
	-subj "/CN=medharden CI test signing (not trusted)/O=medharden" \
	-addext "basicConstraints=critical,CA:FALSE" \
	-addext "keyUsage=critical,digitalSignature" \
	-addext "extendedKeyUsage=codeSigning" \
	-keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
openssl pkcs12 -export -inkey "$dir/key.pem" -in "$dir/cert.pem" \
	-name "medharden CI test signing" -passout "pass:$password" -out "$dir/test.pfx"
rm -f "$dir/key.pem"

printf 'export MEDHARDEN_SIGN_PFX=%q\n' "$dir/test.pfx"
printf 'export MEDHARDEN_SIGN_PASSWORD=%q\n' "$password"
printf 'export MEDHARDEN_SIGN_CAFILE=%q\n' "$dir/cert.pem"
