package pgwire

import (
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
)

const (
	scramMechanism     = "SCRAM-SHA-256"
	scramPlusMechanism = "SCRAM-SHA-256-PLUS"
)

// authenticate runs the password exchange for user. It returns nil on
// success, or the FATAL *Error to send. An unknown user goes through the
// whole exchange with a mock secret and fails like a wrong password, so
// the answer does not tell which users exist.
func (c *conn) authenticate(ctx context.Context, user string) error {
	secret, ok := c.s.opts.Backend.Password(ctx, user)
	failed := &Error{Severity: "FATAL", Code: CodeInvalidPassword,
		Message: fmt.Sprintf("password authentication failed for user %q", user)}
	if m := c.s.opts.Auth; m == AuthCleartext || m == AuthMD5 {
		want := secret
		if m == AuthMD5 {
			var salt [4]byte
			_, _ = rand.Read(salt[:])
			c.be.Send(&pgproto3.AuthenticationMD5Password{Salt: salt})
			_ = c.be.SetAuthType(pgproto3.AuthTypeMD5Password)
			inner := md5.Sum([]byte(secret + user))
			outer := md5.Sum(append([]byte(hex.EncodeToString(inner[:])), salt[:]...))
			want = "md5" + hex.EncodeToString(outer[:])
		} else {
			c.be.Send(&pgproto3.AuthenticationCleartextPassword{})
			_ = c.be.SetAuthType(pgproto3.AuthTypeCleartextPassword)
		}
		if err := c.flush(); err != nil {
			return err
		}
		msg, err := c.be.Receive()
		if err != nil {
			return err
		}
		pm, isPM := msg.(*pgproto3.PasswordMessage)
		if !isPM {
			return protocolFatal("expected password response, got message type %T", msg)
		}
		if !ok || subtle.ConstantTimeCompare([]byte(pm.Password), []byte(want)) != 1 {
			return failed
		}
		return nil
	}
	if !ok {
		secret = string(rand.Text())
	}
	return c.scram(secret, failed)
}

func protocolFatal(format string, args ...any) *Error {
	return &Error{Severity: "FATAL", Code: CodeProtocolViolation, Message: fmt.Sprintf(format, args...)}
}

// scram is the server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as
// PostgreSQL runs it: the user name in the client-first message is
// ignored (the startup user counts); over TLS SCRAM-SHA-256-PLUS with
// tls-server-end-point channel binding is offered too.
func (c *conn) scram(secret string, failed *Error) error {
	malformed := func(detail string) error {
		e := protocolFatal("malformed SCRAM message")
		e.Detail = detail
		return e
	}
	mechs := []string{scramMechanism}
	if c.tlsEndPoint != nil {
		mechs = []string{scramPlusMechanism, scramMechanism}
	}
	c.be.Send(&pgproto3.AuthenticationSASL{AuthMechanisms: mechs})
	if err := c.flush(); err != nil {
		return err
	}
	_ = c.be.SetAuthType(pgproto3.AuthTypeSASL)
	msg, err := c.be.Receive()
	if err != nil {
		return err
	}
	init, ok := msg.(*pgproto3.SASLInitialResponse)
	if !ok {
		return protocolFatal("expected SASL response, got message type %T", msg)
	}
	plus := init.AuthMechanism == scramPlusMechanism && c.tlsEndPoint != nil
	if init.AuthMechanism != scramMechanism && !plus {
		return protocolFatal("client selected an invalid SASL authentication mechanism")
	}
	// client-first-message = gs2-header client-first-message-bare
	cfm := string(init.Data)
	var gs2, rest string
	switch {
	case strings.HasPrefix(cfm, "p=tls-server-end-point,"):
		if !plus {
			return protocolFatal("channel binding is not supported by this mechanism")
		}
		gs2, rest = "p=tls-server-end-point,", cfm[len("p=tls-server-end-point,"):]
	case strings.HasPrefix(cfm, "p="):
		return protocolFatal("unsupported SCRAM channel-binding type")
	case plus:
		return malformed("The client selected SCRAM-SHA-256-PLUS without channel binding data.")
	case strings.HasPrefix(cfm, "y,") && c.tlsEndPoint != nil:
		// The client could bind but thinks we cannot: a downgrade.
		return &Error{Severity: "FATAL", Code: CodeProtocolViolation, Message: "SCRAM channel binding negotiation error",
			Detail: "The client supports SCRAM channel binding but thinks the server does not.  However, this server does support channel binding."}
	case strings.HasPrefix(cfm, "n,"), strings.HasPrefix(cfm, "y,"):
		gs2, rest = cfm[:2], cfm[2:]
	default:
		return malformed("Unexpected channel-binding flag.")
	}
	i := strings.IndexByte(rest, ',')
	if i < 0 {
		return malformed("Missing authorization identity terminator.")
	}
	if rest[:i] != "" && !strings.HasPrefix(rest[:i], "a=") {
		return malformed("Unexpected authorization identity.")
	}
	gs2 += rest[:i+1]
	bare := rest[i+1:]
	if strings.HasPrefix(bare, "m=") {
		return malformed("Mandatory extensions are not supported.")
	}
	attrs := strings.Split(bare, ",")
	if len(attrs) < 2 || !strings.HasPrefix(attrs[0], "n=") || !strings.HasPrefix(attrs[1], "r=") || len(attrs[1]) < 3 {
		return malformed("Expected user name and nonce.")
	}
	clientNonce := attrs[1][2:]

	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	nonce := clientNonce + rand.Text()
	iters := c.s.opts.SCRAMIterations
	serverFirst := "r=" + nonce + ",s=" + base64.StdEncoding.EncodeToString(salt) + ",i=" + strconv.Itoa(iters)
	c.be.Send(&pgproto3.AuthenticationSASLContinue{Data: []byte(serverFirst)})
	if err := c.flush(); err != nil {
		return err
	}
	_ = c.be.SetAuthType(pgproto3.AuthTypeSASLContinue)
	msg, err = c.be.Receive()
	if err != nil {
		return err
	}
	resp, ok := msg.(*pgproto3.SASLResponse)
	if !ok {
		return protocolFatal("expected SASL response, got message type %T", msg)
	}
	// client-final-message = c=<b64 gs2>,r=<nonce>[,ext...],p=<proof>
	final := string(resp.Data)
	pi := strings.LastIndex(final, ",p=")
	if pi < 0 {
		return malformed("Proof not found at end of message.")
	}
	withoutProof := final[:pi]
	proof, err := base64.StdEncoding.DecodeString(final[pi+3:])
	if err != nil || len(proof) != sha256.Size {
		return malformed("Malformed proof in client-final-message.")
	}
	fattrs := strings.Split(withoutProof, ",")
	if len(fattrs) < 2 || !strings.HasPrefix(fattrs[0], "c=") || !strings.HasPrefix(fattrs[1], "r=") {
		return malformed("Expected channel binding and nonce.")
	}
	wantCB := gs2
	if plus {
		wantCB += string(c.tlsEndPoint)
	}
	cb, err := base64.StdEncoding.DecodeString(fattrs[0][2:])
	if err != nil || subtle.ConstantTimeCompare(cb, []byte(wantCB)) != 1 {
		return protocolFatal("SCRAM channel binding check failed")
	}
	if fattrs[1][2:] != nonce {
		return malformed("Nonce does not match.")
	}

	salted, err := pbkdf2.Key(sha256.New, secret, salt, iters, sha256.Size)
	if err != nil {
		return err
	}
	clientKey := hmacSHA256(salted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	authMessage := bare + "," + serverFirst + "," + withoutProof
	clientSig := hmacSHA256(storedKey[:], authMessage)
	recovered := make([]byte, sha256.Size)
	for i := range recovered {
		recovered[i] = proof[i] ^ clientSig[i]
	}
	check := sha256.Sum256(recovered)
	if subtle.ConstantTimeCompare(check[:], storedKey[:]) != 1 {
		return failed
	}
	serverSig := hmacSHA256(hmacSHA256(salted, "Server Key"), authMessage)
	c.be.Send(&pgproto3.AuthenticationSASLFinal{Data: []byte("v=" + base64.StdEncoding.EncodeToString(serverSig))})
	return nil
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}
