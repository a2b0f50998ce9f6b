package tarntest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tarnhq/tarn/internal/config"
)

// TestWarehouseTLS: with pg_tls_cert and pg_tls_key the warehouse answers
// SSL requests with TLS, so sslmode=require connects (and the session is
// encrypted); without them the same client is refused.
func TestWarehouseTLS(t *testing.T) {
	certFile, keyFile := selfSigned(t)
	env := Start(t, func(c *config.Config) { c.PGTLSCert, c.PGTLSKey = certFile, keyFile })
	url := fmt.Sprintf("postgres://%s:%s@%s/dev?sslmode=require", env.Config.AccessKey, env.Config.SecretKey, env.Platform.PGAddr())
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, ok := conn.PgConn().Conn().(*tls.Conn); !ok {
		t.Fatalf("the session runs over %T, not TLS", conn.PgConn().Conn())
	}
	var one int
	if err := conn.QueryRow(t.Context(), "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("over TLS: %d %v", one, err)
	}

	plain := Start(t)
	url = fmt.Sprintf("postgres://%s:%s@%s/dev?sslmode=require", plain.Config.AccessKey, plain.Config.SecretKey, plain.Platform.PGAddr())
	if c, err := pgx.Connect(t.Context(), url); err == nil {
		c.Close(context.Background())
		t.Fatal("sslmode=require connected to a warehouse without a certificate")
	}
}

// selfSigned writes a throwaway certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "tarn-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}
