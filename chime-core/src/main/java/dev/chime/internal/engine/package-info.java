/**
 * The scheduling engine.
 *
 * <p><b>Flow.</b> A job lives in the store with its next fire time. A dispatcher thread claims due
 * occurrences from the store in batches of {@value dev.chime.internal.engine.Engine#CLAIM_BATCH}
 * (with a lease and a fencing token, see {@code dev.chime.spi}), holds them in an indexed timer
 * heap until they are due (exact deadlines, O(log n) cancel: pausing or updating a job drops its
 * claimed occurrence without a scan), then fires each: the misfire policy for late ones, the
 * overlap policy, and into a priority queue of ready runs. Workers take ready runs in priority
 * order (then occurrence time, then age), skipping past runs whose concurrency group is full (they
 * wait in the group's own queue until a run of the group ends), and none past the global limit
 * (counted in running runs, whichever thread runs them), so no run waits behind a blocked one of
 * another group.
 *
 * <p><b>Why one lock.</b> All engine state sits behind one {@code ReentrantLock} (not {@code
 * synchronized}: virtual threads would pin their carrier before JDK 24). A run takes the lock twice
 * (start, end) and each critical section is a few map and heap operations, well under a
 * microsecond; a worker ends one run and takes the next in the same critical section. Finer locks
 * would have to agree on the limits (global, group, per job) that one lock makes trivially exact.
 * Listeners are called outside the lock, in order, by whichever thread drains the event queue.
 *
 * <p><b>Wake-ups.</b> The dispatcher parks until the earliest of: the timer's next deadline, the
 * next run timeout, the store's next due job, or {@value
 * dev.chime.internal.engine.Engine#MAX_PARK_NANOS} ns (a guard against clock jumps). Scheduling a
 * job due earlier than the current wake-up unparks it; scheduling a later one costs no wake-up. A
 * parked thread wakes 5-6 us late plus the 50 us timer slack on this machine kind (REFERENCE.md),
 * which is the floor of the lateness figures.
 *
 * <p><b>One wake-up per job.</b> When a cycle leaves exactly one ready run and no worker is
 * starting, the dispatcher runs it itself instead of waking a worker: a steady stream of due jobs
 * then costs one thread wake-up each (the dispatcher's timed park), not two (the dispatcher's, then
 * a worker's). Two platform threads share the dispatcher's role for this. While one runs a run, the
 * other (the standby) looks every {@value dev.chime.internal.engine.Engine#STANDBY_TICK_NANOS} ns
 * and takes the role over when the run is still running at its second look or the dispatcher's next
 * deadline has passed; the old dispatcher stands by once its run returns. So a long run delays the
 * next due job by at most about a tick, and at most one run at a time is on a dispatcher thread;
 * after a run outlasted a tick, every run goes to workers for {@value
 * dev.chime.internal.engine.Engine#INLINE_BACKOFF_NANOS} ns. After {@value
 * dev.chime.internal.engine.Engine#STANDBY_IDLE_TICKS} looks with nothing run there, the standby
 * waits on a condition of the engine's lock (never an unpark permit, which a lock's own parking can
 * use up) until the next such run signals it, or a quarter second, so an idle engine ticks four
 * times a second, as the dispatcher does. Both threads start with the scheduler. A run on a
 * dispatcher thread is counted, interrupted (timeout, cancel, shutdown) and settled exactly as on a
 * worker; shutdown waits for it as for the pool. Measured with {@code EngineScenario chime
 * LATENESS} after three warm-up passes, alternating with the build before: see docs/benchmarks.md.
 *
 * <p><b>Back-pressure.</b> The dispatcher stops claiming once {@value
 * dev.chime.internal.engine.Engine#READY_HIGH} runs are ready, and a worker wakes it when it takes
 * the ready runs down to {@value dev.chime.internal.engine.Engine#READY_LOW} (it also looks again
 * every 10 ms). Due jobs wait in the store meanwhile, where they cost nothing; an occurrence that
 * waits there past its misfire grace (a minute by default) is late by its policy, as for any
 * overload. Without the hold, the dispatcher, which takes the lock back as soon as it lets it go,
 * claimed all of a million due jobs before a worker could start one: a run then waited seconds, and
 * the engine's maps grew to a million entries. With it, the dispatcher and the workers run side by
 * side: 1M due one-shot jobs ran at 239,539 and 293,388 executions/s against 175,325 and 195,990
 * without it, in alternating runs on a busy machine (docs/benchmarks.md).
 *
 * <p><b>Workers.</b> Virtual threads by default, started on demand up to the global limit, and only
 * as many started or woken as ready runs can start in the slots the running runs leave free (a run
 * on a dispatcher thread holds one too); each runs ready runs until none is left, so a burst of due
 * runs costs one thread start per worker, not per run. An idle worker waits a second for more
 * before it ends (50 ms before: a gap that short between bursts ended every worker, and the next
 * burst took the exit and start paths the JIT had compiled away, so it ran deoptimised code and
 * recompiled under load; in the lateness JVM the p99 at 200k jobs/s was 1.8, 0.6 and 0.9 ms in
 * three runs against 3.2-6.3 ms). A timeout interrupts the worker's thread; the interrupt is
 * cleared before the worker takes its next run, under the run's monitor, so it never leaks into
 * another run.
 *
 * <p><b>Misfires.</b> An occurrence older than the job's grace is caught up by its policy; at most
 * {@value dev.chime.internal.engine.Engine#CATCH_UP_RECORDS} skipped occurrences are recorded one
 * by one, then one record covers the rest (a job firing every second that was down for a day would
 * otherwise write 86,400 records).
 *
 * <p><b>Endings.</b> Every skipped occurrence is an ending that the jobs waiting for it hear of, as
 * a run's end is: a misfire or overlap skip, a paused job's publish or dependent, and a pipeline
 * stage whose job is paused (or pauseAll is in force) or gone, or whose scheduler shuts down. A
 * dependent on success is then skipped naming it, one on completion runs, and one on failure does
 * not (a skipped occurrence never ran, so it did not fail). A finished job means no attempt of it
 * is still to come, so one that can fire no more but whose runs may retry stays active, with no
 * next fire time, until its last attempt ends. A run now (or a pipeline stage) of a finished job is
 * one manual run, not counted toward max runs, retried by the job's policy like any run: when it
 * fails and a retry is made, the job is reopened (active, no next fire time, {@code REOPENED} to
 * listeners, so a pause holds the retry) and finishes again when the last attempt ends. It is
 * reopened at the retry, not at the run, so a run now that succeeds leaves a finished job as it was
 * (no write, no event). Under replace, a newer occurrence supersedes older occurrences' retries
 * that have not started: those waiting are cancelled as it is admitted, and a run of an older
 * occurrence that goes on beside it (below {@code maxConcurrent > 1}, or a retry already running)
 * is marked, so the retry it would get on failing is recorded cancelled at once, "replaced by run
 * N", and never waits or runs. Event, after and file jobs have no next fire time to run out: one is
 * past its end once the clock is after its {@code endAt}, and finishes when scheduled, updated (a
 * paused one too) or fired past it, and the engine keeps such jobs by end time so that one whose
 * end comes while it waits finishes at it (one another node added is found at this node's next
 * start, or by its next event); a finished file job stops watching, and an engine does not watch
 * for the finished jobs it finds in its store.
 *
 * <p><b>Updates.</b> An update drops the job's claimed occurrence (the store voids any other
 * scheduler's claim of it) and writes the job anew, again on a version conflict (a firing elsewhere
 * came between the read and the write). With the trigger unchanged the schedule goes on where it
 * was. A new trigger starts afresh, as a new job would, but after the occurrences the job fired
 * already, so that an occurrence fires once: the engine asks the store ({@code JobStore.fired}),
 * which knows what every scheduler on it fired, and moves past each (an update at the very instant
 * an occurrence fired, to a trigger that has it too; a once job given back an instant it fired at,
 * which then finishes). A once job given a past instant it never fired at catches it up, by its
 * misfire policy. Before, both fired again: twice in memory, and a database store's occurrence key
 * refused the second firing while the engine logged that another scheduler took it over. The job as
 * it is (equal to the stored one once its {@code H} fields are keyed) goes through the same checks
 * (a shut-down scheduler, an unknown job, an unregistered handler, a trigger it cannot use) and
 * then changes nothing: no write, no new version, no event, its claim and next occurrence as they
 * were (before, it wrote a new version and told an update; the server compared job files itself and
 * so skipped the checks); only an untimed job past its end time finishes then, as at any update.
 *
 * <p><b>Writes.</b> Firing an occurrence does not write at once: its advance (the job moved on
 * under the claim's token) and the runs it made are buffered and written in one {@code
 * JobStore.write} when the locked section ends, before the lock is released, so no worker can start
 * a run whose occurrence is not yet recorded as taken. A store refuses an advance whose token is
 * stale (the lease ran out and another scheduler claimed the occurrence); the engine then drops
 * that advance's runs unstarted. A durable store also gets every run recorded as CLAIMED when it is
 * admitted, in the same write, so that after a crash {@code JobStore.recover} finds the runs that
 * were admitted or running: each may have run, so it ends as FAILED ("interrupted") and its job's
 * retry policy decides on a new attempt (never the same attempt twice); a run that was waiting for
 * a retry waits again with its attempt. A run admitted outside an advance (a retry when it falls
 * due, run now, a dependent) has no advance to ride with, and a store may write such records behind
 * ({@code JdbcJobStore} does, within 5 ms); the engine then flushes the store before the lock is
 * released, so its CLAIMED record is stored before it can start. (Written behind, a retry killed
 * mid-run was found still RETRYING and its attempt ran twice; the crash tests caught it under
 * load.) Such a run is made ready only once that record is stored: while the store cannot write, a
 * retry or a dependent waits (it starts when the store writes again), and a run now is not started
 * at all: it is cancelled and the caller gets {@code UNAVAILABLE} (a server's 503), so no run
 * starts off the record, where a crash would lose it or run it twice. With a look-ahead store
 * ({@code claimAhead > 0}) the dispatcher claims when half the claimed window is left, not on every
 * wake-up; a job added or moved into the claimed window resets it, and the half-window cadence is
 * also how jobs added by another node are found (at most {@code claimAhead / 2} late).
 *
 * <p><b>Hot path</b> (1M one-shot jobs due within a second; async-profiler on the dispatcher and
 * workers). Ready runs are a FIFO plus a heap ({@code ReadyQueue}): a run that sorts after the
 * FIFO's newest is appended in O(1), only one that would overtake it goes to the heap, and a poll
 * takes the lesser head, so the order is exactly one priority queue's (the heap's sift was 17% of a
 * worker's time). A run keeps a reference to its job's {@code JobRuns} while it is in it, so ending
 * it needs no lookup, and the table of runs per job ({@code PerJob}) is chained through the {@code
 * JobRuns} themselves, each with its id's hash, so an empty one leaves the table without hashing
 * its id again (a {@code HashMap}'s removal by key read the cold id and its string: a third of a
 * worker's time); a run notes at birth whether its trigger is a fixed delay, which it reads again
 * as it ends; side maps that are empty in the common case (deleted jobs, paused jobs, dependents)
 * are not consulted; a worker reads the clock once per locked section (the run it settles ends when
 * the next one starts). The in-memory store hands claims over with their ids and one-shot triggers
 * already in the cache (package notes of {@code dev.chime.internal.store}). Most of what is left is
 * the cache misses on each claimed slot's two lines and its id, the id index bucket of each dropped
 * finished job, and the one dispatcher thread.
 *
 * <p><b>Manual mode.</b> The test kit's {@code ManualScheduler} runs the same code with no threads:
 * {@link dev.chime.internal.engine.Engine#runDue} fires what is due by the clock and runs it on the
 * caller's thread, which is why this package is exported to the test kit and nowhere else.
 */
package dev.chime.internal.engine;
