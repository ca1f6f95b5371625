package dev.chime.jdbc;

import dev.chime.JobId;
import dev.chime.JobInfo;
import dev.chime.JobQuery;
import dev.chime.JobState;
import dev.chime.Run;
import dev.chime.RunId;
import dev.chime.SchedulerException;
import dev.chime.SchedulerException.Kind;
import dev.chime.spi.Advance;
import dev.chime.spi.Claim;
import dev.chime.spi.JobStore;
import dev.chime.spi.Quarantined;
import dev.chime.spi.RunPage;
import dev.chime.spi.RunQuery;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A durable {@link JobStore} in SQLite (embedded, one file) or PostgreSQL (shared by the nodes of a
 * cluster). Opening it applies the schema migrations that are missing. Jobs must name their handler
 * (a lambda cannot be stored); every database error is a {@link SchedulerException} of kind {@link
 * Kind#UNAVAILABLE} that names what failed and where.
 *
 * {@snippet :
 * JobStore store = JdbcJobStore.sqlite(Path.of("chime-data/chime.db"));
 * JobStore shared =
 *     JdbcJobStore.builder("jdbc:postgresql://db.internal/app").schema("chime").user("chime").open();
 * Scheduler scheduler = Scheduler.builder().store(shared).build();
 * }
 */
public final class JdbcJobStore implements JobStore {
  /** How far ahead of their fire time occurrences are claimed. */
  public static final Duration CLAIM_AHEAD = Duration.ofSeconds(2);

  /** The most rows {@link #prune} deletes in one transaction. */
  public static final int MAX_PRUNE_BATCH = 10_000;

  /** How long a claim, and a node's silence, last before another node may take over. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

  private final Dialect db;
  private final Jobs jobs;
  private final Runs runs;
  private final RunIds runIds;
  private final Duration lease;
  private final WriteBehind behind;
  private final Nodes nodes;
  private final Clock clock;
  private final Wakeups wakeups; // PostgreSQL only, else null
  private final AppliedJobFiles appliedFiles;
  private final Firings firings;

  private JdbcJobStore(Dialect db, Clock clock, Duration lease) {
    this.db = db;
    this.clock = clock;
    this.lease = lease;
    this.runIds = new RunIds(db);
    this.jobs = new Jobs(db, clock, runIds::nextValue);
    String node = Nodes.newId();
    this.runs = new Runs(db, clock, node);
    // Each part that starts a thread is closed again if a later one fails: a failed open leaves
    // no run writer or heartbeat behind (the caller closes the database).
    WriteBehind writer = new WriteBehind(runs);
    Nodes registered = null;
    try {
      registered = new Nodes(db, clock, lease, runs, node);
      this.wakeups = db instanceof PostgresDialect postgres ? new Wakeups(postgres, node) : null;
    } catch (RuntimeException e) {
      if (registered != null) {
        registered.close();
      }
      writer.close();
      throw e;
    }
    this.behind = writer;
    this.nodes = registered;
    this.appliedFiles = new AppliedJobFiles(db, clock);
    this.firings = new Firings(db, jobs, runs);
  }

  /** Wakes the other nodes if the jobs hold one due within the look-ahead (PostgreSQL only). */
  private <T extends Iterable<JobInfo>> T notifyIfDue(T written) {
    if (wakeups != null) {
      Instant soon = clock.instant().plus(CLAIM_AHEAD);
      for (JobInfo info : written) {
        if (info.state() == JobState.ACTIVE
            && info.nextFireAt() != null
            && !info.nextFireAt().isAfter(soon)) {
          wakeups.due();
          break;
        }
      }
    }
    return written;
  }

  /** Opens (creating if missing) the SQLite database in the file, with the defaults. */
  public static JdbcJobStore sqlite(Path file) {
    Objects.requireNonNull(file, "file must not be null");
    return builder(SqliteDialect.PREFIX + file).open();
  }

  /** Opens the PostgreSQL database at the URL (user and password in it, if any), with defaults. */
  public static JdbcJobStore postgres(String jdbcUrl) {
    return builder(jdbcUrl).open();
  }

  /**
   * A builder for the database at the URL: {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql:}.
   */
  public static Builder builder(String jdbcUrl) {
    return new Builder(jdbcUrl);
  }

  @Override
  public boolean supportsInlineHandlers() {
    return false;
  }

  @Override
  public JobInfo insert(JobInfo job) {
    return notifyIfDue(List.of(jobs.insert(Objects.requireNonNull(job, "job must not be null"))))
        .get(0);
  }

  /** One transaction: all the jobs, or none (CONFLICT naming the ids taken). */
  @Override
  public List<JobInfo> insertAll(List<JobInfo> batch) {
    Objects.requireNonNull(batch, "jobs must not be null");
    return batch.isEmpty() ? List.of() : notifyIfDue(jobs.insertAll(batch));
  }

  @Override
  public JobInfo update(JobInfo job) {
    return notifyIfDue(List.of(jobs.update(Objects.requireNonNull(job, "job must not be null"))))
        .get(0);
  }

  @Override
  public Optional<JobInfo> find(JobId id) {
    return jobs.find(Objects.requireNonNull(id, "id must not be null"));
  }

  @Override
  public List<JobInfo> list(JobQuery query) {
    return jobs.list(Objects.requireNonNull(query, "query must not be null"));
  }

  @Override
  public List<JobInfo> list(JobQuery query, JobId after, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    return jobs.list(Objects.requireNonNull(query, "query must not be null"), after, limit);
  }

  @Override
  public List<JobInfo> listening(String event) {
    return jobs.listening(Objects.requireNonNull(event, "event must not be null"));
  }

  /** Deletes the job; its runs stay, and no longer key its occurrences (see {@link Firings}). */
  @Override
  public boolean delete(JobId id) {
    Objects.requireNonNull(id, "id must not be null");
    return db.transaction(
        "delete job " + id,
        session -> {
          boolean deleted = jobs.delete(session, id);
          if (deleted) {
            runs.unkey(session, id);
          }
          return deleted;
        });
  }

  @Override
  public Duration claimAhead() {
    return CLAIM_AHEAD;
  }

  @Override
  public Optional<Instant> nextDue() {
    return jobs.nextDue();
  }

  @Override
  public List<Claim> claim(Instant now, Instant horizon, int limit, Instant leaseUntil) {
    return jobs.claim(
        Objects.requireNonNull(now, "now must not be null"),
        Objects.requireNonNull(horizon, "horizon must not be null"),
        limit,
        Objects.requireNonNull(leaseUntil, "leaseUntil must not be null"));
  }

  @Override
  public boolean advance(Claim claim, Instant nextFireAt, long runCount, JobState state) {
    return jobs.advance(
        Objects.requireNonNull(claim, "claim must not be null"),
        nextFireAt,
        runCount,
        Objects.requireNonNull(state, "state must not be null"));
  }

  /**
   * One transaction: the advances (a batch of token-checked updates), the runs of those applied,
   * the other runs, and whatever run records were still queued; a firing of occurrences on record
   * already is applied without their runs and its claim refused ({@link Firings}). Without advances
   * the records are only queued (written within milliseconds by the writer thread): a lost run end
   * is found later as an unfinished run and recovered, so the engine need not wait for it.
   */
  @Override
  public List<Claim> write(List<Advance> advances, List<Run> records) {
    Objects.requireNonNull(advances, "advances must not be null");
    Objects.requireNonNull(records, "runs must not be null");
    if (advances.isEmpty()) {
      behind.add(records);
      return List.of();
    }
    return behind.writeOrdered(queued -> firings.write(advances, queued, records));
  }

  @Override
  public void flush() {
    behind.flush();
  }

  /** True: the store outlives the process, and runs under way when it died are recovered. */
  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public Duration lease() {
    return lease;
  }

  /** This store's node id ({@code host:pid:random}). */
  @Override
  public String node() {
    return nodes.id();
  }

  @Override
  public long life() {
    return nodes.life();
  }

  /** Every node registered on the database, ordered by id, with its heartbeat (database clock). */
  @Override
  public List<dev.chime.NodeInfo> nodes() {
    return nodes.list();
  }

  /** Whether this node holds the leader lease (renewed with each heartbeat). */
  @Override
  public boolean leader() {
    return nodes.leader();
  }

  @Override
  public void resign() {
    nodes.resign();
  }

  /**
   * Runs {@code work} holding the job-file lock, which one store on the database holds at a time:
   * on PostgreSQL an advisory lock of the schema ({@code pg_advisory_xact_lock}) held by a
   * transaction on a connection of its own, so the nodes of a cluster apply their job files one
   * after another and a node that dies lets it go; on SQLite (one process) a lock of this store.
   * Waits up to a minute, then fails as {@link Kind#UNAVAILABLE}.
   */
  public <T> T withJobFileLock(java.util.function.Supplier<T> work) {
    return db.holdingJobFileLock(Objects.requireNonNull(work, "work must not be null"));
  }

  /** The versions of the owner's job file applied so far, newest first. */
  public List<AppliedJobFile> appliedJobFiles(String owner) {
    return appliedFiles.list(Objects.requireNonNull(owner, "owner must not be null"));
  }

  /**
   * Records that this node applied the version ({@code sha256} of the file) of the owner's job file
   * now, making it the newest; returns the owner's versions, newest first.
   */
  public List<AppliedJobFile> recordJobFile(String owner, String sha256) {
    Objects.requireNonNull(owner, "owner must not be null");
    Objects.requireNonNull(sha256, "sha256 must not be null");
    return appliedFiles.record(owner, sha256, node());
  }

  /** PostgreSQL: listens for the other nodes' wake-ups and calls {@code wake} on each. */
  @Override
  public void onWake(Runnable wake) {
    Objects.requireNonNull(wake, "wake must not be null");
    if (wakeups != null) {
      wakeups.onWake(wake);
    }
  }

  @Override
  public List<Run> recover(Instant now) {
    return nodes.recover(Objects.requireNonNull(now, "now must not be null"));
  }

  @Override
  public boolean release(Claim claim) {
    return jobs.release(Objects.requireNonNull(claim, "claim must not be null"));
  }

  /**
   * Asks the occurrence key ({@link Firings}): a fired run of the job's first attempt at the
   * occurrence as a claim of it would hold it (whole microseconds, rounded up), in one read of its
   * index.
   */
  @Override
  public boolean fired(JobId job, Instant occurrence) {
    Objects.requireNonNull(job, "job must not be null");
    Objects.requireNonNull(occurrence, "occurrence must not be null");
    Firings.Key key = new Firings.Key(job.value(), Dialect.storedOccurrence(occurrence), 1);
    return !runs.fired(List.of(key)).isEmpty();
  }

  @Override
  public RunId newRunId() {
    return runIds.next();
  }

  @Override
  public void record(List<Run> batch) {
    behind.add(List.copyOf(Objects.requireNonNull(batch, "runs must not be null")));
  }

  @Override
  public Optional<Run> run(RunId id) {
    behind.flush();
    return runs.find(Objects.requireNonNull(id, "id must not be null"));
  }

  @Override
  public List<Run> runs(JobId job, int limit) {
    Objects.requireNonNull(job, "job must not be null");
    if (limit < 1) {
      return List.of();
    }
    behind.flush();
    return runs.query(new RunQuery(job, Set.of(), Math.min(limit, RunQuery.MAX_LIMIT), null))
        .items();
  }

  @Override
  public RunPage runs(RunQuery query) {
    behind.flush();
    return runs.query(Objects.requireNonNull(query, "query must not be null"));
  }

  @Override
  public int prune(Instant endedBefore, int keepPerJob, int batchSize) {
    Objects.requireNonNull(endedBefore, "endedBefore must not be null");
    if (keepPerJob < 0) {
      throw new IllegalArgumentException("keepPerJob must not be negative, was " + keepPerJob);
    }
    if (batchSize < 1 || batchSize > MAX_PRUNE_BATCH) {
      throw new IllegalArgumentException(
          "batchSize must be 1-" + MAX_PRUNE_BATCH + ", was " + batchSize);
    }
    behind.flush();
    return runs.prune(endedBefore, keepPerJob, batchSize);
  }

  @Override
  public List<Quarantined> quarantined() {
    return jobs.quarantined();
  }

  @Override
  public void quarantine(JobId id, String reason) {
    jobs.quarantine(
        Objects.requireNonNull(id, "id must not be null"),
        Objects.requireNonNull(reason, "reason must not be null"));
  }

  @Override
  public boolean unquarantine(JobId id, String reason) {
    return jobs.unquarantine(
        Objects.requireNonNull(id, "id must not be null"),
        Objects.requireNonNull(reason, "reason must not be null"));
  }

  /** Closes the connections; later calls fail as {@link Kind#CLOSED}. */
  @Override
  public void close() {
    try {
      if (wakeups != null) {
        wakeups.close();
      }
      behind.close();
    } finally {
      try {
        nodes.close();
      } finally {
        db.close();
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcJobStore(" + db.describe() + ")";
  }

  /** Opens a {@link JdbcJobStore}; every setter checks its value at once. */
  public static final class Builder {
    /** Connections in the PostgreSQL pool unless set. */
    public static final int DEFAULT_POOL_SIZE = 4;

    /** The most connections in the PostgreSQL pool. */
    public static final int MAX_POOL_SIZE = 100;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String url;
    private final boolean postgres;
    private String schema;
    private String user;
    private String password;
    private int poolSize = DEFAULT_POOL_SIZE;
    private Clock clock = Clock.systemUTC();
    private boolean applyMigrations = true;
    private Duration lease = DEFAULT_LEASE;

    private Builder(String url) {
      Objects.requireNonNull(url, "jdbcUrl must not be null");
      this.postgres = url.startsWith(PostgresDialect.PREFIX);
      if (!postgres && !url.startsWith(SqliteDialect.PREFIX)) {
        throw new IllegalArgumentException(
            "a JDBC URL must start with "
                + SqliteDialect.PREFIX
                + " or "
                + PostgresDialect.PREFIX
                + ", was '"
                + PostgresDialect.masked(url)
                + "'");
      }
      if (url.equals(SqliteDialect.PREFIX)) {
        throw new IllegalArgumentException(
            "a SQLite URL must name a file (jdbc:sqlite:chime-data/chime.db), was '" + url + "'");
      }
      this.url = url;
    }

    /**
     * PostgreSQL only: the schema the tables live in (created if missing); default: the first of
     * the connection's search_path.
     */
    public Builder schema(String name) {
      requirePostgres("schema");
      Objects.requireNonNull(name, "schema must not be null");
      if (!IDENTIFIER.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "schema must be an SQL identifier (1-63 letters, digits and _, not starting with a"
                + " digit), was '"
                + name
                + "'");
      }
      this.schema = name;
      return this;
    }

    /** PostgreSQL only: the user to connect as (default: the URL's). */
    public Builder user(String name) {
      requirePostgres("user");
      this.user = Objects.requireNonNull(name, "user must not be null");
      return this;
    }

    /** PostgreSQL only: the password (default: the URL's, or none). */
    public Builder password(String secret) {
      requirePostgres("password");
      this.password = Objects.requireNonNull(secret, "password must not be null");
      return this;
    }

    /** PostgreSQL only: the most pooled connections, 1-{@value #MAX_POOL_SIZE}. */
    public Builder poolSize(int connections) {
      requirePostgres("poolSize");
      if (connections < 1 || connections > MAX_POOL_SIZE) {
        throw new IllegalArgumentException(
            "poolSize must be 1-" + MAX_POOL_SIZE + ", was " + connections);
      }
      this.poolSize = connections;
      return this;
    }

    /** The clock for the rows' created/updated times (default: the system clock, UTC). */
    public Builder clock(Clock source) {
      this.clock = Objects.requireNonNull(source, "clock must not be null");
      return this;
    }

    /**
     * Whether opening applies the missing migrations (default true). Turn it off when your own
     * migration tool applies the SQL files (docs/schema.md); the store then checks the tables are
     * there.
     */
    public Builder applyMigrations(boolean apply) {
      this.applyMigrations = apply;
      return this;
    }

    /**
     * How long a claim lasts, and how long a node may be silent before the others take over its
     * runs (default {@link JdbcJobStore#DEFAULT_LEASE}); at least twice the claim look-ahead, at
     * most an hour.
     */
    public Builder lease(Duration length) {
      Objects.requireNonNull(length, "lease must not be null");
      if (length.compareTo(CLAIM_AHEAD.multipliedBy(2)) < 0
          || length.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "lease must be " + CLAIM_AHEAD.multipliedBy(2) + " to PT1H, was " + length);
      }
      this.lease = length;
      return this;
    }

    private void requirePostgres(String option) {
      if (!postgres) {
        throw new IllegalArgumentException(option + " applies to PostgreSQL only, not to " + url);
      }
    }

    /**
     * Connects and brings the schema up to date; fails naming the database and the cause. The
     * exception types that job definitions name ({@code RetryPolicy} retry-on and abort-on) are
     * looked up, on every later read, in the context class loader of the thread that calls this
     * (else this library's own).
     */
    public JdbcJobStore open() {
      Dialect db =
          postgres
              ? PostgresDialect.open(url, user, password, schema, poolSize)
              : SqliteDialect.open(url);
      try {
        if (applyMigrations) {
          Migrations.apply(db, clock);
        } else {
          requireTables(db);
        }
        return new JdbcJobStore(db, clock, lease);
      } catch (RuntimeException e) {
        db.close();
        throw e;
      }
    }

    private static void requireTables(Dialect db) {
      for (int i = 0; i < Migrations.PROBES.size(); i++) {
        for (String probe : Migrations.PROBES.get(i)) {
          int dot = probe.indexOf('.');
          String table = dot < 0 ? probe : probe.substring(0, dot);
          String sql = "SELECT " + (dot < 0 ? "1" : probe.substring(dot + 1)) + " FROM " + table;
          try {
            db.autocommit(
                "find " + probe, session -> session.prepare(sql + " WHERE 1 = 0").execute());
          } catch (SchedulerException e) {
            throw new SchedulerException(
                Kind.INVALID,
                db.describe()
                    + " has no "
                    + (dot < 0 ? "table " : "column ")
                    + probe
                    + ": apply db/migration/"
                    + db.migrationFolder()
                    + "/"
                    + Migrations.FILES.get(i)
                    + " and the files after it (docs/schema.md), or let the store apply them",
                e);
          }
        }
      }
    }
  }
}
