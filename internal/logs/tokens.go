package logs

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Token kinds. Every pagination token is sealed by internal/token, so a
// forged or altered one is refused; it carries its issue time (tokens
// expire after tokenTTL, as AWS's do after 24 hours) and the scope it
// was issued for (region, group, and stream or request), so a token is
// not accepted by another resource.
const (
	kindGroups   = 'g' // DescribeLogGroups
	kindStreams  = 's' // DescribeLogStreams
	kindForward  = 'f' // GetLogEvents nextForwardToken
	kindBackward = 'b' // GetLogEvents nextBackwardToken
	kindFilter   = 'x' // FilterLogEvents

	tokenTTL = 24 * time.Hour
)

// seal returns a token of kind for scope carrying data.
func (s *Service) seal(kind byte, scope string, data []byte) string {
	k, err := s.tokenKey()
	if err != nil { // the key is stored in Meta; this fails only if Pebble does, and Start reports that first
		return ""
	}
	p := binary.BigEndian.AppendUint64(nil, uint64(s.nowMS()))
	p = binary.AppendUvarint(p, uint64(len(scope)))
	p = append(append(p, scope...), data...)
	return k.Seal(kind, p)
}

// open verifies a token of kind for scope and returns its data; it
// answers InvalidParameterException for a token that is forged, of
// another kind or scope, or expired.
func (s *Service) open(kind byte, scope, tok string) ([]byte, error) {
	k, err := s.tokenKey()
	if err != nil {
		return nil, err
	}
	p, err := k.Open(kind, tok)
	if err != nil || len(p) < 8 {
		return nil, errBadToken()
	}
	issued := int64(binary.BigEndian.Uint64(p))
	p = p[8:]
	n, w := binary.Uvarint(p)
	if w <= 0 || uint64(len(p)-w) < n {
		return nil, errBadToken()
	}
	if !bytes.Equal(p[w:w+int(n)], []byte(scope)) {
		return nil, errBadToken()
	}
	if s.nowMS()-issued > tokenTTL.Milliseconds() {
		return nil, errExpiredToken()
	}
	return p[w+int(n):], nil
}
