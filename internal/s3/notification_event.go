package s3

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/request"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// The event names tarn produces (S3's eventName, without "s3:").
const (
	evPut      = "ObjectCreated:Put"
	evCopy     = "ObjectCreated:Copy"
	evComplete = "ObjectCreated:CompleteMultipartUpload"
	evDelete   = "ObjectRemoved:Delete"
)

// accountID is the one account tarn has.
const accountID = "000000000000"

type sourceIPKey struct{}

// withSourceIP records r's client address in its context, for the
// sourceIPAddress of the events the request causes.
func withSourceIP(r *http.Request) *http.Request {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return r.WithContext(context.WithValue(r.Context(), sourceIPKey{}, host))
}

// outboxEntry is one undelivered event: the function and the document.
type outboxEntry struct {
	Function string          `json:"fn"`
	Event    json.RawMessage `json:"event"`
}

// The S3 event document (schema 2.1), field order as S3 sends it.
type s3Event struct {
	Records []eventRecord `json:"Records"`
}

type eventRecord struct {
	EventVersion      string    `json:"eventVersion"`
	EventSource       string    `json:"eventSource"`
	AWSRegion         string    `json:"awsRegion"`
	EventTime         string    `json:"eventTime"`
	EventName         string    `json:"eventName"`
	UserIdentity      principal `json:"userIdentity"`
	RequestParameters struct {
		SourceIP string `json:"sourceIPAddress"`
	} `json:"requestParameters"`
	ResponseElements struct {
		RequestID string `json:"x-amz-request-id"`
		HostID    string `json:"x-amz-id-2"`
	} `json:"responseElements"`
	S3 eventS3 `json:"s3"`
}

type principal struct {
	PrincipalID string `json:"principalId"`
}

type eventS3 struct {
	SchemaVersion   string      `json:"s3SchemaVersion"`
	ConfigurationID string      `json:"configurationId"`
	Bucket          eventBucket `json:"bucket"`
	Object          eventObject `json:"object"`
}

type eventBucket struct {
	Name          string    `json:"name"`
	OwnerIdentity principal `json:"ownerIdentity"`
	ARN           string    `json:"arn"`
}

type eventObject struct {
	Key       string `json:"key"`
	Size      *int64 `json:"size,omitempty"`
	ETag      string `json:"eTag,omitempty"`
	Sequencer string `json:"sequencer"`
}

// eventKey URL-encodes an object key as S3 does in events: each path
// segment form-encoded (space as +, "=" as %3D), slashes kept.
func eventKey(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.QueryEscape(p)
	}
	return strings.Join(parts, "/")
}

// nextSequencer returns a sequencer greater than every one this service
// handed out before (and, being time-based, than those of earlier runs):
// 16 uppercase hex digits, so outbox keys sort in sequencer order.
func (s *Service) nextSequencer() string {
	s.seqMu.Lock()
	defer s.seqMu.Unlock()
	n := uint64(time.Now().UnixNano())
	if n <= s.seqLast {
		n = s.seqLast + 1
	}
	s.seqLast = n
	return fmt.Sprintf("%016X", n)
}

// addEvents puts into b, the batch committing the change, one outbox
// entry per configuration of bucket that event on key matches; m is the
// new object (nil for a removal). It must run under key's lock, so
// sequencers increase per key in commit order. It reports whether it
// added any entry.
func (s *Service) addEvents(ctx context.Context, b *kv.Batch, bucket, key, event string, m *objectMeta) (bool, error) {
	nm, err := s.notifyConfig(bucket)
	if err != nil || nm == nil {
		return false, err
	}
	bm, err := s.bucket(bucket)
	if err != nil {
		return false, err
	}
	added := false
	for _, l := range nm.Lambdas {
		if !l.matches(event, key) {
			continue
		}
		seq := s.nextSequencer()
		doc := mustJSON(s.eventDoc(ctx, bm.Region, bucket, key, event, l.ID, seq, m))
		b.Set(s.meta, []byte(famOutbox+seq), mustJSON(outboxEntry{Function: l.Function, Event: doc}))
		added = true
	}
	return added, nil
}

// eventDoc is the S3 event document of one change.
func (s *Service) eventDoc(ctx context.Context, region, bucket, key, event, configID, seq string, m *objectMeta) s3Event {
	pid := accountID
	if a := sigv4.AuthFrom(ctx); a != nil && a.AccessKey != "" {
		pid = "AWS:" + a.AccessKey
	}
	ip, _ := ctx.Value(sourceIPKey{}).(string)
	if ip == "" {
		ip = "127.0.0.1" // a write by tarn itself (the platform's internal puts)
	}
	if region == "" {
		region = s.region
	}
	rid := request.ID(ctx)
	if rid == "" {
		rid = request.NewInfo("s3").ID // a write by tarn itself has no request: S3 still sends an id
	}
	obj := eventObject{Key: eventKey(key), Sequencer: seq}
	if m != nil {
		size := m.Size
		obj.Size, obj.ETag = &size, m.ETag
	}
	rec := eventRecord{
		EventVersion: "2.1", EventSource: "aws:s3", AWSRegion: region,
		EventTime: s3Time(s.now()), EventName: event, UserIdentity: principal{pid},
		S3: eventS3{SchemaVersion: "1.0", ConfigurationID: configID,
			Bucket: eventBucket{Name: bucket, OwnerIdentity: principal{accountID}, ARN: "arn:aws:s3:::" + bucket},
			Object: obj},
	}
	rec.RequestParameters.SourceIP = ip
	rec.ResponseElements.RequestID, rec.ResponseElements.HostID = rid, rid
	return s3Event{Records: []eventRecord{rec}}
}
