/**
 * The {@code chime} command: offline cron commands, and client commands that drive a Chime server
 * over its REST API.
 *
 * <p>Design notes on the client. One {@code ApiClient} (the JDK's {@code java.net.http}, no further
 * dependency) turns every refusal into one line: a problem+json answer as its title, detail and
 * field (exit 2 for 400 and 422, the caller's input; 1 otherwise), a server that cannot be reached
 * as a message naming its URL. {@code --json} prints the server's body as it came, so scripts see
 * the API's own contract rather than a second one. {@code jobs run --wait} polls the run record
 * (every 200 ms) instead of reading the SSE stream: a poll survives proxies and reconnects without
 * bookkeeping, carries progress and the final state in one place, and finds the next attempt of a
 * retried run by its occurrence; the cost, a few small requests a second for one run, is
 * negligible. {@code plan} and {@code apply} compute the plan in the client from the files and the
 * server's jobs, so {@code plan} needs only read access and shows exactly what {@code apply} then
 * sends.
 */
package dev.chime.cli;
