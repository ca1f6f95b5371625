/**
 * A durable {@link dev.chime.spi.JobStore} over JDBC: {@link dev.chime.jdbc.JdbcJobStore}, on
 * SQLite (the embedded default, one file) or PostgreSQL (shared by the nodes of a cluster). The
 * tables and the migration files are described in {@code docs/schema.md}.
 *
 * <h2>Design</h2>
 *
 * <p><b>Batch everything.</b> On this machine kind, claiming and completing one job per transaction
 * gives PostgreSQL 3.2k-4.3k jobs/s; 100 per batch gives 44.6k-53.4k, and 100-row INSERTs reach
 * 270k rows/s (REFERENCE.md). So the engine claims ahead: {@link
 * dev.chime.jdbc.JdbcJobStore#claimAhead()} is {@link dev.chime.jdbc.JdbcJobStore#CLAIM_AHEAD} (2
 * s), and one claim statement takes up to the engine's batch (512) of the occurrences due within
 * it. {@code record} writes a batch of runs as multi-row {@code INSERT ... ON CONFLICT (id) DO
 * UPDATE} statements of up to 200 rows (one statement, one round trip, for a batch that fits),
 * keeping the last record of a run that appears twice in the batch. Single statements run in
 * autocommit: one round trip, no BEGIN/COMMIT. Prepared statements are reused: SQLite's live as
 * long as its one connection, PostgreSQL's are kept server-side by pgjdbc per pooled connection and
 * SQL text.
 *
 * <p><b>The claim</b> is one statement. PostgreSQL: {@code UPDATE chime_jobs SET token = token + 1,
 * lease_until = ? WHERE id = ANY(ARRAY(SELECT id FROM chime_jobs WHERE state = 'active' AND
 * quarantine IS NULL AND next_fire_at <= ? AND (lease_until IS NULL OR lease_until <= ?) ORDER BY
 * next_fire_at LIMIT ? FOR UPDATE SKIP LOCKED)) RETURNING ...}: rows another node is claiming are
 * skipped, not waited for, and a row another node claimed a moment ago fails the re-checked lease
 * condition, so two nodes never claim the same occurrence. {@code ANY(ARRAY(..))} instead of {@code
 * IN (..)} keeps the outer update on the primary key (with {@code IN} the planner hashed the ids
 * and scanned the table: 28 ms against 9 ms for 512 claims among 100k jobs). SQLite runs the same
 * shape without {@code SKIP LOCKED} (one writer at a time). Both scan the partial index {@code
 * chime_jobs_due} ({@code next_fire_at} of active, unquarantined jobs), as does {@code nextDue}.
 * Claims come back earliest first.
 *
 * <p><b>The fencing token</b> grows with every claim, update and quarantine of a row; {@code
 * advance} and {@code release} only change a row whose token is the claim's and that is still
 * leased, so a node whose lease ran out cannot overwrite the work of the node that claimed after
 * it, and an update (or delete) voids a claim. A new row's first token is a fresh id from the
 * run-id blocks shifted left by 20 bits, so a job deleted and inserted again never accepts a token
 * from its earlier life.
 *
 * <p><b>Leases</b> are judged by the database's clock on PostgreSQL: the claim writes {@code
 * lease_until = now() + lease} and takes rows whose {@code lease_until <= now()}, so nodes whose
 * clocks disagree still agree on when a lease ends (only the database's clock, and elapsed time on
 * each node, matter). The {@code now} the engine passes enters only as its distance from the
 * store's clock ({@code now() + (now - clock.instant())}: zero in production; a test's fake clock
 * moves it). SQLite, on one host, uses the store's clock. Both live behind {@code
 * Dialect.nowPlus()}.
 *
 * <p><b>Cluster.</b> Heartbeats ({@code heartbeat_at = now()}) and the dead-node cutoff ({@code
 * now() - lease}) use the database's clock too. A leader is elected by one lease row ({@code
 * chime_leader}, a conditional upsert renewed with each heartbeat); only the leader recovers dead
 * nodes' runs and prunes history. A node adding or moving a job due within the look-ahead sends one
 * debounced {@code NOTIFY} ({@code Wakeups}); the others claim at once instead of at their next
 * poll (at most a second away). See docs/cluster.md.
 *
 * <p><b>Run ids</b> come in blocks, never one round trip per id: a PostgreSQL sequence with
 * increment 1000 read hi/lo (each {@code nextval} owns {@code [v, v + increment)}, the increment
 * read with it), a SQLite counter row bumped by 1000. Stores sharing a database never hand out an
 * id twice; the rest of a block is lost when a store closes.
 *
 * <p><b>UTC.</b> PostgreSQL stores {@code timestamptz}, bound as UTC {@code OffsetDateTime}s, so
 * neither the session's zone nor the JVM's enters; SQLite stores INTEGER microseconds since the
 * epoch. Both keep whole microseconds: run times are truncated, a job's next occurrence is rounded
 * <em>up</em>, so it never fires early and its trigger's next fire time after the stored occurrence
 * is a later one (rounding down made a {@code Once} with nanoseconds fire forever).
 *
 * <p><b>Writes.</b> {@code write(advances, runs)} with advances (what one dispatcher cycle fired)
 * is one transaction: the token-checked advances as one JDBC batch, the CLAIMED records of the runs
 * of those applied, and every record still queued, so the occurrence is taken and its runs are on
 * record together, before any of them starts. The runs a firing made for its job's occurrences are
 * inserted {@code fired}, which the unique index {@code chime_runs_occurrence} keys by job,
 * occurrence and attempt (the scheduler asks it, {@code fired}, before it gives an updated job its
 * first occurrence); a firing refused by it is written again without the runs of occurrences on
 * record ({@code Firings}). Records alone (a run's end) are queued and written by one writer thread
 * at most {@value dev.chime.jdbc.WriteBehind#LINGER_MILLIS} ms later in a multi-row upsert, so the
 * engine never waits for the database on the completion path (one row per round trip caps
 * PostgreSQL at 3-4k/s here; batches of 100 reach ~45k/s, REFERENCE.md). A record lost to a crash
 * is harmless: its run is still CLAIMED or RUNNING and is recovered. Reads of runs, {@code flush()}
 * and {@code close()} write the queue first. Records are written in the order given (one lock
 * orders the writer thread and the synchronous writes).
 *
 * <p><b>Nodes and recovery.</b> Each store registers in {@code chime_nodes} and heartbeats every
 * third of its lease; {@code recover(now)} takes over, in one UPDATE, the unfinished runs of nodes
 * silent for longer than the lease, and a record from a node for a run another node has taken over
 * is not applied (the upsert checks the row's node).
 *
 * <p><b>Short transactions.</b> Long transactions keep vacuum from cleaning the dead rows SKIP
 * LOCKED scans pass over (REFERENCE.md): only migrations and a record of more than 200 runs take an
 * explicit transaction, and {@code prune} deletes at most its batch size per transaction.
 *
 * <p><b>Quarantine.</b> A row that cannot be read (unreadable JSON, an unknown trigger kind, field,
 * enum value or format version, an unknown state) is set aside where it is read: its reason is
 * written, it leaves the due index and is never claimed, {@code find} and {@code list} skip it, and
 * {@code quarantined()} reports it. Replacing it ({@code update} with its version) or deleting it
 * ends the quarantine.
 */
package dev.chime.jdbc;
