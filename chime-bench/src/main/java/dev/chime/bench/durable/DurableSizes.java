package dev.chime.bench.durable;

/**
 * Job counts of the durable scenario.
 *
 * @param batch jobs handed over in the one timed batch call of {@code batch_schedule_per_sec}
 * @param executions jobs all due at one instant, for {@code executions_per_sec}
 * @param latenessSeconds how long the lateness producer schedules at {@link #LATENESS_RATE}
 */
record DurableSizes(int batch, int executions, double latenessSeconds) {
  /** The lateness producer's rate, jobs per second: the same for every system. */
  static final int LATENESS_RATE = 500;

  /** The sizes every system uses unless it says otherwise; quick mode is a smoke run. */
  static DurableSizes standard(boolean quick) {
    return quick ? new DurableSizes(500, 300, 1.0) : new DurableSizes(20_000, 20_000, 20.0);
  }

  /**
   * The sizes set by {@code bench.durable.sizes.SYSTEM=BATCH,EXECUTIONS,SECONDS}, if given, else
   * {@code sizes}.
   */
  static DurableSizes overridden(String system, DurableSizes sizes) {
    String value = System.getProperty("bench.durable.sizes." + system);
    if (value == null || value.isBlank()) {
      return sizes;
    }
    String[] parts = value.split(",");
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "bench.durable.sizes." + system + " must be BATCH,EXECUTIONS,SECONDS, was " + value);
    }
    return new DurableSizes(
        Integer.parseInt(parts[0].strip()),
        Integer.parseInt(parts[1].strip()),
        Double.parseDouble(parts[2].strip()));
  }

  /** Jobs of the lateness pass. */
  int latenessJobs() {
    return Math.max(1, (int) Math.round(LATENESS_RATE * latenessSeconds));
  }
}
