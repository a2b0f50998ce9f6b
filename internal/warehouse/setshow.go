package warehouse

import (
	"context"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// clientParams are the run-time parameters a session may SET: client
// settings PostgreSQL drivers and Redshift users send. They are tracked
// per session and reported by SHOW; none changes the engine (the
// engine's own settings are locked and refused).
var clientParams = map[string]string{
	"datestyle": "ISO, MDY", "timezone": "UTC", "client_encoding": "UTF8", "application_name": "",
	"extra_float_digits": "2", "statement_timeout": "0", "query_group": "default", "intervalstyle": "postgres",
	"enable_result_cache_for_session": "on", "analyze_threshold_percent": "10", "standard_conforming_strings": "on",
	"describe_field_name_in_uppercase": "off", "wlm_query_slot_count": "1", "max_cursor_result_set_size": "default",
	"datashare_break_glass_session_var": "", "lc_messages": "C", "bytea_output": "hex", "search_path": "$user, public",
	"transaction_isolation": "serializable", "default_transaction_isolation": "serializable",
	"enable_case_sensitive_identifier": "off", "json_serialization_enable": "false", "timezone_abbreviations": "Default",
	"session_authorization": "", "server_version": pgwire.DefaultServerVersion, "server_encoding": "UTF8",
	"integer_datetimes": "on", "is_superuser": "on", "lock_timeout": "0", "idle_in_transaction_session_timeout": "0",
	"row_security": "on", "default_transaction_read_only": "off", "transaction_read_only": "off",
}

// readOnlyParams can be shown but not set.
var readOnlyParams = map[string]bool{"server_version": true, "server_encoding": true, "integer_datetimes": true, "is_superuser": true}

func errUnknownParam(name string) error {
	return &pgwire.Error{Code: "42704", Message: `unrecognized configuration parameter "` + name + `"`}
}

// prepareSet parses SET [SESSION|LOCAL] name {TO|=} value[, ...],
// SET TIME ZONE x, SET SESSION CHARACTERISTICS / AUTHORIZATION, RESET
// name | ALL.
func (se *session) prepareSet(sig []engine.Token) (runFunc, error) {
	if sig[0].Is("RESET") {
		if len(sig) < 2 {
			return nil, errSyntax("end of input")
		}
		name := strings.ToLower(sig[1].Value())
		if name != "all" && clientParams[name] == "" && !known(name) {
			return nil, errUnknownParam(name)
		}
		return func(ctx context.Context, _ []any) (pgwire.Result, error) {
			if name == "all" {
				se.params = map[string]string{}
				se.path = []string{"$user", "public"}
				return &result{tag: "RESET"}, se.applyPath(ctx)
			}
			delete(se.params, name)
			if name == "search_path" {
				se.path = []string{"$user", "public"}
				return &result{tag: "RESET"}, se.applyPath(ctx)
			}
			return &result{tag: "RESET"}, nil
		}, nil
	}
	i := 1
	if i < len(sig) && (sig[i].Is("SESSION") || sig[i].Is("LOCAL")) {
		i++
		if i < len(sig) && (sig[i].Is("CHARACTERISTICS") || sig[i].Is("AUTHORIZATION")) {
			return tagOnly("SET"), nil
		}
	}
	if i >= len(sig) {
		return nil, errSyntax("end of input")
	}
	var name string
	if sig[i].Is("TIME") && i+1 < len(sig) && sig[i+1].Is("ZONE") {
		name, i = "timezone", i+2
	} else if sig[i].Is("TRANSACTION") {
		return tagOnly("SET"), nil
	} else {
		name = strings.ToLower(sig[i].Value())
		i++
		if i < len(sig) && (sig[i].Is("TO") || sig[i].Text == "=") {
			i++
		}
	}
	if !known(name) || readOnlyParams[name] {
		if readOnlyParams[name] {
			return nil, &pgwire.Error{Code: "55P02", Message: `parameter "` + name + `" cannot be changed`}
		}
		return nil, errUnknownParam(name)
	}
	var vals []string
	for _, t := range sig[i:] {
		if t.Text == "," {
			continue
		}
		vals = append(vals, t.Value())
	}
	if len(vals) == 0 {
		return nil, errSyntax("end of input")
	}
	if name == "timezone" && !(strings.EqualFold(vals[0], "UTC") || strings.EqualFold(vals[0], "GMT") || vals[0] == "0" || strings.EqualFold(vals[0], "Etc/UTC")) {
		// The engine's session time zone is fixed at UTC; CONVERT_TIMEZONE converts.
		return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "the warehouse runs in UTC; use CONVERT_TIMEZONE to convert timestamps")
	}
	return func(ctx context.Context, _ []any) (pgwire.Result, error) {
		if name == "search_path" {
			old := se.path
			se.path = vals
			if err := se.applyPath(ctx); err != nil {
				se.path = old
				se.applyPath(ctx)
				return nil, &pgwire.Error{Code: "3F000", Message: firstLine(err.Error())}
			}
		}
		se.params[name] = strings.Join(vals, ", ")
		return &result{tag: "SET"}, nil
	}, nil
}

func known(name string) bool {
	_, ok := clientParams[name]
	return ok
}

// show is the value SHOW name reports.
func (se *session) show(name string) (string, bool) {
	if v, ok := se.params[name]; ok {
		return v, true
	}
	if name == "search_path" {
		return strings.Join(se.path, ", "), true
	}
	v, ok := clientParams[name]
	return v, ok
}

func (se *session) prepareShow(st *stmt, sig []engine.Token) error {
	if len(sig) < 2 {
		return errSyntax("end of input")
	}
	name := strings.ToLower(sig[1].Value())
	if len(sig) > 2 && sig[1].Is("TIME") && sig[2].Is("ZONE") {
		name = "timezone"
	}
	if name == "transaction" && len(sig) > 3 {
		name = "transaction_isolation"
	}
	if _, ok := se.show(name); !ok {
		return errUnknownParam(name)
	}
	st.desc.Columns = []pgwire.Column{{Name: name, TypeOID: pgwire.OIDText}}
	st.run = func(context.Context, []any) (pgwire.Result, error) {
		v, _ := se.show(name)
		return &result{tag: "SHOW", rows: [][]any{{v}}}, nil
	}
	return nil
}
