package s3

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"
)

// FuzzCompleteMultipartXML: any body either fails with one of the errors
// S3 gives for a bad document, or yields a non-empty, strictly ascending
// part list. It never panics.
func FuzzCompleteMultipartXML(f *testing.F) {
	for _, seed := range []string{
		completeXML("1", `"abc"`, "2", "def"), completeXML(), completeXML("2", "x", "1", "y"), "",
		"<CompleteMultipartUpload><Part><PartNumber> 7 </PartNumber></Part></CompleteMultipartUpload>",
		"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ChecksumCRC32>AAAAAA==</ChecksumCRC32></Part>",
		"<a><b>", "\x00\xff<", "<CompleteMultipartUpload><Part><PartNumber>99999999999999999999</PartNumber></Part></CompleteMultipartUpload>",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		parts, err := parseCompleteXML(body)
		if err != nil {
			if !errors.Is(err, ErrMalformedXML) && !errors.Is(err, ErrInvalidPartOrder) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(parts) == 0 {
			t.Fatal("no parts accepted")
		}
		for i := 1; i < len(parts); i++ {
			if parts[i].number <= parts[i-1].number {
				t.Fatalf("parts out of order: %d then %d", parts[i-1].number, parts[i].number)
			}
		}
		// Assembling against no uploaded parts must refuse, not panic.
		if _, err := mpAssemble(&uploadMeta{ChecksumAlgo: "CRC32", ChecksumType: checksumComposite}, parts, map[int]partMeta{}); !errors.Is(err, ErrInvalidPart) {
			t.Fatalf("assemble with no parts: %v", err)
		}
	})
}

// TestCRCCombine: combining part CRCs equals the CRC of the whole, for
// every CRC algorithm and split.
func TestCRCCombine(t *testing.T) {
	data := lmRand(9, 100_000)
	for _, algo := range []string{"CRC32", "CRC32C", "CRC64NVME"} {
		for _, cuts := range [][]int{{0}, {1}, {50_000}, {1, 2, 3}, {0, 0, 99_999}, {4096, 70_001}} {
			var sums []string
			var sizes []int64
			prev := 0
			for _, c := range append(cuts, len(data)) {
				sums = append(sums, localChecksum(algo, data[prev:c]))
				sizes = append(sizes, int64(c-prev))
				prev = c
			}
			if got, want := mpFullObjectSum(algo, sums, sizes), localChecksum(algo, data); got != want {
				t.Errorf("%s cuts %v: %s, want %s", algo, cuts, got, want)
			}
		}
	}
	// CRC-64/NVME check value.
	if got := localChecksum("CRC64NVME", []byte("123456789")); got != base64.StdEncoding.EncodeToString([]byte{0xae, 0x8b, 0x14, 0x86, 0x0a, 0x79, 0x98, 0x88}) {
		t.Errorf("crc64nvme check value %s", got)
	}
}

// TestUploadIDs: ids are URL-safe, of one shape, and sort by initiation time.
func TestUploadIDs(t *testing.T) {
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	prev := ""
	for i := range 1000 {
		id := newUploadID(t0.Add(time.Duration(i*i) * time.Microsecond))
		if !validUploadID(id) || id <= prev {
			t.Fatalf("id %d %q after %q", i, id, prev)
		}
		prev = id
	}
	for _, bad := range []string{"", "x", prev + "x", prev[:31] + "/", prev[:31] + "\x00", prev[:31] + "="} {
		if validUploadID(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
	if !isSorted(uploadIDAlphabet) {
		t.Error("alphabet not in ASCII order")
	}
}

func isSorted(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] <= s[i-1] {
			return false
		}
	}
	return true
}

func TestAppendS3Time(t *testing.T) {
	for _, tm := range []time.Time{lmSeedTime, {}, time.Date(1, 2, 3, 4, 5, 6, 7e6, time.UTC),
		time.Date(2025, 12, 31, 23, 59, 59, 999999999, time.FixedZone("x", 3600)), time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if got, want := string(appendS3Time([]byte("x"), tm)), "x"+s3Time(tm); got != want {
			t.Errorf("%v: %s, want %s", tm, got, want)
		}
	}
}
