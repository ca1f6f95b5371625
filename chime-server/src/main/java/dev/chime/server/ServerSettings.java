package dev.chime.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link ChimeServer} runs. Build one with {@link #builder()}; every setter checks its value at
 * once and names the rule it breaks.
 *
 * @param dataDir where the embedded SQLite database lives (default {@value #DEFAULT_DATA_DIR})
 * @param dbUrl the JDBC URL of the store: {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql:..};
 *     null for {@code jdbc:sqlite:DATA_DIR/chime.db}
 * @param bind the address to listen on (default {@value #DEFAULT_BIND})
 * @param port the port (default {@value #DEFAULT_PORT}; 0 picks a free one)
 * @param tokens the API tokens: SHA-256 hex of each token to its role; empty for none (then only a
 *     loopback bind is allowed)
 * @param configFile a job file applied at start-up with owner {@code file:PATH}, or null
 * @param pluginsDir a directory of plugin jars with more job kinds, or null
 * @param shutdownGrace how long shutdown waits for running jobs before interrupting them
 * @param maxConcurrency how many runs may run at once
 * @param retention how long ended runs are kept (null: until pruned by hand)
 * @param retainPerJob how many ended runs of each job are kept whatever their age
 * @param maxRequestBytes the largest request body accepted
 */
public record ServerSettings(
    Path dataDir,
    String dbUrl,
    String bind,
    int port,
    Map<String, Role> tokens,
    Path configFile,
    Path pluginsDir,
    Duration shutdownGrace,
    int maxConcurrency,
    Duration retention,
    int retainPerJob,
    int maxRequestBytes) {

  /** The data directory unless set. */
  public static final String DEFAULT_DATA_DIR = "chime-data";

  /** The bind address unless set: loopback only. */
  public static final String DEFAULT_BIND = "127.0.0.1";

  /** The port unless set. */
  public static final int DEFAULT_PORT = 8080;

  /** How long shutdown waits for running jobs unless set. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

  /** Runs at once unless set. */
  public static final int DEFAULT_MAX_CONCURRENCY = 64;

  /** Ended runs are kept this long unless set. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  /** Ended runs of each job kept whatever their age, unless set. */
  public static final int DEFAULT_RETAIN_PER_JOB = 100;

  /** The largest request body unless set (1 MiB). */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1 << 20;

  /**
   * Checks every value by the builder's rules (so settings made without the builder are held to
   * them too) and copies the tokens.
   */
  public ServerSettings {
    Builder check =
        new Builder()
            .dataDir(dataDir)
            .bind(bind)
            .port(port)
            .tokens(tokens)
            .shutdownGrace(shutdownGrace)
            .maxConcurrency(maxConcurrency)
            .maxRequestBytes(maxRequestBytes);
    if (dbUrl != null) {
      check.dbUrl(dbUrl);
    }
    if (retention != null) {
      check.retention(retention, retainPerJob);
    } else {
      Builder.inRange("retention keep per job", retainPerJob, 0, 1_000_000);
    }
    tokens = Map.copyOf(tokens);
  }

  /** The JDBC URL actually used: {@link #dbUrl}, or the SQLite file in the data directory. */
  public String effectiveDbUrl() {
    return dbUrl != null ? dbUrl : "jdbc:sqlite:" + dataDir.resolve("chime.db");
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link ServerSettings}; setters validate at once. */
  public static final class Builder {
    private Path dataDir = Path.of(DEFAULT_DATA_DIR);
    private boolean dataDirGiven;
    private String dbUrl;
    private String bind = DEFAULT_BIND;
    private int port = DEFAULT_PORT;
    private Map<String, Role> tokens = Map.of();
    private Path configFile;
    private Path pluginsDir;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
    private Duration retention = DEFAULT_RETENTION;
    private int retainPerJob = DEFAULT_RETAIN_PER_JOB;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;

    private Builder() {}

    /** Where the embedded SQLite database lives; not with {@link #dbUrl}, which names the store. */
    public Builder dataDir(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "data dir must not be null");
      this.dataDirGiven = true;
      return this;
    }

    /** The store's JDBC URL ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql:...}). */
    public Builder dbUrl(String url) {
      Objects.requireNonNull(url, "db url must not be null");
      if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "db url must start with jdbc:sqlite: or jdbc:postgresql:, was '" + url + "'");
      }
      this.dbUrl = url;
      return this;
    }

    /** The address to listen on: an IP address or host name. */
    public Builder bind(String address) {
      Objects.requireNonNull(address, "bind address must not be null");
      if (address.isBlank() || address.chars().anyMatch(c -> c <= ' ')) {
        throw new IllegalArgumentException(
            "bind address must be a host name or IP address, was '" + address + "'");
      }
      this.bind = address;
      return this;
    }

    /** The port, 0-65535 (0 picks a free port). */
    public Builder port(int number) {
      this.port = inRange("port", number, 0, 65_535);
      return this;
    }

    /** The tokens: SHA-256 hex of each token to its role (see {@link Tokens}). */
    public Builder tokens(Map<String, Role> hashes) {
      Objects.requireNonNull(hashes, "tokens must not be null");
      Tokens.requireHashes(hashes);
      this.tokens = Map.copyOf(hashes);
      return this;
    }

    /** A job file applied at start-up (its jobs owned by {@code file:PATH}). */
    public Builder configFile(Path file) {
      this.configFile = Objects.requireNonNull(file, "config file must not be null");
      return this;
    }

    /** A directory of plugin jars. */
    public Builder pluginsDir(Path dir) {
      this.pluginsDir = Objects.requireNonNull(dir, "plugins dir must not be null");
      return this;
    }

    /** How long shutdown waits for running jobs, 0 s to 1 h. */
    public Builder shutdownGrace(Duration grace) {
      Objects.requireNonNull(grace, "shutdown grace must not be null");
      if (grace.isNegative() || grace.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("shutdown grace must be 0s-1h, was " + grace);
      }
      this.shutdownGrace = grace;
      return this;
    }

    /** How many runs may run at once, 1-10,000. */
    public Builder maxConcurrency(int runs) {
      this.maxConcurrency = inRange("max concurrency", runs, 1, 10_000);
      return this;
    }

    /**
     * Ended runs older than {@code maxAge} (1 minute to 100 years) are deleted, except each job's
     * newest {@code keepPerJob} (0-1,000,000).
     */
    public Builder retention(Duration maxAge, int keepPerJob) {
      Objects.requireNonNull(maxAge, "retention must not be null");
      if (maxAge.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException("retention must be at least 1m, was " + maxAge);
      }
      if (maxAge.compareTo(dev.chime.Job.LONGEST) > 0) {
        throw new IllegalArgumentException(
            "retention must be at most 36500d (100 years), was " + maxAge);
      }
      this.retainPerJob = inRange("retention keep per job", keepPerJob, 0, 1_000_000);
      this.retention = maxAge;
      return this;
    }

    /** Keeps ended runs until they are pruned by other means. */
    public Builder keepHistory() {
      this.retention = null;
      return this;
    }

    /** The largest request body, 1 KiB-64 MiB. */
    public Builder maxRequestBytes(int bytes) {
      this.maxRequestBytes = inRange("max request bytes", bytes, 1024, 64 << 20);
      return this;
    }

    /**
     * The settings.
     *
     * @throws IllegalStateException if both {@link #dataDir} and {@link #dbUrl} were given (the
     *     data directory holds only the embedded database, which a db url replaces)
     */
    public ServerSettings build() {
      if (dataDirGiven && dbUrl != null) {
        throw new IllegalStateException(
            "give a data dir or a db url, not both: the data dir holds only the embedded SQLite"
                + " database, which the db url "
                + dbUrl.substring(0, dbUrl.indexOf(':', 5) + 1)
                + "... replaces");
      }
      return new ServerSettings(
          dataDir,
          dbUrl,
          bind,
          port,
          tokens,
          configFile,
          pluginsDir,
          shutdownGrace,
          maxConcurrency,
          retention,
          retainPerJob,
          maxRequestBytes);
    }

    private static int inRange(String what, int value, int low, int high) {
      if (value < low || value > high) {
        throw new IllegalArgumentException(
            what + " must be " + low + "-" + high + ", was " + value);
      }
      return value;
    }
  }
}
