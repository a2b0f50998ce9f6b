package s3

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/blob"
)

// Request arguments of the multipart operations.

var (
	errChecksumTypeAlone = ErrInvalidRequest.With("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
	errChecksumTypeValue = ErrInvalidRequest.With("Value for x-amz-checksum-type header is invalid.")
)

// uploadMetaFrom reads what CreateMultipartUpload's headers say the object
// will carry (validated as a PutObject's), and its checksum algorithm and
// type. Initiated is left for the caller.
func uploadMetaFrom(h http.Header) (*uploadMeta, error) {
	a, err := attrsFromHeaders(h)
	if err != nil {
		return nil, err
	}
	m := &uploadMeta{ContentType: a.contentType, Headers: a.headers, UserMeta: a.userMeta, StorageClass: a.storageClass}
	if m.Tags, err = parseTaggingHeader(h.Get("x-amz-tagging")); err != nil {
		return nil, err
	}
	algo, typ := h.Get("x-amz-checksum-algorithm"), strings.ToUpper(h.Get("x-amz-checksum-type"))
	if algo == "" {
		if typ != "" {
			return nil, errChecksumTypeAlone
		}
		return m, nil
	}
	var ok bool
	if m.ChecksumAlgo, ok = normAlgo(algo); !ok {
		return nil, errUnsupportedAlgo
	}
	switch {
	case typ == "" && m.ChecksumAlgo == "CRC64NVME":
		typ = checksumFullObject
	case typ == "":
		typ = checksumComposite
	case typ != checksumComposite && typ != checksumFullObject:
		return nil, errChecksumTypeValue
	}
	crc := strings.HasPrefix(m.ChecksumAlgo, "CRC")
	if typ == checksumFullObject && !crc || typ == checksumComposite && m.ChecksumAlgo == "CRC64NVME" {
		return nil, ErrInvalidRequest.With(fmt.Sprintf("The %s checksum type cannot be used with the %s checksum algorithm.",
			typ, strings.ToLower(m.ChecksumAlgo)))
	}
	m.ChecksumType = typ
	return m, nil
}

// mpPartNumber parses a part number in 1..10000.
func mpPartNumber(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10000 {
		return 0, false
	}
	return n, true
}

// mpPartNumberArg is the partNumber query argument, or ErrTooManyParts
// (S3's InvalidArgument for a number outside 1..10000).
func mpPartNumberArg(c *call) (int, error) {
	n, ok := mpPartNumber(c.q.Get("partNumber"))
	if !ok {
		return 0, ErrTooManyParts.WithExtra("ArgumentName", "partNumber").
			WithExtra("ArgumentValue", c.q.Get("partNumber"))
	}
	return n, nil
}

func mpUnmarshalPart(raw []byte, pm *partMeta) error {
	if err := json.Unmarshal(raw, pm); err != nil {
		return fmt.Errorf("decode part: %w", err)
	}
	return nil
}

// mpDropBlob deletes a blob no index entry references any more (see deleteBlobs).
func (s *Service) mpDropBlob(ctx context.Context, id blob.ID) {
	if id != "" {
		s.deleteBlobs(ctx, []segment{{Blob: id}})
	}
}
