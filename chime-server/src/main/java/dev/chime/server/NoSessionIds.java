package dev.chime.server;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.DefaultSessionIdManager;

/**
 * The session id manager Jetty's session handler finds on the server. Javalin always installs a
 * session handler, but Chime keeps no HTTP sessions (every request carries its own token), so this
 * manager hands out no ids and never seeds the {@code SecureRandom} that Jetty's default manager
 * starts with: the security providers and the native PRNG, about 40 classes at idle (see
 * docs/benchmarks.md, "What the idle server no longer loads").
 */
final class NoSessionIds extends DefaultSessionIdManager {
  NoSessionIds(Server server) {
    super(server);
  }

  /** No ids, so no source of randomness for them. */
  @Override
  public void initRandom() {
    // Nothing to seed.
  }

  @Override
  public String newSessionId(long seedTerm) {
    throw new IllegalStateException("Chime's server keeps no HTTP sessions");
  }
}
