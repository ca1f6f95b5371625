package dev.chime.internal.engine;

import dev.chime.spi.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What a scheduler was built with.
 *
 * @param clock where every instant comes from
 * @param store where jobs and runs are kept
 * @param maxConcurrency runs at once
 * @param platformThreads a pool of this many platform threads, or 0 for virtual threads
 * @param shutdownGrace how long shutdown waits for running runs
 * @param groupLimits runs at once per concurrency group
 * @param manual whether runs happen only in {@link Engine#runDue} on the caller's thread
 * @param retention how old an ended run may grow before a store that prunes deletes it (each job's
 *     newest {@code retainPerJob} ended runs stay), or null to keep history until pruned
 * @param retainPerJob ended runs per job kept whatever their age
 */
public record Settings(
    Clock clock,
    JobStore store,
    int maxConcurrency,
    int platformThreads,
    Duration shutdownGrace,
    Map<String, Integer> groupLimits,
    boolean manual,
    Duration retention,
    int retainPerJob) {

  /** These settings, for a scheduler driven by {@link Engine#runDue} (the test kit). */
  public Settings manually() {
    return new Settings(
        clock,
        store,
        maxConcurrency,
        platformThreads,
        shutdownGrace,
        groupLimits,
        true,
        retention,
        retainPerJob);
  }
}
