package outbox

import (
	"errors"

	"github.com/msgplay/msgplay/internal/sim"
)

// LiveReady reports, naming the flag and saying why, what of the scenario
// a live run on NATS JetStream and SQLite cannot do faithfully; nil when
// it can run live.
func (cfg Config) LiveReady() error {
	if cfg.BrokerDown != (sim.Window{}) {
		return errors.New("--broker-down has no --live equivalent: msgplay cannot take a real NATS server " +
			"down for a window mid-run; stop msgplay serve (with --broker) to see the outbox wait")
	}
	return nil
}

// liveMapping is how the outbox runs on NATS JetStream and SQLite with
// --live.
const liveMapping = `  orders-db           a SQLite file (modernc.org/sqlite, pure Go) in the run's temporary
                      directory: tables orders and outbox, written in one transaction
  inventory-db        another SQLite file: tables stock and inbox (the inbox's primary key
                      makes a second insert of one event id fail its commit)
  topic orders        a limits stream on orders.> with a durable consumer for inventory
  relay               polls the outbox table (ORDER BY seq LIMIT --batch) every
                      --poll-interval, publishes each row with Nats-Msg-Id = its event id,
                      then deletes the rows in a transaction of its own
  outbox dedupe       Nats-Msg-Id and the stream's duplicate window (2m): a relay's repeat
                      within it is dropped by JetStream and said so in the trace; after it,
                      delivered again (the inbox absorbs it)
  crashes             the actor stops mid-step: its open SQLite transaction rolls back, a
                      crash between two writes falls exactly where the simulation's does
  --db-fail-rate      injected: the commit is rolled back (same fault stream as simulated)
  not live            --broker-down
  try                 msgplay outbox --live --orders 3 --relay-crash-rate 0.5 --inbox`
