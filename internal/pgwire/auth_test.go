package pgwire

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestAuthentication(t *testing.T) {
	for _, tc := range []struct {
		name string
		auth AuthMethod
	}{{"scram", AuthSCRAM}, {"cleartext", AuthCleartext}, {"md5", AuthMD5}} {
		t.Run(tc.name, func(t *testing.T) {
			_, addr := startServer(t, newTestBackend(), func(o *Options) { o.Auth = tc.auth })
			c, err := pgconn.Connect(t.Context(), connString(addr, "bob", "hunter2", ""))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Exec(t.Context(), "select 1").ReadAll(); err != nil {
				t.Fatal(err)
			}
			_ = c.Close(t.Context())
			for _, bad := range []struct{ user, pass string }{{"bob", "wrong"}, {"mallory", "hunter2"}, {"bob", "hunter2x"}} {
				_, err := pgconn.Connect(t.Context(), connString(addr, bad.user, bad.pass, ""))
				var pe *pgconn.PgError
				if !errors.As(err, &pe) || pe.Code != "28P01" || pe.Severity != "FATAL" ||
					pe.Message != `password authentication failed for user "`+bad.user+`"` {
					t.Errorf("%s/%s: err = %v", bad.user, bad.pass, err)
				}
			}
		})
	}
}

// TestSCRAMVerifiesServer checks the client accepted the server's final
// signature: pgx fails the connection if v= does not match, so a
// successful connect proves it; here we also make sure pgx really used
// SCRAM by refusing cleartext on the client side.
func TestSCRAMOnly(t *testing.T) {
	_, addr := startServer(t, newTestBackend(), nil)
	c, err := pgconn.Connect(t.Context(), connString(addr, "alice", "s3cret", "require_auth=scram-sha-256"))
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close(t.Context())
}

func selfSignedTLS(t *testing.T) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

func TestTLS(t *testing.T) {
	b := newTestBackend()
	_, addr := startServer(t, b, func(o *Options) { o.TLSConfig = selfSignedTLS(t); o.RequireTLS = true })
	// channel_binding=require: pgx must pick SCRAM-SHA-256-PLUS.
	cfg, err := pgconn.ParseConfig(connString(addr, "alice", "s3cret", "") + " sslmode=require channel_binding=require")
	if err != nil {
		t.Fatal(err)
	}
	c, err := pgconn.ConnectConfig(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(t.Context())
	if _, ok := c.Conn().(*tls.Conn); !ok {
		t.Errorf("client connection is %T, not TLS", c.Conn())
	}
	if _, err := c.Exec(t.Context(), "series 2").ReadAll(); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	gotTLS := b.infos[0].TLS
	b.mu.Unlock()
	if !gotTLS {
		t.Error("StartupInfo.TLS is false")
	}
	// psql (libpq) binds the channel too.
	if psql, err := exec.LookPath("psql"); err == nil {
		host, port, _ := net.SplitHostPort(addr)
		cmd := exec.CommandContext(t.Context(), psql, "-X", "-A", "-t", "-h", host, "-p", port, "-U", "alice", "-d", "dev", "-c", "select 5")
		cmd.Env = []string{"PGPASSWORD=s3cret", "PGSSLMODE=require", "PGCHANNELBINDING=require"}
		if out, err := cmd.CombinedOutput(); err != nil || string(out) != "5\n" {
			t.Errorf("psql over TLS: %v %q", err, out)
		}
	}
	// Without TLS the server refuses, as a hostssl-only pg_hba.conf does.
	_, err = pgconn.Connect(t.Context(), connString(addr, "alice", "s3cret", ""))
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "28000" {
		t.Errorf("plaintext: err = %v", err)
	}
}

// TestNoTLS: without a certificate SSLRequest is answered 'N' and
// sslmode=prefer falls back to plaintext; sslmode=require fails.
func TestNoTLS(t *testing.T) {
	_, addr := startServer(t, newTestBackend(), nil)
	base := connString(addr, "alice", "s3cret", "")
	c, err := pgconn.Connect(t.Context(), base+" sslmode=prefer")
	if err != nil {
		t.Fatal(err)
	}
	_ = c.Close(t.Context())
	if _, err := pgconn.Connect(t.Context(), base+" sslmode=require"); err == nil {
		t.Error("sslmode=require connected to a server without TLS")
	}
}
