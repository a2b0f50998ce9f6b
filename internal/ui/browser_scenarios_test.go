package ui_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gltypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lmtypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/tarnhq/tarn/internal/ui"
)

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string { return fmt.Sprintf("%q", s) }

// clickText clicks the first element matching css whose text is text.
func clickText(css, text string) chromedp.Action[chromedp.Void] {
	return js(fmt.Sprintf(`[...document.querySelectorAll(%s)].find(e => e.textContent.trim() === %s).click()`, jsString(css), jsString(text)))
}

// hasText waits for an element matching css to contain every text.
func hasText(css string, texts ...string) chromedp.Action[chromedp.Void] {
	conds := []string{}
	for _, s := range texts {
		conds = append(conds, fmt.Sprintf(`e.textContent.includes(%s)`, jsString(s)))
	}
	return wait(fmt.Sprintf(`[...document.querySelectorAll(%s)].some(e => %s)`, jsString(css), strings.Join(conds, " && ")))
}

// setField sets an input, select or textarea and fires its events.
func setField(id, value string) chromedp.Action[chromedp.Void] {
	return js(fmt.Sprintf(`(() => { const e = document.getElementById(%s); e.value = %s;
		e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); })()`, jsString(id), jsString(value)))
}

func TestBrowserSignInRefusesBadSecret(t *testing.T) {
	b := startBrowser(t)
	b.do(t, "bad sign in",
		chromedp.Navigate(b.url),
		chromedp.WaitVisible(chromedp.ID("access_key")),
		chromedp.SendKeys(chromedp.ID("access_key"), b.env.Config.AccessKey),
		chromedp.SendKeys(chromedp.ID("secret_key"), "not-the-secret"),
		chromedp.Click(chromedp.ID("signin")),
		hasText("#signin-error", "not valid"))
	b.shot(t, "signin-refused")
	if got := b.eval(t, `String(document.getElementById('whoami') === null)`); got != "true" {
		t.Errorf("console shown after a refused sign-in")
	}
}

// TestBrowserConsole signs in, browses the lake and the catalog, runs a
// query, builds a dashboard whose tiles refresh when new data lands, tails
// a stream, and checks the theme toggle, the phone layout and that the
// page logged no errors.
func TestBrowserConsole(t *testing.T) {
	b := startBrowser(t)
	seedLake(t, b.env)
	b.signIn(t)
	b.shot(t, "01-signed-in")
	b.do(t, "settings",
		chromedp.Click(chromedp.ID("settings")),
		chromedp.WaitVisible(chromedp.ID("setting-athenaOutput")),
		setField("setting-athenaOutput", "s3://ui-results/queries/"),
		chromedp.Click(chromedp.ID("settings-save")),
		wait(`JSON.parse(localStorage.getItem('tarn-ui-settings')).athenaOutput === 's3://ui-results/queries/'`))

	b.do(t, "browse the lake",
		js(`location.hash = '#/lake'`),
		hasText("#buckets", "lake"),
		clickText("#buckets a", "lake"),
		hasText("#objects", "events/"),
		clickText("#objects a", "events/"),
		hasText("#objects", "dt=2024-01-01/"),
		clickText("#objects a", "dt=2024-01-01/"),
		hasText("#objects", "part-0.json"),
		clickText("#objects a", "part-0.json"),
		hasText("#preview .vgrid", "kind", "amount", "buy", "100"))
	b.shot(t, "02-lake-preview")

	b.do(t, "browse the catalog",
		js(`location.hash = '#/catalog'`),
		hasText("#databases", "shop"),
		clickText("#databases li", "shop"),
		hasText("#glue-tables", "events"),
		js(`[...document.querySelectorAll('#glue-tables li')].find(e => e.textContent.startsWith('events')).click()`),
		hasText("#columns", "amount", "kind", "dt", "partition"),
		hasText("#versions", "v0"),
		hasText("#crawlers", "raw", "READY", "SUCCEEDED"))
	b.shot(t, "03-catalog")
	before, err := b.env.Glue().GetCrawler(t.Context(), &glue.GetCrawlerInput{Name: aws.String("raw")})
	if err != nil {
		t.Fatal(err)
	}
	b.do(t, "start a crawler", js(`[...document.querySelectorAll('#crawlers tbody tr')].find(r => r.textContent.includes('raw')).querySelector('button').click()`))
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		c, err := b.env.Glue().GetCrawler(t.Context(), &glue.GetCrawlerInput{Name: aws.String("raw")})
		if err != nil {
			t.Fatal(err)
		}
		if lc := c.Crawler.LastCrawl; lc != nil && c.Crawler.State == gltypes.CrawlerStateReady && lc.StartTime.After(*before.Crawler.LastCrawl.StartTime) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the crawler started from the console never ran")
		}
	}

	const q = "SELECT kind, count(*) AS n, sum(amount) AS total FROM events GROUP BY kind ORDER BY kind"
	b.do(t, "run a query",
		js(`location.hash = '#/sql'`),
		chromedp.WaitVisible(chromedp.ID("sql")),
		wait(`[...document.querySelectorAll('#database option')].some(o => o.value === 'shop')`),
		setField("database", "shop"),
		setField("sql", ""),
		chromedp.SendKeys(chromedp.ID("sql"), q),
		chromedp.Click(chromedp.ID("run")),
		wait(`document.getElementById('status').className === 'ok'`),
		hasText("#results", "kind", "total", "buy", "15", "82.5", "view", "67.5"))
	if got := b.eval(t, `document.getElementById('sql').value`); got != q {
		t.Errorf("editor holds %q", got)
	}
	b.shot(t, "04-workbench")
	// The first query created the results bucket the settings name, and
	// Athena wrote its results there.
	if out, err := b.env.S3().ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("ui-results"), Prefix: aws.String("queries/")}); err != nil || len(out.Contents) == 0 {
		t.Errorf("results bucket: %v %+v", err, out)
	}
	b.do(t, "complete a catalog name",
		setField("sql", ""),
		chromedp.SendKeys(chromedp.ID("sql"), "SELECT amount FROM eve"),
		hasText(".complete", "events"),
		chromedp.KeyEvent("\t"),
		wait(`document.getElementById('sql').value === 'SELECT amount FROM events'`))
	b.do(t, "a large result is virtualized",
		setField("sql", "SELECT x, x * 2 AS y FROM UNNEST(sequence(1, 5000)) AS t(x) ORDER BY x"),
		chromedp.Click(chromedp.ID("run")),
		wait(`document.getElementById('status').className === 'ok' && document.getElementById('status').textContent.startsWith('5000 rows')`),
		wait(`document.querySelectorAll('#results .vrow').length > 10 && document.querySelectorAll('#results .vrow').length < 200`),
		js(`document.getElementById('results').scrollTop = 26 * 4000`),
		hasText("#results", "4001", "8002"))
	b.do(t, "the warehouse engine",
		setField("engine", "warehouse"),
		setField("sql", "SELECT 40 + 2 AS answer"),
		chromedp.Click(chromedp.ID("run")),
		wait(`document.getElementById('status').className !== '' && !document.getElementById('run').disabled`),
		hasText("#results", "answer", "42"),
		setField("engine", "athena"))
	b.do(t, "cancel a long query",
		setField("sql", "SELECT count(*) FROM UNNEST(sequence(1, 200000)) AS a(x) CROSS JOIN UNNEST(sequence(1, 200000)) AS b(y) WHERE x + y < 0"),
		chromedp.Click(chromedp.ID("run")),
		wait(`!document.getElementById('cancel').disabled`),
		chromedp.Click(chromedp.ID("cancel")),
		wait(`document.getElementById('status').className === 'error' && document.getElementById('status').textContent.includes('cancelled')`))
	b.do(t, "explain",
		chromedp.Click(chromedp.ID("explain")),
		wait(`document.getElementById('status').className === 'ok' && !document.getElementById('run').disabled`))
	b.do(t, "a failing query shows its error",
		setField("sql", "SELECT no_such_column FROM events"),
		chromedp.Click(chromedp.ID("run")),
		wait(`document.getElementById('status').className === 'error'`))
	b.do(t, "save a query (Athena named query)",
		setField("sql", q),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.ID("saved-name")),
		chromedp.SendKeys(chromedp.ID("saved-name"), "by-kind"),
		chromedp.Click(chromedp.ID("save-query")),
		clickText(".tabs button", "Saved"),
		hasText("#saved", "by-kind", "shop", "GROUP BY kind"))
	b.do(t, "query history", js(`location.hash = '#/history'`), hasText("#history", "SUCCEEDED", "FAILED", "CANCELLED", "no_such_column"))

	b.do(t, "create a dashboard",
		js(`location.hash = '#/dashboards'`),
		chromedp.WaitVisible(chromedp.ID("new-dashboard")),
		chromedp.Click(chromedp.ID("new-dashboard")),
		chromedp.WaitVisible(chromedp.ID("dashboard-name")),
		chromedp.SendKeys(chromedp.ID("dashboard-name"), "shop"),
		chromedp.SendKeys(chromedp.ID("dashboard-title"), "Shop events"),
		chromedp.Click(chromedp.ID("create-dashboard")),
		chromedp.WaitVisible(chromedp.ID("add-tile")),
		hasText("#filters", "period"))
	addTile := func(title, chart, sql string) {
		b.do(t, "add tile "+title,
			chromedp.Click(chromedp.ID("add-tile")),
			chromedp.WaitVisible(chromedp.ID("tile-title")),
			setField("tile-title", title),
			setField("tile-database", "shop"),
			setField("tile-chart", chart),
			setField("tile-refresh", "5"),
			setField("tile-sql", sql),
			chromedp.Click(chromedp.ID("tile-preview")),
			hasText("dialog", "columns:"),
			chromedp.Click(chromedp.ID("tile-save")))
	}
	addTile("By kind", "bar", "SELECT kind, count(*) AS n FROM events GROUP BY kind ORDER BY kind")
	b.do(t, "bar tile draws", wait(`document.querySelector('[data-tile] canvas') !== null`), hasText("[data-tile] .tstatus", "2 rows"))
	addTile("Events", "kpi", "SELECT count(*) AS events FROM events")
	kpi := `[...document.querySelectorAll('[data-tile]')].find(e => e.textContent.includes('Events'))?.querySelector('.kpi .value')?.textContent`
	b.do(t, "kpi tile shows the count", wait(kpi+` === '30'`))
	b.shot(t, "05-dashboard")

	// New data lands in the lake; the tiles' 5 s refresh picks it up.
	putEvents(t, b.env, "events/dt=2024-01-01/part-1.json", 900, 10)
	b.do(t, "kpi tile refreshes with new data", wait(kpi+` === '40'`))
	b.shot(t, "06-dashboard-refreshed")

	// Filters: the date range and a dropdown fed by a query, substituted
	// into tile SQL as quoted literals.
	filters := `[{"name":"period","type":"date_range","default":"30d"},` +
		`{"name":"kind","type":"dropdown","query":"SELECT DISTINCT kind FROM events ORDER BY 1","database":"shop"}]`
	b.do(t, "edit the filters",
		chromedp.Click(chromedp.ID("edit-filters")),
		chromedp.WaitVisible(chromedp.ID("filters-json")),
		setField("filters-json", filters),
		chromedp.Click(chromedp.ID("filters-save")),
		wait(`[...document.querySelectorAll('select[data-filter=kind] option')].map(o => o.value).join() === ',buy,view'`))
	addTile("In range", "kpi", "SELECT count(*) AS n FROM events WHERE dt BETWEEN {{start}} AND {{end}} AND ({{kind}} IS NULL OR kind = {{kind}})")
	rangeKPI := `[...document.querySelectorAll('[data-tile]')].find(e => e.textContent.includes('In range'))?.querySelector('.kpi')?.textContent`
	b.do(t, "range kpi", wait(rangeKPI+`?.startsWith('0n')`))
	setDate := func(name, v string) chromedp.Action[chromedp.Void] {
		return js(fmt.Sprintf(`(() => { const e = document.querySelector('input[data-filter=%s]'); e.value = %s; e.dispatchEvent(new Event('change')); })()`, name, jsString(v)))
	}
	// 2024-01-02 holds 10 events; the previous day (2024-01-01) now 20.
	b.do(t, "date range filter", setDate("period_start", "2024-01-02"), setDate("period_end", "2024-01-02"),
		wait(rangeKPI+` === '10n▼ 50.0% vs previous period'`))
	b.do(t, "dropdown filter",
		js(`(() => { const e = document.querySelector('select[data-filter=kind]'); e.value = 'buy'; e.dispatchEvent(new Event('change')); })()`),
		wait(rangeKPI+` === '5n▼ 50.0% vs previous period'`))
	b.shot(t, "06b-dashboard-filters")

	// Edit mode: drag the "In range" tile by its header, then resize it.
	rect := func(sel string) (x, y float64) {
		var r struct{ X, Y float64 }
		v, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](fmt.Sprintf(`(() => { const e = [...document.querySelectorAll('[data-tile]')].find(e => e.textContent.includes('In range')).querySelector(%s).getBoundingClientRect(); return {X: e.x + e.width / 2, Y: e.y + e.height / 2}; })()`, jsString(sel))))
		if err != nil || json.Unmarshal(v, &r) != nil {
			t.Fatalf("tile rect %s: %v %s", sel, err, v)
		}
		return r.X, r.Y
	}
	drag := func(what, sel string, dx, dy float64) {
		x, y := rect(sel)
		steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, chromedp.ButtonLeft)}
		for i := 1; i <= 5; i++ {
			steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x+dx*float64(i)/5, y+dy*float64(i)/5, chromedp.ButtonLeft))
		}
		steps = append(steps, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x+dx, y+dy, chromedp.ButtonLeft))
		b.do(t, what, steps...)
	}
	colW := b.eval(t, `String((document.getElementById('dgrid').getBoundingClientRect().width - 110) / 12 + 10)`)
	var cw float64
	fmt.Sscan(colW, &cw)
	b.do(t, "edit layout", chromedp.Click(chromedp.ID("edit-layout")), wait(`document.getElementById('dgrid').classList.contains('editing')`))
	// It sits at x 9, y 0 (3 x 2, the first free slot); move it to x 0, y 4.
	drag("drag a tile", ".title", -9*cw, 4*74)
	drag("resize a tile", ".resize", cw, 74)
	b.do(t, "layout saved",
		chromedp.Click(chromedp.ID("edit-layout")),
		js(`window.__dash = null; fetch('api/dashboards/shop').then(r => r.json()).then(d => { window.__dash = d; })`),
		wait(`window.__dash`))
	if got := b.eval(t, `JSON.stringify(window.__dash.tiles.map(t => t.layout))`); got != `[{"x":0,"y":0,"w":6,"h":4},{"x":6,"y":0,"w":3,"h":2},{"x":0,"y":4,"w":4,"h":3}]` {
		t.Errorf("layouts after drag and resize: %s", got)
	}
	b.shot(t, "06c-dashboard-layout")

	b.do(t, "the dashboard is stored",
		js(`window.__dash = null; fetch('api/dashboards/shop').then(r => r.json()).then(d => { window.__dash = d; })`),
		wait(`window.__dash && window.__dash.tiles.length === 3 && window.__dash.filters[1].type === 'dropdown' && window.__dash.tiles[0].refresh_seconds === 5 && window.__dash.filters[0].type === 'date_range'`))
	b.do(t, "reload keeps the session and the dashboard",
		chromedp.Navigate(b.url+"#/dashboards/shop"),
		wait(`document.querySelectorAll('[data-tile]').length === 3`),
		wait(kpi+` === '40'`))

	dark := b.eval(t, `String(matchMedia('(prefers-color-scheme: dark)').matches)`)
	b.do(t, "toggle the theme", chromedp.Click(chromedp.ID("theme-toggle")),
		wait(`document.documentElement.dataset.theme === `+map[string]string{"true": "'light'", "false": "'dark'"}[dark]),
		wait(`document.querySelector('[data-tile] canvas') !== null`))
	b.shot(t, "07-dashboard-theme")
	b.do(t, "phone width", chromedp.EmulateViewport(390, 844),
		wait(`getComputedStyle(document.querySelector('.nav')).display === 'none'`),
		wait(`(() => { const g = document.getElementById('dgrid').getBoundingClientRect(); const t = document.querySelector('[data-tile]').getBoundingClientRect(); return t.width > g.width - 4; })()`),
		wait(`(() => { const r = [...document.querySelectorAll('[data-tile]')].map(e => e.getBoundingClientRect()).sort((a, b) => a.top - b.top);
			return r.every((x, i) => i === 0 || x.top >= r[i - 1].bottom - 1); })()`))
	b.shot(t, "08-dashboard-phone")
	b.do(t, "laptop width", chromedp.EmulateViewport(1366, 900))

	// A stream: live tail shows a record put after the tail started.
	kc := b.env.Kinesis()
	if _, err := kc.CreateStream(t.Context(), &kinesis.CreateStreamInput{StreamName: aws.String("clicks"), ShardCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	if err := kinesis.NewStreamExistsWaiter(kc).Wait(t.Context(), &kinesis.DescribeStreamInput{StreamName: aws.String("clicks")}, 30e9); err != nil {
		t.Fatal(err)
	}
	b.do(t, "open the stream",
		js(`location.hash = '#/streams'`),
		hasText("#streams", "clicks"),
		clickText("#streams li", "clicks"),
		hasText("#main", "shardId-000000000000", "ACTIVE"),
		chromedp.Click(chromedp.ID("tail-toggle")),
		hasText("#tail-toggle", "Stop"))
	// The tail's iterators are LATEST as of the click; keep putting until
	// one put lands after them (each poll is ~1 s).
	for i := 0; ; i++ {
		if _, err := kc.PutRecord(t.Context(), &kinesis.PutRecordInput{StreamName: aws.String("clicks"), PartitionKey: aws.String("k"), Data: []byte(`{"click":"hello"}`)}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.eval(t, `document.getElementById('tail').textContent`), `{"click":"hello"}`) {
			break
		}
		if i > 60 {
			t.Fatal("live tail never showed a record")
		}
		b.do(t, "pause", chromedp.Sleep(500e6))
	}
	// The tail measures the incoming rate: records were put, so it turns
	// non-zero by the end of the poll that showed one.
	for i := 0; ; i++ {
		r := b.eval(t, `document.getElementById('stream-rate').textContent`)
		if strings.HasPrefix(r, "Incoming: ") && !strings.HasPrefix(r, "Incoming: 0.0 ") {
			break
		}
		if i > 20 {
			t.Fatalf("stream rate after puts: %q", r)
		}
		b.do(t, "pause", chromedp.Sleep(250e6))
	}
	b.shot(t, "09-stream-tail")
	b.do(t, "stop the tail", chromedp.Click(chromedp.ID("tail-toggle")), hasText("#tail-toggle", "Start"))

	// DynamoDB: scan and query a table.
	ctx := t.Context()
	dc := b.env.DynamoDB()
	if _, err := dc.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("users"), BillingMode: ddbtypes.BillingModePayPerRequest,
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: ddbtypes.KeyTypeHash}}}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"ada", "grace"} {
		if _, err := dc.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("users"), Item: map[string]ddbtypes.AttributeValue{
			"id": &ddbtypes.AttributeValueMemberS{Value: u}, "logins": &ddbtypes.AttributeValueMemberN{Value: "7"}}}); err != nil {
			t.Fatal(err)
		}
	}
	b.do(t, "scan a table",
		js(`location.hash = '#/dynamodb'`),
		hasText("#tables", "users"),
		clickText("#tables li", "users"),
		hasText("#main .vgrid", "id", "logins", "ada", "grace"),
		hasText("#main", "2 items"))
	b.do(t, "query a table",
		js(`(() => { const e = document.querySelector('#main input[placeholder^="id"]'); e.value = 'grace'; })()`),
		clickText("#main button", "Query"),
		hasText("#main", "1 items"))
	b.shot(t, "10-dynamodb")

	// Lambda: configuration and a synchronous invoke with the log tail.
	if _, err := exec.LookPath("python3"); err == nil {
		var zbuf bytes.Buffer
		zw := zip.NewWriter(&zbuf)
		w, _ := zw.Create("echo.py")
		w.Write([]byte("def handler(event, context):\n    print('echo log line')\n    return {'echo': event}\n"))
		zw.Close()
		lc := b.env.Lambda()
		if _, err := lc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("echo"), Runtime: lmtypes.RuntimePython312,
			Handler: aws.String("echo.handler"), Role: aws.String("arn:aws:iam::000000000000:role/lambda"), Code: &lmtypes.FunctionCode{ZipFile: zbuf.Bytes()}}); err != nil {
			t.Fatal(err)
		}
		if err := lambda.NewFunctionActiveV2Waiter(lc).Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("echo")}, 30*time.Second); err != nil {
			t.Fatal(err)
		}
		b.do(t, "invoke a function",
			js(`location.hash = '#/lambda'`),
			hasText("#functions", "echo"),
			js(`[...document.querySelectorAll('#functions li')].find(e => e.textContent.startsWith('echo')).click()`),
			hasText("#main", "python3.12", "echo.handler"),
			setField("payload", `{"n": 1}`),
			chromedp.Click(chromedp.ID("invoke")),
			hasText("#invoke-result", `"echo"`, `"n": 1`, "echo log line"))
		b.shot(t, "11-lambda")
	}

	// Every chart type, from a dashboard written through the Go API.
	var tiles []ui.Tile
	for i, c := range ui.Charts {
		tiles = append(tiles, ui.Tile{ID: c, Title: c, Chart: c, Database: "shop", Series: map[bool]string{true: "kind"}[c == "heatmap" || c == "stacked_bar"],
			SQL:    "SELECT dt, kind, count(*) AS n, sum(amount) AS total FROM events GROUP BY dt, kind ORDER BY dt, kind",
			X:      map[bool]string{true: "n", false: "dt"}[c == "scatter"],
			Y:      map[bool][]string{true: {"total"}, false: {"n"}}[c == "scatter" || c == "kpi"],
			Layout: ui.Layout{X: (i % 3) * 4, Y: (i / 3) * 4, W: 4, H: 4}})
	}
	if err := b.svc.PutDashboard(ctx, ui.Dashboard{Name: "charts", Title: "Every chart", Tiles: tiles}); err != nil {
		t.Fatal(err)
	}
	b.do(t, "every chart type draws",
		js(`location.hash = '#/dashboards/charts'`),
		wait(fmt.Sprintf(`document.querySelectorAll('[data-tile]').length === %d && [...document.querySelectorAll('[data-tile]')].every(e => e.dataset.runs === '1')`, len(ui.Charts))),
		wait(`document.querySelectorAll('[data-tile] canvas').length === 7 && document.querySelector('[data-tile=table] .vgrid') && document.querySelector('[data-tile=kpi] .kpi')?.textContent === '55total'`))
	if errs := b.eval(t, `[...document.querySelectorAll('[data-tile] .error')].map(e => e.closest('[data-tile]').dataset.tile + ': ' + e.textContent).join('; ')`); errs != "" {
		t.Errorf("tiles failed: %s", errs)
	}
	b.shot(t, "12-every-chart")
	// Hover a bar: ECharts' tooltip (HTML) must render without CSP errors.
	var box struct{ X, Y float64 }
	raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]byte](`(() => { const r = document.querySelector('[data-tile=bar] canvas').getBoundingClientRect(); return {X: r.x + r.width * 0.2, Y: r.y + r.height * 0.6}; })()`))
	if err != nil || json.Unmarshal(raw, &box) != nil {
		t.Fatalf("bar chart box: %v", err)
	}
	b.do(t, "hover a chart", chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, box.X, box.Y),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, box.X+2, box.Y+2),
		wait(`[...document.querySelectorAll('[data-tile=bar] div')].some(d => d.textContent.includes('2024-01-01') && getComputedStyle(d).position === 'absolute' && d.style.display !== 'none')`))
	b.shot(t, "13-tooltip")
	// Exports: PNG (ECharts getDataURL) and CSV, caught at the link click.
	b.do(t, "export a tile",
		js(`window.__downloads = []; window.__csv = null; HTMLAnchorElement.prototype.click = function () { if (this.download) window.__downloads.push([this.download, this.href]); };
			const create = URL.createObjectURL; URL.createObjectURL = (b) => { b.text().then(t => { window.__csv = t; }); return create(b); }`),
		js(`document.querySelector('[data-tile=bar] button[title="Export PNG"]').click()`),
		js(`document.querySelector('[data-tile=table] button[title="Export CSV"]').click()`),
		wait(`window.__downloads.length === 2`),
		wait(`window.__csv !== null`))
	got := b.eval(t, `JSON.stringify([window.__downloads[0][0], window.__downloads[0][1].slice(0, 22), window.__downloads[1][0], window.__downloads[1][1].slice(0, 5), window.__csv])`)
	want := `["bar.png","data:image/png;base64,","table.csv","blob:","dt,kind,n,total\r\n2024-01-01,buy,10,55\r\n2024-01-01,view,10,45\r\n` +
		`2024-01-02,buy,5,27.5\r\n2024-01-02,view,5,22.5\r\n2024-01-03,buy,5,27.5\r\n2024-01-03,view,5,22.5\r\n"]`
	if got != want {
		t.Errorf("exports:\n got %s\nwant %s", got, want)
	}

	b.checkClean(t)
	b.do(t, "sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("access_key")))
	b.do(t, "the API refuses after sign-out",
		js(`window.__st = 0; fetch('api/dashboards').then(r => { window.__st = r.status; })`),
		wait(`window.__st === 401`))
}
