package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/tarnhq/tarn/internal/stack"
)

// dashboardsClient is the stack's DashboardAPI over tarn's SigV4-signed
// /_tarn/api/dashboards (dashboards as code, from any process).
type dashboardsClient struct {
	endpoint string
	cfg      aws.Config
	http     *http.Client
}

var _ stack.DashboardAPI = (*dashboardsClient)(nil)

// withDashboards adds the dashboards API of the tarn at cfg's endpoint.
func withDashboards(c stack.Clients, cfg aws.Config) stack.Clients {
	c.Dashboards = &dashboardsClient{endpoint: strings.TrimRight(aws.ToString(cfg.BaseEndpoint), "/"), cfg: cfg,
		http: &http.Client{Timeout: 30 * time.Second}}
	return c
}

func (d *dashboardsClient) GetDashboard(ctx context.Context, name string) (stack.Dashboard, bool, error) {
	var out stack.Dashboard
	status, body, err := d.call(ctx, http.MethodGet, name, nil)
	switch {
	case err != nil:
		return out, false, err
	case status == http.StatusNotFound:
		return out, false, nil
	case status != http.StatusOK:
		return out, false, fmt.Errorf("get dashboard %s: %d %s", name, status, body)
	}
	return out, true, json.Unmarshal(body, &out)
}

func (d *dashboardsClient) PutDashboard(ctx context.Context, db stack.Dashboard) error {
	b, err := json.Marshal(db)
	if err != nil {
		return err
	}
	status, body, err := d.call(ctx, http.MethodPut, db.Name, b)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("put dashboard %s: %d %s", db.Name, status, body)
	}
	return err
}

// call sends one signed request and returns the status and body.
func (d *dashboardsClient) call(ctx context.Context, method, name string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, d.endpoint+"/_tarn/api/dashboards/"+url.PathEscape(name), bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	creds, err := d.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return 0, nil, err
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "tarn", d.cfg.Region, time.Now()); err != nil {
		return 0, nil, err
	}
	resp, err := d.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, b, err
}
