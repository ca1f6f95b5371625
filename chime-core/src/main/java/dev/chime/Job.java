package dev.chime;

import dev.chime.spi.JsonValues;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A job's durable definition: what runs ({@code handler}, a registered name, with JSON-friendly
 * {@code params}), when ({@code trigger}), and the policies that govern each run. Build one with
 * {@link #builder}; every setter checks its value at once and names the rule it breaks.
 *
 * {@snippet :
 * Job backup = Job.builder("nightly-backup")
 *     .handler("pg-dump")
 *     .params(Map.of("database", "orders"))
 *     .trigger(Trigger.cron("0 3 * * *", ZoneId.of("Europe/Berlin")))
 *     .timeout(Duration.ofMinutes(30))
 *     .retry(RetryPolicy.exponential(3, Duration.ofSeconds(30), Duration.ofMinutes(10)))
 *     .build();
 * }
 *
 * @param id the stable id
 * @param handler the registered handler's name
 * @param params the handler's parameters: strings, numbers, booleans, null, lists and maps
 * @param trigger when it fires
 * @param timeout how long a run may take before it is interrupted, or null for no limit
 * @param retry how failed runs are tried again
 * @param overlap what happens when it is due while earlier runs still run
 * @param misfire what happens to late occurrences
 * @param priority 0 (lowest) to 9 among runs ready at the same time
 * @param group a concurrency group whose limit it shares, or null
 * @param maxRuns the job finishes after its trigger has fired this many runs, skipped occurrences
 *     not counted (see {@link Builder#maxRuns}); 0 for no limit
 * @param endAt the job finishes at this instant, or null for never
 * @param labels tags to select jobs by
 * @param owner who manages the definition: {@value #OWNER_CODE} (a program, the default), {@code
 *     api} (the REST API) or {@code file:PATH} (a job file, which prunes only its own jobs)
 * @param code the handler itself, for a job made with {@link #of} (in-memory stores only), or null
 */
public record Job(
    JobId id,
    String handler,
    Map<String, Object> params,
    Trigger trigger,
    Duration timeout,
    RetryPolicy retry,
    OverlapPolicy overlap,
    MisfirePolicy misfire,
    int priority,
    String group,
    long maxRuns,
    Instant endAt,
    Set<String> labels,
    String owner,
    JobHandler code) {

  /** The name of the handler of a job whose code is a lambda ({@link #of}). */
  public static final String INLINE_HANDLER = "inline";

  /** The owner of a job that does not set one: the program that scheduled it. */
  public static final String OWNER_CODE = "code";

  /** The priority of a job that does not set one. */
  public static final int DEFAULT_PRIORITY = 5;

  /**
   * The earliest instant a job or trigger may name. With {@link #LATEST} and {@link #LONGEST} it
   * keeps every instant the engine computes (a named instant plus at most the longest duration)
   * within what each store holds: durable stores keep microseconds since the epoch in a 64-bit
   * integer, which ends in the year 294,247.
   */
  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  /** The latest instant a job or trigger may name. */
  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  /** The longest duration a job or trigger may name (a period, timeout, delay or grace). */
  public static final Duration LONGEST = Duration.ofDays(36_500);

  private static volatile String lastHandler; // the handler name that passed the check last

  /** Validates the definition as a whole; the builder has checked each part already. */
  public Job {
    Objects.requireNonNull(id, "id must not be null");
    if (trigger == null) { // not requireNonNull(trigger, "..." + id): that builds the text always
      throw new NullPointerException("trigger must be set for job " + id);
    }
    requireHandler(handler, id);
    if ((code != null) != INLINE_HANDLER.equals(handler)) {
      throw new IllegalArgumentException(
          code == null
              ? "handler name '" + INLINE_HANDLER + "' is reserved for jobs made with Job.of"
              : "a job with code must use the handler name '" + INLINE_HANDLER + "'");
    }
    params = JsonValues.copyMap(params == null ? Map.of() : params, "params");
    Objects.requireNonNull(retry, "retry must not be null");
    Objects.requireNonNull(overlap, "overlap must not be null");
    Objects.requireNonNull(misfire, "misfire must not be null");
    labels = Set.copyOf(labels == null ? Set.of() : labels);
    owner = owner == null ? OWNER_CODE : requireOwner(owner, id);
    if (timeout != null) {
      requireDuration("timeout", timeout);
    }
    if (endAt != null) {
      requireInstant("endAt", endAt);
    }
  }

  /**
   * The instant, if it is {@link #EARLIEST} to {@link #LATEST}.
   *
   * @throws IllegalArgumentException naming {@code what} if it is not
   */
  static Instant requireInstant(String what, Instant at) {
    if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
      throw new IllegalArgumentException(
          what + " must be " + EARLIEST + " to " + LATEST + ", was " + at);
    }
    return at;
  }

  /**
   * The duration, if it is at most {@link #LONGEST}.
   *
   * @throws IllegalArgumentException naming {@code what} if it is longer
   */
  static Duration requireDuration(String what, Duration length) {
    if (length.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(
          what + " must be at most " + LONGEST.toDays() + " days (100 years), was " + length);
    }
    return length;
  }

  private static boolean hasControl(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String requireOwner(String owner, JobId job) {
    if (owner.isBlank() || owner.length() > 1000 || hasControl(owner)) {
      throw new IllegalArgumentException(
          "owner of job " + job + " must be 1-1000 characters without control characters");
    }
    return owner;
  }

  /**
   * A job whose handler is the lambda itself. Only in-memory stores can keep it; a durable store
   * needs a handler registered by name.
   *
   * {@snippet :
   * scheduler.schedule(Job.of("tick", Trigger.every(Duration.ofSeconds(10)), ctx -> ctx.log("tick")));
   * }
   */
  public static Job of(String id, Trigger trigger, JobHandler code) {
    return builder(id).code(code).trigger(trigger).build();
  }

  /** A builder for the job with the id; see {@link JobId} for the rules. */
  public static Builder builder(String id) {
    return new Builder(JobId.of(id));
  }

  /**
   * Checks a handler name, skipping the pattern for the very string that passed last: a store in
   * memory makes a plain job's {@code Job} again on every claim, nearly always with one handler
   * name, and the pattern was a tenth of its dispatcher's time. Strings are immutable and a racy
   * read sees some name that passed, so skipping is safe.
   */
  private static void requireHandler(String name, JobId job) {
    if (name == null || name != lastHandler) {
      requireName("handler", name, job);
      lastHandler = name;
    }
  }

  private static void requireName(String what, String name, JobId job) {
    if (name == null) {
      throw new IllegalArgumentException(what + " must be set for job " + job);
    }
    if (name.length() > 100 || !JobId.validName(name, "._:-")) {
      throw new IllegalArgumentException(
          what
              + " '"
              + name
              + "' must be 1-100 letters, digits or . _ : - (starting with a"
              + " letter or digit)");
    }
  }

  /** Builds a {@link Job}; setters validate at once, {@link #build} checks what is required. */
  public static final class Builder {
    private final JobId id;
    private String handler;
    private Map<String, Object> params = Map.of();
    private Trigger trigger;
    private Duration timeout;
    private RetryPolicy retry = RetryPolicy.NONE;
    private OverlapPolicy overlap = OverlapPolicy.SKIP;
    private MisfirePolicy misfire = MisfirePolicy.RUN_ONCE;
    private int priority = DEFAULT_PRIORITY;
    private String group;
    private long maxRuns;
    private Instant endAt;
    private Set<String> labels = Set.of(); // a TreeSet once a label is added
    private String owner = OWNER_CODE;
    private JobHandler code;

    private Builder(JobId id) {
      this.id = id;
    }

    /** The registered handler that runs it. Required. */
    public Builder handler(String name) {
      requireName("handler", name, id);
      this.handler = name;
      this.code = null;
      return this;
    }

    /** The handler as a lambda (in-memory stores only); sets the handler name to "inline". */
    public Builder code(JobHandler lambda) {
      this.code = Objects.requireNonNull(lambda, "code must not be null");
      this.handler = INLINE_HANDLER;
      return this;
    }

    /** The handler's parameters: strings, numbers, booleans, null, lists and maps of them. */
    public Builder params(Map<String, ?> values) {
      this.params =
          JsonValues.copyMap(Objects.requireNonNull(values, "params must not be null"), "params");
      return this;
    }

    /** When it fires. Required. */
    public Builder trigger(Trigger when) {
      this.trigger = Objects.requireNonNull(when, "trigger must not be null");
      return this;
    }

    /** How long a run may take before it is interrupted and recorded as timed out. */
    public Builder timeout(Duration limit) {
      Objects.requireNonNull(limit, "timeout must not be null");
      if (limit.isNegative() || limit.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + limit);
      }
      this.timeout = requireDuration("timeout", limit);
      return this;
    }

    /** How failed runs are tried again. Default: {@link RetryPolicy#NONE}. */
    public Builder retry(RetryPolicy policy) {
      this.retry = Objects.requireNonNull(policy, "retry must not be null");
      return this;
    }

    /** What happens when it is due while runs still run. Default: {@link OverlapPolicy#SKIP}. */
    public Builder overlap(OverlapPolicy policy) {
      this.overlap = Objects.requireNonNull(policy, "overlap must not be null");
      return this;
    }

    /** What happens to late occurrences. Default: {@link MisfirePolicy#RUN_ONCE}. */
    public Builder misfire(MisfirePolicy policy) {
      this.misfire = Objects.requireNonNull(policy, "misfire must not be null");
      return this;
    }

    /** 0 (lowest) to 9 among runs ready together. Default: {@value #DEFAULT_PRIORITY}. */
    public Builder priority(int value) {
      if (value < 0 || value > 9) {
        throw new IllegalArgumentException("priority must be 0-9, was " + value);
      }
      this.priority = value;
      return this;
    }

    /** The concurrency group whose limit this job shares. */
    public Builder group(String name) {
      requireName("group", name, id);
      this.group = name;
      return this;
    }

    /**
     * Finishes the job after this many runs (at least 1). A run counts when its trigger fires it
     * and the overlap policy lets it run (at once, queued, or replacing another): an occurrence
     * skipped by the overlap policy or a misfire never ran and does not count, so the job still
     * runs {@code count} times. A retry is another attempt of the same run and does not count, nor
     * does a run now ({@link Scheduler#runNow}); a counted run that is cancelled or replaced before
     * it starts stays counted.
     */
    public Builder maxRuns(long count) {
      if (count < 1) {
        throw new IllegalArgumentException("maxRuns must be at least 1, was " + count);
      }
      this.maxRuns = count;
      return this;
    }

    /** Finishes the job at this instant. */
    public Builder endAt(Instant end) {
      this.endAt = requireInstant("endAt", Objects.requireNonNull(end, "endAt must not be null"));
      return this;
    }

    /** Adds labels to select the job by. */
    public Builder labels(String... names) {
      for (String name : names) {
        requireName("label", name, id);
        if (labels.isEmpty()) {
          labels = new TreeSet<>();
        }
        labels.add(name);
      }
      return this;
    }

    /**
     * Who manages the definition ({@code api}, {@code file:PATH}, ...); {@value #OWNER_CODE} if
     * unset.
     */
    public Builder owner(String who) {
      this.owner = requireOwner(Objects.requireNonNull(who, "owner must not be null"), id);
      return this;
    }

    /** The job; fails naming the first required part that is missing. */
    public Job build() {
      return new Job(
          id, handler, params, trigger, timeout, retry, overlap, misfire, priority, group, maxRuns,
          endAt, labels, owner, code);
    }
  }
}
