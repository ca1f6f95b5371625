/**
 * The Chime server: {@link dev.chime.server.ChimeServer#start} opens the store (SQLite in the data
 * directory, or PostgreSQL), starts the scheduler with the built-in job kinds and plugins, applies
 * the job file, and serves the REST API with Javalin.
 *
 * <p>Design notes. One route table ({@code Routes}) lists every path with its method, the role it
 * needs and the query parameters it takes; the server wraps each handler with the token check and
 * the parameter check, and the OpenAPI document is tested against the same table, so a route cannot
 * be added without being documented and secured. One exception mapper ({@code Problems}) turns
 * every refusal into RFC 9457 problem+json: 400 when the request cannot be read (bad JSON, a
 * parameter of the wrong type, an unknown parameter, a cursor we did not hand out), 422 when it
 * reads but breaks a rule (the {@code field} named), 404 for ids that do not exist (an id that
 * cannot exist is simply not found), 409 for a taken id or a run that has ended, 401/403 for
 * tokens. Cursors are opaque (base64 of the kind and the last key) so the paging scheme can change.
 * The SSE stream never lets a slow reader hold up the scheduler: the listener only queues, a
 * virtual thread per subscriber writes. Tokens are kept as SHA-256 hashes only: a leaked tokens
 * file does not leak tokens, and a token's role is found by hashing what was presented.
 */
package dev.chime.server;
