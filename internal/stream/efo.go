package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/kv"
)

// Enhanced fan-out consumers. Each is stored in the Meta space under
//
//	consumer/<region>/<stream>/<consumer>  JSON consumerMeta
//
// beside its stream's metadata. RegisterStreamConsumer and
// DeregisterStreamConsumer run under the stream's admin lock, so the
// 20-consumer limit and the deletion check are exact.
const (
	consumerPrefix       = "consumer/"
	maxConsumers         = 20
	statusConsumerActive = "ACTIVE"
	tokenListConsumers   = 'C'
)

type consumerMeta struct {
	Name        string    `json:"name"`
	StreamEpoch int64     `json:"stream_epoch"` // the stream it belongs to
	Created     time.Time `json:"created"`      // second precision: the ARN's suffix
}

// efoState is the service's record of active SubscribeToShard calls.
type efoState struct {
	mu   sync.Mutex
	subs map[string]context.CancelFunc // consumer ARN + "|" + shard id
}

func consumerKey(region, stream, name string) []byte {
	return []byte(consumerPrefix + region + "/" + stream + "/" + name)
}

func consumerARN(m *streamMeta, c *consumerMeta) string {
	return fmt.Sprintf("%s/consumer/%s:%d", m.arn(), c.Name, c.Created.Unix())
}

// consumers lists the consumers of m's stream in name order.
func (s *Service) consumers(m *streamMeta) ([]consumerMeta, error) {
	p := consumerPrefix + m.Region + "/" + m.Name + "/"
	it, err := s.meta.Iter([]byte(p), []byte(p+"\xff"))
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []consumerMeta
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return nil, err
		}
		var c consumerMeta
		if err := json.Unmarshal(v, &c); err != nil {
			return nil, fmt.Errorf("%s: %w", it.Key(), err)
		}
		if c.StreamEpoch == m.Epoch {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// dropConsumers deletes every consumer of m's stream and ends their
// subscriptions; the caller holds the stream's admin lock.
func (s *Service) dropConsumers(m *streamMeta) error {
	cs, err := s.consumers(m)
	if err != nil {
		return err
	}
	for i := range cs {
		if err := s.meta.Delete(consumerKey(m.Region, m.Name, cs[i].Name)); err != nil {
			return err
		}
		s.endSubscriptions(consumerARN(m, &cs[i]))
	}
	return nil
}

func (s *Service) endSubscriptions(arn string) {
	s.efo.mu.Lock()
	defer s.efo.mu.Unlock()
	for k, cancel := range s.efo.subs {
		if strings.HasPrefix(k, arn+"|") {
			cancel()
		}
	}
}

func validConsumerName(name string) error {
	if len(name) < 1 || len(name) > 128 {
		return errValidation("consumerName", name, "Member must have length between 1 and 128")
	}
	if !streamNamePattern.MatchString(name) {
		return errValidation("consumerName", name, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	return nil
}

// parseConsumerARN splits arn:aws:kinesis:R:A:stream/S/consumer/C:T.
func parseConsumerARN(arn string) (streamARN, name string, created int64, err error) {
	bad := errInvalid("Invalid ConsumerARN %s.", arn)
	i := strings.Index(arn, "/consumer/")
	if i < 0 {
		return "", "", 0, bad
	}
	streamARN = arn[:i]
	rest := arn[i+len("/consumer/"):]
	j := strings.LastIndexByte(rest, ':')
	if j < 0 {
		return "", "", 0, bad
	}
	created, perr := strconv.ParseInt(rest[j+1:], 10, 64)
	if perr != nil || validConsumerName(rest[:j]) != nil {
		return "", "", 0, bad
	}
	return streamARN, rest[:j], created, nil
}

func errConsumerNotFound(name, stream string) error {
	return awsjson.Errorf(codeResourceNotFound, "Consumer %s under stream %s under account %s not found.", name, stream, accountID)
}

// findConsumer resolves a consumer by ARN or by stream ARN and name.
func (s *Service) findConsumer(ctx context.Context, ref consumerRef) (*streamState, *consumerMeta, error) {
	streamARN, name := ref.StreamARN, ref.ConsumerName
	var created int64 = -1
	if ref.ConsumerARN != "" {
		var err error
		if streamARN, name, created, err = parseConsumerARN(ref.ConsumerARN); err != nil {
			return nil, nil, err
		}
	} else if streamARN == "" || name == "" {
		return nil, nil, errInvalid("Either ConsumerARN or both StreamARN and ConsumerName must be provided.")
	}
	if err := validConsumerName(name); err != nil {
		return nil, nil, err
	}
	st, err := s.lookup(ctx, streamRef{StreamARN: streamARN})
	if err != nil {
		return nil, nil, err
	}
	v, err := s.meta.Get(consumerKey(st.meta.Region, st.meta.Name, name))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, nil, errConsumerNotFound(name, st.meta.Name)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("consumer %s: %w", name, err)
	}
	var c consumerMeta
	if err := json.Unmarshal(v, &c); err != nil {
		return nil, nil, fmt.Errorf("consumer %s: %w", name, err)
	}
	if c.StreamEpoch != st.meta.Epoch || (created >= 0 && created != c.Created.Unix()) {
		return nil, nil, errConsumerNotFound(name, st.meta.Name)
	}
	return st, &c, nil
}

func consumerShapeOf(m *streamMeta, c *consumerMeta) consumerShape {
	return consumerShape{ConsumerName: c.Name, ConsumerARN: consumerARN(m, c), ConsumerStatus: statusConsumerActive,
		ConsumerCreationTimestamp: awsjson.Timestamp(c.Created)}
}

// RegisterStreamConsumer registers and activates the consumer before it
// returns (AWS answers CREATING and activates it within seconds).
func (s *Service) registerStreamConsumer(ctx context.Context, in *registerConsumerInput) (*registerConsumerOutput, error) {
	if in.StreamARN == "" {
		return nil, errValidation("streamARN", "null", "Member must not be null")
	}
	if err := validConsumerName(in.ConsumerName); err != nil {
		return nil, err
	}
	if len(in.Tags) > 0 {
		// Never accept a setting that would be silently dropped.
		return nil, errInvalid("tarn does not support tags on stream consumers yet")
	}
	st, release, err := s.lockAdmin(ctx, streamRef{StreamARN: in.StreamARN})
	if err != nil {
		return nil, err
	}
	defer release()
	m := &st.meta
	if m.Status != statusActive && m.Status != statusUpdating {
		return nil, errStreamNotActive(m.Name, m.Status)
	}
	cs, err := s.consumers(m)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if cs[i].Name == in.ConsumerName {
			return nil, awsjson.Errorf(codeResourceInUse, "Consumer %s under stream %s under account %s already exists.", in.ConsumerName, m.Name, accountID)
		}
	}
	if len(cs) >= maxConsumers {
		return nil, awsjson.Errorf(codeLimitExceeded, "Stream %s under account %s has reached the limit of %d registered consumers.", m.Name, accountID, maxConsumers)
	}
	c := consumerMeta{Name: in.ConsumerName, StreamEpoch: m.Epoch, Created: s.now().UTC().Truncate(time.Second)}
	b, _ := json.Marshal(&c)
	if err := s.meta.Set(consumerKey(m.Region, m.Name, c.Name), b); err != nil {
		return nil, fmt.Errorf("save consumer: %w", err)
	}
	return &registerConsumerOutput{Consumer: consumerShapeOf(m, &c)}, nil
}

func (s *Service) describeStreamConsumer(ctx context.Context, in *consumerRef) (*describeConsumerOutput, error) {
	st, c, err := s.findConsumer(ctx, *in)
	if err != nil {
		return nil, err
	}
	return &describeConsumerOutput{ConsumerDescription: consumerDescription{
		consumerShape: consumerShapeOf(&st.meta, c), StreamARN: st.meta.arn()}}, nil
}

// DeregisterStreamConsumer removes the consumer at once and ends its
// subscriptions (AWS shows it DELETING for a while first).
func (s *Service) deregisterStreamConsumer(ctx context.Context, in *consumerRef) (*struct{}, error) {
	st, c, err := s.findConsumer(ctx, *in)
	if err != nil {
		return nil, err
	}
	st, release, err := s.lockAdmin(ctx, streamRef{StreamARN: st.meta.arn()})
	if err != nil {
		return nil, err
	}
	defer release()
	if err := s.meta.Delete(consumerKey(st.meta.Region, st.meta.Name, c.Name)); err != nil {
		return nil, fmt.Errorf("delete consumer: %w", err)
	}
	s.endSubscriptions(consumerARN(&st.meta, c))
	return nil, nil
}

func (s *Service) listStreamConsumers(ctx context.Context, in *listConsumersInput) (*listConsumersOutput, error) {
	if in.StreamARN == "" {
		return nil, errValidation("streamARN", "null", "Member must not be null")
	}
	limit := 100
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 10000 {
			return nil, errValidation("maxResults", *in.MaxResults, "Member must have value between 1 and 10000")
		}
		limit = *in.MaxResults
	}
	st, err := s.lookup(ctx, streamRef{StreamARN: in.StreamARN})
	if err != nil {
		return nil, err
	}
	m := &st.meta
	if in.StreamCreationTimestamp != nil && in.StreamCreationTimestamp.Time().Unix() != m.Created.Unix() {
		return nil, errStreamNotFound(m.Name)
	}
	after := ""
	if in.NextToken != "" {
		p, err := s.openPage(tokenListConsumers, in.NextToken)
		if err != nil {
			return nil, err
		}
		if p.region != m.Region || p.stream != m.Name {
			return nil, errInvalid("Invalid NextToken.")
		}
		after = p.after
	}
	cs, err := s.consumers(m)
	if err != nil {
		return nil, err
	}
	out := &listConsumersOutput{Consumers: []consumerShape{}}
	for i := range cs {
		if cs[i].Name <= after {
			continue
		}
		if len(out.Consumers) == limit {
			out.NextToken = pageToken{region: m.Region, stream: m.Name, after: cs[i-1].Name,
				issued: s.now().UnixMilli()}.encode(s.tokens, tokenListConsumers)
			break
		}
		out.Consumers = append(out.Consumers, consumerShapeOf(m, &cs[i]))
	}
	return out, nil
}

// Wire shapes.

type consumerRef struct {
	StreamARN    string `json:"StreamARN,omitempty"`
	ConsumerName string `json:"ConsumerName,omitempty"`
	ConsumerARN  string `json:"ConsumerARN,omitempty"`
}

type registerConsumerInput struct {
	StreamARN    string            `json:"StreamARN"`
	ConsumerName string            `json:"ConsumerName"`
	Tags         map[string]string `json:"Tags,omitempty"`
}

type consumerShape struct {
	ConsumerName              string            `json:"ConsumerName"`
	ConsumerARN               string            `json:"ConsumerARN"`
	ConsumerStatus            string            `json:"ConsumerStatus"`
	ConsumerCreationTimestamp awsjson.Timestamp `json:"ConsumerCreationTimestamp"`
}

type registerConsumerOutput struct {
	Consumer consumerShape `json:"Consumer"`
}

type consumerDescription struct {
	consumerShape
	StreamARN string `json:"StreamARN"`
}

type describeConsumerOutput struct {
	ConsumerDescription consumerDescription `json:"ConsumerDescription"`
}

type listConsumersInput struct {
	StreamARN               string             `json:"StreamARN"`
	NextToken               string             `json:"NextToken,omitempty"`
	MaxResults              *int               `json:"MaxResults,omitempty"`
	StreamCreationTimestamp *awsjson.Timestamp `json:"StreamCreationTimestamp,omitempty"`
}

type listConsumersOutput struct {
	Consumers []consumerShape `json:"Consumers"`
	NextToken string          `json:"NextToken,omitempty"`
}

// deleteConsumersFor is DeleteStream's consumer check: with consumers
// and enforce false it is ResourceInUseException; with enforce they are
// deleted. The caller holds the stream's admin lock.
func (s *Service) deleteConsumersFor(m *streamMeta, enforce bool) error {
	cs, err := s.consumers(m)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return nil
	}
	if !enforce {
		return awsjson.Errorf(codeResourceInUse, "Stream %s under account %s has registered consumers.", m.Name, accountID)
	}
	return s.dropConsumers(m)
}
