package catalog

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkGetPartitions lists a 10,000-partition table through the Go
// path, unfiltered and with an Expression keeping 1%: the filter's cost
// against the scan's.
func BenchmarkGetPartitions(b *testing.B) {
	h := newHarness(b)
	ctx := b.Context()
	if err := h.svc.CreateDatabase(ctx, "", Database{Name: "d"}); err != nil {
		b.Fatal(err)
	}
	keys := []Column{{Name: "year", Type: "int"}, {Name: "day", Type: "string"}}
	if err := h.svc.CreateTable(ctx, "", "d", Table{Name: "t", PartitionKeys: keys}); err != nil {
		b.Fatal(err)
	}
	var parts []Partition
	for i := range 10000 {
		parts = append(parts, Partition{Values: []string{fmt.Sprint(2000 + i/100), fmt.Sprintf("%03d", i%100)},
			StorageDescriptor: &StorageDescriptor{Location: fmt.Sprintf("s3://b/t/year=%d/day=%03d/", 2000+i/100, i%100)}})
	}
	for i := 0; i < len(parts); i += 1000 {
		if err := h.svc.AddPartitions(ctx, "", "d", "t", parts[i:i+1000]); err != nil {
			b.Fatal(err)
		}
	}
	for _, expr := range []string{"", "year = 2050 AND day LIKE '0%' OR year BETWEEN 2098 AND 2099 AND day IN ('001', '002')"} {
		name := "all"
		if expr != "" {
			name = "filtered"
		}
		b.Run(name, func(b *testing.B) {
			var f *partFilter
			if expr != "" {
				var err error
				if f, err = compilePartFilter(expr, keys); err != nil {
					b.Fatal(err)
				}
			}
			n := 0
			for b.Loop() {
				var out []Partition
				if _, err := h.svc.listPartitions(DefaultRegion, "d", "t", f, "", 1<<30, &out); err != nil {
					b.Fatal(err)
				}
				n = len(out)
			}
			b.ReportMetric(float64(n), "partitions")
		})
	}
}

// BenchmarkCrawl crawls 200 CSV files in 20 Hive partitions (sampling
// every file) from scratch each time.
func BenchmarkCrawl(b *testing.B) {
	h := newHarness(b)
	var sb strings.Builder
	sb.WriteString("id,name,amount,day\n")
	for i := range 1000 {
		fmt.Fprintf(&sb, "%d,name%d,%d.5,2024-01-%02d\n", i, i, i, i%28+1)
	}
	for p := range 20 {
		for f := range 10 {
			h.lake.put(b, "lake", fmt.Sprintf("sales/dt=2024-01-%02d/part-%d.csv", p+1, f), []byte(sb.String()))
		}
	}
	rec := &crawlerRecord{Region: DefaultRegion, Crawler: Crawler{Name: "bench", DatabaseName: "d",
		Targets: &CrawlerTargets{S3Targets: []S3Target{{Path: "s3://lake/sales/"}}}}}
	defaultPolicies(&rec.Crawler)
	for b.Loop() {
		if err := h.svc.DeleteDatabase(b.Context(), "", "d"); err != nil && !strings.Contains(err.Error(), "not found") {
			b.Fatal(err)
		}
		res, err := h.svc.crawl(b.Context(), rec)
		if err != nil || res.created != 1 {
			b.Fatalf("crawl = %+v, %v", res, err)
		}
	}
	b.ReportMetric(200, "files/op")
}
