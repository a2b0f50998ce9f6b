package catalog

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/sigv4"
)

const (
	maxNameLen               = 255
	maxTablesPage            = 100
	maxDatabasesPage         = 100
	maxPartitionsPage        = 1000
	maxCrawlersPage          = 1000
	maxBatchDelete           = 100 // BatchDeleteTable, BatchDeleteTableVersion
	maxBatchDeletePartitions = 25
	maxBatchPartition        = 100  // BatchCreatePartition
	maxBatchGet              = 1000 // BatchGetPartition
	maxVersionsPage          = 100
)

func asAWS(err error) (*awsjson.Error, bool) {
	var ae *awsjson.Error
	ok := errors.As(err, &ae)
	return ae, ok
}

// regionOf is the region a request is scoped to (its SigV4 credential
// scope), else Options.Region.
func (s *Service) regionOf(ctx context.Context) string {
	return sigv4.RegionOr(ctx, s.region)
}

func (s *Service) regionOr(r string) string {
	if r == "" {
		return s.region
	}
	return r
}

// validName checks a Glue NameString (1-255 characters of a single line)
// and returns it lowercased, as Glue stores database and table names.
func validName(field, v string) (string, error) {
	if v == "" {
		return "", errRequired(field)
	}
	if len(v) > maxNameLen {
		return "", errInvalid("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", v, field, maxNameLen)
	}
	for _, r := range v {
		if r < 0x20 && r != '\t' {
			return "", errInvalid("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*", v, field)
		}
	}
	return strings.ToLower(v), nil
}

// namePattern compiles a GetTables/GetDatabases Expression: Hive's
// pattern syntax, where '*' matches any characters and '|' separates
// alternatives; other characters are regular-expression syntax. The
// match is on the whole name, case-insensitively.
func namePattern(expr string) (*regexp.Regexp, error) {
	if expr == "" {
		return nil, nil
	}
	var alts []string
	for _, a := range strings.Split(expr, "|") {
		var b strings.Builder
		for i := 0; i < len(a); i++ {
			if a[i] == '*' && (i == 0 || a[i-1] != '.') {
				b.WriteString(".*")
				continue
			}
			b.WriteByte(a[i])
		}
		alts = append(alts, b.String())
	}
	re, err := regexp.Compile("(?i)^(?:" + strings.Join(alts, "|") + ")$")
	if err != nil {
		return nil, errInvalid("Invalid expression: %s", expr)
	}
	return re, nil
}

// pageSize applies MaxResults with AWS's bounds.
func pageSize(field string, v *int, limit int) (int, error) {
	if v == nil {
		return limit, nil
	}
	if *v < 1 || *v > limit {
		return 0, errMaxResults(field, *v, limit)
	}
	return *v, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
