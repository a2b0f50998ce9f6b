package platform

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/jobs"
	"github.com/tarnhq/tarn/internal/request"
	"github.com/tarnhq/tarn/internal/s3"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// targetServices maps the prefix of an X-Amz-Target header to the service
// that owns it, for requests whose credential scope names no service.
var targetServices = map[string]string{
	"Kinesis_20131202":         "kinesis",
	"Firehose_20150804":        "firehose",
	"DynamoDB_20120810":        "dynamodb",
	"DynamoDBStreams_20120810": "dynamodb",
	"AWSGlue":                  "glue",
	"AmazonAthena":             "athena",
	"RedshiftData":             "redshift-data",
	"ElasticMapReduce":         "elasticmapreduce",
	"Logs_20140328":            "logs",
}

// routes is the whole HTTP surface on the one listener: tarn's own
// /_tarn/ endpoints, then every AWS API by service.
func (p *Platform) routes() http.Handler {
	s3h := p.s3.Handler()
	services := map[string]http.Handler{"kinesis": p.kinesis.Handler(), "firehose": p.firehose.Handler(),
		"dynamodb": p.dynamo.Handler(), "glue": p.glueHandler(), "athena": p.athena.Handler(),
		"redshift-data": p.warehouse.Handler(), "lambda": p.function.Handler(), "logs": p.logs.Handler(),
		"elasticmapreduce": p.emr.Handler()}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_tarn/") {
			p.serveAdmin(w, r)
			return
		}
		service := serviceOf(r)
		info := request.NewInfo(service)
		r = r.WithContext(request.With(r.Context(), info))
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		defer func() {
			p.metrics.ObserveRequest(service, info.Operation(), rec.status, time.Since(start))
		}()
		if service == "s3" {
			rec.Header().Set("x-amz-request-id", info.ID)
			rec.Header().Set("x-amz-id-2", info.ID)
		} else {
			rec.Header().Set("x-amzn-RequestId", info.ID)
		}
		auth, err := p.verify.Verify(r)
		if err != nil {
			p.log.Debug("request refused", "service", service, "err", err)
			if service == "s3" {
				s3.WriteError(rec, r, err, p.log)
			} else {
				writeJSONAuthError(rec, err)
			}
			return
		}
		r = r.WithContext(sigv4.WithAuth(r.Context(), auth))
		switch h, ok := services[service]; {
		case service == "s3":
			s3h.ServeHTTP(rec, r)
		case auth.Anonymous:
			awsjson.WriteError(rec, http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token")
		case ok:
			h.ServeHTTP(rec, r)
		default:
			op := r.Header.Get("X-Amz-Target")
			request.SetOperation(r.Context(), op)
			awsjson.WriteError(rec, http.StatusBadRequest, "UnknownOperationException",
				"tarn does not implement the "+service+" API yet (operation "+op+")")
		}
	})
}

// serviceOf routes by the SigV4 credential scope's service, then the
// X-Amz-Target prefix; everything else (presigned-less anonymous requests
// included) is S3.
func serviceOf(r *http.Request) string {
	if svc, _, ok := sigv4.Scope(r); ok {
		return svc
	}
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		prefix, _, _ := strings.Cut(t, ".")
		if svc, ok := targetServices[prefix]; ok {
			return svc
		}
	}
	return "s3"
}

// jsonAuthCodes are the codes JSON-protocol services (DynamoDB, Kinesis,
// ...) use for SigV4 failures that S3 names differently.
var jsonAuthCodes = map[string]string{
	"SignatureDoesNotMatch": "InvalidSignatureException",
	"InvalidAccessKeyId":    "UnrecognizedClientException",
	"RequestTimeTooSkewed":  "InvalidSignatureException",
}

func writeJSONAuthError(w http.ResponseWriter, err error) {
	var se *sigv4.Error
	if errors.As(err, &se) {
		code := se.Code
		if c, ok := jsonAuthCodes[code]; ok {
			code = c
		}
		awsjson.WriteError(w, se.Status, code, se.Message)
		return
	}
	awsjson.WriteError(w, http.StatusInternalServerError, "InternalFailure", "internal error")
}

// statusRecorder remembers the status a handler wrote, for metrics.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wroteHeader {
		s.status, s.wroteHeader = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wroteHeader = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (Flush,
// deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// glueHandler serves the Glue API: job, trigger and workflow operations
// from the jobs service, everything else (catalog, crawlers) from the
// catalog. Both share the AWSGlue target prefix.
func (p *Platform) glueHandler() http.Handler {
	ops := map[string]bool{}
	for _, op := range p.jobs.Operations() {
		ops[op] = true
	}
	jobsH, catalogH := p.jobs.Handler(), p.catalog.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, op, _ := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
		switch {
		case ops[op]:
			jobsH.ServeHTTP(w, r)
		case (op == "TagResource" || op == "UntagResource" || op == "GetTags") && jobTagRequest(r):
			jobsH.ServeHTTP(w, r)
		default:
			catalogH.ServeHTTP(w, r)
		}
	})
}

// jobTagRequest reports whether a Glue tagging request names a job,
// trigger or workflow ARN (the jobs service keeps those tags). The body is
// left readable for the handler.
func jobTagRequest(r *http.Request) bool {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxTagBody+1))
	r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
	if err != nil || len(body) > maxTagBody {
		return false
	}
	var in struct {
		ResourceArn string `json:"ResourceArn"`
	}
	return json.Unmarshal(body, &in) == nil && jobs.OwnsTagARN(in.ResourceArn)
}

// maxTagBody bounds the tagging request body jobTagRequest reads ahead.
const maxTagBody = 1 << 20
