package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.SessionIdManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's session id manager: no ids, so no SecureRandom seeded at start. */
class NoSessionIdsTest {
  @TempDir Path dir;

  @Test
  void theRunningServerUsesItAndAnswers() throws Exception {
    try (ChimeServer server =
        ChimeServer.start(ServerSettings.builder().dataDir(dir).port(0).build())) {
      assertThat(server.jetty().getBean(SessionIdManager.class)).isInstanceOf(NoSessionIds.class);
      NoSessionIds ids = (NoSessionIds) server.jetty().getBean(SessionIdManager.class);
      assertThat(ids.isStarted()).isTrue();
      assertThat(ids.getRandom()).isNull();
      assertThat(new Http(server).get("/health/live").status()).isEqualTo(200);
    }
  }

  @Test
  void itHandsOutNoIds() {
    NoSessionIds ids = new NoSessionIds(new Server());
    ids.initRandom();
    assertThat(ids.getRandom()).isNull();
    assertThatThrownBy(() -> ids.newSessionId(1L))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Chime's server keeps no HTTP sessions");
    assertThatThrownBy(() -> ids.newSessionId(null, null, 1L))
        .isInstanceOf(IllegalStateException.class);
  }
}
