package pgwire

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// scramClient runs a hand-made SCRAM exchange so tests can send what
// real clients never would. It returns "ok" or the server's error code.
func scramClient(t *testing.T, nc net.Conn, mech, gs2 string, cbind []byte) string {
	t.Helper()
	_ = nc.SetDeadline(time.Now().Add(30 * time.Second))
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "alice"}})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	const cnonce = "fyko+d2lbbFgONRv9qkxdawL"
	bare := "n=,r=" + cnonce
	var serverFirst string
	for {
		m, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		switch m := m.(type) {
		case *pgproto3.AuthenticationSASL:
			fe.Send(&pgproto3.SASLInitialResponse{AuthMechanism: mech, Data: []byte(gs2 + bare)})
		case *pgproto3.AuthenticationSASLContinue:
			serverFirst = string(m.Data)
			var nonce, salt string
			var iters int
			for _, a := range strings.Split(serverFirst, ",") {
				switch a[:2] {
				case "r=":
					nonce = a[2:]
				case "s=":
					salt = a[2:]
				case "i=":
					iters, _ = strconv.Atoi(a[2:])
				}
			}
			rawSalt, _ := base64.StdEncoding.DecodeString(salt)
			salted, _ := pbkdf2.Key(sha256.New, "s3cret", rawSalt, iters, 32)
			clientKey := hmacSHA256(salted, "Client Key")
			stored := sha256.Sum256(clientKey)
			withoutProof := "c=" + base64.StdEncoding.EncodeToString(append([]byte(gs2), cbind...)) + ",r=" + nonce
			sig := hmacSHA256(stored[:], bare+","+serverFirst+","+withoutProof)
			for i := range clientKey {
				clientKey[i] ^= sig[i]
			}
			fe.Send(&pgproto3.SASLResponse{Data: []byte(withoutProof + ",p=" + base64.StdEncoding.EncodeToString(clientKey))})
		case *pgproto3.AuthenticationSASLFinal:
		case *pgproto3.AuthenticationOk:
			return "ok"
		case *pgproto3.ErrorResponse:
			return m.Code
		default:
			t.Fatalf("unexpected %T", m)
		}
		if err := fe.Flush(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSCRAMChannelBinding(t *testing.T) {
	tlsCfg := selfSignedTLS(t)
	_, addr := startServer(t, newTestBackend(), func(o *Options) { o.TLSConfig = tlsCfg })
	dialTLS := func() *tls.Conn {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = nc.Close() })
		req, _ := (&pgproto3.SSLRequest{}).Encode(nil)
		if _, err := nc.Write(req); err != nil {
			t.Fatal(err)
		}
		var ans [1]byte
		if _, err := nc.Read(ans[:]); err != nil || ans[0] != 'S' {
			t.Fatalf("SSLRequest answer %q %v", ans, err)
		}
		tc := tls.Client(nc, &tls.Config{InsecureSkipVerify: true})
		if err := tc.Handshake(); err != nil {
			t.Fatal(err)
		}
		return tc
	}
	endPoint := func(tc *tls.Conn) []byte {
		h := sha256.Sum256(tc.ConnectionState().PeerCertificates[0].Raw)
		return h[:]
	}
	tc := dialTLS()
	if got := scramClient(t, tc, scramPlusMechanism, "p=tls-server-end-point,,", endPoint(tc)); got != "ok" {
		t.Errorf("PLUS with the right binding: %s", got)
	}
	tc = dialTLS()
	if got := scramClient(t, tc, scramPlusMechanism, "p=tls-server-end-point,,", make([]byte, 32)); got != "08P01" {
		t.Errorf("PLUS with a wrong binding: %s", got)
	}
	tc = dialTLS()
	if got := scramClient(t, tc, scramMechanism, "y,,", nil); got != "08P01" {
		t.Errorf("downgrade to SCRAM-SHA-256 with y: %s", got)
	}
	tc = dialTLS()
	if got := scramClient(t, tc, scramMechanism, "n,,", nil); got != "ok" {
		t.Errorf("SCRAM-SHA-256 without binding over TLS: %s", got)
	}
	// Without TLS a "y" client is fine, and PLUS is not on offer.
	_, plainAddr := startServer(t, newTestBackend(), nil)
	for _, tc := range []struct{ mech, gs2, want string }{
		{scramMechanism, "y,,", "ok"},
		{scramPlusMechanism, "p=tls-server-end-point,,", "08P01"},
	} {
		nc, err := net.Dial("tcp", plainAddr)
		if err != nil {
			t.Fatal(err)
		}
		if got := scramClient(t, nc, tc.mech, tc.gs2, nil); got != tc.want {
			t.Errorf("plaintext %s %s: %s, want %s", tc.mech, tc.gs2, got, tc.want)
		}
		_ = nc.Close()
	}
}
