package dev.chime;

import dev.chime.cron.CronDialect;
import dev.chime.cron.CronExpression;
import dev.chime.cron.DstPolicy;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When a job fires. A sealed family of values: {@link Once}, {@link Interval}, {@link Cron} (also
 * behind {@link #dailyAt} and {@link #weeklyOn}), {@link After} (another job's completion), {@link
 * OnEvent} (a published event), {@link OnFile} (changes in a directory) and the composites {@link
 * Any} and {@link All}. Time-based triggers answer {@link #nextAfter}; the engine puts every kind
 * through the same overlap, misfire, history and metrics machinery.
 *
 * {@snippet :
 * Trigger nightly = Trigger.cron("0 3 * * *", ZoneId.of("Europe/Berlin"));
 * Trigger poll = Trigger.every(Duration.ofMinutes(15)).endingAt(Instant.parse("2027-01-01T00:00:00Z"));
 * Trigger report = Trigger.weeklyOn(DayOfWeek.MONDAY, LocalTime.of(8, 0), ZoneId.of("UTC"));
 * }
 */
public sealed interface Trigger
    permits Trigger.Once,
        Trigger.Interval,
        Trigger.Cron,
        Trigger.After,
        Trigger.OnEvent,
        Trigger.OnFile,
        Trigger.Any,
        Trigger.All {

  /**
   * The first fire time strictly after {@code after}, or empty when the trigger has no more (or is
   * not time-based, like {@link After}). For a fixed-delay {@link Interval}, {@code after} is when
   * the previous run finished.
   */
  Optional<Instant> nextAfter(Instant after);

  /**
   * This trigger with the {@code H} fields of its cron expressions, those inside {@link Any} and
   * {@link All} too, hashed from the key (a scheduler keys a job's trigger with the job's id); this
   * same trigger if nothing in it has {@code H}.
   */
  default Trigger withHashKey(String key) {
    return this;
  }

  /** Fires once at the instant. */
  static Once once(Instant at) {
    return new Once(at);
  }

  /** Fires every {@code period} at a fixed rate; chain {@link Interval#startingAt} and the rest. */
  static Interval every(Duration period) {
    return new Interval(period, Interval.Mode.FIXED_RATE, Instant.EPOCH, null, Duration.ZERO);
  }

  /**
   * A cron expression (dialect by field count) read in the zone, with the AUTO DST policy. {@code
   * H} fields are hashed from a provisional key here; the scheduler re-keys them with the job's id
   * (also inside {@link #any} and {@link #all}).
   */
  static Cron cron(String expression, ZoneId zone) {
    return cron(expression, null, zone);
  }

  /** A cron expression in the given dialect (null: by field count), read in the zone. */
  static Cron cron(String expression, CronDialect dialect, ZoneId zone) {
    CronExpression parsed;
    try {
      parsed = CronExpression.parse(expression, dialect);
    } catch (dev.chime.cron.CronSyntaxException e) {
      if (!e.getMessage().contains("'H' needs a key")) {
        throw e;
      }
      parsed = CronExpression.parse(expression, dialect, Cron.UNKEYED);
    }
    return new Cron(parsed, zone);
  }

  /**
   * Every day at the local time in the zone (DST as {@link DstPolicy#WALL_CLOCK}).
   *
   * @param time to the second: cron fires at whole seconds, so a fraction is refused
   */
  static Cron dailyAt(LocalTime time, ZoneId zone) {
    return weekly(time, "*", zone);
  }

  /**
   * Every week on the day at the local time in the zone (DST as {@link DstPolicy#WALL_CLOCK}).
   *
   * @param time to the second: cron fires at whole seconds, so a fraction is refused
   */
  static Cron weeklyOn(DayOfWeek day, LocalTime time, ZoneId zone) {
    Objects.requireNonNull(day, "day must not be null");
    return weekly(time, day.name().substring(0, 3).toLowerCase(Locale.ROOT), zone);
  }

  private static Cron weekly(LocalTime time, String days, ZoneId zone) {
    Objects.requireNonNull(time, "time must not be null");
    if (time.getNano() != 0) {
      throw new IllegalArgumentException(
          "time must be a whole second (cron fires at whole seconds), was " + time);
    }
    String text =
        String.format(
            Locale.ROOT,
            "%d %d %d * * %s",
            time.getSecond(),
            time.getMinute(),
            time.getHour(),
            days);
    return new Cron(CronExpression.parse(text, CronDialect.SPRING), zone);
  }

  /** Fires when each of the jobs finishes successfully. */
  static After after(JobId... jobs) {
    return new After(Set.of(jobs), After.Outcome.SUCCESS);
  }

  /**
   * Fires once per {@link Scheduler#publish} of the named event (see {@link Event} for the names
   * accepted). Not time-based, and a trigger of its own: any/all refuse it as a child.
   */
  static OnEvent onEvent(String name) {
    return new OnEvent(name);
  }

  /**
   * Fires when entries of the directory (an absolute path, not its subdirectories) are created,
   * modified or deleted: one run once no change has come for {@link OnFile#DEFAULT_DEBOUNCE}, with
   * the changes as its event. Chain {@link OnFile#matching}, {@link OnFile#on} and {@link
   * OnFile#debounce}. The directory must exist when the job is scheduled; each node watches its own
   * file system.
   */
  static OnFile onFile(java.nio.file.Path directory) {
    return new OnFile(
        directory, null, java.util.EnumSet.allOf(OnFile.Change.class), OnFile.DEFAULT_DEBOUNCE);
  }

  /** Fires whenever any of the triggers fires. */
  static Any any(Trigger... triggers) {
    return new Any(Arrays.asList(triggers));
  }

  /** Fires once every one of the triggers has fired since the last time it fired. */
  static All all(Trigger... triggers) {
    return new All(Arrays.asList(triggers));
  }

  /**
   * Fires once.
   *
   * @param at when; {@link Job#EARLIEST} to {@link Job#LATEST}
   */
  record Once(Instant at) implements Trigger {
    /** Validates the instant. */
    public Once {
      Objects.requireNonNull(at, "at must not be null");
      Job.requireInstant("at", at);
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
      return at.isAfter(after) ? Optional.of(at) : Optional.empty();
    }
  }

  /**
   * Fires every {@code period}: at a fixed rate from {@code start} ({@code start + k * period}), or
   * with a fixed delay after each run finishes; optionally until {@code end}, each fire pushed
   * later by up to {@code jitter}.
   *
   * @param period time between fires; positive, at most {@link Job#LONGEST}
   * @param mode fixed rate or fixed delay
   * @param start the first fire time (fixed rate: the grid's origin); {@link Job#EARLIEST} to
   *     {@link Job#LATEST}
   * @param end no fire after this instant, or null for never; at most {@link Job#LATEST}
   * @param jitter up to this much later per fire, deterministic per fire time; shorter than the
   *     period
   */
  record Interval(Duration period, Mode mode, Instant start, Instant end, Duration jitter)
      implements Trigger {
    /** How the next fire time is measured. */
    public enum Mode {
      /** Fires on a grid: start, start + period, start + 2 period... */
      FIXED_RATE,
      /** Fires a period after the previous run finished. */
      FIXED_DELAY
    }

    /** Validates every part and names the bad one. */
    public Interval {
      Objects.requireNonNull(period, "period must not be null");
      Objects.requireNonNull(mode, "mode must not be null");
      Objects.requireNonNull(start, "start must not be null");
      Objects.requireNonNull(jitter, "jitter must not be null");
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("period must be positive, was " + period);
      }
      Job.requireDuration("period", period);
      Job.requireInstant("start", start);
      if (end != null && !Job.requireInstant("end", end).isAfter(start)) {
        throw new IllegalArgumentException("end must be after start " + start + ", was " + end);
      }
      if (jitter.isNegative() || jitter.compareTo(period) >= 0) {
        throw new IllegalArgumentException(
            "jitter must be at least zero and shorter than the period "
                + period
                + ", was "
                + jitter);
      }
    }

    /** This interval measured from the end of each run instead of on a fixed grid. */
    public Interval fixedDelay() {
      return new Interval(period, Mode.FIXED_DELAY, start, end, jitter);
    }

    /** This interval starting (first fire, grid origin) at the instant. */
    public Interval startingAt(Instant first) {
      return new Interval(period, mode, first, end, jitter);
    }

    /** This interval with no fire after the instant. */
    public Interval endingAt(Instant last) {
      return new Interval(period, mode, start, last, jitter);
    }

    /** This interval with each fire pushed later by up to {@code maxJitter}. */
    public Interval withJitter(Duration maxJitter) {
      return new Interval(period, mode, start, end, maxJitter);
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
      Instant next;
      if (mode == Mode.FIXED_DELAY || after.isBefore(start)) {
        next = jittered(after.isBefore(start) ? start : after.plus(period));
      } else {
        // The grid point at or before `after` still fires after it when its jitter carries it
        // past; otherwise the next grid point does.
        long periods = Duration.between(start, after).dividedBy(period);
        next = jittered(start.plus(period.multipliedBy(periods)));
        if (!next.isAfter(after)) {
          next = jittered(start.plus(period.multipliedBy(periods + 1)));
        }
      }
      return end != null && next.isAfter(end) ? Optional.empty() : Optional.of(next);
    }

    private Instant jittered(Instant grid) {
      return grid.plus(jitterFor(grid));
    }

    /** A delay in [0, jitter) derived from the fire time, so replays agree. */
    private Duration jitterFor(Instant fire) {
      if (jitter.isZero()) {
        return Duration.ZERO;
      }
      long mixed = fire.getEpochSecond() * 0x9E3779B97F4A7C15L + fire.getNano();
      mixed ^= mixed >>> 33;
      mixed *= 0xC2B2AE3D27D4EB4FL;
      mixed ^= mixed >>> 29;
      return Duration.ofNanos(Math.floorMod(mixed, jitter.toNanos()));
    }
  }

  /**
   * A cron expression read in a zone. {@code H} fields need the expression parsed with a key: the
   * engine re-keys it with the job's id.
   *
   * @param expression the parsed expression, with its dialect and DST policy
   * @param zone the zone its fields are read in
   */
  record Cron(CronExpression expression, ZoneId zone) implements Trigger {
    /** The provisional key of {@code H} fields until a scheduler keys them with the job's id. */
    public static final String UNKEYED = "unkeyed";

    /** Validates the parts. */
    public Cron {
      Objects.requireNonNull(expression, "expression must not be null");
      Objects.requireNonNull(zone, "zone must not be null");
    }

    /** This trigger with its {@code H} fields hashed from the key (no change without H). */
    @Override
    public Cron withHashKey(String key) {
      return expression.hashKey() == null ? this : new Cron(expression.withHashKey(key), zone);
    }

    /** This trigger with another DST policy. */
    public Cron withDstPolicy(DstPolicy policy) {
      return new Cron(expression.withDstPolicy(policy), zone);
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
      return expression.next(after, zone);
    }
  }

  /**
   * Fires when jobs finish: each of {@code jobs} must have finished with the outcome since the last
   * fire. Not time-based: {@link #nextAfter} is always empty.
   *
   * <p>Every occurrence of an awaited job ends once, after its last attempt, whether it ran or not:
   * one skipped by its overlap or misfire policy, or as paused, is an ending too, neither a success
   * nor a failure. When each awaited job has ended, the dependent decides by {@link Outcome}; an
   * occurrence of it that does not run for a success it waited for is recorded as skipped, naming
   * the job and its ending ("dependency backup failed", "dependency backup skipped").
   *
   * @param jobs the jobs waited for; at least one
   * @param outcome which endings count
   */
  record After(Set<JobId> jobs, Outcome outcome) implements Trigger {
    /** Which endings of the awaited jobs count. */
    public enum Outcome {
      /** Only success; any other ending skips the dependent's occurrence, recorded with why. */
      SUCCESS,
      /**
       * Only an ending that is neither a success nor a skip: failed or timed out after its retries,
       * or cancelled. Otherwise nothing runs and nothing is recorded (nothing failed).
       */
      FAILURE,
      /** Any ending, a skipped occurrence included. */
      COMPLETION
    }

    /** Validates the parts. */
    public After {
      Objects.requireNonNull(outcome, "outcome must not be null");
      jobs = Set.copyOf(Objects.requireNonNull(jobs, "jobs must not be null"));
      if (jobs.isEmpty()) {
        throw new IllegalArgumentException("after needs at least one job");
      }
    }

    /** This trigger counting another outcome. */
    public After on(Outcome which) {
      return new After(jobs, which);
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
      return Optional.empty();
    }
  }

  /**
   * Fires once per published event of the name: each {@link Scheduler#publish} starts one run, with
   * the event as {@link JobContext#event()}. Not time-based: {@link #nextAfter} is always empty.
   *
   * @param name the event's name
   */
  record OnEvent(String name) implements Trigger {
    /** Validates the name. */
    public OnEvent {
      Event.checkName(name);
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
      return Optional.empty();
    }
  }

  /**
   * Fires when entries of a directory change: the changes that match the glob and the kinds are
   * gathered until none has come for {@code debounce}, then one run starts with them as its {@link
   * JobContext#event()}, named {@value #EVENT}, payload {@code {"path": DIR, "changes": [{"path":
   * NAME, "kind": "create"}, ...]}} (at most {@value #MAX_CHANGES} changes, then {@code
   * "truncated": true}). Only the directory's own entries count, not those of its subdirectories.
   * Not time-based: {@link #nextAfter} is always empty.
   *
   * @param path the directory, absolute
   * @param glob which entry names count ({@code *.csv}; {@link java.nio.file.FileSystem
   *     #getPathMatcher} glob syntax), or null for every entry
   * @param on which kinds of change count; at least one
   * @param debounce how long no further change must come before the run starts, 0 to 1 hour
   */
  record OnFile(java.nio.file.Path path, String glob, Set<Change> on, Duration debounce)
      implements Trigger {
    /** How long a change waits for more, unless set. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofSeconds(1);

    /** The longest debounce accepted. */
    public static final Duration MAX_DEBOUNCE = Duration.ofHours(1);

    /** The name of the event a file trigger's runs carry. */
    public static final String EVENT = "file";

    /** The most changes one run's event lists. */
    public static final int MAX_CHANGES = 1000;

    /** A kind of change to a directory entry. */
    public enum Change {
      /** The entry was created (or moved in). */
      CREATE,
      /** The entry was written to. */
      MODIFY,
      /** The entry was deleted (or moved out). */
      DELETE
    }

    /** Validates every part and names the bad one. */
    public OnFile {
      Objects.requireNonNull(path, "path must not be null");
      Objects.requireNonNull(debounce, "debounce must not be null");
      if (!path.isAbsolute()) {
        throw new IllegalArgumentException(
            "file trigger path must be absolute, was '" + path + "'");
      }
      path = path.normalize();
      if (glob != null) {
        try {
          path.getFileSystem().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) {
          String why =
              e instanceof java.util.regex.PatternSyntaxException syntax
                  ? syntax.getDescription() + " at index " + syntax.getIndex()
                  : e.getMessage();
          throw new IllegalArgumentException("glob '" + glob + "' is not a valid glob: " + why, e);
        }
      }
      if (Objects.requireNonNull(on, "on must not be null").isEmpty()) {
        throw new IllegalArgumentException("on must name at least one kind of change");
      }
      on = java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(on));
      if (debounce.isNegative() || debounce.compareTo(MAX_DEBOUNCE) > 0) {
        throw new IllegalArgumentException(
            "debounce must be 0 to " + MAX_DEBOUNCE + ", was " + debounce);
      }
    }

    /** This trigger counting only entries whose names match the glob ({@code *.csv}). */
    public OnFile matching(String names) {
      return new OnFile(path, names, on, debounce);
    }

    /** This trigger counting only the kinds of change given. */
    public OnFile on(Change first, Change... more) {
      return new OnFile(path, glob, java.util.EnumSet.of(first, more), debounce);
    }

    /** This trigger waiting {@code quiet} without a change before its run starts. */
    public OnFile debounce(Duration quiet) {
      return new OnFile(path, glob, on, quiet);
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
      return Optional.empty();
    }
  }

  /**
   * Fires whenever any child fires.
   *
   * @param triggers the children; at least two
   */
  record Any(List<Trigger> triggers) implements Trigger {
    /** Validates the children. */
    public Any {
      triggers = children(triggers, "any");
    }

    @Override
    public Any withHashKey(String key) {
      List<Trigger> keyed = keyedChildren(triggers, key);
      return keyed == triggers ? this : new Any(keyed);
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
      Optional<Instant> first = Optional.empty();
      for (Trigger trigger : triggers) {
        Optional<Instant> next = trigger.nextAfter(after);
        if (next.isPresent() && (first.isEmpty() || next.get().isBefore(first.get()))) {
          first = next;
        }
      }
      return first;
    }
  }

  /**
   * Fires once every child has fired since {@code after}: at the latest of their next times.
   *
   * @param triggers the children; at least two
   */
  record All(List<Trigger> triggers) implements Trigger {
    /** Validates the children. */
    public All {
      triggers = children(triggers, "all");
    }

    @Override
    public All withHashKey(String key) {
      List<Trigger> keyed = keyedChildren(triggers, key);
      return keyed == triggers ? this : new All(keyed);
    }

    @Override
    public Optional<Instant> nextAfter(Instant after) {
      Instant last = after;
      for (Trigger trigger : triggers) {
        Optional<Instant> next = trigger.nextAfter(after);
        if (next.isEmpty()) {
          return Optional.empty();
        }
        last = next.get().isAfter(last) ? next.get() : last;
      }
      return Optional.of(last);
    }
  }

  /** The children keyed; the same list if none changed. */
  private static List<Trigger> keyedChildren(List<Trigger> triggers, String key) {
    List<Trigger> keyed = triggers.stream().map(child -> child.withHashKey(key)).toList();
    for (int i = 0; i < keyed.size(); i++) {
      if (keyed.get(i) != triggers.get(i)) {
        return keyed;
      }
    }
    return triggers;
  }

  private static List<Trigger> children(List<Trigger> triggers, String kind) {
    Objects.requireNonNull(triggers, kind + " needs triggers");
    List<Trigger> copy = new ArrayList<>(triggers.size());
    for (Trigger trigger : triggers) {
      Objects.requireNonNull(trigger, kind + ": a trigger must not be null");
      if (trigger instanceof OnEvent event) {
        throw new IllegalArgumentException(
            kind
                + ": an event trigger cannot be part of any/all (event '"
                + event.name()
                + "'); give the job its own event trigger");
      }
      if (trigger instanceof OnFile file) {
        throw new IllegalArgumentException(
            kind
                + ": a file trigger cannot be part of any/all (path "
                + file.path()
                + "); give the job its own file trigger");
      }
      copy.add(trigger);
    }
    if (copy.size() < 2) {
      throw new IllegalArgumentException(kind + " needs at least two triggers, was " + copy.size());
    }
    return List.copyOf(copy);
  }
}
