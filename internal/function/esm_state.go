package function

import (
	"context"
	"net/http"
	"regexp"
	"time"
)

var (
	kinesisStreamARN = regexp.MustCompile(`^arn:aws:kinesis:[a-z0-9-]+:\d{12}:stream/[a-zA-Z0-9_.-]+$`)
	dynamoStreamARN  = regexp.MustCompile(`^arn:aws:dynamodb:[a-z0-9-]+:\d{12}:table/[a-zA-Z0-9_.-]+/stream/.+$`)
)

func (m *Mappings) create(w http.ResponseWriter, r *http.Request) error {
	var in esmInput
	if err := esmDecode(r, &in); err != nil {
		return err
	}
	if in.FunctionName == nil || *in.FunctionName == "" {
		return errInvalid("1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null")
	}
	if in.EventSourceArn == nil {
		return errInvalid("Unrecognized event source, must be kinesis, dynamodb stream, sqs, msk or mq.")
	}
	src := *in.EventSourceArn
	isKinesis := kinesisStreamARN.MatchString(src)
	if !isKinesis && !dynamoStreamARN.MatchString(src) {
		return errInvalid("Unrecognized event source, must be kinesis, dynamodb stream, sqs, msk or mq.")
	}
	if err := in.unsupported(); err != nil {
		return err
	}
	if in.StartingPosition == nil {
		return errInvalid("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null")
	}
	region, v, arn, _, err := m.fn.target(m.fn.region(r.Context()), *in.FunctionName, "", []byte("{}"))
	if err != nil {
		return err
	}
	now := m.fn.now().UTC()
	e := &esmRecord{UUID: newID(), Region: region, EventSourceArn: src, FunctionArn: arn, Role: v.Config.Role,
		BatchSize: DefaultMappingBatchSize, StartingPosition: *in.StartingPosition, Enabled: true,
		State: "Creating", Reason: "User action", LastResult: "No records processed",
		LastModified: now, Created: now, MaxRetries: -1}
	switch e.StartingPosition {
	case "TRIM_HORIZON", "LATEST":
	case "AT_TIMESTAMP":
		if in.StartingPositionTimestamp == nil {
			return errInvalid("StartingPositionTimestamp must be provided with AT_TIMESTAMP starting position")
		}
		if !isKinesis {
			return errInvalid("Unsupported starting position AT_TIMESTAMP for a DynamoDB stream")
		}
		ts := time.UnixMilli(int64(*in.StartingPositionTimestamp * 1000)).UTC()
		e.StartingTimestamp = &ts
	default:
		return errInvalid("1 validation error detected: Value '%s' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]", e.StartingPosition)
	}
	if err := in.apply(e); err != nil {
		return err
	}
	if err := m.applyDestination(&in, e); err != nil {
		return err
	}
	ctx := r.Context()
	if isKinesis {
		if m.opts.Kinesis == nil {
			return errInvalid("tarn has no Kinesis source wired for event source mappings")
		}
		if _, err := m.opts.Kinesis.Shards(ctx, src); err != nil {
			return errInvalid("Stream not found: %s", src)
		}
	} else {
		if m.opts.Dynamo == nil {
			return errInvalid("tarn has no DynamoDB Streams source wired for event source mappings")
		}
		if _, err := m.opts.Dynamo.Changed(ctx, src); err != nil {
			return errInvalid("Stream not found: %s", src)
		}
	}
	m.mu.Lock()
	all, err := m.all()
	if err == nil {
		for _, o := range all {
			if o.EventSourceArn == src && o.FunctionArn == arn {
				m.mu.Unlock()
				return errConflict("An event source mapping with event source (\"%s\") and function (\"%s\") already exists. Please update or delete the existing mapping with UUID %s", src, v.Config.FunctionName, o.UUID)
			}
		}
	}
	if err == nil && !isKinesis && e.StartingPosition == "LATEST" {
		err = m.skipToEnd(ctx, e)
	}
	if err == nil {
		err = m.saveMapping(e)
	}
	m.mu.Unlock()
	if err != nil {
		return err
	}
	resp := e.config()
	m.settle(e.UUID) // quick: nothing runs yet
	writeJSON(w, http.StatusAccepted, resp)
	return nil
}

// skipToEnd stores, for a DynamoDB mapping starting at LATEST, the
// checkpoint of the newest record now in the stream.
func (m *Mappings) skipToEnd(ctx context.Context, e *esmRecord) error {
	last := ""
	for {
		recs, err := m.opts.Dynamo.Read(ctx, e.EventSourceArn, last, 1000)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			break
		}
		last = recs[len(recs)-1].SequenceNumber
	}
	if last == "" {
		return nil
	}
	return m.setCheckpoint(e.UUID, dynamoShard, last)
}

func transitional(state string) bool {
	switch state {
	case "Creating", "Enabling", "Disabling", "Updating", "Deleting":
		return true
	}
	return false
}

func (m *Mappings) update(w http.ResponseWriter, r *http.Request) error {
	var in esmInput
	if err := esmDecode(r, &in); err != nil {
		return err
	}
	if err := in.unsupported(); err != nil {
		return err
	}
	id := r.PathValue("uuid")
	m.mu.Lock()
	e, err := m.loadMapping(id)
	if err != nil {
		m.mu.Unlock()
		return err
	}
	if transitional(e.State) {
		m.mu.Unlock()
		return errf("ResourceInUseException", http.StatusBadRequest, "Cannot update the event source mapping because it is in use.")
	}
	was := e.Enabled
	if in.FunctionName != nil {
		_, _, arn, _, terr := m.fn.target(e.Region, *in.FunctionName, "", []byte("{}"))
		if terr != nil {
			m.mu.Unlock()
			return terr
		}
		e.FunctionArn = arn
	}
	if err := in.apply(e); err != nil {
		m.mu.Unlock()
		return err
	}
	if err := m.applyDestination(&in, e); err != nil {
		m.mu.Unlock()
		return err
	}
	switch {
	case was && !e.Enabled:
		e.State = "Disabling"
	case !was && e.Enabled:
		e.State = "Enabling"
	default:
		e.State = "Updating"
	}
	e.Reason, e.LastModified = "User action", m.fn.now().UTC()
	err = m.saveMapping(e)
	m.mu.Unlock()
	if err != nil {
		return err
	}
	m.settleAsync(id)
	writeJSON(w, http.StatusAccepted, e.config())
	return nil
}

func (m *Mappings) delete(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("uuid")
	m.mu.Lock()
	e, err := m.loadMapping(id)
	if err == nil && e.State == "Deleting" {
		m.mu.Unlock()
		return errf("ResourceInUseException", http.StatusBadRequest, "Cannot delete the event source mapping because it is in use.")
	}
	if err == nil {
		e.State, e.Reason = "Deleting", "User action"
		err = m.saveMapping(e)
	}
	m.mu.Unlock()
	if err != nil {
		return err
	}
	m.settleAsync(id)
	writeJSON(w, http.StatusAccepted, e.config())
	return nil
}

func (m *Mappings) settleAsync(id string) {
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		m.settle(id)
	}()
}

// settle stops the mapping's poller, moves a transitional state to its
// end (Enabled, Disabled, or deleted) and starts a poller when the mapping
// is enabled and Start has run.
func (m *Mappings) settle(id string) {
	m.mu.Lock()
	p := m.running[id]
	delete(m.running, id)
	m.mu.Unlock()
	if p != nil {
		p.cancel()
		<-p.done
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, err := m.loadMapping(id)
	if err != nil {
		return
	}
	if e.State == "Deleting" {
		if err := m.deleteCheckpoints(id); err != nil {
			m.log.Warn("delete event source mapping", "uuid", id, "err", err)
			return
		}
		if err := m.fn.meta.Delete(mappingKey(id)); err != nil {
			m.log.Warn("delete event source mapping", "uuid", id, "err", err)
		}
		return
	}
	want := "Disabled"
	if e.Enabled {
		want = "Enabled"
	}
	if e.State != want {
		e.State = want
		if err := m.saveMapping(e); err != nil {
			m.log.Warn("event source mapping state", "uuid", id, "err", err)
			return
		}
	}
	if e.Enabled && m.started && m.running[id] == nil {
		m.running[id] = m.startPoller(e)
	}
}

// setResult records LastProcessingResult when it changed.
func (m *Mappings) setResult(id, result string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, err := m.loadMapping(id)
	if err != nil || e.LastResult == result || e.State == "Deleting" {
		return
	}
	e.LastResult = result
	if err := m.saveMapping(e); err != nil {
		m.log.Warn("event source mapping result", "uuid", id, "err", err)
	}
}
