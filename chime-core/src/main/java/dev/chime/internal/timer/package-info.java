/**
 * The engine's timer: pending runs ordered by exact deadline.
 *
 * <p>Design: an indexed 4-ary min-heap ({@link dev.chime.internal.timer.TimerHeap}). Each entry
 * knows its slot, so cancel and reschedule are O(log n) sift operations instead of the linear scan
 * of {@code PriorityQueue.remove(Object)} (13.5 us per cancel at 100k pending on this machine kind,
 * REFERENCE.md). Deadlines are exact nanosecond values, not wheel ticks: a hashed wheel with a 1 ms
 * tick gives ~1 ms p50 lateness, a heap plus one precise park gives the timer-slack floor (~50 us).
 * Four children per node halve the depth of a binary heap and keep siblings in one cache line;
 * {@code pollDue} drains every due entry in one call, so the engine wakes once per batch. An entry
 * is one small object (deadline, payload, slot: 32 bytes with compressed oops) plus 20 bytes of
 * array slots (the entry reference and the two keys, see below), well under the 200-byte budget.
 * Ties are broken by insertion order, so runs due together start first-come first-served before
 * priority ordering is applied by the admission step. The keys (deadline, insertion order) are kept
 * in two {@code long[]} arrays beside the entry array, so a sift reads contiguous memory instead of
 * one entry object per comparison (at 1M pending, entries scattered over the heap made every
 * comparison a cache miss).
 *
 * <p>Not thread-safe: the engine owns it under its own lock.
 */
package dev.chime.internal.timer;
