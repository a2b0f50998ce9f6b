package s3

// S3 event notifications (PutBucketNotificationConfiguration and the
// events it causes). A bucket's configuration is stored in the index at
// n/<bucket>; every object write or delete that commits checks it and,
// when a configuration matches, puts the S3 event record into the outbox
// (e/<sequencer>) in the same Pebble batch as the index entry. The relay
// (notification_relay.go) delivers outbox entries in order through the
// Notifier and deletes each one only after delivery succeeded: at least
// once, across restarts. Only Lambda destinations are deliverable.

import (
	"context"
	"encoding/xml"
	"errors"
	"regexp"
	"strings"
)

// Notifier delivers one S3 event document (the JSON with "Records") to a
// Lambda function, asynchronously as S3 does (Invoke with
// InvocationType=Event). A nil error means the function accepted it; any
// error makes the relay retry the same event later. Deliver may be called
// more than once for the same event (after an error or a restart). It is
// called from one goroutine at a time.
//
// An error that matches ErrDestinationGone (errors.Is) means the function
// no longer exists: the relay drops that event, as S3 drops events for a
// deleted destination, instead of retrying it forever.
type Notifier interface {
	Deliver(ctx context.Context, functionARN string, event []byte) error
}

// ErrDestinationGone is what a Notifier returns (wrapped or not) when the
// destination function does not exist any more.
var ErrDestinationGone = errors.New("s3: notification destination does not exist")

// FunctionChecker reports whether a Lambda function ARN names a function
// that exists, so that PutBucketNotificationConfiguration can refuse a
// missing destination as S3 does. Must be safe for concurrent use.
type FunctionChecker interface {
	FunctionExists(ctx context.Context, arn string) bool
}

// famNotify and famOutbox extend the index's key families (index.go):
//
//	n/<bucket>      notifyMeta
//	e/<sequencer>   outboxEntry
const (
	famNotify = "n/"
	famOutbox = "e/"
)

func notifyKey(bucket string) []byte { return []byte(famNotify + bucket) }

// notificationConfiguration is the request and response document.
// LambdaFunctionConfigurations travel as CloudFunctionConfiguration
// elements (the SDKs' wire name).
type notificationConfiguration struct {
	XMLName     xml.Name       `xml:"NotificationConfiguration"`
	NS          string         `xml:"xmlns,attr,omitempty"`
	Topics      []notifyTarget `xml:"TopicConfiguration"`
	Queues      []notifyTarget `xml:"QueueConfiguration"`
	Lambdas     []lambdaConfig `xml:"CloudFunctionConfiguration"`
	EventBridge *struct{}      `xml:"EventBridgeConfiguration"`
}

// notifyTarget is a Queue or Topic configuration: parsed only to refuse it.
type notifyTarget struct {
	ID string `xml:"Id"`
}

// lambdaConfig is one LambdaFunctionConfiguration; it is also how the
// configuration is stored (as JSON).
type lambdaConfig struct {
	ID       string        `xml:"Id" json:"id"`
	Function string        `xml:"CloudFunction" json:"fn"`
	Events   []string      `xml:"Event" json:"events"`
	Filter   *notifyFilter `xml:"Filter,omitempty" json:"filter,omitempty"`
}

type notifyFilter struct {
	Rules []filterRule `xml:"S3Key>FilterRule" json:"rules"`
}

type filterRule struct {
	Name  string `xml:"Name" json:"name"`
	Value string `xml:"Value" json:"value"`
}

// notifyEvents are the event types tarn accepts in a configuration (S3's
// ObjectCreated and ObjectRemoved families; tarn has no versioning, so
// DeleteMarkerCreated is accepted but never fires).
var notifyEvents = map[string]bool{
	"s3:ObjectCreated:*": true, "s3:ObjectCreated:Put": true, "s3:ObjectCreated:Post": true,
	"s3:ObjectCreated:Copy": true, "s3:ObjectCreated:CompleteMultipartUpload": true,
	"s3:ObjectRemoved:*": true, "s3:ObjectRemoved:Delete": true, "s3:ObjectRemoved:DeleteMarkerCreated": true,
}

// otherEvents are S3 event types tarn never produces; a configuration
// naming one is refused as not implemented rather than silently inert.
var otherEvents = regexp.MustCompile(`^s3:(ObjectRestore|ReducedRedundancyLostObject|Replication|LifecycleExpiration|LifecycleTransition|IntelligentTiering|ObjectTagging|ObjectAcl):`)

var lambdaARN = regexp.MustCompile(`^arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9_-]{1,64}(:(\$LATEST|[a-zA-Z0-9_-]+))?$`)

// keyRange is a configuration's filter: key must start with prefix and end
// with suffix.
func (l *lambdaConfig) keyRange() (prefix, suffix string) {
	if l.Filter == nil {
		return "", ""
	}
	for _, r := range l.Filter.Rules {
		switch strings.ToLower(r.Name) {
		case "prefix":
			prefix = r.Value
		case "suffix":
			suffix = r.Value
		}
	}
	return prefix, suffix
}

// matches reports whether event (e.g. "ObjectCreated:Put") on key fires l.
func (l *lambdaConfig) matches(event, key string) bool {
	p, sfx := l.keyRange()
	if !strings.HasPrefix(key, p) || !strings.HasSuffix(key, sfx) {
		return false
	}
	family, _, _ := strings.Cut(event, ":")
	for _, e := range l.Events {
		if e == "s3:"+event || e == "s3:"+family+":*" {
			return true
		}
	}
	return false
}

// eventsOverlap reports whether two event types can fire for one event.
func eventsOverlap(a, b string) bool {
	if a == b {
		return true
	}
	fa, fb := a[:strings.LastIndex(a, ":")], b[:strings.LastIndex(b, ":")]
	return fa == fb && (strings.HasSuffix(a, ":*") || strings.HasSuffix(b, ":*"))
}
