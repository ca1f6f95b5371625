/**
 * Metrics of the server: {@link dev.chime.server.metrics.ServerMetrics} turns the scheduler's
 * events into Micrometer meters in a Prometheus registry.
 *
 * <p>Design note: the meters are fed only by the public {@link dev.chime.SchedulerListener}, so the
 * engine stays free of Micrometer and pays nothing when no server is attached. The listener sees
 * every run change (queued, claimed, running, retrying, ended), which gives counts, durations,
 * lateness and the live gauges; it does not see the store's look-ahead claim batches, lease
 * renewals or fencing refusals, which core does not report. The {@code job} tag is capped (see
 * {@link dev.chime.server.metrics.ServerMetrics#DEFAULT_JOB_TAG_LIMIT}) because job ids are user
 * data.
 */
package dev.chime.server.metrics;
