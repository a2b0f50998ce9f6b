package main

import (
	"fmt"
	"io"
	"time"

	"github.com/tarnhq/tarn/internal/sample"
)

// printReport prints what the demo built: the lake's inventory, the
// streaming stage, the shop's headline numbers, and how long each stage
// took.
func printReport(w io.Writer, inv []datasetSummary, st *streamSummary, tt *tablesSummary, bt *batchSummary, an *analyticsSummary, wh *warehouseSummary, db *dashboardSummary, url string, events []sample.Event, orders []sample.Order, timings []stageTiming) {
	fmt.Fprintf(w, "\nThe lake: s3://%s\n", demoBucket)
	fmt.Fprintf(w, "  %-12s %10s %6s %8s %10s\n", "dataset", "partitions", "files", "rows", "size")
	for _, ds := range inv {
		fmt.Fprintf(w, "  %-12s %10d %6d %8d %10s\n", ds.name, len(ds.partitions), ds.files, ds.rows, humanBytes(ds.bytes))
	}
	fmt.Fprintf(w, "  (the raw zone's bulk path: PutObject uploads of JSON lines)\n")
	printStreaming(w, st)
	printTables(w, tt)
	printBatch(w, bt)
	printAnalytics(w, an)
	printWarehouse(w, wh)
	printDashboard(w, db, url)

	sessions := map[string]bool{}
	var purchases int
	for _, e := range events {
		sessions[e.SessionID] = true
		if e.Type == "purchase" {
			purchases++
		}
	}
	var revenue float64
	for _, o := range orders {
		revenue += o.Total
	}
	conv := 0.0
	if len(sessions) > 0 {
		conv = 100 * float64(purchases) / float64(len(sessions))
	}
	fmt.Fprintf(w, "\nThe shop at a glance (from the raw sample):\n")
	fmt.Fprintf(w, "  %d sessions, %d orders, revenue EUR %.2f, conversion %.1f%%\n", len(sessions), len(orders), revenue, conv)

	fmt.Fprintf(w, "\nStages:\n")
	var total time.Duration
	for _, t := range timings {
		fmt.Fprintf(w, "  %-13s %8s\n", t.name, t.took.Round(time.Millisecond))
		total += t.took
	}
	fmt.Fprintf(w, "  %-13s %8s\n", "total", total.Round(time.Millisecond))
	fmt.Fprintf(w, "\nNext: 'tarn demo --serve' keeps it running with the dashboard in the browser; 'tarn demo --print-stack > tarn.yaml && tarn serve'\n")
	fmt.Fprintf(w, "builds the same pipeline on a tarn of your own; 'eval \"$(tarn env)\"; aws s3 ls' explores it.\n")
}

// printStreaming prints the streaming stage's numbers.
func printStreaming(w io.Writer, st *streamSummary) {
	fmt.Fprintf(w, "\nStreaming: Kinesis %s (%d shards) -> Firehose %s -> s3://%s/%s\n",
		demoStream, demoShards, demoDelivery, demoBucket, streamDataPfx)
	rate := 0.0
	if st.putTook > 0 {
		rate = float64(st.records) / st.putTook.Seconds()
	}
	fmt.Fprintf(w, "  records in   %d clickstream events, %d PutRecords calls (<= %d each, partition key = session id)\n",
		st.records, st.calls, putBatch)
	fmt.Fprintf(w, "  throughput   %.0f records/s put (%s)\n", rate, st.putTook.Round(time.Millisecond))
	fmt.Fprintf(w, "  lake out     %d files, %s, %d dt= partitions, each event exactly once\n",
		st.files, humanBytes(st.bytes), st.parts)
	fmt.Fprintf(w, "               (Parquet with the columns of the Glue table %s.%s)\n", demoDatabase, demoLiveTable)
	fmt.Fprintf(w, "  end to end   %s from the first put to the last record readable in the lake\n",
		st.endToEnd.Round(time.Millisecond))
}
