package dev.chime.bench.harness;

/** Nearest-rank percentiles over a pass in which some jobs may never have run. */
public final class Percentiles {
  private Percentiles() {}

  /**
   * The nearest-rank percentile over {@code total} jobs, of which {@code sorted} (ascending) ran;
   * positive infinity when it falls among jobs that never ran.
   */
  public static double nearestRank(long[] sorted, int total, double quantile) {
    int rank = (int) Math.ceil(quantile * total);
    if (rank < 1) {
      rank = 1;
    }
    return rank <= sorted.length ? sorted[rank - 1] : Double.POSITIVE_INFINITY;
  }
}
