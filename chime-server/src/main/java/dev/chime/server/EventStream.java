package dev.chime.server;

import dev.chime.Run;
import dev.chime.SchedulerEvent;
import dev.chime.SchedulerListener;
import io.javalin.http.sse.SseClient;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SSE stream of job and run changes. The scheduler's listener only numbers the event, keeps it
 * in the replay buffer and offers it to each subscriber's bounded queue (a listener must be quick);
 * a virtual thread per subscriber formats and writes to its connection, so one slow reader delays
 * nobody. A subscriber whose queue fills up ({@value #QUEUE} events behind) is told so and dropped:
 * it reconnects and reads the current state from the API. Events: {@code job} ({@code {"change":
 * ..., "job": ...}}, with secrets hidden from viewers as {@link Views#job} hides them) and {@code
 * run} (the run record without its log); each has the id {@code EPOCH-N}: EPOCH, 8 random base-36
 * digits, marks this server process (a new one at each start), and N counts this process's events
 * from 1.
 *
 * <p>Replay: the last {@value #REPLAY} events are kept (runs without their logs, formatted only
 * when sent). A client that reconnects with {@code Last-Event-ID: EPOCH-N} first gets every kept
 * event after N, then the live ones, in order and without a gap (the subscriber joins under the
 * buffer's lock). When N is older than the buffer or newer than the newest event, or the id is not
 * one of this process's (another EPOCH: from before a restart, or from another node; or not an id
 * at all), the client gets one {@code reset} event instead, {@code {"lastEventId": "...", "oldest":
 * ..., "newest": ...}}, whose id is the newest: it should read the current state from the API, and
 * later reconnects replay from there. Without the epoch an id from before a restart named some
 * event of the new process, and the client was replayed what followed that one: a silent gap.
 */
final class EventStream implements SchedulerListener, AutoCloseable {
  static final int QUEUE = 1024;
  static final int REPLAY = 1000;

  private final String epoch = newEpoch();
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  private final ArrayDeque<Entry> recent = new ArrayDeque<>(REPLAY); // guarded by lock
  private long newest; // guarded by lock

  /** 8 random base-36 digits: two processes with the same one are one in 2.8 * 10^12. */
  static String newEpoch() {
    long eightDigits = 36L * 36 * 36 * 36 * 36 * 36 * 36 * 36;
    return Long.toString(
        java.util.concurrent.ThreadLocalRandom.current().nextLong(eightDigits / 36, eightDigits),
        36);
  }

  /** The id of this process's event number {@code n}. */
  private String id(long n) {
    return epoch + "-" + n;
  }

  /** One event: what happened, numbered; its JSON made on first use, per audience. */
  private static final class Entry {
    final long id;
    final SchedulerEvent event;
    private volatile String full;
    private volatile String redacted;

    Entry(long id, SchedulerEvent event) {
      this.id = id;
      this.event = event;
    }

    String name() {
      return event instanceof SchedulerEvent.JobChanged ? "job" : "run";
    }

    /** The data for a subscriber that may ({@code secrets}) or may not see secrets. */
    String data(boolean secrets) {
      if (!(event instanceof SchedulerEvent.JobChanged job)) {
        return full(() -> Json.write(runData(((SchedulerEvent.RunChanged) event).run())));
      }
      if (secrets) {
        return full(() -> Json.write(jobData(job, true)));
      }
      String text = redacted;
      if (text == null) {
        text = Json.write(jobData(job, false));
        redacted = text;
      }
      return text;
    }

    private String full(java.util.function.Supplier<String> format) {
      String text = full;
      if (text == null) {
        text = format.get(); // racing writers format the same text: no harm
        full = text;
      }
      return text;
    }
  }

  /** The reset event, sent instead of a replay that cannot be made. */
  private record Reset(String data, String id) {}

  private final class Subscriber {
    final SseClient client;
    final boolean secrets;
    final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    final Thread writer;

    Subscriber(SseClient client, boolean secrets) {
      this.client = client;
      this.secrets = secrets;
      this.writer = Thread.ofVirtual().name("chime-sse").unstarted(this::drain);
    }

    void drain() {
      try {
        while (!client.terminated()) {
          Object message = queue.take();
          if (message instanceof Entry entry) {
            client.sendEvent(entry.name(), entry.data(secrets), id(entry.id));
          } else if (message instanceof Reset reset) {
            client.sendEvent("reset", reset.data(), reset.id());
          } else {
            break; // the end marker of close()
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        subscribers.remove(this);
        client.close();
      }
    }
  }

  /**
   * Takes a new connection: keeps it open, replays what it missed (its {@code Last-Event-ID}) and
   * sends it every change from now on, with secrets only if {@code secrets}.
   */
  void subscribe(SseClient client, boolean secrets) {
    client.keepAlive();
    Subscriber subscriber = new Subscriber(client, secrets);
    client.onClose(
        () -> {
          subscribers.remove(subscriber);
          subscriber.writer.interrupt();
        });
    String lastEventId = client.ctx().header("Last-Event-ID");
    synchronized (lock) {
      if (lastEventId != null) {
        subscriber.queue.addAll(missed(lastEventId.strip()));
      }
      subscribers.add(subscriber);
    }
    client.sendComment("connected");
    subscriber.writer.start();
  }

  /** What a client that last saw the id missed: the events after it, or a reset. */
  private List<Object> missed(String lastEventId) {
    long oldest = recent.isEmpty() ? newest + 1 : recent.peekFirst().id;
    long last = number(lastEventId);
    if (last < oldest - 1 || last > newest) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("lastEventId", lastEventId);
      data.put("oldest", recent.isEmpty() ? null : id(oldest));
      data.put("newest", id(newest));
      return List.of(new Reset(Json.write(data), id(newest)));
    }
    List<Object> missed = new ArrayList<>();
    for (Entry entry : recent) {
      if (entry.id > last) {
        missed.add(entry);
      }
    }
    return missed;
  }

  /** The N of one of this process's ids {@code EPOCH-N}; -1 for any other text. */
  private long number(String id) {
    String prefix = epoch + "-";
    if (!id.startsWith(prefix)) {
      return -1;
    }
    try {
      return Long.parseLong(id.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void onEvent(SchedulerEvent event) {
    SchedulerEvent kept =
        switch (event) {
          case SchedulerEvent.JobChanged job -> job;
          case SchedulerEvent.RunChanged run ->
              new SchedulerEvent.RunChanged(withoutLog(run.run()));
          case SchedulerEvent.PipelineChanged pipeline -> null;
        };
    if (kept == null) {
      return;
    }
    synchronized (lock) {
      Entry entry = new Entry(++newest, kept);
      if (recent.size() == REPLAY) {
        recent.removeFirst();
      }
      recent.addLast(entry);
      for (Subscriber subscriber : subscribers) {
        if (!subscriber.queue.offer(entry)) {
          subscribers.remove(subscriber);
          subscriber.writer.interrupt();
        }
      }
    }
  }

  /** The run as the stream shows it: no log, so the buffer holds no logs either. */
  private static Run withoutLog(Run run) {
    return run.log() == null
        ? run
        : new Run(
            run.id(),
            run.jobId(),
            run.scheduledFor(),
            run.attempt(),
            run.state(),
            run.reason(),
            run.startedAt(),
            run.finishedAt(),
            run.error(),
            null,
            run.progress(),
            run.progressMessage(),
            run.result(),
            run.node(),
            run.event());
  }

  private static Map<String, Object> jobData(SchedulerEvent.JobChanged job, boolean secrets) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("change", Views.lower(job.change()));
    data.put("job", Views.job(job.job(), secrets));
    return data;
  }

  private static Map<String, Object> runData(Run run) {
    Map<String, Object> data = Views.run(run);
    data.remove("log");
    return data;
  }

  /** How many connections are open. */
  int subscribers() {
    return subscribers.size();
  }

  /** How long {@link #close} waits for the writers to end their connections. */
  static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(2);

  /**
   * Ends every connection (at shutdown), waiting up to {@link #CLOSE_WAIT} for the writers to
   * finish: the HTTP server must not stop (and recycle the requests) under a writer still sending.
   */
  @Override
  public void close() {
    List<Subscriber> open = List.copyOf(subscribers);
    for (Subscriber subscriber : open) {
      subscriber.queue.clear();
      subscriber.queue.offer(new Object());
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    try {
      for (Subscriber subscriber : open) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          subscriber.writer.join(java.time.Duration.ofNanos(left));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
