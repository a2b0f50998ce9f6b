package firehose

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/snappy/xerial"

	"github.com/tarnhq/tarn/internal/kv"
)

// decodeHadoopSnappy reads Hadoop's block snappy framing the way Hadoop's
// BlockDecompressorStream does: per block the uncompressed length, then
// length-prefixed raw snappy chunks until the block is complete.
func decodeHadoopSnappy(b []byte) ([]byte, error) {
	var out []byte
	u32 := func() (int, error) {
		if len(b) < 4 {
			return 0, errors.New("truncated")
		}
		v := binary.BigEndian.Uint32(b)
		b = b[4:]
		return int(v), nil
	}
	for len(b) > 0 {
		want, err := u32()
		if err != nil {
			return nil, err
		}
		got := 0
		for got < want {
			n, err := u32()
			if err != nil || n > len(b) {
				return nil, fmt.Errorf("chunk: %v", err)
			}
			d, err := snappy.Decode(nil, b[:n])
			if err != nil {
				return nil, err
			}
			b, got, out = b[n:], got+len(d), append(out, d...)
		}
		if got != want {
			return nil, fmt.Errorf("block of %d bytes, header says %d", got, want)
		}
	}
	return out, nil
}

func TestCompressRoundTrip(t *testing.T) {
	inputs := map[string][]byte{
		"empty": nil,
		"small": []byte(`{"a":1}` + "\n"),
		"large": []byte(strings.Repeat(`{"user":"u-17","page":"/x"}`+"\n", 8000)), // > several 32 KiB blocks
	}
	decoders := map[string]func([]byte) ([]byte, error){
		compUncompressed: func(b []byte) ([]byte, error) { return b, nil },
		compGzip: func(b []byte) ([]byte, error) {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			return io.ReadAll(zr)
		},
		compZip: func(b []byte) ([]byte, error) {
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				return nil, err
			}
			if len(zr.File) != 1 || zr.File[0].Name != "entry-uuid" || zr.File[0].Method != zip.Deflate {
				return nil, fmt.Errorf("zip entries %+v", zr.File)
			}
			f, err := zr.File[0].Open()
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return io.ReadAll(f)
		},
		compSnappy: func(b []byte) ([]byte, error) {
			if len(b) < 16 || !bytes.Equal(b[:8], []byte{0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0}) {
				return nil, fmt.Errorf("no snappy-java header: % x", b[:min(16, len(b))])
			}
			return xerial.Decode(b)
		},
		compHadoopSnappy: decodeHadoopSnappy,
	}
	for format, decode := range decoders {
		for name, in := range inputs {
			enc, err := compress(format, in, func() string { return "entry-uuid" })
			if err != nil {
				t.Fatalf("%s %s: %v", format, name, err)
			}
			got, err := decode(enc)
			if err != nil || !bytes.Equal(got, in) {
				t.Errorf("%s %s: decoded %d bytes (%v), want %d", format, name, len(got), err, len(in))
			}
			if name == "large" && format != compUncompressed && len(enc) >= len(in)/2 {
				t.Errorf("%s: %d bytes compressed to %d", format, len(in), len(enc))
			}
		}
	}
	// Hadoop framing: blocks of at most hadoopBlockSize, each with its
	// uncompressed length first.
	enc := hadoopSnappy(inputs["large"])
	if n := binary.BigEndian.Uint32(enc); n != hadoopBlockSize {
		t.Errorf("first block length %d, want %d", n, hadoopBlockSize)
	}
}

func TestCompressionValidation(t *testing.T) {
	for _, tc := range []struct {
		format, ext, err string
	}{
		{"", "", ""},
		{compUncompressed, "", ""},
		{compGzip, ".gz", ""},
		{compZip, ".zip", ""},
		{compSnappy, ".snappy", ""},
		{compHadoopSnappy, ".snappy", ""},
		{"SNAPPY", "", "Member must satisfy enum value set: [ZIP, HADOOP_SNAPPY, Snappy, GZIP, UNCOMPRESSED]"},
	} {
		c := &s3Config{RoleARN: "arn:aws:iam::000000000000:role/r", BucketARN: "arn:aws:s3:::lake", CompressionFormat: tc.format}
		d, err := compile(c, "extendedS3DestinationConfiguration")
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %v, want %q", tc.format, err, tc.err)
			}
			continue
		}
		if err != nil || d.ext != tc.ext || d.compress != tc.format {
			t.Errorf("%q: %+v, %v; want ext %q", tc.format, d, err, tc.ext)
		}
	}
}

// encodingLake is a memLake that also stores Content-Encoding.
type encodingLake struct {
	*memLake
	enc map[string]string
}

func (l *encodingLake) PutObjectEncoded(ctx context.Context, bucket, key string, body io.Reader, size int64, ce string) error {
	l.mu.Lock()
	l.enc[bucket+"/"+key] = ce
	l.mu.Unlock()
	return l.PutObject(ctx, bucket, key, body, size)
}

// Compressed objects carry AWS's Content-Encoding when the lake can
// store one; uncompressed ones go through PutObject.
func TestCompressedObjectsContentEncoding(t *testing.T) {
	clock := newFakeClock()
	db, err := kv.Open(t.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lake := &encodingLake{memLake: &memLake{objs: map[string]string{}, put: make(chan string, 10)}, enc: map[string]string{}}
	s, err := New(Options{DB: db, Meta: db.Space("firehose/"), Lake: lake, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background())
	for _, tc := range []struct{ format, enc string }{
		{compHadoopSnappy, "hadoop-snappy"}, {compSnappy, "snappy-java"}, {compZip, "zip"}, {compGzip, "gzip"}, {compUncompressed, ""},
	} {
		size, interval := 1, 0
		name := strings.ToLower(strings.ReplaceAll(tc.format, "_", "-"))
		if _, err := s.createDeliveryStream(t.Context(), &createInput{DeliveryStreamName: name, ExtendedS3DestinationConfiguration: &s3Config{
			RoleARN: "arn:aws:iam::000000000000:role/r", BucketARN: "arn:aws:s3:::lake", CompressionFormat: tc.format,
			BufferingHints: &bufferingHints{SizeInMBs: &size, IntervalInSeconds: &interval}}}); err != nil {
			t.Fatal(err)
		}
		put(t, s, name, "x")
		key := <-lake.put
		lake.mu.Lock()
		got, ok := lake.enc[key]
		lake.mu.Unlock()
		if got != tc.enc || ok != (tc.enc != "") {
			t.Errorf("%s: object %s Content-Encoding %q (set %v), want %q", tc.format, key, got, ok, tc.enc)
		}
	}
}
