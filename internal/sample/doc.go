// Package sample generates the built-in demo dataset of Tarn Outfitters, a
// fictional online shop for outdoor gear: a clickstream of Events and the
// Orders its purchases produce, plus the helpers that lay them out in the
// lake (PartitionByDay, JSONLines).
//
// # Determinism
//
// Generate is a pure function of its Options: the same Options produce
// byte-identical JSONLines on every machine and run. All randomness comes
// from one math/rand/v2 PCG stream seeded from Options.Seed, reduced to
// ranges with integer arithmetic only; no floating-point value ever steers
// a decision (Go may fuse float operations differently per architecture)
// and nothing reads the clock or the environment. A change to the generated
// stream is a deliberate change: testdata/golden.jsonl pins its start.
//
// # The shop model
//
// Traffic arrives as sessions. Each session belongs to a user (about one
// user per 20 events; a zipf-like head of power users comes back often),
// starts at a time drawn from daily and hourly seasonality (evening peak,
// weekend bump) and walks a funnel: most sessions look at a few pages and
// leave, about 30% view products, about 10% add to the cart and about 3%
// buy. Users keep their country (weighted towards the DACH and Benelux
// markets) and mostly their device; the referrer is drawn per session.
//
// The middle day of the window (day index Days/2) runs the Summit Sale:
// 2.5 times the sessions of an ordinary day, more newsletter and Instagram
// visitors, better conversion, and jackets at 20% off. Prices are held in
// cents and only converted to float64 at the edge, so every total is
// exact to the cent.
//
// # Cost
//
// Generate's memory is proportional to its output: one Event (232 bytes)
// per row, plus two compact 40-byte working records per row while it
// sorts, garbage once it returns. A million rows take about half a second
// on one core. Identifier strings share a few large backing strings
// rather than being allocated one by one, so holding any Event keeps its
// batch's identifier table alive.
package sample
