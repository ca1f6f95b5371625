/**
 * The store SPI: what a scheduler needs from the place it keeps jobs and runs. Chime ships an
 * in-memory store ({@link dev.chime.spi.JobStore#inMemory}) and, in {@code chime-jdbc}, SQLite and
 * PostgreSQL stores; all pass one contract test.
 *
 * <p>The shape follows what makes a database-backed scheduler fast and safe (REFERENCE.md): the
 * engine claims the occurrences due within a look-ahead window in one call ({@code claim}), with a
 * lease and a fencing token per job, and holds them in memory until they are due. Claiming one job
 * per round trip caps PostgreSQL at 3-4k jobs/s on this machine kind; batches of 100 reach ~45k.
 */
package dev.chime.spi;
