/**
 * The in-memory store.
 *
 * <p><b>Layout.</b> A pending job is an int slot in a table ({@link
 * dev.chime.internal.store.JobTable}) of two arrays: five references per slot (id, definition,
 * trigger, next fire time, latest fired occurrence) and three longs (run count, version, and a word
 * holding the queue position, the state and queue bits and 24 bits of the id's hash), so a job
 * costs its array elements and no object of its own (an object per job pays a 12-byte header and
 * padding, and a {@code HashMap} entry 32 bytes more), and touching a job costs two cache lines (at
 * times three: a slot's 20 bytes of references may straddle two). Ids map to slots through an
 * open-addressing index of longs, the id's mixed hash beside the slot, with linear probing and
 * backward-shift deletion (no tombstones): a probe reads an id only when the hashes agree, and a
 * deletion moves entries by their stored hashes. Unclaimed jobs wait in a {@link
 * dev.chime.internal.store.DueQueue}: a wheel of 1 ms buckets over the next 8.6 s in front of a
 * 4-ary heap of slots ({@link dev.chime.internal.store.SlotHeap}, keys in primitive arrays) for
 * later ones. Leases are a ring indexed by fencing token ({@link dev.chime.internal.store.Leases};
 * one sequence for all jobs, so a stale token never matches a later claim), with such a heap for a
 * lease that ends before the ring's newest; ending a lease marks its entry and sifts nothing. A
 * ring of recent claims (slot and id by token) finds a claimed job's slot from its token without an
 * id lookup.
 *
 * <p><b>Why the wheel and two arrays</b> (2026-12-07). A million one-shot jobs due within a second
 * are claimed in due order, which is a random order in memory. With a column per field and one heap
 * for every due job, each claimed job cost some 25-35 cache misses: the heap's sift through ten
 * levels (each moved entry's position written back into its slot's column), then one line per
 * column read or written, then its id's objects. The wheel takes a due job with an append and a pop
 * from a heap of about a bucket's jobs, both in the cache; the two arrays bring a slot's fields in
 * two lines; a claim reads each batch's ids in a loop of their own first (the misses overlap, and
 * the engine, which keys its map of runs by the id, then finds them in the cache); and dropping an
 * old finished job reads one word of its slot (a stamp in its position, see below) and its index
 * bucket, both read a few retires ahead. A store-only harness (1M jobs inserted in random due
 * order, then claimed 512 at a time and advanced as finished, thread CPU time, a loaded machine):
 * 2.2-3.1 us a job before, 1.1-1.4 us after. The engine figures are in docs/benchmarks.md.
 *
 * <p><b>Fired occurrences</b> ({@code JobStore.fired}): each job's latest is a fifth reference in
 * its slot, written by the advance that fired it beside the next fire time it writes anyway; the
 * latest at each of a job's trigger changes sits beside the table ({@link
 * dev.chime.internal.store.Fired}), only for the jobs whose trigger changed after they fired. The
 * reference is 4 bytes per job (196 B per pending job, against the goal of 200). A first version
 * kept the latest in a table of its own, probed by every advance: the executions benchmark fell
 * about 10% (4 alternating passes: 523k against 582k executions/s); in the slot it was 600k against
 * 634k, within this VM's noise (2026-12-08).
 *
 * <p><b>Plain jobs.</b> A job whose every field but id, handler and trigger is at its default (no
 * params, labels, timeout or group; the default policies, priority and owner) keeps only those
 * three; its {@code Job} is made again, equal to the one stored, when it is read or claimed. The
 * {@code Job} record alone is 80 bytes; making it again costs about 100 ns per claim (its
 * constructor checks the handler name), far less than the cache misses of reading the kept one back
 * at a million jobs. Any other job keeps its {@code Job} as given.
 *
 * <p><b>Array lengths</b> are a power of two less 16 elements (the array header), so that a large
 * column fills whole G1 regions: an array of exactly 2^k elements spills its 16-byte header into
 * one more region, which G1 then holds whole. With 4 MiB regions (a 6 GiB heap) that was 53 of 247
 * bytes per pending job at 1M jobs.
 *
 * <p><b>Figures</b> (1M pending one-shot jobs due in 1-2 h, ids {@code j-1000000}..., 6 GiB heap,
 * heap after GC over jobs): 342 B per job before (a {@code Slot} object per job that was its own
 * heap entry, a {@code HashMap} of them, the {@code Job}), 189 B after, of which the job's own id
 * ({@code JobId} and its string, 72 B) and {@code Trigger.Once} with its {@code Instant} (40 B) are
 * 112 B: the store's own share fell from ~150 B to ~77 B (columns 39 B, index 17 B, due heap 21 B,
 * each with its arrays' spare length); the two arrays and the hash bits make it 193 B (2026-12-07),
 * the fired reference 196 B (2026-12-08). Finished jobs are retired through a ring of slots: a
 * finished job's slot, which is in no queue, keeps its place in the ring (a stamp) as its position,
 * and any later change of the job or the slot (an update, a new finish, a delete, reuse) moves the
 * position on or clears the state, so an entry whose slot no longer shows its stamp is stale, known
 * from one word without reading the id.
 */
package dev.chime.internal.store;
