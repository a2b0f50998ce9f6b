// Package kv is the thin Pebble wrapper every service keeps its state in.
//
// One DB holds the whole platform. Each service gets a Space: a key prefix
// it owns, so services never see each other's keys. Writes are durable when
// they return (Pebble's WAL is fsynced, with group commit across concurrent
// writers) unless the DB was opened with NoSync. A Batch commits writes to
// any number of spaces atomically: that is how a write and the events it
// causes commit together.
package kv
