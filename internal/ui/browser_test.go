package ui_test

// Browser tests: the console in real headless Chromium, driven with
// chromedp, against the whole platform in-process (tarntest). They run only
// with TARN_BROWSER=1 (compat/ui.sh sets it), so `go test ./...` needs no
// browser. Screenshots go to $TARN_ARTIFACTS, else a temporary directory.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gltypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/chromedp/chromedp"

	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/tarntest"
	"github.com/tarnhq/tarn/internal/ui"
)

// browserEnv is a platform, the console mounted in front of it, and a tab.
type browserEnv struct {
	env       *tarntest.Env
	svc       *ui.Service
	url       string // the console's base URL, .../_tarn/ui/
	ctx       context.Context
	artifacts string
	mu        sync.Mutex
	console   []string // console errors and exceptions
}

func startBrowser(t *testing.T) *browserEnv {
	t.Helper()
	if os.Getenv("TARN_BROWSER") != "1" {
		t.Skip("browser test: set TARN_BROWSER=1 (compat/ui.sh does) to run it in headless Chromium")
	}
	env := tarntest.Start(t)
	// A test server mounts its own console, with a fake Preview seam and the
	// platform (through a reverse proxy, Host kept) as its Upstream.
	target, _ := url.Parse(env.Endpoint)
	upstream := httputil.NewSingleHostReverseProxy(target)
	db, err := kv.Open(t.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc, err := ui.New(ui.Options{Upstream: upstream, Meta: db.Space("ui/"), Region: env.Config.Region, Preview: fakePreview,
		Secret: func(ak string) (string, bool) {
			if ak == env.Config.AccessKey {
				return env.Config.SecretKey, true
			}
			return "", false
		}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(ui.Prefix, svc.Handler())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	dir := os.Getenv("TARN_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, t.Name())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx := newChrome(t, 1366, 900)
	b := &browserEnv{env: env, svc: svc, url: srv.URL + ui.Prefix, ctx: ctx, artifacts: dir}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.Type != chromedp.ConsoleError && m.Type != chromedp.ConsoleException {
				continue
			}
			// The page's first probe of api/session answers 401 before sign-in.
			if m.Source == "network" && strings.Contains(m.Text, "401") {
				continue
			}
			b.mu.Lock()
			b.console = append(b.console, fmt.Sprintf("%s %s:%d %s", m.Type, m.URL, m.Line+1, m.Text))
			b.mu.Unlock()
		}
	}()
	t.Logf("screenshots in %s", dir)
	return b
}

// fakePreview stands in for the platform's DuckDB preview: objects whose
// key ends in .parquet read as a fixed three-column table, others fail.
func fakePreview(_ context.Context, bucket, key string, limit int) (ui.Preview, error) {
	if !strings.HasSuffix(key, ".parquet") {
		return ui.Preview{}, fmt.Errorf("%w: %s is not Parquet", ui.ErrNoPreview, key)
	}
	p := ui.Preview{Columns: []string{"id", "kind", "amount"}, Types: []string{"BIGINT", "VARCHAR", "DOUBLE"}}
	for i := range min(limit, 3) {
		p.Rows = append(p.Rows, []any{i + 1, []string{"view", "buy", "view"}[i], float64(i) + 0.5})
	}
	return p, nil
}

// newChrome starts headless Chromium (TARN_CHROMIUM, else the first found
// on PATH) with a w x h window; it stops with the test.
func newChrome(t *testing.T, w, h int) context.Context {
	t.Helper()
	chrome := os.Getenv("TARN_CHROMIUM")
	for _, c := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if chrome != "" {
			break
		}
		if p, err := exec.LookPath(c); err == nil {
			chrome = p
		}
	}
	if chrome == "" {
		t.Fatal("TARN_BROWSER=1 but no chromium found (apt-get install -y chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(w, h), chromedp.UserDataDir(t.TempDir()))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil { // start the browser with no deadline
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// evalString evaluates a JavaScript expression that yields a string.
func evalString(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

// do runs steps with a deadline, failing the test on error.
func (b *browserEnv) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.shot(t, "failed-"+strings.ReplaceAll(what, " ", "-"))
		t.Fatalf("%s: %v", what, err)
	}
}

// wait polls a JavaScript predicate until it is truthy.
func wait(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(45*time.Second))
}

func js(expr string) chromedp.Action[chromedp.Void] { return chromedp.Evaluate[chromedp.Void](expr) }

func (b *browserEnv) eval(t *testing.T, expr string) string {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		t.Fatalf("eval %s: %v", expr, err)
	}
	return v
}

func (b *browserEnv) shot(t *testing.T, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	_ = os.WriteFile(filepath.Join(b.artifacts, name+".png"), png, 0o644)
}

// checkClean fails on console errors and error toasts seen so far.
func (b *browserEnv) checkClean(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.console {
		t.Errorf("console: %s", m)
	}
	if errs := b.eval(t, `JSON.stringify(window.__tarnErrors || [])`); errs != "[]" {
		t.Errorf("error toasts: %s", errs)
	}
}

func (b *browserEnv) signIn(t *testing.T) {
	t.Helper()
	b.do(t, "sign in",
		chromedp.Navigate(b.url),
		chromedp.WaitVisible(chromedp.ID("access_key")),
		chromedp.SendKeys(chromedp.ID("access_key"), b.env.Config.AccessKey),
		chromedp.SendKeys(chromedp.ID("secret_key"), b.env.Config.SecretKey),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("whoami")))
}

// seedLake writes three days of JSON events under lake/events/ and crawls
// them into the Glue table shop.events.
func seedLake(t *testing.T, env *tarntest.Env) {
	t.Helper()
	ctx := t.Context()
	s3c, gl := env.S3(), env.Glue()
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		t.Fatal(err)
	}
	for d := 1; d <= 3; d++ {
		putEvents(t, env, fmt.Sprintf("events/dt=2024-01-0%d/part-0.json", d), d*100, 10)
	}
	if _, err := gl.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &gltypes.DatabaseInput{Name: aws.String("shop")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := gl.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("raw"), Role: aws.String("arn:aws:iam::000000000000:role/crawler"),
		DatabaseName: aws.String("shop"), Targets: &gltypes.CrawlerTargets{S3Targets: []gltypes.S3Target{{Path: aws.String("s3://lake/events/")}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := gl.StartCrawler(ctx, &glue.StartCrawlerInput{Name: aws.String("raw")}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(60 * time.Second); ; {
		c, err := gl.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("raw")})
		if err != nil {
			t.Fatal(err)
		}
		if c.Crawler.State == gltypes.CrawlerStateReady && c.Crawler.LastCrawl != nil {
			if c.Crawler.LastCrawl.Status != gltypes.LastCrawlStatusSucceeded {
				t.Fatalf("crawl: %s", aws.ToString(c.Crawler.LastCrawl.ErrorMessage))
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("crawler did not finish")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func putEvents(t *testing.T, env *tarntest.Env, key string, base, n int) {
	t.Helper()
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, `{"id":%d,"kind":"%s","amount":%d.5}`+"\n", base+i, []string{"view", "buy"}[i%2], i)
	}
	if _, err := env.S3().PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String(key), Body: bytes.NewReader(b.Bytes())}); err != nil {
		t.Fatal(err)
	}
}
