package dev.chime.bench.engine;

/**
 * Job counts of the engine scenario.
 *
 * @param executions jobs of the {@code executions_per_sec} burst
 * @param pending jobs timed by {@code schedule_ns} and held by {@code heap_bytes_per_pending_job}
 * @param latenessSeconds how long each lateness pass (and its warm-up) schedules at its rate
 */
public record Sizes(int executions, int pending, double latenessSeconds) {

  /** The sizes every system uses unless it says otherwise; quick mode divides them by 20. */
  static Sizes standard(boolean quick) {
    return quick ? new Sizes(50_000, 50_000, 0.3) : new Sizes(1_000_000, 1_000_000, 3.0);
  }

  /**
   * The sizes set by the system property {@code bench.sizes.SYSTEM=EXECUTIONS,PENDING,SECONDS}, if
   * there is one, else {@code sizes}.
   */
  static Sizes overridden(String system, Sizes sizes) {
    String value = System.getProperty("bench.sizes." + system);
    if (value == null || value.isBlank()) {
      return sizes;
    }
    String[] parts = value.split(",");
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "bench.sizes." + system + " must be EXECUTIONS,PENDING,SECONDS, was " + value);
    }
    return new Sizes(
        Integer.parseInt(parts[0].strip()),
        Integer.parseInt(parts[1].strip()),
        Double.parseDouble(parts[2].strip()));
  }

  /** These sizes, each at most {@code fraction} of itself. */
  public Sizes scaled(double executionsFraction, double pendingFraction, double latenessFraction) {
    return new Sizes(
        (int) Math.max(1, executions * executionsFraction),
        (int) Math.max(1, pending * pendingFraction),
        latenessSeconds * latenessFraction);
  }
}
