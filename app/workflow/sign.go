package workflow

import (
	"crypto"
	"crypto/x509"
	"fmt"
	"os"

	"github.com/smallstep/pkcs7"
	"software.sslmate.com/src/go-pkcs12"
)

// MaxPFXSize caps a certificate file: a real one is a few kilobytes.
const MaxPFXSize = 1 << 20

// Signer signs documents with the certificate and key of a PFX file.
type Signer struct {
	cert  *x509.Certificate
	chain []*x509.Certificate
	key   crypto.PrivateKey
}

// LoadSigner reads a PFX (PKCS#12) file with its password. The password
// never appears in an error.
func LoadSigner(path, password string) (*Signer, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() || st.Size() > MaxPFXSize {
		return nil, Inputf("%s: not a certificate file (a regular file of at most %d bytes)", path, MaxPFXSize)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, cert, chain, err := pkcs12.DecodeChain(b, password)
	if err != nil {
		return nil, Inputf("%s: cannot open the certificate (wrong password, or not a PFX file with one key and certificate): %v", path, err)
	}
	return &Signer{cert: cert, chain: chain, key: key}, nil
}

// Subject names the signing certificate for messages.
func (s *Signer) Subject() string { return s.cert.Subject.String() }

// SignDetached returns a detached PKCS#7 (CMS) signature of doc, DER
// encoded, with SHA-256 and the certificate and its chain included, as
// `openssl cms -verify -binary -inform DER -content DOC` checks it.
func (s *Signer) SignDetached(doc []byte) ([]byte, error) {
	sd, err := pkcs7.NewSignedData(doc)
	if err != nil {
		return nil, err
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if err := sd.AddSigner(s.cert, s.key, pkcs7.SignerInfoConfig{}); err != nil {
		return nil, fmt.Errorf("sign with %s: %w", s.Subject(), err)
	}
	for _, c := range s.chain {
		sd.AddCertificate(c)
	}
	sd.Detach()
	return sd.Finish()
}
