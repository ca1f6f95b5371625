/**
 * The in-memory store.
 *
 * <p><b>Layout.</b> A pending job is an int slot in a column table ({@link
 * dev.chime.internal.store.JobTable}): its id, definition, trigger, next fire time, run count,
 * version, heap position and a state byte sit in one array each, so a job costs its array elements
 * and no object of its own (an object per job pays a 12-byte header and padding, and a {@code
 * HashMap} entry 32 bytes more). Ids map to slots through an open-addressing index of longs, the
 * id's mixed hash beside the slot, with linear probing and backward-shift deletion (no tombstones):
 * a probe reads an id only when the hashes agree, and a deletion moves entries by their stored
 * hashes. The due and lease queues are 4-ary heaps of slots ({@link
 * dev.chime.internal.store.SlotHeap}) with the keys in primitive arrays; a claimed job's fencing
 * token is its tie-breaking order in the lease heap (one sequence for all jobs, so a stale token
 * never matches a later claim), and a ring of recent claims finds a claimed job's slot from its
 * token without an id lookup.
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
 * each with its arrays' spare length). Finished jobs are retired by (slot, id, version) entries in
 * a ring, so an entry of a job that changed or was deleted since is stale without a lookup, and
 * removed with the hash taken while the job was in the cache.
 */
package dev.chime.internal.store;
