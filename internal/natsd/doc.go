// Package natsd runs NATS JetStream for tarn: embedded in-process (no
// socket: DontListen plus nats.InProcessServer) with its file store under
// the data directory, or, when Options.URL is set, a connection to an
// existing NATS cluster instead, which is how streams scale out.
//
// Durability: the embedded store fsyncs every acknowledged publish
// (JetStream SyncAlways) unless Options.NoSync; atomic batch publishes
// then cost one fsync per batch, which is what makes group commit cheap.
//
// Lifecycle: New validates and starts nothing; Start starts the server,
// waits until it accepts connections and connects; Stop drains the
// connection and shuts the server down. Conn and JetStream are valid
// between Start and Stop and safe for concurrent use.
package natsd
