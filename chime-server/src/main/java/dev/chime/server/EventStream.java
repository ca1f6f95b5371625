package dev.chime.server;

import dev.chime.SchedulerEvent;
import dev.chime.SchedulerListener;
import io.javalin.http.sse.SseClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SSE stream of job and run changes. The scheduler's listener only formats the event and offers
 * it to each subscriber's bounded queue (a listener must be quick); a virtual thread per subscriber
 * writes to its connection, so one slow reader delays nobody. A subscriber whose queue fills up
 * ({@value #QUEUE} events behind) is told so and dropped: it reconnects and reads the current state
 * from the API. Events: {@code job} ({@code {"change": ..., "job": ...}}) and {@code run} (the run
 * record without its log); each has an increasing id.
 */
final class EventStream implements SchedulerListener, AutoCloseable {
  static final int QUEUE = 1024;

  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();

  private record Message(String event, String data, String id) {}

  private final class Subscriber {
    final SseClient client;
    final BlockingQueue<Message> queue = new ArrayBlockingQueue<>(QUEUE);
    final Thread writer;

    Subscriber(SseClient client) {
      this.client = client;
      this.writer = Thread.ofVirtual().name("chime-sse").unstarted(this::drain);
    }

    void drain() {
      try {
        while (!client.terminated()) {
          Message message = queue.take();
          if (message.event() == null) {
            break;
          }
          client.sendEvent(message.event(), message.data(), message.id());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        subscribers.remove(this);
        client.close();
      }
    }
  }

  /** Takes a new connection: keeps it open and sends it every change from now on. */
  void subscribe(SseClient client) {
    client.keepAlive();
    Subscriber subscriber = new Subscriber(client);
    client.onClose(
        () -> {
          subscribers.remove(subscriber);
          subscriber.writer.interrupt();
        });
    subscribers.add(subscriber);
    client.sendComment("connected");
    subscriber.writer.start();
  }

  @Override
  public void onEvent(SchedulerEvent event) {
    if (subscribers.isEmpty()) {
      return;
    }
    Message message =
        switch (event) {
          case SchedulerEvent.JobChanged job -> message("job", jobData(job));
          case SchedulerEvent.RunChanged run -> message("run", runData(run));
          case SchedulerEvent.PipelineChanged pipeline -> null;
        };
    if (message == null) {
      return;
    }
    for (Subscriber subscriber : subscribers) {
      if (!subscriber.queue.offer(message)) {
        subscribers.remove(subscriber);
        subscriber.writer.interrupt();
      }
    }
  }

  private Message message(String event, Map<String, Object> data) {
    return new Message(event, Json.write(data), Long.toString(ids.incrementAndGet()));
  }

  private static Map<String, Object> jobData(SchedulerEvent.JobChanged job) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("change", Views.lower(job.change()));
    data.put("job", Views.job(job.job()));
    return data;
  }

  private static Map<String, Object> runData(SchedulerEvent.RunChanged run) {
    Map<String, Object> data = Views.run(run.run());
    data.remove("log");
    return data;
  }

  /** How many connections are open. */
  int subscribers() {
    return subscribers.size();
  }

  /** Ends every connection (at shutdown). */
  @Override
  public void close() {
    for (Subscriber subscriber : subscribers) {
      subscriber.queue.clear();
      subscriber.queue.offer(new Message(null, null, null));
    }
  }
}
