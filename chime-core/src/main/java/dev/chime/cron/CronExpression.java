package dev.chime.cron;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed cron expression: immutable, thread-safe, and cheap to query.
 *
 * {@snippet :
 * CronExpression weekdays = CronExpression.parse("30 9 * * mon-fri");
 * Optional<ZonedDateTime> next = weekdays.next(ZonedDateTime.now(clock));
 * String text = weekdays.describe(); // "At 09:30, Monday through Friday"
 * }
 *
 * <p>Queries are strictly after (or before) the given time, at whole seconds. How local times that
 * daylight-saving time skips or repeats are treated is the expression's {@link DstPolicy}. The
 * epoch-second methods allocate nothing and are what the engine calls.
 */
public final class CronExpression {
  /** Returned by the epoch-second methods when there is no such fire time. */
  public static final long NONE = CronFields.NONE;

  private static final long MIN_SECOND = Civil.localSecond(CronFields.MIN_YEAR, 1, 2, 0, 0, 0);
  private static final long MAX_SECOND = Civil.localSecond(CronFields.MAX_YEAR, 12, 30, 0, 0, 0);

  private final String text;
  private final String hashKey;
  private final CronParser.Parsed parsed;
  private final CronFields fields;
  private final DstPolicy policy;
  private final boolean wallClock;

  /**
   * The zone table of the last zone asked about: a racy one-entry cache that saves the shared map's
   * lookup. Safe without locks because a ZoneTable is immutable (final fields only).
   */
  private ZoneTable lastTable;

  private CronExpression(
      String text, String hashKey, CronParser.Parsed parsed, CronFields fields, DstPolicy policy) {
    this.text = text;
    this.hashKey = hashKey;
    this.parsed = parsed;
    this.fields = fields;
    this.policy = policy;
    this.wallClock =
        policy == DstPolicy.WALL_CLOCK || policy == DstPolicy.AUTO && isFixedTime(parsed);
  }

  /**
   * Parses an expression in the dialect its field count implies: 5 fields unix, 6 spring.
   *
   * @throws CronSyntaxException naming the field, the reason and the column
   */
  public static CronExpression parse(String text) {
    return parse(text, null, null);
  }

  /**
   * Parses an expression in the given dialect (null: by field count).
   *
   * @throws CronSyntaxException naming the field, the reason and the column
   */
  public static CronExpression parse(String text, CronDialect dialect) {
    return parse(text, dialect, null);
  }

  /**
   * Parses an expression whose {@code H} fields are hashed from {@code hashKey} (a job's id) as
   * Jenkins does, so the same key gets the same slots as in Jenkins. An expression that some key
   * would make never fire ({@code 0 0 H(29-31) 2 *}: a key that draws 30) is refused whatever the
   * key.
   *
   * @throws CronSyntaxException naming the field, the reason and the column
   */
  public static CronExpression parse(String text, CronDialect dialect, String hashKey) {
    CronParser.Parsed parsed = CronParser.parse(text, dialect, hashKey);
    HashedDays.check(text, parsed);
    return new CronExpression(
        text.strip(), hashKey, parsed, new CronFields(text, parsed), DstPolicy.AUTO);
  }

  /**
   * This expression with its {@code H} fields hashed from another key (the scheduler keys a job's
   * cron trigger with the job's id); the same expression if the key is unchanged.
   */
  public CronExpression withHashKey(String key) {
    Objects.requireNonNull(key, "key must not be null");
    if (key.equals(hashKey)) {
      return this;
    }
    return parse(text, dialect(), key).withDstPolicy(policy);
  }

  /** The key {@code H} fields were hashed from, or null if none was given. */
  public String hashKey() {
    return hashKey;
  }

  /** This expression with another daylight-saving policy. */
  public CronExpression withDstPolicy(DstPolicy dstPolicy) {
    Objects.requireNonNull(dstPolicy, "dstPolicy");
    return new CronExpression(text, hashKey, parsed, fields, dstPolicy);
  }

  /** The text as given, without surrounding blanks. */
  public String text() {
    return text;
  }

  /** The dialect the expression was read in. */
  public CronDialect dialect() {
    return parsed.dialect();
  }

  /** The policy as set ({@link DstPolicy#AUTO} unless changed). */
  public DstPolicy dstPolicy() {
    return policy;
  }

  /** The policy in force: AUTO resolved to WALL_CLOCK or INSTANT. */
  public DstPolicy effectiveDstPolicy() {
    return wallClock ? DstPolicy.WALL_CLOCK : DstPolicy.INSTANT;
  }

  /** The first fire time strictly after {@code after}, in its zone. */
  public Optional<ZonedDateTime> next(ZonedDateTime after) {
    long next = nextEpochSecond(after.toEpochSecond(), after.getZone());
    return next == NONE ? Optional.empty() : Optional.of(at(next, after.getZone()));
  }

  /**
   * Up to {@code count} successive fire times strictly after {@code after}, in its zone; fewer when
   * the expression runs out (a Quartz year field).
   */
  public List<ZonedDateTime> upcoming(ZonedDateTime after, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, was " + count);
    }
    List<ZonedDateTime> times = new ArrayList<>(Math.min(count, 1024));
    ZoneId zone = after.getZone();
    long at = after.toEpochSecond();
    while (times.size() < count && (at = nextEpochSecond(at, zone)) != NONE) {
      times.add(at(at, zone));
    }
    return List.copyOf(times);
  }

  /** The first fire time strictly after {@code after}, reading the fields in {@code zone}. */
  public Optional<Instant> next(Instant after, ZoneId zone) {
    long next = nextEpochSecond(after.getEpochSecond(), zone);
    return next == NONE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(next));
  }

  /** The last fire time strictly before {@code before}, in its zone. */
  public Optional<ZonedDateTime> previous(ZonedDateTime before) {
    long ceiling = before.toEpochSecond() + (before.getNano() > 0 ? 1 : 0);
    long previous = previousEpochSecond(ceiling, before.getZone());
    return previous == NONE ? Optional.empty() : Optional.of(at(previous, before.getZone()));
  }

  /** The last fire time strictly before {@code before}, reading the fields in {@code zone}. */
  public Optional<Instant> previous(Instant before, ZoneId zone) {
    long ceiling = before.getEpochSecond() + (before.getNano() > 0 ? 1 : 0);
    long previous = previousEpochSecond(ceiling, zone);
    return previous == NONE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(previous));
  }

  /** Whether the local date-time (to the second) matches every field; DST policy aside. */
  public boolean matches(ZonedDateTime time) {
    return fields.matches(time.toLocalDateTime().toEpochSecond(java.time.ZoneOffset.UTC));
  }

  /**
   * The first fire time strictly after the epoch second, or {@link #NONE}. Allocates nothing once
   * the zone's offset table is built (once per zone per JVM).
   */
  public long nextEpochSecond(long afterEpochSecond, ZoneId zone) {
    if (afterEpochSecond >= MAX_SECOND) {
      return NONE;
    }
    ZoneTable table = table(zone);
    long after = Math.max(afterEpochSecond, MIN_SECOND);
    if (wallClock) {
      int index = table.index(after);
      long local = fields.next(table.highWater(after, index) + 1);
      return local == NONE ? NONE : table.firstAtOrAfter(local, index);
    }
    return nextInstant(table, after + 1);
  }

  private ZoneTable table(ZoneId zone) {
    ZoneTable table = lastTable;
    if (table == null || table.zone != zone && !table.zone.equals(zone)) {
      table = ZoneTable.of(zone);
      lastTable = table;
    }
    return table;
  }

  /** Every real instant at or after {@code from} whose local time matches: the first of them. */
  private long nextInstant(ZoneTable table, long from) {
    int index = table.index(from);
    long searchedFrom = Long.MAX_VALUE;
    long match = NONE;
    while (true) {
      long need = Math.max(from, table.start(index)) + table.offset(index);
      if (need < searchedFrom || need > match) {
        searchedFrom = need;
        match = fields.next(need);
        if (match == NONE) {
          return NONE;
        }
      }
      long candidate = match - table.offset(index);
      if (candidate < table.end(index)) {
        return candidate;
      }
      index++;
    }
  }

  /** The last fire time strictly before the epoch second, or {@link #NONE}. Allocates nothing. */
  public long previousEpochSecond(long beforeEpochSecond, ZoneId zone) {
    if (beforeEpochSecond <= MIN_SECOND) {
      return NONE;
    }
    ZoneTable table = table(zone);
    long last = Math.min(beforeEpochSecond, MAX_SECOND) - 1;
    if (wallClock) {
      int index = table.index(last);
      long local = fields.previous(table.highWater(last, index));
      return local == NONE ? NONE : table.firstAtOrAfter(local, index);
    }
    return previousInstant(table, last);
  }

  private long previousInstant(ZoneTable table, long until) {
    int index = table.index(until);
    long searchedTo = Long.MIN_VALUE;
    long match = NONE;
    while (true) {
      long need = Math.min(until, table.end(index) - 1) + table.offset(index);
      if (need > searchedTo || need < match || match == NONE) {
        searchedTo = need;
        match = fields.previous(need);
        if (match == NONE) {
          return NONE;
        }
      }
      long candidate = match - table.offset(index);
      if (candidate >= table.start(index)) {
        return candidate;
      }
      index--;
    }
  }

  /** The schedule in plain English, e.g. "At 03:00, Monday through Friday". */
  public String describe() {
    return CronDescriber.describe(parsed);
  }

  private static ZonedDateTime at(long epochSecond, ZoneId zone) {
    return ZonedDateTime.ofInstant(Instant.ofEpochSecond(epochSecond), zone);
  }

  /** Second, minute and hour are single values or lists of them. */
  private static boolean isFixedTime(CronParser.Parsed parsed) {
    for (Field field : List.of(Field.SECOND, Field.MINUTE, Field.HOUR)) {
      for (Term term : parsed.terms().get(field)) {
        if (term.kind() != Term.Kind.VALUE) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CronExpression that
        && text.equals(that.text)
        && dialect() == that.dialect()
        && policy == that.policy
        && Objects.equals(hashKey, that.hashKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, dialect(), policy, hashKey);
  }

  @Override
  public String toString() {
    return text;
  }
}
