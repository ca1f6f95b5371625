package dev.chime.server;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * Javalin's servlet, handed to Jetty inside a plain Java one. Jetty's {@code ServletHolder} asks
 * the held servlet's class for {@code @ServletSecurity} when it starts, and asking a class for any
 * annotation parses all of them: Javalin's servlet is a Kotlin class, whose {@code @Metadata} was
 * parsed into annotation proxies spun at start-up (about 90 classes, resident for the server's
 * life; docs/benchmarks.md, Server). This class carries no annotations and passes every call on.
 */
final class PlainServlet implements Servlet {
  private final Servlet javalin;

  PlainServlet(Servlet javalin) {
    this.javalin = javalin;
  }

  /** The servlet it passes calls on to. */
  Servlet javalin() {
    return javalin;
  }

  @Override
  public void init(ServletConfig config) throws ServletException {
    javalin.init(config);
  }

  @Override
  public ServletConfig getServletConfig() {
    return javalin.getServletConfig();
  }

  @Override
  public void service(ServletRequest request, ServletResponse response)
      throws ServletException, IOException {
    javalin.service(request, response);
  }

  @Override
  public String getServletInfo() {
    return javalin.getServletInfo();
  }

  @Override
  public void destroy() {
    javalin.destroy();
  }
}
