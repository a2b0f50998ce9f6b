package benchratio

import (
	"strings"
	"testing"
)

func TestParseAndWrite(t *testing.T) {
	in := `goos: linux
BenchmarkS3Put/4KiB-2         	     100	   2000000 ns/op	   2.05 MB/s
BenchmarkDiskWrite/4KiB-2     	     100	   1000000 ns/op	   4.10 MB/s
BenchmarkS3Put/1MiB-2         	      10	  10000000 ns/op	 104.86 MB/s
BenchmarkS3List/1000-2        	      10	    500000 ns/op
BenchmarkPebbleScan/1000-2    	      10	    100000 ns/op
BenchmarkNoCase-2             	      10	    100000 ns/op
PASS`
	res, err := Parse(strings.NewReader(in))
	if err != nil || len(res) != 6 {
		t.Fatalf("Parse = %v, %v", res, err)
	}
	if res[0] != (Result{Name: "S3Put", Case: "4KiB", NsPerOp: 2e6, MBps: 2.05}) {
		t.Errorf("first result = %+v", res[0])
	}
	if res[5].Name != "NoCase" || res[5].Case != "" {
		t.Errorf("benchmark without a case parsed as %+v", res[5])
	}
	var b strings.Builder
	Write(&b, res, []Pair{{"S3Put", "DiskWrite"}, {"S3List", "PebbleScan"}})
	out := b.String()
	for _, want := range []string{"4KiB  2.0 MB/s      4.1 MB/s      0.50", "1000  500000 ns/op  100000 ns/op  0.20"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "1MiB") {
		t.Errorf("case without a baseline printed:\n%s", out)
	}
}
