package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.SessionIdManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the server sets Jetty up so that an idle server loads less: a session id manager that seeds
 * no SecureRandom, and Javalin's servlet held inside a plain one (see docs/benchmarks.md, Server).
 */
class JettySetUpTest {
  @TempDir Path dir;

  @Test
  void theRunningServerUsesBothAndAnswers() {
    try (ChimeServer server =
        ChimeServer.start(ServerSettings.builder().dataDir(dir).port(0).build())) {
      SessionIdManager ids = server.jetty().getBean(SessionIdManager.class);
      assertThat(ids).isInstanceOf(NoSessionIds.class);
      assertThat(ids.isStarted()).isTrue();
      assertThat(((NoSessionIds) ids).getRandom()).isNull();
      assertThat(
              server
                  .jetty()
                  .getDescendant(org.eclipse.jetty.ee10.servlet.SessionHandler.class)
                  .getSessionIdManager())
          .isSameAs(ids);

      ServletHolder[] holders =
          server
              .jetty()
              .getDescendant(ServletContextHandler.class)
              .getServletHandler()
              .getServlets();
      // Jetty adds its own Default404Servlet (a Java class) at start; no holder holds Javalin's.
      assertThat(Arrays.stream(holders).map(ServletHolder::getHeldClass))
          .contains(PlainServlet.class)
          .noneMatch(held -> held.getName().startsWith("io.javalin"));
      ServletHolder plain =
          Arrays.stream(holders)
              .filter(h -> h.getHeldClass() == PlainServlet.class)
              .findFirst()
              .orElseThrow();
      PlainServlet servlet = (PlainServlet) plain.getServletInstance();
      assertThat(servlet.javalin().getClass().getName())
          .isEqualTo("io.javalin.http.servlet.JavalinServlet");
      assertThat(servlet.getServletConfig()).isNotNull(); // init was passed on
      assertThat(servlet.getServletConfig().getServletName()).isEqualTo(plain.getName());
      assertThat(servlet.getServletConfig()).isSameAs(servlet.javalin().getServletConfig());
      assertThat(servlet.getServletInfo()).isEqualTo(servlet.javalin().getServletInfo());
      assertThat(plain.isAsyncSupported()).isTrue(); // the event stream needs it

      Http http = new Http(server);
      assertThat(http.get("/health/live").status()).isEqualTo(200);
      assertThat(http.get("/api/v1/jobs/none").status()).isEqualTo(404);
    }
  }

  @Test
  void theSessionIdManagerHandsOutNoIds() {
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
