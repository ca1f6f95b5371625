package dev.chime.jdbc;

import dev.chime.Scheduler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One node of {@link PostgresClusterTest}: a scheduler on the schema whose handler appends {@code
 * runId jobId scheduledFor attempt node} to the node's log before it works for up to 200 ms (the
 * write reaches the kernel at once, so a SIGKILL does not lose it). Started with {@code SCHEMA LOG
 * NAME}; its connections carry {@code ApplicationName=NAME}, so the test can terminate its
 * backends. It runs until killed or until its standard input closes.
 */
public final class ClusterChild {
  /** Short, so that a killed or cut-off node's runs are taken over within seconds. */
  static final Duration LEASE = Duration.ofSeconds(4);

  private ClusterChild() {}

  /** Entry point. */
  public static void main(String[] args) throws IOException {
    JdbcJobStore store =
        JdbcJobStore.builder(PostgresServer.URL + "?ApplicationName=" + args[2])
            .user(args.length > 3 ? args[3] : PostgresServer.USER)
            .schema(args[0])
            .poolSize(6)
            .lease(LEASE)
            .open();
    try (FileChannel log =
            FileChannel.open(
                Path.of(args[1]),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        Scheduler scheduler =
            Scheduler.builder().store(store).clock(Clock.systemUTC()).maxConcurrency(16).build()) {
      scheduler.register(
          "work",
          ctx -> {
            String line =
                ctx.runId()
                    + " "
                    + ctx.jobId()
                    + " "
                    + ctx.scheduledFor()
                    + " "
                    + ctx.attempt()
                    + " "
                    + store.node()
                    + "\n";
            synchronized (log) {
              log.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(200)); // work a kill can land in
          });
      scheduler.start();
      System.out.println("ready " + store.node());
      System.out.flush();
      while (System.in.read() >= 0) {
        // runs until the parent closes our stdin (or kills us)
      }
    } finally {
      store.close();
    }
  }
}
