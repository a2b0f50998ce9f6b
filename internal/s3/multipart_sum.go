package s3

import (
	"encoding/base64"
	"encoding/binary"
)

// Checksums of multipart uploads: per-part values in one of S3's five
// algorithms, and the object value made from them at completion, either
// COMPOSITE (the algorithm over the concatenated binary part checksums,
// suffixed "-N") or FULL_OBJECT (the CRC of all the bytes, obtained by
// combining the part CRCs without reading the data again).

// mpChecksums is the set of Checksum<ALGO> XML elements S3 puts on parts,
// copy results and completion results.
type mpChecksums struct {
	ChecksumCRC32     string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string `xml:"ChecksumSHA256,omitempty"`
}

func (c *mpChecksums) field(algo string) *string {
	switch algo {
	case "CRC32":
		return &c.ChecksumCRC32
	case "CRC32C":
		return &c.ChecksumCRC32C
	case "CRC64NVME":
		return &c.ChecksumCRC64NVME
	case "SHA1":
		return &c.ChecksumSHA1
	case "SHA256":
		return &c.ChecksumSHA256
	}
	return nil
}

// mpChecksumsOf returns the element set holding v under algo (empty if algo is "").
func mpChecksumsOf(algo, v string) mpChecksums {
	var c mpChecksums
	if f := c.field(algo); f != nil {
		*f = v
	}
	return c
}

// get returns the value given for algo, or "".
func (c mpChecksums) get(algo string) string {
	if f := c.field(algo); f != nil {
		return *f
	}
	return ""
}

// mpCompositeSum is the COMPOSITE object checksum of parts' base64 sums.
func mpCompositeSum(algo string, sums []string) string {
	h := newChecksum(algo)
	for _, s := range sums {
		b, _ := base64.StdEncoding.DecodeString(s) // stored sums are valid
		h.Write(b)
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil)) + "-" + itoa(int64(len(sums)))
}

// mpFullObjectSum is the FULL_OBJECT CRC of the concatenation of parts
// with the given base64 CRCs and sizes. algo is CRC32, CRC32C or CRC64NVME.
func mpFullObjectSum(algo string, sums []string, sizes []int64) string {
	var poly uint64
	width := 32
	switch algo {
	case "CRC32":
		poly = 0xedb88320
	case "CRC32C":
		poly = 0x82f63b78
	case "CRC64NVME":
		poly, width = 0x9a6c9329ac4bc9b5, 64
	}
	var crc uint64
	for i, s := range sums {
		b, _ := base64.StdEncoding.DecodeString(s)
		var part uint64
		if width == 32 {
			part = uint64(binary.BigEndian.Uint32(b))
		} else {
			part = binary.BigEndian.Uint64(b)
		}
		if i == 0 {
			crc = part
		} else {
			crc = crcCombine(poly, width, crc, part, sizes[i])
		}
	}
	if width == 32 {
		return base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint32(nil, uint32(crc)))
	}
	return base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint64(nil, crc))
}

// crcCombine returns the CRC of A||B from crc1 = CRC(A), crc2 = CRC(B) and
// len2 = len(B), for a reflected CRC of the given width and reversed
// polynomial whose init and final xor are all ones (zlib's crc32_combine,
// in GF(2) matrix form).
func crcCombine(poly uint64, width int, crc1, crc2 uint64, len2 int64) uint64 {
	if len2 <= 0 {
		return crc1
	}
	even := make([]uint64, width)
	odd := make([]uint64, width)
	odd[0] = poly // the operator for one zero bit
	row := uint64(1)
	for n := 1; n < width; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(even, odd) // two zero bits
	gf2Square(odd, even) // four zero bits
	for {                // apply len2 zero bytes to crc1
		gf2Square(even, odd)
		if len2&1 != 0 {
			crc1 = gf2Times(even, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
		gf2Square(odd, even)
		if len2&1 != 0 {
			crc1 = gf2Times(odd, crc1)
		}
		if len2 >>= 1; len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}

func gf2Times(mat []uint64, vec uint64) uint64 {
	var sum uint64
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat []uint64) {
	for n := range mat {
		square[n] = gf2Times(mat, mat[n])
	}
}
