package dev.chime;

import java.time.Instant;

/**
 * The record of one run: one attempt at one occurrence of a job. Every expected occurrence leaves
 * one, skipped ones included, so "why didn't it run?" has an answer.
 *
 * @param id the run's id
 * @param jobId the job
 * @param scheduledFor the occurrence (a retry keeps the original occurrence)
 * @param attempt 1 for the first try
 * @param state where it is
 * @param reason why it was skipped, cancelled or failed, or null
 * @param startedAt when the handler started, or null
 * @param finishedAt when it ended, or null
 * @param error the failure's type and message, or null
 * @param log the newest {@value #LOG_LIMIT} characters the handler logged
 * @param progress 0-100
 * @param progressMessage what the handler last said it was doing, or null
 * @param result the handler's JSON-friendly result, or null
 * @param node the node (see {@link NodeInfo}) that ran or recorded it, or null if none did yet
 * @param event the published event that started the run (see {@link Trigger#onEvent}), or null
 */
public record Run(
    RunId id,
    JobId jobId,
    Instant scheduledFor,
    int attempt,
    RunState state,
    String reason,
    Instant startedAt,
    Instant finishedAt,
    String error,
    String log,
    int progress,
    String progressMessage,
    Object result,
    String node,
    Event event) {
  /** How many characters of a run's log are kept. */
  public static final int LOG_LIMIT = 16_384;

  /** This run as recorded by the node. */
  public Run withNode(String by) {
    return java.util.Objects.equals(by, node)
        ? this
        : new Run(
            id,
            jobId,
            scheduledFor,
            attempt,
            state,
            reason,
            startedAt,
            finishedAt,
            error,
            log,
            progress,
            progressMessage,
            result,
            by,
            event);
  }

  /** How late the run started after its occurrence, or null if it has not started. */
  public java.time.Duration lateness() {
    return startedAt == null ? null : java.time.Duration.between(scheduledFor, startedAt);
  }
}
