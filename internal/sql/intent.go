package sql

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
)

// Write intents: how a CTAS or INSERT INTO stays all-or-nothing across a
// crash (kill -9) although its files go to the lake and its partitions to
// the catalog, two stores that cannot share a transaction.
//
// The contract, in order:
//
//  1. Before any result file reaches the lake, the query records a
//     writeIntent in Meta (synced): the target table, every lake key it
//     is about to write and the catalog change that registers them (the
//     partitions to add, or for CTAS the table to create).
//  2. The files are committed. With a BatchLake that is one atomic step
//     (all keys visible or none): this is the query's commit point. A
//     Lake without it gets the files one by one and offers no atomicity.
//  3. The catalog change is applied, without the query's cancellation
//     (a committed write is always registered), then the intent is
//     deleted.
//
// At Start, before any query runs, finishIntents completes every intent
// a crash left: if every key of the intent exists the files were
// committed and the catalog change is applied again (idempotently:
// partitions already there and a table that exists are skipped); if no
// key exists nothing was committed and the intent is dropped (the S3
// service has already removed the orphan blobs). A partial set of keys
// can only come from a Lake without BatchLake; that intent is dropped
// with a warning and its files stay unregistered, as before intents.
// When the catalog change fails (while the query runs or at Start) for a
// reason a retry cannot cure — the database or table is missing, or the
// table a CTAS creates was created by another statement meanwhile — the
// intent is dropped and the committed files stay unregistered, as
// Athena leaves the data of a failed CTAS; for any other failure it is
// kept and retried at the next Start.
//
// Keys in Meta: <region>/wi/<query id>  writeIntent JSON.

// writeIntent is one CTAS or INSERT INTO between its file commit and its
// catalog registration.
type writeIntent struct {
	ID       string         `json:"id"`
	Region   string         `json:"region"`
	Database string         `json:"db"`
	Table    string         `json:"table"`
	Bucket   string         `json:"bucket"`
	Keys     []string       `json:"keys"`
	Parts    []PartitionDef `json:"parts,omitempty"`  // INSERT: partitions to add
	Create   *TableDef      `json:"create,omitempty"` // CTAS: the table to create, partitions included
}

func intentKey(region, id string) []byte { return []byte(region + "/wi/" + id) }

// recordIntent durably stores in (step 1).
func (s *Service) recordIntent(in *writeIntent) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return s.meta.Set(intentKey(in.Region, in.ID), b)
}

// dropIntent deletes in; a failure is only logged (the next Start finds
// the intent and, its files being there, re-applies its idempotent
// registration).
func (s *Service) dropIntent(in *writeIntent) {
	if err := s.meta.Delete(intentKey(in.Region, in.ID)); err != nil && !errors.Is(err, kv.ErrNotFound) {
		s.log.Warn("sql: delete write intent", "query", in.ID, "err", err)
	}
}

// settle applies in's catalog change (step 3) and then deletes in,
// unless the change failed for a reason a later try may not have (any
// error but a missing database or table, or an existing table): such an
// intent is kept for the next Start. recovering is set at Start.
func (s *Service) settle(ctx context.Context, in *writeIntent, recovering bool) error {
	err := s.registerWrite(ctx, in, recovering)
	if err == nil || errors.Is(err, ErrTableNotFound) || errors.Is(err, ErrDatabaseNotFound) || errors.Is(err, ErrExists) {
		s.dropIntent(in)
	}
	return err
}

// registerWrite applies in's catalog change. While recovering it is
// idempotent: the table a CTAS intent creates may exist already (the
// crash came after its creation), and partitions already there are
// skipped. While the query runs, an existing table is ErrExists: some
// other statement created it since the CTAS checked.
func (s *Service) registerWrite(ctx context.Context, in *writeIntent, recovering bool) error {
	if in.Create != nil {
		err := s.catalog.CreateTable(ctx, in.Region, *in.Create)
		if recovering && errors.Is(err, ErrExists) {
			return s.addMissing(ctx, in.Region, in.Create.Database, in.Create.Name, in.Create.Partitions)
		}
		return err
	}
	return s.addMissing(ctx, in.Region, in.Database, in.Table, in.Parts)
}

// addMissing adds those of parts the table does not have yet.
func (s *Service) addMissing(ctx context.Context, region, db, table string, parts []PartitionDef) error {
	if len(parts) == 0 {
		return nil
	}
	t, err := s.catalog.Table(ctx, region, db, table)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, p := range t.Partitions {
		have[strings.Join(p.Values, "\x00")] = true
	}
	var add []PartitionDef
	for _, p := range parts {
		if id := strings.Join(p.Values, "\x00"); !have[id] {
			have[id] = true
			add = append(add, p)
		}
	}
	if len(add) == 0 {
		return nil
	}
	return s.catalog.AddPartitions(ctx, region, db, table, add)
}

// finishIntents completes or drops every intent a previous process left
// (see the contract above). Only a failure to read or write Meta is
// returned; catalog and lake failures are logged and the intent kept.
func (s *Service) finishIntents(ctx context.Context) error {
	var pending []*writeIntent
	it, err := s.meta.Iter(nil, nil)
	if err != nil {
		return err
	}
	for ok := it.First(); ok; ok = it.Next() {
		if _, rest, _ := strings.Cut(string(it.Key()), "/"); !strings.HasPrefix(rest, "wi/") {
			continue
		}
		v, err := it.Value()
		if err != nil {
			it.Close()
			return err
		}
		in := &writeIntent{}
		if err := json.Unmarshal(v, in); err != nil {
			it.Close()
			return fmt.Errorf("decode write intent %q: %w", it.Key(), err)
		}
		pending = append(pending, in)
	}
	if err := it.Close(); err != nil {
		return err
	}
	for _, in := range pending {
		s.finishIntent(ctx, in)
	}
	return nil
}

func (s *Service) finishIntent(ctx context.Context, in *writeIntent) {
	log := s.log.With("query", in.ID, "table", in.Database+"."+in.Table)
	have, err := s.presentKeys(ctx, in)
	if err != nil {
		log.Warn("sql: write intent: list the lake; kept for the next start", "err", err)
		return
	}
	switch {
	case have == 0:
		log.Info("sql: write intent: nothing was committed; dropped")
	case have < len(in.Keys):
		log.Warn("sql: write intent: only part of the files exist (a lake without atomic puts); dropped unregistered",
			"present", have, "keys", len(in.Keys))
	default:
		switch err := s.settle(ctx, in, true); {
		case err == nil:
			log.Info("sql: write intent: committed files registered", "keys", len(in.Keys))
		case errors.Is(err, ErrTableNotFound), errors.Is(err, ErrDatabaseNotFound), errors.Is(err, ErrExists):
			log.Warn("sql: write intent: the target is gone; dropped", "err", err)
		default:
			log.Warn("sql: write intent: register; kept for the next start", "err", err)
		}
		return
	}
	s.dropIntent(in)
}

// presentKeys counts the keys of in that exist in the lake.
func (s *Service) presentKeys(ctx context.Context, in *writeIntent) (int, error) {
	if len(in.Keys) == 0 {
		return 0, nil
	}
	files, err := s.lake.Files(ctx, in.Bucket, commonPrefix(in.Keys))
	if errors.Is(err, ErrNoSuchBucket) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	want := make(map[string]bool, len(in.Keys))
	for _, k := range in.Keys {
		want[k] = true
	}
	n := 0
	for _, f := range files {
		if want[f.Key] {
			n++
		}
	}
	return n, nil
}

// commonPrefix is the longest prefix every key shares.
func commonPrefix(keys []string) string {
	p := keys[0]
	for _, k := range keys[1:] {
		for !strings.HasPrefix(k, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}
