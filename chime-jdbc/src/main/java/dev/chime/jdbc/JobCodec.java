package dev.chime.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.MisfirePolicy;
import dev.chime.OverlapPolicy;
import dev.chime.RetryPolicy;
import dev.chime.SchedulerException;
import dev.chime.Trigger;
import dev.chime.cron.CronDialect;
import dev.chime.cron.CronExpression;
import dev.chime.cron.CronSyntaxException;
import dev.chime.cron.DstPolicy;
import dev.chime.spi.JsonValues;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A job definition as JSON, format {@value #VERSION}: every field of a {@link Job} but its id (the
 * row's key) and its code (a durable store refuses lambdas); the handler by name, never a class;
 * each trigger with an explicit {@code "kind"}. Reading is strict: an unknown field, trigger kind,
 * enum value or format version is an error naming it, so the store can quarantine the row instead
 * of guessing.
 *
 * {@snippet lang = "json" :
 * {"v": 1, "handler": "report", "params": {"name": "sales"},
 *  "trigger": {"kind": "cron", "expression": "0 8 * * mon", "dialect": "unix",
 *              "zone": "Europe/Berlin", "dst": "auto"},
 *  "retry": {"attempts": 1, "backoff": "fixed", "delay": "PT0S", "maxDelay": "PT0S",
 *            "retryOn": [], "abortOn": [], "jitter": "PT0S"},
 *  "overlap": {"mode": "skip", "maxConcurrent": 1, "queueLimit": 0},
 *  "misfire": {"mode": "run_once", "grace": "PT1M", "cap": 1},
 *  "priority": 5, "maxRuns": 0, "labels": ["reports"]}
 * }
 */
final class JobCodec {
  /** The format version written, and the only one read. */
  static final int VERSION = 1;

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private JobCodec() {}

  /** The job's definition as JSON; INVALID for a job whose handler is a lambda. */
  static String encode(Job job) {
    if (job.code() != null) {
      throw new SchedulerException(
          SchedulerException.Kind.INVALID,
          "job "
              + job.id()
              + " has a lambda handler, which a JDBC store cannot keep:"
              + " register a handler by name and refer to it");
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("v", VERSION);
    root.put("handler", job.handler());
    root.set("params", tree(job.params()));
    root.set("trigger", trigger(job.trigger()));
    putDuration(root, "timeout", job.timeout());
    root.set("retry", retry(job.retry()));
    root.set("overlap", overlap(job.overlap()));
    root.set("misfire", misfire(job.misfire()));
    root.put("priority", job.priority());
    if (job.group() != null) {
      root.put("group", job.group());
    }
    root.put("maxRuns", job.maxRuns());
    putInstant(root, "endAt", job.endAt());
    root.set("labels", sorted(job.labels()));
    if (!Job.OWNER_CODE.equals(job.owner())) {
      root.put("owner", job.owner());
    }
    return root.toString();
  }

  /**
   * The job with the id that the JSON defines, its exception types ({@code retryOn}, {@code
   * abortOn}) looked up in {@code classes}; fails naming the part that cannot be read.
   */
  static Job decode(JobId id, String json, ClassLoader classes) {
    JsonObjectReader root = JsonObjectReader.of(parse(json, "definition"), "");
    long version = root.integer("v", -1);
    if (version != VERSION) {
      throw new JobFormatException(
          version == -1
              ? "v (the format version) is missing"
              : "format version " + version + " is not known (this Chime reads " + VERSION + ")");
    }
    try {
      Job.Builder job = Job.builder(id.value()).handler(root.text("handler"));
      JsonNode params = root.optional("params");
      if (params != null) {
        job.params(map(checked(params, "params"), "params"));
      }
      job.trigger(trigger(root.required("trigger"), "trigger"));
      Duration timeout = root.optionalDuration("timeout");
      if (timeout != null) {
        job.timeout(timeout);
      }
      JsonNode retry = root.optional("retry");
      if (retry != null) {
        job.retry(retry(JsonObjectReader.of(retry, "retry"), classes));
      }
      JsonNode overlap = root.optional("overlap");
      if (overlap != null) {
        job.overlap(overlap(JsonObjectReader.of(overlap, "overlap")));
      }
      JsonNode misfire = root.optional("misfire");
      if (misfire != null) {
        job.misfire(misfire(JsonObjectReader.of(misfire, "misfire")));
      }
      job.priority(root.smallInteger("priority", Job.DEFAULT_PRIORITY));
      String group = root.optionalText("group");
      if (group != null) {
        job.group(group);
      }
      long maxRuns = root.integer("maxRuns", 0);
      if (maxRuns != 0) {
        job.maxRuns(maxRuns);
      }
      Instant endAt = root.optionalInstant("endAt");
      if (endAt != null) {
        job.endAt(endAt);
      }
      job.labels(root.texts("labels").toArray(String[]::new));
      String owner = root.optionalText("owner");
      if (owner != null) {
        job.owner(owner);
      }
      root.end();
      return job.build();
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new JobFormatException(e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- JSON values

  /** A JSON-friendly value (params, a run's result) as JSON text; null stays null. */
  static String encodeValue(Object value) {
    return value == null ? null : JSON.valueToTree(value).toString();
  }

  /** The event as {@code {"name": ..., "payload": ...}} (payload omitted when null), or null. */
  static String encodeEvent(dev.chime.Event event) {
    if (event == null) {
      return null;
    }
    Map<String, Object> json = new java.util.LinkedHashMap<>();
    json.put("name", event.name());
    if (event.payload() != null) {
      json.put("payload", event.payload());
    }
    return encodeValue(json);
  }

  /** The event {@link #encodeEvent} wrote, or null for null. */
  static dev.chime.Event decodeEvent(String json) {
    if (json == null) {
      return null;
    }
    JsonObjectReader node = JsonObjectReader.of(parse(json, "event"), "event");
    String name = node.text("name");
    JsonNode payload = node.optional("payload");
    node.end();
    try {
      return new dev.chime.Event(
          name, payload == null ? null : map(checked(payload, "event.payload"), "event.payload"));
    } catch (IllegalArgumentException e) {
      throw new JobFormatException("event: " + e.getMessage(), e);
    }
  }

  /** The JSON-friendly value the text holds (numbers as Integer, Long, BigInteger or Double). */
  static Object decodeValue(String json, String what) {
    if (json == null) {
      return null;
    }
    try {
      return JsonValues.copy(JSON.treeToValue(parse(json, what), Object.class), what);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new JobFormatException(what + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode parse(String json, String what) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new JobFormatException(
          what + " is not readable JSON: " + e.getOriginalMessage() + location(e), e);
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
  }

  /** The node, which must be a JSON object (an error naming {@code what} otherwise). */
  private static JsonNode checked(JsonNode node, String what) {
    JsonObjectReader.of(node, what);
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(JsonNode node, String what) {
    try {
      return JSON.treeToValue(node, Map.class);
    } catch (JsonProcessingException e) {
      throw new JobFormatException(what + ": " + e.getOriginalMessage(), e);
    }
  }

  // ---------------------------------------------------------------- triggers

  private static ObjectNode trigger(Trigger trigger) {
    ObjectNode node = JSON.createObjectNode();
    switch (trigger) {
      case Trigger.Once once -> {
        node.put("kind", "once");
        putInstant(node, "at", once.at());
      }
      case Trigger.Interval interval -> {
        node.put("kind", "interval");
        putDuration(node, "period", interval.period());
        node.put("mode", name(interval.mode()));
        putInstant(node, "start", interval.start());
        putInstant(node, "end", interval.end());
        putDuration(node, "jitter", interval.jitter());
      }
      case Trigger.Cron cron -> {
        CronExpression expression = cron.expression();
        node.put("kind", "cron");
        node.put("expression", expression.text());
        node.put("dialect", name(expression.dialect()));
        node.put("zone", cron.zone().getId());
        node.put("dst", name(expression.dstPolicy()));
        if (expression.hashKey() != null) {
          node.put("hashKey", expression.hashKey());
        }
      }
      case Trigger.After after -> {
        node.put("kind", "after");
        node.set("jobs", sorted(after.jobs().stream().map(JobId::value).toList()));
        node.put("outcome", name(after.outcome()));
      }
      case Trigger.OnEvent event -> {
        node.put("kind", "event");
        node.put("name", event.name());
      }
      case Trigger.OnFile file -> {
        node.put("kind", "file");
        node.put("path", file.path().toString());
        if (file.glob() != null) {
          node.put("glob", file.glob());
        }
        node.set("on", sorted(file.on().stream().map(JobCodec::name).toList()));
        putDuration(node, "debounce", file.debounce());
      }
      case Trigger.Any any -> {
        node.put("kind", "any");
        node.set("triggers", children(any.triggers()));
      }
      case Trigger.All all -> {
        node.put("kind", "all");
        node.set("triggers", children(all.triggers()));
      }
    }
    return node;
  }

  private static ArrayNode children(List<Trigger> triggers) {
    ArrayNode array = JSON.createArrayNode();
    triggers.forEach(child -> array.add(trigger(child)));
    return array;
  }

  private static Trigger trigger(JsonNode json, String path) {
    JsonObjectReader node = JsonObjectReader.of(json, path);
    String kind = node.text("kind");
    Trigger trigger =
        switch (kind) {
          case "once" -> new Trigger.Once(node.instant("at"));
          case "interval" ->
              new Trigger.Interval(
                  node.requiredDuration("period"),
                  node.constant("mode", Trigger.Interval.Mode.class, null),
                  node.instant("start"),
                  node.optionalInstant("end"),
                  node.duration("jitter", Duration.ZERO));
          case "cron" -> cron(node);
          case "after" ->
              new Trigger.After(
                  ids(node.texts("jobs")),
                  node.constant("outcome", Trigger.After.Outcome.class, null));
          case "event" -> new Trigger.OnEvent(node.text("name"));
          case "file" -> file(node);
          case "any" -> new Trigger.Any(children(node, path));
          case "all" -> new Trigger.All(children(node, path));
          default ->
              throw new JobFormatException(
                  node.where("kind")
                      + ": unknown trigger kind '"
                      + kind
                      + "' (known: once, interval, cron, after, event, file, any, all)");
        };
    node.end();
    return trigger;
  }

  private static Trigger.OnFile file(JsonObjectReader node) {
    Set<Trigger.OnFile.Change> on = java.util.EnumSet.noneOf(Trigger.OnFile.Change.class);
    for (String kind : node.texts("on")) {
      on.add(JsonObjectReader.constant(kind, node.where("on"), Trigger.OnFile.Change.class));
    }
    return new Trigger.OnFile(
        java.nio.file.Path.of(node.text("path")),
        node.optionalText("glob"),
        on,
        node.requiredDuration("debounce"));
  }

  private static Trigger.Cron cron(JsonObjectReader node) {
    String text = node.text("expression");
    CronDialect dialect = node.constant("dialect", CronDialect.class, null);
    ZoneId zone = ZoneId.of(node.text("zone"));
    DstPolicy dst = node.constant("dst", DstPolicy.class, DstPolicy.AUTO);
    String hashKey = node.optionalText("hashKey");
    try {
      return new Trigger.Cron(
          CronExpression.parse(text, dialect, hashKey).withDstPolicy(dst), zone);
    } catch (CronSyntaxException e) {
      throw new JobFormatException(node.where("expression") + ": " + e.getMessage(), e);
    }
  }

  private static List<Trigger> children(JsonObjectReader node, String path) {
    List<JsonNode> items = node.array("triggers");
    List<Trigger> children = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      children.add(trigger(items.get(i), node.where("triggers") + "[" + i + "]"));
    }
    return children;
  }

  private static Set<JobId> ids(List<String> texts) {
    Set<JobId> ids = new HashSet<>();
    texts.forEach(text -> ids.add(JobId.of(text)));
    return ids;
  }

  // ---------------------------------------------------------------- policies

  private static ObjectNode retry(RetryPolicy retry) {
    ObjectNode node = JSON.createObjectNode();
    node.put("attempts", retry.attempts());
    node.put("backoff", name(retry.backoff()));
    putDuration(node, "delay", retry.delay());
    putDuration(node, "maxDelay", retry.maxDelay());
    node.set("retryOn", sorted(retry.retryOn().stream().map(Class::getName).toList()));
    node.set("abortOn", sorted(retry.abortOn().stream().map(Class::getName).toList()));
    putDuration(node, "jitter", retry.jitter());
    return node;
  }

  private static RetryPolicy retry(JsonObjectReader node, ClassLoader classes) {
    RetryPolicy retry =
        new RetryPolicy(
            node.smallInteger("attempts", 1),
            node.constant("backoff", RetryPolicy.Backoff.class, RetryPolicy.Backoff.FIXED),
            node.duration("delay", Duration.ZERO),
            node.duration("maxDelay", node.duration("delay", Duration.ZERO)),
            throwables(node, "retryOn", classes),
            throwables(node, "abortOn", classes),
            node.duration("jitter", Duration.ZERO));
    node.end();
    return retry;
  }

  private static Set<Class<? extends Throwable>> throwables(
      JsonObjectReader node, String field, ClassLoader classes) {
    Set<Class<? extends Throwable>> types = new HashSet<>();
    for (String name : node.texts(field)) {
      types.add(throwable(name, node.where(field), classes));
    }
    return types;
  }

  private static Class<? extends Throwable> throwable(
      String name, String where, ClassLoader classes) {
    try {
      Class<?> type = Class.forName(name, false, classes);
      if (!Throwable.class.isAssignableFrom(type)) {
        throw new JobFormatException(where + ": " + name + " is not an exception type");
      }
      return type.asSubclass(Throwable.class);
    } catch (ClassNotFoundException e) {
      throw new JobFormatException(where + ": no exception class " + name + " here", e);
    }
  }

  private static ObjectNode overlap(OverlapPolicy overlap) {
    ObjectNode node = JSON.createObjectNode();
    node.put("mode", name(overlap.mode()));
    node.put("maxConcurrent", overlap.maxConcurrent());
    node.put("queueLimit", overlap.queueLimit());
    return node;
  }

  private static OverlapPolicy overlap(JsonObjectReader node) {
    OverlapPolicy overlap =
        new OverlapPolicy(
            node.constant("mode", OverlapPolicy.Mode.class, null),
            node.smallInteger("maxConcurrent", 1),
            node.smallInteger("queueLimit", 0));
    node.end();
    return overlap;
  }

  private static ObjectNode misfire(MisfirePolicy misfire) {
    ObjectNode node = JSON.createObjectNode();
    node.put("mode", name(misfire.mode()));
    putDuration(node, "grace", misfire.grace());
    node.put("cap", misfire.cap());
    return node;
  }

  private static MisfirePolicy misfire(JsonObjectReader node) {
    MisfirePolicy.Mode mode = node.constant("mode", MisfirePolicy.Mode.class, null);
    MisfirePolicy misfire =
        new MisfirePolicy(
            mode,
            node.duration("grace", MisfirePolicy.DEFAULT_GRACE),
            node.smallInteger("cap", mode == MisfirePolicy.Mode.SKIP ? 0 : 1));
    node.end();
    return misfire;
  }

  // ---------------------------------------------------------------- small parts

  private static String name(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  private static void putDuration(ObjectNode node, String field, Duration value) {
    if (value != null) {
      node.put(field, value.toString());
    }
  }

  private static void putInstant(ObjectNode node, String field, Instant value) {
    if (value != null) {
      node.put(field, value.toString());
    }
  }

  private static ArrayNode sorted(Collection<String> texts) {
    ArrayNode array = JSON.createArrayNode();
    if (!texts.isEmpty()) {
      texts.stream().sorted().forEach(array::add);
    }
    return array;
  }

  /**
   * JSON-friendly params ({@link JsonValues}) as the tree {@code valueToTree} makes of them, built
   * directly: {@code valueToTree} writes the value into a token buffer and reads it back, 1.9% of a
   * POST's CPU in the server bench. The rarer number types still go through it, so the text written
   * stays exactly what it was.
   */
  private static JsonNode tree(Object value) {
    return switch (value) {
      case null -> JSON.getNodeFactory().nullNode();
      case String text -> JSON.getNodeFactory().textNode(text);
      case Boolean flag -> JSON.getNodeFactory().booleanNode(flag);
      case Integer number -> JSON.getNodeFactory().numberNode(number.intValue());
      case Long number -> JSON.getNodeFactory().numberNode(number.longValue());
      case Map<?, ?> map -> {
        ObjectNode node = JSON.createObjectNode();
        map.forEach((key, item) -> node.set((String) key, tree(item)));
        yield node;
      }
      case Collection<?> items -> {
        ArrayNode node = JSON.createArrayNode();
        items.forEach(item -> node.add(tree(item)));
        yield node;
      }
      default -> JSON.valueToTree(value);
    };
  }
}
