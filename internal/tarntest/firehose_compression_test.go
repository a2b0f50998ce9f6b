package tarntest

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/snappy/xerial"
)

// TestFirehoseCompressionFormats: every CompressionFormat is delivered
// with AWS's extension and framing, and reads back with the standard
// decoder of that framing (gzip, zip, snappy-java's stream format,
// Hadoop's block snappy).
func TestFirehoseCompressionFormats(t *testing.T) {
	env := Start(t)
	fhBucket(t, env, "lake")
	c := env.Firehose()
	payload := strings.Repeat(`{"user":"u-1","page":"/home"}`, 3000) // ~90 KB: several snappy blocks
	for _, tc := range []struct {
		format fhtypes.CompressionFormat
		ext    string
		decode func([]byte) ([]byte, error)
	}{
		{fhtypes.CompressionFormatGzip, ".gz", func(b []byte) ([]byte, error) {
			zr, err := gzip.NewReader(bytes.NewReader(b))
			if err != nil {
				return nil, err
			}
			return io.ReadAll(zr)
		}},
		{fhtypes.CompressionFormatZip, ".zip", func(b []byte) ([]byte, error) {
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				return nil, err
			}
			if len(zr.File) != 1 {
				return nil, fmt.Errorf("%d zip entries, want 1", len(zr.File))
			}
			f, err := zr.File[0].Open()
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return io.ReadAll(f)
		}},
		{fhtypes.CompressionFormatSnappy, ".snappy", func(b []byte) ([]byte, error) {
			if !bytes.HasPrefix(b, []byte("\x82SNAPPY\x00")) {
				return nil, fmt.Errorf("no snappy-java magic")
			}
			return xerial.Decode(b)
		}},
		{fhtypes.CompressionFormatHadoopSnappy, ".snappy", hadoopSnappyDecode},
		{fhtypes.CompressionFormatUncompressed, "", func(b []byte) ([]byte, error) { return b, nil }},
	} {
		name := strings.ToLower(strings.ReplaceAll(string(tc.format), "_", "-"))
		d := fhDest("lake", 0, 5)
		d.CompressionFormat = tc.format
		d.Prefix = aws.String(name + "/")
		fhCreate(t, c, name, d)
		out, err := c.DescribeDeliveryStream(t.Context(), &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String(name)})
		if err != nil || out.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription.CompressionFormat != tc.format {
			t.Fatalf("%s: Describe = %+v, %v", tc.format, out, err)
		}
		fhBatch(t, c, name, payload, "tail")
		objs := fhWait(t, env.S3(), "lake", name+"/", 1)
		if !regexp.MustCompile(`^` + name + `/\d{4}/\d{2}/\d{2}/\d{2}/` + name + `-1-[0-9-]{19}-[0-9a-f-]{36}` + regexp.QuoteMeta(tc.ext) + `$`).MatchString(objs[0].key) {
			t.Errorf("%s: key %q, want extension %q", tc.format, objs[0].key, tc.ext)
		}
		got, err := tc.decode(objs[0].body)
		if err != nil || string(got) != payload+"tail" {
			t.Errorf("%s: decoded %d bytes (%v), want %d", tc.format, len(got), err, len(payload)+4)
		}
		if tc.ext != "" && len(objs[0].body) >= len(payload)/2 {
			t.Errorf("%s: object of %d bytes for %d bytes of records", tc.format, len(objs[0].body), len(payload))
		}
	}
	// Data format conversion refuses any compression but UNCOMPRESSED,
	// before it looks at the buffer size.
	d := fhDest("lake", 0, 5)
	d.CompressionFormat = fhtypes.CompressionFormatZip
	d.DataFormatConversionConfiguration = &fhtypes.DataFormatConversionConfiguration{Enabled: aws.Bool(true)}
	_, err := c.CreateDeliveryStream(t.Context(), &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("zpq"), ExtendedS3DestinationConfiguration: d})
	const msg = "The S3 destination's compression format must be set to UNCOMPRESSED when data format conversion is enabled."
	if apiCode(err) != "InvalidArgumentException" || !strings.Contains(fmt.Sprint(err), msg) {
		t.Errorf("ZIP with conversion: %v, want InvalidArgumentException %q", err, msg)
	}
}

// hadoopSnappyDecode reads Hadoop's block snappy framing as Hadoop's
// BlockDecompressorStream does: per block the uncompressed length, then
// length-prefixed raw snappy chunks until the block is complete.
func hadoopSnappyDecode(b []byte) ([]byte, error) {
	var out []byte
	for len(b) > 0 {
		if len(b) < 8 {
			return nil, fmt.Errorf("truncated block header")
		}
		want := int(binary.BigEndian.Uint32(b))
		b = b[4:]
		for got := 0; got < want; {
			if len(b) < 4 {
				return nil, fmt.Errorf("truncated chunk header")
			}
			n := int(binary.BigEndian.Uint32(b))
			if n > len(b)-4 {
				return nil, fmt.Errorf("chunk of %d bytes, %d left", n, len(b)-4)
			}
			d, err := snappy.Decode(nil, b[4:4+n])
			if err != nil {
				return nil, err
			}
			b, got, out = b[4+n:], got+len(d), append(out, d...)
		}
	}
	return out, nil
}
