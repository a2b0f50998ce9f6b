package sql

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const maxResultsPage = 1000

// getQueryResults pages through the result file in the lake (so it works
// after a restart): the header row first for a SELECT, values as
// strings, NULL as a Datum without VarCharValue.
func (s *Service) getQueryResults(ctx context.Context, in *getQueryResultsInput) (*getQueryResultsOutput, error) {
	max := in.MaxResults
	if max == 0 {
		max = maxResultsPage
	}
	if max < 0 || max > maxResultsPage {
		return nil, errValidation("maxResults", max, "Member must have value less than or equal to 1000")
	}
	r, err := s.query(s.regionOf(ctx), in.QueryExecutionId)
	if err != nil {
		return nil, err
	}
	switch r.State {
	case stateQueued, stateRunning:
		return nil, errNotFinished(r.State)
	case stateFailed, stateCancelled:
		return nil, errFailed(r.State, r.Reason)
	}
	// A token names the next row and its byte offset in the result file.
	var rowNo, offset int64
	if in.NextToken != "" {
		k, err := decodeToken(in.NextToken)
		parts := strings.Split(k, "@")
		if err != nil || len(parts) != 3 || parts[0] != r.ID {
			return nil, errBadToken()
		}
		rowNo, err = strconv.ParseInt(parts[1], 10, 64)
		if err != nil || rowNo < 0 {
			return nil, errBadToken()
		}
		if offset, err = strconv.ParseInt(parts[2], 10, 64); err != nil || offset < 0 {
			return nil, errBadToken()
		}
	}
	out := &getQueryResultsOutput{UpdateCount: r.UpdateCount, ResultSet: resultSet{Rows: []row{}}}
	out.ResultSet.ResultSetMetadata.ColumnInfo = columnInfos(r.Columns)
	if r.ResultLocation == "" {
		return out, nil
	}
	bucket, key, err := parseS3(r.ResultLocation)
	if err != nil {
		return nil, errInternal(err)
	}
	rc, err := s.lake.Get(ctx, bucket, key)
	if err != nil {
		return nil, errInvalid("Unable to read query results from %s: %v", r.ResultLocation, err)
	}
	defer rc.Close()
	if _, err := io.CopyN(io.Discard, rc, offset); err != nil {
		return nil, errBadToken()
	}
	br := bufio.NewReaderSize(rc, 1<<16)
	text := strings.HasSuffix(key, ".txt")
	cr := &csvReader{r: br, pos: offset}
	next := func() ([]*string, error) {
		if !text {
			return cr.read()
		}
		line, err := br.ReadString('\n')
		cr.pos += int64(len(line))
		if err == io.EOF && line == "" {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		parts := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		if len(r.Columns) <= 1 {
			parts = []string{strings.TrimSuffix(line, "\n")}
		}
		vals := make([]*string, len(parts))
		for i := range parts {
			vals[i] = &parts[i]
		}
		return vals, nil
	}
	for i := rowNo; ; i++ {
		at := cr.pos
		rec, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, errInternal(fmt.Errorf("read results: %w", err))
		}
		if len(out.ResultSet.Rows) == max {
			out.NextToken = encodeToken(r.ID + "@" + strconv.FormatInt(i, 10) + "@" + strconv.FormatInt(at, 10))
			break
		}
		d := make([]datum, len(rec))
		for j, v := range rec {
			d[j] = datum{VarCharValue: v}
		}
		out.ResultSet.Rows = append(out.ResultSet.Rows, row{Data: d})
	}
	return out, nil
}

func columnInfos(cols []colInfo) []columnInfo {
	out := make([]columnInfo, len(cols))
	for i, c := range cols {
		out[i] = columnInfo{CatalogName: "hive", Name: c.Name, Label: c.Name, Type: c.Type,
			Precision: c.Precision, Scale: c.Scale, Nullable: "UNKNOWN", CaseSensitive: c.Type == "varchar"}
	}
	return out
}
