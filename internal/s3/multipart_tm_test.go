package s3

import (
	"bytes"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager"
	tmtypes "github.com/aws/aws-sdk-go-v2/feature/s3/transfermanager/types"
)

// TestTransferManager: the SDK's transfer manager uploads in concurrent
// 8 MiB parts (with CRC32 part checksums, COMPOSITE and FULL_OBJECT) and
// downloads by parts and by ranges.
func TestTransferManager(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "tm")
	body := lmRand(21, 20*lmMiB+3)
	for _, tc := range []struct {
		key string
		typ tmtypes.ChecksumType
		get tmtypes.GetObjectType
	}{
		{"composite", "", tmtypes.GetObjectParts},
		{"full", tmtypes.ChecksumTypeFullObject, tmtypes.GetObjectRanges},
	} {
		tm := transfermanager.New(env.client, func(o *transfermanager.Options) { o.GetObjectType = tc.get })
		up, err := tm.UploadObject(t.Context(), &transfermanager.UploadObjectInput{Bucket: aws.String("tm"),
			Key: aws.String(tc.key), Body: bytes.NewReader(body), ChecksumType: tc.typ})
		if err != nil {
			t.Fatalf("%s: upload: %v", tc.key, err)
		}
		if aws.ToString(up.UploadID) == "" || !bytes.Contains([]byte(aws.ToString(up.ETag)), []byte("-3")) {
			t.Fatalf("%s: upload answered %+v", tc.key, up)
		}
		if tc.typ == tmtypes.ChecksumTypeFullObject && aws.ToString(up.ChecksumCRC32) != localChecksum("CRC32", body) {
			t.Fatalf("%s: CRC32 %q, want %q", tc.key, aws.ToString(up.ChecksumCRC32), localChecksum("CRC32", body))
		}
		if !bytes.Equal(lmReadDirect(t, env.svc, "tm", tc.key), body) {
			t.Fatalf("%s: stored bytes differ", tc.key)
		}
		out, err := tm.GetObject(t.Context(), &transfermanager.GetObjectInput{Bucket: aws.String("tm"), Key: aws.String(tc.key)})
		if err != nil {
			t.Fatalf("%s: get: %v", tc.key, err)
		}
		got, err := io.ReadAll(out.Body)
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("%s: downloaded %d bytes (%v), differ", tc.key, len(got), err)
		}
	}
}
