package firehose

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"

	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/snappy/xerial"
)

// Compression formats (ExtendedS3DestinationConfiguration.CompressionFormat).
const (
	compUncompressed = "UNCOMPRESSED"
	compGzip         = "GZIP"
	compZip          = "ZIP"
	compSnappy       = "Snappy"
	compHadoopSnappy = "HADOOP_SNAPPY"
)

// compressionExt is the extension Firehose appends for each format. Both
// Snappy variants get .snappy: AWS's object-name page tables .hsnappy for
// HADOOP_SNAPPY, but the service delivers .snappy (observed on objects
// delivered by AWS); only the framing tells the two apart.
var compressionExt = map[string]string{
	compUncompressed: "",
	compGzip:         ".gz",
	compZip:          ".zip",
	compSnappy:       ".snappy",
	compHadoopSnappy: ".snappy",
}

// contentEncoding is the Content-Encoding AWS stores with an object of
// each format (none for UNCOMPRESSED).
var contentEncoding = map[string]string{
	compGzip:         "gzip",
	compZip:          "zip",
	compSnappy:       "snappy-java",
	compHadoopSnappy: "hadoop-snappy",
}

// hadoopBlockSize is the uncompressed size of one HADOOP_SNAPPY block
// (snappy-java's SnappyHadoopCompatibleOutputStream default; Hadoop's
// BlockDecompressorStream reads any block size).
const hadoopBlockSize = 32 << 10

// compress encodes raw, the concatenated records of one object, in format
// as Firehose writes it:
//
//   - GZIP: one gzip member.
//   - ZIP: a zip archive holding one deflated entry named with a UUID
//     (AWS's entry name is unrelated to the object key).
//   - Snappy: the xerial snappy-java stream format (magic 0x82 "SNAPPY" 0,
//     version 1, then blocks of 32 KiB as a 4-byte big-endian length and a
//     raw snappy block). This is what AWS delivers, not the snappy
//     framing format; snappy-java's SnappyInputStream reads it.
//   - HADOOP_SNAPPY: Hadoop's block framing as Hadoop's SnappyCodec reads
//     it: per block a 4-byte big-endian uncompressed length, then one
//     chunk as a 4-byte big-endian compressed length and a raw snappy block.
//
// UNCOMPRESSED (or "") returns raw itself.
func compress(format string, raw []byte, entryName func() string) ([]byte, error) {
	switch format {
	case compGzip:
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		if _, err := zw.Write(raw); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return z.Bytes(), nil
	case compZip:
		var z bytes.Buffer
		zw := zip.NewWriter(&z)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: entryName(), Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(raw); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return z.Bytes(), nil
	case compSnappy:
		return xerial.Encode(nil, raw), nil
	case compHadoopSnappy:
		return hadoopSnappy(raw), nil
	default:
		return raw, nil
	}
}

// hadoopSnappy is raw in Hadoop's block snappy framing. Empty input is an
// empty object, as Hadoop's BlockCompressorStream writes nothing for it.
func hadoopSnappy(raw []byte) []byte {
	out := make([]byte, 0, len(raw)/2+64)
	var chunk []byte
	for pos := 0; pos < len(raw); pos += hadoopBlockSize {
		block := raw[pos:min(pos+hadoopBlockSize, len(raw))]
		chunk = s2.EncodeSnappy(chunk[:cap(chunk)], block)
		out = binary.BigEndian.AppendUint32(out, uint32(len(block)))
		out = binary.BigEndian.AppendUint32(out, uint32(len(chunk)))
		out = append(out, chunk...)
	}
	return out
}
