package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Follows a run by polling its record until it ends, following retries to their last attempt, with
 * a progress display on stderr: one line redrawn in place on a terminal, plain lines (one per
 * change) otherwise.
 */
final class RunWatch {
  static final Duration POLL = Duration.ofMillis(200);
  private static final Set<String> FINAL =
      Set.of("succeeded", "failed", "timed_out", "cancelled", "skipped");
  private static final String SPINNER = "|/-\\";

  private final ApiClient api;
  private final Main.Environment environment;
  private final PrintWriter err;
  private final Duration timeout;
  private String shown = "";
  private int frame;

  RunWatch(ApiClient api, Main.Environment environment, PrintWriter err, Duration timeout) {
    this.api = api;
    this.environment = environment;
    this.err = err;
    this.timeout = timeout;
  }

  static boolean isFinal(JsonNode run) {
    return FINAL.contains(Fields.state(run));
  }

  static boolean succeeded(JsonNode run) {
    return "succeeded".equals(Fields.state(run));
  }

  /** "run 42 of job backup" (attempt shown from the second on). */
  static String describe(JsonNode run) {
    int attempt = run.path("attempt").asInt(1);
    return "run "
        + Fields.text(run, "id")
        + " of job "
        + Fields.text(run, "jobId")
        + (attempt > 1 ? " (attempt " + attempt + ")" : "");
  }

  /** The last word on a run: how it ended, how long it took, and why if it did not succeed. */
  static String outcome(JsonNode run, Instant now) {
    String state = Fields.state(run).replace('_', ' ');
    String took = Fields.duration(run, now);
    return describe(run) + " " + state + (took == null ? "" : " in " + took) + why(run);
  }

  /** A run as the server answered a run now: its state, and why if it was skipped or failed. */
  static String status(JsonNode run) {
    return describe(run) + ": " + Fields.state(run) + why(run);
  }

  /** ": " and the run's error or reason, or nothing for a run that succeeded or has neither. */
  private static String why(JsonNode run) {
    String why = Fields.text(run, "error");
    if (why == null) {
      why = Fields.text(run, "reason");
    }
    return why == null || succeeded(run) ? "" : ": " + why;
  }

  /** Polls until the run (or its last retry) ends; returns its final record. */
  JsonNode follow(JsonNode started) {
    Instant start = environment.clock().instant();
    JsonNode run = started;
    while (true) {
      if (isFinal(run)) {
        JsonNode retry = retryOf(run);
        if (retry == null) {
          clear();
          return run;
        }
        note(
            describe(run)
                + " "
                + Fields.state(run)
                + "; following attempt "
                + retry.path("attempt"));
        run = retry;
      }
      Duration elapsed = Duration.between(start, environment.clock().instant());
      show(run, elapsed);
      if (timeout != null && elapsed.compareTo(timeout) >= 0) {
        clear();
        throw new Main.Failure(gaveUp(run));
      }
      pause();
      run = api.get(ClientCommand.API + "/runs/" + Fields.text(run, "id")).json();
    }
  }

  private String gaveUp(JsonNode run) {
    return "gave up waiting after "
        + Fields.duration(timeout)
        + ": "
        + describe(run)
        + " is still "
        + Fields.state(run)
        + " (see chime logs "
        + Fields.text(run, "id")
        + ")";
  }

  /** The next attempt of a failed run, if the job's retry policy made one. */
  private JsonNode retryOf(JsonNode run) {
    if (succeeded(run) || "skipped".equals(Fields.state(run))) {
      return null;
    }
    String path = ClientCommand.job(Fields.text(run, "jobId"), "/runs?limit=20");
    for (JsonNode other : api.get(path).json().path("items")) {
      if (other.path("scheduledFor").equals(run.path("scheduledFor"))
          && other.path("attempt").asInt() == run.path("attempt").asInt(1) + 1) {
        return other;
      }
    }
    return null;
  }

  private void show(JsonNode run, Duration elapsed) {
    String status = describe(run) + ": " + Fields.state(run) + progress(run);
    if (environment.terminal()) {
      String spin = String.valueOf(SPINNER.charAt(frame++ % SPINNER.length()));
      draw(spin + " " + status + "  " + Fields.duration(elapsed));
    } else if (!status.equals(shown)) {
      err.println(status);
      err.flush();
      shown = status;
    }
  }

  private static String progress(JsonNode run) {
    int percent = run.path("progress").asInt(0);
    String message = Fields.text(run, "progressMessage");
    String text = percent > 0 ? " " + percent + "%" : "";
    return message == null || message.isBlank() ? text : text + " " + message;
  }

  private void note(String line) {
    clear();
    err.println(line);
    err.flush();
  }

  private void draw(String line) {
    String padding = " ".repeat(Math.max(0, shown.length() - line.length()));
    err.print("\r" + line + padding);
    err.flush();
    shown = line;
  }

  private void clear() {
    if (environment.terminal() && !shown.isEmpty()) {
      err.print("\r" + " ".repeat(shown.length()) + "\r");
      err.flush();
      shown = "";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Main.Failure("interrupted while waiting for the run");
    }
  }
}
