package dev.chime.server;

import dev.chime.JobHandler;
import dev.chime.Scheduler;
import dev.chime.jdbc.JdbcJobStore;
import dev.chime.server.kinds.JobKinds;
import dev.chime.server.kinds.Plugins;
import dev.chime.server.metrics.ServerMetrics;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Chime server: the store, the scheduler and the HTTP API. {@link #start} opens them in
 * that order; {@link #close} shuts down gracefully in the reverse order (stop firing, let running
 * jobs finish within the grace, interrupt and record the rest, then stop listening and close the
 * store).
 */
public final class ChimeServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChimeServer.class);

  private final ServerSettings settings;
  private final JdbcJobStore store;
  private final Scheduler scheduler;
  private final EventStream stream;
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private Javalin http;
  private ServerMetrics metrics;
  private List<Routes.Route> routes = List.of();
  private JobFile.Outcome jobFile;

  private ChimeServer(ServerSettings settings, JdbcJobStore store, Scheduler scheduler) {
    this.settings = settings;
    this.store = store;
    this.scheduler = scheduler;
    this.stream = new EventStream();
  }

  /**
   * Opens the store, starts the scheduler and listens. Fails with a message saying what to fix: a
   * non-loopback bind without tokens, a store that cannot be opened, a port in use.
   */
  public static ChimeServer start(ServerSettings settings) {
    Objects.requireNonNull(settings, "settings must not be null");
    try {
      java.net.InetAddress.getByName(settings.bind());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(
          "cannot listen on "
              + settings.bind()
              + ": no such host (give an IP address or a name"
              + " that resolves)",
          e);
    }
    if (settings.tokens().isEmpty() && !Auth.isLoopback(settings.bind())) {
      throw new IllegalArgumentException(
          "refusing to listen on "
              + settings.bind()
              + " without tokens: anyone on the network could run commands. Give tokens"
              + " (--tokens FILE) or bind to 127.0.0.1");
    }
    Plugins.Loaded plugins =
        settings.pluginsDir() == null ? null : Plugins.load(settings.pluginsDir());
    // Class names in job definitions (retry_on, abort_on) are looked up through the context class
    // loader, by the job parser and by the store's codec: with plugins it finds their exception
    // types too. Every thread the start makes (scheduler, HTTP) inherits it from this one.
    if (plugins == null) {
      return start(settings, Map.of());
    }
    return Plugins.withClasses(plugins.classes(), () -> start(settings, plugins.handlers()));
  }

  private static ChimeServer start(ServerSettings settings, Map<String, JobHandler> plugins) {
    if (settings.configFile() != null) {
      JobFile.check(settings.configFile()); // a bad file is refused before a store is made
    }
    JdbcJobStore store = openStore(settings);
    Clock clock = Clock.systemUTC();
    Scheduler scheduler;
    try {
      scheduler = scheduler(settings, store, clock, plugins);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    ChimeServer server = new ChimeServer(settings, store, scheduler);
    try {
      server.open(clock);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static JdbcJobStore openStore(ServerSettings settings) {
    if (settings.dbUrl() == null) {
      if (Files.exists(settings.dataDir()) && !Files.isDirectory(settings.dataDir())) {
        throw new IllegalArgumentException(
            "the data directory " + settings.dataDir() + " is a file, not a directory");
      }
      try {
        Files.createDirectories(settings.dataDir());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot create the data directory " + settings.dataDir() + ": " + e.getMessage(), e);
      }
    }
    return JdbcJobStore.builder(settings.effectiveDbUrl()).open();
  }

  private static Scheduler scheduler(
      ServerSettings settings, JdbcJobStore store, Clock clock, Map<String, JobHandler> plugins) {
    Scheduler.Builder builder =
        Scheduler.builder()
            .clock(clock)
            .store(store)
            .maxConcurrency(settings.maxConcurrency())
            .shutdownGrace(settings.shutdownGrace());
    if (settings.retention() != null) {
      builder.retention(settings.retention(), settings.retainPerJob());
    }
    Scheduler scheduler = builder.build();
    JobKinds.registerAll(scheduler, clock);
    plugins.forEach(scheduler::register);
    if (!plugins.isEmpty()) {
      LOG.info("plugin job kinds from {}: {}", settings.pluginsDir(), plugins.keySet());
    }
    return scheduler;
  }

  private void open(Clock clock) {
    scheduler.addListener(stream);
    metrics = ServerMetrics.bind(scheduler);
    if (settings.configFile() != null) {
      jobFile = JobFile.apply(settings.configFile(), scheduler, store);
      if (jobFile.status() == JobFile.Status.APPLIED) {
        LOG.info("{}", jobFile.message());
      } else {
        LOG.warn("{}", jobFile.message());
      }
    }
    routes =
        Routes.table(
            new JobsApi(scheduler, clock),
            new RunsApi(scheduler),
            new SystemApi(scheduler::nodes, ready::get, scheduler::publish),
            stream,
            metrics);
    Auth auth = new Auth(new Tokens(settings.tokens()));
    http = Javalin.create(config -> configure(config, routes, auth));
    try {
      http.start(); // after http is set: configure's servlet step reads it as Jetty starts
    } catch (RuntimeException e) {
      http = null; // never started: nothing for shutdown() to stop
      throw e;
    }
    // Only once it listens: a server that cannot (a port in use) must not have run any job.
    scheduler.start();
    ready.set(true);
    if (settings.tokens().isEmpty()) {
      LOG.warn(
          "no tokens configured: accepting requests only on loopback ({}), every caller is admin",
          settings.bind());
    }
    LOG.info("Chime listening on {} (store {})", baseUrl(), store);
  }

  private void configure(JavalinConfig config, List<Routes.Route> routes, Auth auth) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.startup.startupWatcherEnabled = false; // a thread that warns of a server never started
    config.jetty.host = settings.bind();
    config.jetty.port = settings.port();
    config.jetty.modifyServer(
        server -> {
          server.addBean(new NoSessionIds(server));
          server.setErrorHandler(new JettyProblems()); // requests refused before any route
        });
    config.jetty.modifyServletContextHandler(
        handler -> plainServlet(handler, http.javalinServlet()));
    config.http.maxRequestSize = settings.maxRequestBytes();
    config.concurrency.useVirtualThreads = true;
    config.jsonMapper(new LazyJsonMapper());
    // A known path asked with a method it does not take is 405 with Allow (Problems), not 404.
    config.http.prefer405over404 = true;
    for (Routes.Route route : routes) {
      config.routes.addHttpHandler(
          route.method(), route.path(), handler(route, route.action(), auth));
      if (route.method() == HandlerType.GET) {
        // Javalin answers HEAD on a GET path with an empty 200 itself, before any check: a
        // caller without a token was told yes, and a missing job existed. HEAD runs as GET
        // (Jetty sends no body for it); the stream only says whether it would stream.
        config.routes.addHttpHandler(
            HandlerType.HEAD, route.path(), handler(route, Routes.head(route), auth));
      }
    }
    Problems.install(config.routes);
  }

  private static io.javalin.http.Handler handler(
      Routes.Route route, Routes.Action action, Auth auth) {
    return ctx -> {
      Role caller = route.role() == null ? null : auth.require(ctx, route.role());
      route.checkQuery(ctx);
      requireUtf8(ctx);
      try {
        action.handle(ctx, caller);
      } catch (StackOverflowError e) {
        // Not an Exception, so no mapper would see it: the client got an empty text/plain
        // 500. Inputs are depth-limited, so this is a bug: logged as one, with a problem
        // body.
        throw new IllegalStateException("the request ran out of stack", e);
      }
    };
  }

  /**
   * Refuses a body that is not UTF-8 (400): read as text it would have had its bad bytes replaced
   * and been judged on what they turned into.
   */
  private static void requireUtf8(io.javalin.http.Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      return;
    }
    try {
      java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(body)); // reports malformed input by default
    } catch (java.nio.charset.CharacterCodingException e) {
      throw ApiException.malformed("body", "the body is not UTF-8 text");
    }
  }

  /** What start-up did with the {@code --config} file (null without one). */
  JobFile.Outcome jobFile() {
    return jobFile;
  }

  /** Hands Javalin's servlet to Jetty inside a {@link PlainServlet} (which says why). */
  static void plainServlet(
      org.eclipse.jetty.ee10.servlet.ServletContextHandler handler,
      jakarta.servlet.Servlet javalin) {
    for (org.eclipse.jetty.ee10.servlet.ServletHolder holder :
        handler.getServletHandler().getServlets()) {
      if (holder.getHeldClass() == javalin.getClass()) {
        holder.setServlet(new PlainServlet(javalin));
      }
    }
  }

  /** The Jetty server under Javalin (for tests of how it is set up). */
  org.eclipse.jetty.server.Server jetty() {
    return http.jettyServer().server();
  }

  /** The route table it serves. */
  List<Routes.Route> routes() {
    return routes;
  }

  /** The port it listens on (the free one picked, for port 0). */
  public int port() {
    return http.port();
  }

  /** The base URL, like {@code http://127.0.0.1:8080}. */
  public String baseUrl() {
    String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
    return "http://" + host + ":" + port();
  }

  /** The scheduler behind the API (for registering handlers, or reading state in tests). */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The settings it runs with. */
  public ServerSettings settings() {
    return settings;
  }

  /**
   * Shuts down gracefully: stops firing, waits up to the grace for running jobs, interrupts and
   * records the rest, then stops listening and closes the store. Returns whether every run ended
   * within the grace.
   */
  public boolean shutdown() {
    if (!closed.compareAndSet(false, true)) {
      return true;
    }
    ready.set(false);
    boolean clean = scheduler.shutdown();
    stream.close();
    if (metrics != null) {
      metrics.close();
    }
    if (http != null) {
      http.stop();
    }
    store.close();
    LOG.info("Chime stopped{}", clean ? "" : " (runs past the grace were interrupted)");
    return clean;
  }

  /** {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }
}
