package dev.chime.server.kinds;

import dev.chime.Scheduler;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The server's built-in job kinds: {@value #COMMAND}, {@value #HTTP} and {@value #CLEANUP}. A job
 * names one as its handler and gives its params; {@link #validate} checks them (the same checks
 * fail a run whose stored params are bad).
 */
public final class JobKinds {
  /** Runs a program: {@code argv}, or {@code script} with {@code shell: true}. */
  public static final String COMMAND = "command";

  /** Sends one HTTP request and checks its status. */
  public static final String HTTP = "http";

  /** Deletes old files from a directory (the housekeeper). */
  public static final String CLEANUP = "cleanup";

  /** The built-in handler names. */
  public static final Set<String> NAMES = Set.of(COMMAND, HTTP, CLEANUP);

  private JobKinds() {}

  /** Registers the three kinds with the scheduler; cleanup judges file ages by the clock. */
  public static void registerAll(Scheduler scheduler, Clock clock) {
    Objects.requireNonNull(scheduler, "scheduler must not be null");
    Objects.requireNonNull(clock, "clock must not be null");
    scheduler.register(COMMAND, new CommandJob());
    scheduler.register(HTTP, new HttpJob());
    scheduler.register(CLEANUP, new CleanupJob(clock));
  }

  /**
   * What is wrong with the params for the handler, one message per problem, each starting with the
   * field ("argv: is required"); empty if they are fine or the handler is not a built-in kind.
   */
  public static List<String> validate(String handler, Map<String, Object> params) {
    if (handler == null) {
      return List.of();
    }
    return switch (handler) {
      case COMMAND -> CommandJob.validate(params);
      case HTTP -> HttpJob.validate(params);
      case CLEANUP -> CleanupJob.validate(params);
      default -> List.of();
    };
  }
}
