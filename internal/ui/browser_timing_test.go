package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tarnhq/tarn/internal/ui"
)

// TestBrowserDashboardTiming opens a six-tile dashboard by a full page
// load and measures the time until every tile has drawn (the page's
// window.__tarnDashboardReady). It logs the time and writes it to
// $TARN_ARTIFACTS/dashboard-timing.txt; it never fails on it.
func TestBrowserDashboardTiming(t *testing.T) {
	b := startBrowser(t)
	seedLake(t, b.env)
	sql := "SELECT dt, kind, count(*) AS n, sum(amount) AS total FROM events GROUP BY dt, kind ORDER BY dt, kind"
	var tiles []ui.Tile
	for i, c := range []string{"kpi", "kpi", "line", "stacked_bar", "pie", "table"} {
		tiles = append(tiles, ui.Tile{ID: fmt.Sprintf("t%d", i), Title: c, Chart: c, Database: "shop", SQL: sql,
			X: "dt", Y: map[bool][]string{true: {"total"}, false: {"n"}}[c == "kpi"], Series: map[bool]string{true: "kind"}[c == "stacked_bar"],
			Layout: ui.Layout{X: (i % 3) * 4, Y: (i / 3) * 4, W: 4, H: 4}})
	}
	if err := b.svc.PutDashboard(t.Context(), ui.Dashboard{Name: "six", Title: "Six tiles", Tiles: tiles}); err != nil {
		t.Fatal(err)
	}
	b.signIn(t)
	var times []string
	for i := range 3 { // the first load warms the engine's caches
		b.do(t, "leave the console", chromedp.Navigate("about:blank")) // so the next load is a full page load
		start := time.Now()
		b.do(t, "open the dashboard",
			chromedp.Navigate(b.url+"#/dashboards/six"),
			wait(`window.__tarnDashboardReady && window.__tarnDashboardReady.name === 'six'`))
		wall := time.Since(start)
		page := b.eval(t, `String(Math.round(window.__tarnDashboardReady.ms))`)
		if n := b.eval(t, `String(document.querySelectorAll('[data-tile][data-rendered=ok]').length)`); n != "6" {
			t.Errorf("load %d: %s of 6 tiles rendered", i+1, n)
		}
		times = append(times, fmt.Sprintf("load %d: %d ms wall (navigate to all tiles drawn), %s ms page (navigation start to ready)", i+1, wall.Milliseconds(), page))
	}
	b.shot(t, "dashboard-six")
	report := "dashboard with 6 tiles (2 kpi, line, stacked_bar, pie, table), 60 rows of JSON over Athena:\n" + strings.Join(times, "\n") + "\n"
	t.Logf("%s", report)
	if dir := os.Getenv("TARN_ARTIFACTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "dashboard-timing.txt"), []byte(report), 0o644)
	}
	b.checkClean(t)
}

// TestBrowserReadmeScreenshot writes the README's screenshot: it signs in
// to a running tarn (TARN_SCREENSHOT_URL, e.g. http://127.0.0.1:4566, with
// TARN_SCREENSHOT_KEY / TARN_SCREENSHOT_SECRET), opens the demo's
// shop-decisions dashboard at 1280x800 in the light theme, waits for every
// tile and saves a PNG to $TARN_SCREENSHOT. Skipped unless TARN_BROWSER=1
// and TARN_SCREENSHOT are set.
func TestBrowserReadmeScreenshot(t *testing.T) {
	out := os.Getenv("TARN_SCREENSHOT")
	if out == "" || os.Getenv("TARN_BROWSER") != "1" {
		t.Skip("set TARN_BROWSER=1 and TARN_SCREENSHOT=out.png (with TARN_SCREENSHOT_URL, _KEY, _SECRET) to take the README screenshot")
	}
	base, key, secret := os.Getenv("TARN_SCREENSHOT_URL"), os.Getenv("TARN_SCREENSHOT_KEY"), os.Getenv("TARN_SCREENSHOT_SECRET")
	if base == "" || key == "" || secret == "" {
		t.Fatal("TARN_SCREENSHOT_URL, TARN_SCREENSHOT_KEY and TARN_SCREENSHOT_SECRET are required")
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		t.Fatalf("TARN_SCREENSHOT_URL %q: %v", base, err)
	}
	console := u.Scheme + "://" + u.Host + ui.Prefix
	// Check the credentials first, for a clear failure.
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.PostForm(console+"api/signin", url.Values{"access_key": {key}, "secret_key": {secret}})
	if err != nil {
		t.Fatalf("sign in to %s: %v", console, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusOK {
		t.Fatalf("sign in to %s: HTTP %d", console, resp.StatusCode)
	}

	ctx := newChrome(t, 1280, 800)
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
		if err := chromedp.Do(c, steps...); err != nil {
			state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({hash: location.hash, theme: document.documentElement.dataset.theme,
				ready: window.__tarnDashboardReady, tiles: [...document.querySelectorAll('[data-tile]')].map(e => e.dataset.tile + ':' + (e.dataset.rendered || 'pending')),
				errors: window.__tarnErrors || []})`))
			t.Fatalf("%s: %v (page: %s)", what, err, state)
		}
	}
	run("sign in",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(console),
		chromedp.WaitVisible(chromedp.ID("access_key")),
		js(`localStorage.setItem('tarn-ui-settings', JSON.stringify({theme: 'light'}))`),
		chromedp.SendKeys(chromedp.ID("access_key"), key),
		chromedp.SendKeys(chromedp.ID("secret_key"), secret),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("whoami")))
	run("open the dashboard",
		chromedp.Navigate("about:blank"), // a full page load applies the theme
		chromedp.Navigate(console+"#/dashboards/shop-decisions"),
		wait(`window.__tarnDashboardReady && window.__tarnDashboardReady.name === 'shop-decisions'`),
		wait(`document.documentElement.dataset.theme === 'light'`))
	if failed := evalString(t, ctx, `[...document.querySelectorAll('[data-tile][data-rendered=error]')].map(e => e.dataset.tile + ': ' + e.textContent).join('; ')`); failed != "" {
		t.Fatalf("tiles failed: %s", failed)
	}
	n := evalString(t, ctx, `String(window.__tarnDashboardReady.tiles) + ' tiles in ' + Math.round(window.__tarnDashboardReady.ms) + ' ms'`)
	// Let ECharts finish its entry animation before the capture.
	run("settle", chromedp.Sleep(1500*time.Millisecond))
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(c, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes): %s", out, len(png), n)
}
