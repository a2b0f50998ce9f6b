package pgwire

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// Startup packet codes (the first int32 after the length).
const (
	codeSSLRequest    = 80877103
	codeGSSENCRequest = 80877104
	codeCancelRequest = 80877102
	maxStartupPacket  = 10000 // MAX_STARTUP_PACKET_LENGTH in PostgreSQL
)

// serveConn runs one connection from its first byte to its end.
func (s *Server) serveConn(nc net.Conn) {
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(s.opts.StartupTimeout))
	nc, sm, endPoint, err := s.startup(nc)
	if err != nil || sm == nil {
		if err != nil && !isNetErr(err) {
			s.log.Debug("pgwire: startup failed", "remote", nc.RemoteAddr().String(), "err", err)
		}
		return
	}
	c := newConn(s, nc)
	c.tlsEndPoint = endPoint
	c.serve(sm)
}

// startup reads startup packets until a StartupMessage, answering
// SSLRequest (switching nc to TLS) and GSSENCRequest, and serving a
// CancelRequest (sm nil: the connection just ends). The packets are
// read unbuffered, so no plaintext byte sent after an SSLRequest can be
// taken as if it came over TLS. endPoint is the tls-server-end-point
// channel binding data (RFC 5929) of a TLS connection.
func (s *Server) startup(nc net.Conn) (_ net.Conn, _ *pgproto3.StartupMessage, endPoint []byte, _ error) {
	isTLS := false
	sentBadVersion := false
	for round := 0; ; round++ {
		if round > 2 {
			// One SSLRequest and one GSSENCRequest at most, as PostgreSQL allows.
			return nc, nil, nil, errors.New("pgwire: too many negotiation requests")
		}
		body, err := readStartupPacket(nc)
		if err != nil {
			return nc, nil, nil, err
		}
		code := binary.BigEndian.Uint32(body)
		switch {
		case code == codeSSLRequest:
			if isTLS || len(body) != 4 {
				return nc, nil, nil, errors.New("pgwire: SSLRequest after TLS or with a body")
			}
			if s.opts.TLSConfig == nil {
				if _, err := nc.Write([]byte{'N'}); err != nil {
					return nc, nil, nil, err
				}
				continue
			}
			if _, err := nc.Write([]byte{'S'}); err != nil {
				return nc, nil, nil, err
			}
			cfg, chosen := recordCertificate(s.opts.TLSConfig)
			tc := tls.Server(nc, cfg)
			if err := tc.Handshake(); err != nil {
				return nc, nil, nil, fmt.Errorf("tls handshake: %w", err)
			}
			nc, isTLS = tc, true
			endPoint = serverEndPoint(*chosen)
		case code == codeGSSENCRequest:
			if _, err := nc.Write([]byte{'N'}); err != nil {
				return nc, nil, nil, err
			}
		case code == codeCancelRequest:
			var cr pgproto3.CancelRequest
			if err := cr.Decode(body); err != nil {
				return nc, nil, nil, err
			}
			s.cancel(cr.ProcessID, cr.SecretKey)
			return nc, nil, nil, nil
		case code>>16 == 3:
			// 3.x: read it as 3.0; a newer minor is negotiated down in serve.
			b := append([]byte{}, body...)
			binary.BigEndian.PutUint32(b, pgproto3.ProtocolVersion30)
			var sm pgproto3.StartupMessage
			if err := sm.Decode(b); err != nil {
				s.startupFatal(nc, CodeProtocolViolation, "invalid startup packet layout: %v", err)
				return nc, nil, nil, err
			}
			sm.ProtocolVersion = code
			return nc, &sm, endPoint, nil
		default:
			if sentBadVersion {
				return nc, nil, nil, errors.New("pgwire: bad protocol")
			}
			sentBadVersion = true
			s.startupFatal(nc, CodeFeatureNotSupported,
				"unsupported frontend protocol %d.%d: server supports 3.0 to 3.0", code>>16, code&0xffff)
			return nc, nil, nil, errors.New("pgwire: unsupported protocol")
		}
	}
}

func readStartupPacket(r io.Reader) ([]byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n := int(int32(binary.BigEndian.Uint32(hdr[:])))
	if n < 8 || n > maxStartupPacket {
		return nil, fmt.Errorf("pgwire: invalid length of startup packet: %d", n)
	}
	body := make([]byte, n-4)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	return body, nil
}

// startupFatal writes a FATAL ErrorResponse outside a pgproto3.Backend.
func (s *Server) startupFatal(w io.Writer, code, format string, args ...any) {
	e := &Error{Severity: "FATAL", Code: code, Message: fmt.Sprintf(format, args...)}
	buf, err := e.response("FATAL").Encode(nil)
	if err == nil {
		_, _ = w.Write(buf)
	}
}

func isNetErr(err error) bool {
	var ne net.Error
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) || errors.As(err, &ne)
}

// recordCertificate clones cfg so that the certificate the handshake
// picks is recorded in *chosen (tls.ConnectionState does not tell a
// server its own certificate).
func recordCertificate(base *tls.Config) (*tls.Config, **tls.Certificate) {
	cfg := base.Clone()
	chosen := new(*tls.Certificate)
	certs, get := cfg.Certificates, cfg.GetCertificate
	cfg.Certificates = nil
	cfg.GetCertificate = func(hi *tls.ClientHelloInfo) (*tls.Certificate, error) {
		if get != nil {
			c, err := get(hi)
			if c != nil || err != nil {
				*chosen = c
				return c, err
			}
		}
		if len(certs) == 0 {
			return nil, errors.New("pgwire: no TLS certificate configured")
		}
		*chosen = &certs[0]
		for i := range certs {
			if hi.SupportsCertificate(&certs[i]) == nil {
				*chosen = &certs[i]
				break
			}
		}
		return *chosen, nil
	}
	return cfg, chosen
}

// serverEndPoint is the tls-server-end-point binding of cert: a hash of
// its DER with the hash of its signature algorithm, SHA-256 for MD5 and
// SHA-1 (RFC 5929 section 4.1). nil when unknown.
func serverEndPoint(cert *tls.Certificate) []byte {
	if cert == nil || len(cert.Certificate) == 0 {
		return nil
	}
	leaf, err := x509.ParseCertificate(cert.Certificate[0])
	if err != nil {
		return nil
	}
	der := cert.Certificate[0]
	switch leaf.SignatureAlgorithm {
	case x509.SHA384WithRSA, x509.ECDSAWithSHA384, x509.SHA384WithRSAPSS:
		h := sha512.Sum384(der)
		return h[:]
	case x509.SHA512WithRSA, x509.ECDSAWithSHA512, x509.SHA512WithRSAPSS:
		h := sha512.Sum512(der)
		return h[:]
	case x509.PureEd25519:
		return nil // no single hash: RFC 5929 leaves it undefined
	}
	h := sha256.Sum256(der)
	return h[:]
}
