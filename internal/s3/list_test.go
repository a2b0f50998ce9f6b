package s3

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// listKeys is the fixed key set of the listing tests: a key that is a
// prefix of others, "..", "//", spaces, '+', '%', unicode, a 1024-byte key,
// keys holding a multi-byte delimiter, a key ending in the delimiter.
var listKeys = []string{
	"a", "a/b", "a/b/c", "a//b", "a/../b", "a/b c", "a+b", "a%b", "a b",
	"..", "../x", "./y", "b", "b::c", "b::c::d", "bx", "dir/", "dir/file", "dir/sub/", "dir/sub/f",
	"photos/2024/feb.jpg", "photos/2024/jan.jpg", "photos/2025/x.jpg", "photos/index.html",
	"ü/x", "日本/語", "z", "zz/", "long/" + strings.Repeat("x", 1019),
}

// refItem is one expected listing entry: a key, or a CommonPrefix (cp).
type refItem struct {
	name string
	cp   bool
}

// refList is the reference model of S3 listing: the keys after `after`
// under prefix, each holding delim after the prefix rolled up into one
// CommonPrefix, a CommonPrefix equal to after left out.
func refList(keys []string, prefix, delim, after string) []refItem {
	sorted := slices.Clone(keys)
	slices.Sort(sorted) // Go string order is UTF-8 byte order, S3's order
	var out []refItem
	for _, k := range sorted {
		if !strings.HasPrefix(k, prefix) || k <= after {
			continue
		}
		if delim != "" {
			if i := strings.Index(k[len(prefix):], delim); i >= 0 {
				cp := k[:len(prefix)+i+len(delim)]
				if cp != after && (len(out) == 0 || out[len(out)-1] != refItem{cp, true}) {
					out = append(out, refItem{cp, true})
				}
				continue
			}
		}
		out = append(out, refItem{k, false})
	}
	return out
}

var listCases = []struct{ prefix, delim, startAfter string }{
	{"", "", ""}, {"", "/", ""}, {"a", "/", ""}, {"a/", "/", ""}, {"a/b", "/", ""},
	{"photos/", "/", ""}, {"photos/2024/", "/", ""}, {"", "::", ""}, {"b", "::", ""},
	{"", "b", ""}, {"", "a/", ""}, {"dir/", "/", ""}, {"nothing", "/", ""}, {"", "/", "a/b"},
	{"", "/", "photos/"}, {"", "", "photos/2024/jan.jpg"}, {"photos/", "/", "a"}, {"", "/", "zzz"},
	{"..", "/", ""}, {"", ".", ""},
}

func newListEnv(t *testing.T) *testEnv {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "lst")
	for _, k := range listKeys {
		seedObject(t, env.svc, "lst", k, []byte(k))
	}
	return env
}

// TestListObjectsV2Pages pages through every case with every max-keys
// from 1 to N+1 and checks the concatenated pages against refList.
func TestListObjectsV2Pages(t *testing.T) {
	env := newListEnv(t)
	ctx := t.Context()
	for _, lc := range listCases {
		want := refList(listKeys, lc.prefix, lc.delim, lc.startAfter)
		for max := 1; max <= len(want)+1; max++ {
			name := fmt.Sprintf("prefix=%q,delim=%q,after=%q,max=%d", lc.prefix, lc.delim, lc.startAfter, max)
			got := listAllV2(ctx, t, env.client, name, lc.prefix, lc.delim, lc.startAfter, int32(max))
			if !slices.Equal(got, want) {
				t.Fatalf("%s:\n got %v\nwant %v", name, got, want)
			}
		}
	}
}

func listAllV2(ctx context.Context, t *testing.T, c *s3.Client, name, prefix, delim, after string, max int32) []refItem {
	t.Helper()
	in := &s3.ListObjectsV2Input{Bucket: aws.String("lst"), Prefix: aws.String(prefix), MaxKeys: aws.Int32(max)}
	if delim != "" {
		in.Delimiter = aws.String(delim)
	}
	if after != "" {
		in.StartAfter = aws.String(after)
	}
	var got []refItem
	for page := 0; ; page++ {
		out, err := c.ListObjectsV2(ctx, in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		n := len(out.Contents) + len(out.CommonPrefixes)
		if int(aws.ToInt32(out.KeyCount)) != n || n > int(max) || aws.ToInt32(out.MaxKeys) != max {
			t.Fatalf("%s page %d: KeyCount %d, items %d, MaxKeys %d", name, page, aws.ToInt32(out.KeyCount), n, aws.ToInt32(out.MaxKeys))
		}
		if aws.ToString(out.ContinuationToken) != aws.ToString(in.ContinuationToken) {
			t.Fatalf("%s: ContinuationToken not echoed", name)
		}
		got = append(got, mergeItems(out.Contents, out.CommonPrefixes)...)
		if !aws.ToBool(out.IsTruncated) {
			if out.NextContinuationToken != nil {
				t.Fatalf("%s: NextContinuationToken on the last page", name)
			}
			return got
		}
		if n != int(max) {
			t.Fatalf("%s page %d: truncated with %d < %d items", name, page, n, max)
		}
		in.ContinuationToken = out.NextContinuationToken
	}
}

// TestListObjectsV1Pages does the same through ListObjects (v1), resuming
// with NextMarker (sent only with a delimiter) or else the last key.
func TestListObjectsV1Pages(t *testing.T) {
	env := newListEnv(t)
	ctx := t.Context()
	for _, lc := range listCases {
		want := refList(listKeys, lc.prefix, lc.delim, lc.startAfter)
		for max := 1; max <= len(want)+1; max++ {
			name := fmt.Sprintf("prefix=%q,delim=%q,marker=%q,max=%d", lc.prefix, lc.delim, lc.startAfter, max)
			in := &s3.ListObjectsInput{Bucket: aws.String("lst"), Prefix: aws.String(lc.prefix),
				MaxKeys: aws.Int32(int32(max)), Marker: aws.String(lc.startAfter)}
			if lc.delim != "" {
				in.Delimiter = aws.String(lc.delim)
			}
			var got []refItem
			for {
				out, err := env.client.ListObjects(ctx, in)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				items := mergeItems(out.Contents, out.CommonPrefixes)
				got = append(got, items...)
				for _, o := range out.Contents {
					if o.Owner == nil || aws.ToString(o.Owner.ID) != theOwner.ID {
						t.Fatalf("%s: v1 Contents without Owner", name)
					}
				}
				if aws.ToString(out.Marker) != aws.ToString(in.Marker) {
					t.Fatalf("%s: Marker %q not echoed", name, aws.ToString(out.Marker))
				}
				if !aws.ToBool(out.IsTruncated) {
					break
				}
				if next := aws.ToString(out.NextMarker); (next != "") != (lc.delim != "") ||
					next != "" && next != items[len(items)-1].name {
					t.Fatalf("%s: NextMarker %q with delimiter %q", name, next, lc.delim)
				}
				in.Marker = aws.String(items[len(items)-1].name)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s:\n got %v\nwant %v", name, got, want)
			}
		}
	}
}

// mergeItems returns a page's objects and prefixes in listing order.
func mergeItems(objs []s3types.Object, cps []s3types.CommonPrefix) []refItem {
	var out []refItem
	for _, o := range objs {
		out = append(out, refItem{aws.ToString(o.Key), false})
	}
	for _, p := range cps {
		out = append(out, refItem{aws.ToString(p.Prefix), true})
	}
	slices.SortFunc(out, func(a, b refItem) int { return strings.Compare(a.name, b.name) })
	return out
}

func TestListObjectsV2Paginator(t *testing.T) {
	env := newListEnv(t)
	p := s3.NewListObjectsV2Paginator(env.client, &s3.ListObjectsV2Input{Bucket: aws.String("lst"), MaxKeys: aws.Int32(4)})
	var keys []string
	for p.HasMorePages() {
		out, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out.Contents {
			keys = append(keys, aws.ToString(o.Key))
			if o.Owner != nil {
				t.Fatalf("Owner without fetch-owner")
			}
			if aws.ToString(o.ETag) == "" || o.Size == nil || o.StorageClass != "STANDARD" || o.LastModified == nil {
				t.Fatalf("incomplete Contents %+v", o)
			}
		}
	}
	want := slices.Sorted(slices.Values(listKeys))
	if !slices.Equal(keys, want) {
		t.Fatalf("got %q\nwant %q", keys, want)
	}
	out, err := env.client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("lst"),
		FetchOwner: aws.Bool(true), MaxKeys: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	o := out.Contents[0]
	if o.Owner == nil || aws.ToString(o.Owner.ID) != theOwner.ID || len(o.ChecksumAlgorithm) != 1 ||
		o.ChecksumAlgorithm[0] != "CRC64NVME" || o.ChecksumType != "FULL_OBJECT" {
		t.Fatalf("fetch-owner Contents %+v", o)
	}
}
