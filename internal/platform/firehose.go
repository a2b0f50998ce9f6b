package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/tarnhq/tarn/internal/firehose"
	"github.com/tarnhq/tarn/internal/s3"
	"github.com/tarnhq/tarn/internal/stream"
)

// lakeAdapter lets Firehose write into the lake through the S3 service.
type lakeAdapter struct{ s3 *s3.Service }

func (l lakeAdapter) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error {
	return l.s3.PutObjectInternal(ctx, bucket, key, body, size, "application/octet-stream")
}

func (l lakeAdapter) PutObjectEncoded(ctx context.Context, bucket, key string, body io.Reader, size int64, contentEncoding string) error {
	return l.s3.PutObjectEncoded(ctx, bucket, key, body, size, "application/octet-stream", contentEncoding)
}

// kinesisReader lets Firehose read Kinesis streams. The stream service
// exports only its API, so this calls ListShards, GetShardIterator and
// GetRecords on its handler in-process (no socket, no signature: the
// platform is the caller); Notify tells Firehose when records arrive.
type kinesisReader struct{ svc *stream.Service }

var (
	_ firehose.KinesisReader   = kinesisReader{}
	_ firehose.KinesisNotifier = kinesisReader{}
	_ firehose.EncodingLake    = lakeAdapter{}
)

func (k kinesisReader) Notify(ctx context.Context, arn string) (<-chan struct{}, func(), error) {
	return k.svc.Notify(ctx, arn)
}

func (k kinesisReader) call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", stream.TargetPrefix+"."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	w := httptest.NewRecorder()
	k.svc.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &e)
		err := fmt.Errorf("kinesis %s: %d %s: %s", op, w.Code, e.Type, e.Message)
		switch e.Type {
		case "ResourceNotFoundException":
			err = fmt.Errorf("%w: %w", firehose.ErrSourceNotFound, err)
		case "ResourceInUseException": // CREATING, UPDATING or DELETING
			err = fmt.Errorf("%w: %w", firehose.ErrSourceNotActive, err)
		}
		return err
	}
	return json.Unmarshal(w.Body.Bytes(), out)
}

func (k kinesisReader) Shards(ctx context.Context, arn string) ([]string, error) {
	var ids []string
	in := map[string]any{"StreamARN": arn}
	for {
		var out struct {
			Shards []struct {
				ShardId string `json:"ShardId"`
			} `json:"Shards"`
			NextToken string `json:"NextToken"`
		}
		if err := k.call(ctx, "ListShards", in, &out); err != nil {
			return nil, err
		}
		for _, s := range out.Shards {
			ids = append(ids, s.ShardId)
		}
		if out.NextToken == "" {
			return ids, nil
		}
		in = map[string]any{"NextToken": out.NextToken}
	}
}

func (k kinesisReader) Read(ctx context.Context, arn, shard string, from firehose.ReadFrom, limit int) ([]firehose.SourceRecord, error) {
	it := map[string]any{"StreamARN": arn, "ShardId": shard}
	if from.After != "" {
		it["ShardIteratorType"], it["StartingSequenceNumber"] = "AFTER_SEQUENCE_NUMBER", from.After
	} else {
		it["ShardIteratorType"], it["Timestamp"] = "AT_TIMESTAMP", float64(from.At.UnixMicro())/1e6
	}
	var iter struct {
		ShardIterator string `json:"ShardIterator"`
	}
	if err := k.call(ctx, "GetShardIterator", it, &iter); err != nil {
		return nil, err
	}
	var out struct {
		Records []struct {
			SequenceNumber string  `json:"SequenceNumber"`
			Arrival        float64 `json:"ApproximateArrivalTimestamp"`
			Data           []byte  `json:"Data"`
		} `json:"Records"`
	}
	if err := k.call(ctx, "GetRecords", map[string]any{"ShardIterator": iter.ShardIterator, "Limit": limit, "StreamARN": arn}, &out); err != nil {
		return nil, err
	}
	recs := make([]firehose.SourceRecord, len(out.Records))
	for i, r := range out.Records {
		recs[i] = firehose.SourceRecord{SequenceNumber: r.SequenceNumber, Data: r.Data,
			Arrival: time.UnixMilli(int64(math.Round(r.Arrival * 1000))).UTC()}
	}
	return recs, nil
}
