package dev.chime.server.spec;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.MisfirePolicy;
import dev.chime.OverlapPolicy;
import dev.chime.RetryPolicy;
import dev.chime.Trigger;
import dev.chime.cron.CronDialect;
import dev.chime.cron.CronExpression;
import dev.chime.cron.DstPolicy;
import dev.chime.server.kinds.JobKinds;
import dev.chime.server.spec.Tree.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads job files and job bodies (the job-file contract of DESIGN.md) into {@link Job}s, and writes
 * a job back in that form. Everything wrong is collected and thrown at once as a {@link
 * SpecException}, each error with its file, line and field.
 */
public final class JobSpecs {
  /** The owner read-only keys a REST body may carry back from a GET. */
  private static final Set<String> READ_ONLY = Set.of("owner", "status");

  private static final Set<String> JOB_KEYS =
      Set.of(
          "id",
          "trigger",
          "zone",
          "command",
          "http",
          "cleanup",
          "handler",
          "params",
          "timeout",
          "retry",
          "overlap",
          "misfire",
          "priority",
          "group",
          "max_runs",
          "end",
          "labels");

  private static final List<String> KINDS =
      List.of(JobKinds.COMMAND, JobKinds.HTTP, JobKinds.CLEANUP, "handler");

  private JobSpecs() {}

  /** The jobs of a YAML or JSON file (JSON when it ends in .json), owned by {@code file:PATH}. */
  public static List<Job> read(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    String text;
    try {
      text = Files.readString(absolute, StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new SpecException(
          List.of(new SpecError(file.toString(), 0, "", "cannot be read: " + unreadable(file, e))));
    }
    return read(file.toString(), text, "file:" + absolute);
  }

  /** The jobs of the text (one job or {@code jobs: [...]}); {@code source} names it in errors. */
  public static List<Job> read(String source, String text, String owner) {
    Reader reader = new Reader(source, owner, false);
    Node root = Tree.parse(text, source.endsWith(".json"), source, reader.errors);
    List<Job> jobs = root == null ? List.of() : reader.document(root);
    reader.throwIfAny();
    return jobs;
  }

  /** Where a job is in its file: the line of its {@code id} and its path, like {@code jobs[2]}. */
  public record Place(int line, String path) {}

  /**
   * Where each job of a file that {@link #read} accepted is, by id: for errors that only applying
   * the file finds (the scheduler's own refusals), so they name a line and field too.
   */
  public static Map<String, Place> places(String source, String text) {
    Node root = Tree.parse(text, source.endsWith(".json"), source, new ArrayList<>());
    Map<String, Place> places = new HashMap<>();
    if (root == null || !root.isMap()) {
      return places;
    }
    Node list = root.map().get("jobs");
    if (list == null) {
      place(root, "", places);
    } else if (list.value() instanceof List<?>) {
      for (int i = 0; i < list.list().size(); i++) {
        place(list.list().get(i), "jobs[" + i + "]", places);
      }
    }
    return places;
  }

  private static void place(Node job, String path, Map<String, Place> places) {
    Node id = job.isMap() ? job.map().get("id") : null;
    if (id != null && id.value() instanceof String text) {
      places.putIfAbsent(text, new Place(id.line(), path));
    }
  }

  /**
   * The one job a JSON body describes (a REST create or replace), owned by {@code owner}. The
   * read-only {@code owner} and {@code status} keys of a job as the API shows it are ignored, so a
   * fetched job can be sent back.
   */
  public static Job readJson(String json, String owner) {
    Reader reader = new Reader("body", owner, true);
    Node root = Tree.parse(json, true, "body", reader.errors);
    Job job = null;
    if (root != null) {
      if (root.isMap()) {
        job = reader.job(root, "");
      } else {
        reader.error(root, "", "a job must be a JSON object, was " + root.kind());
      }
    }
    reader.throwIfAny();
    return job;
  }

  /**
   * The job in the job-file form, as a JSON-ready ordered map with {@code id} and {@code owner};
   * {@link #readJson} reads it back to an equal job. Defaults are left out.
   */
  public static Map<String, Object> toSpec(Job job) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("id", job.id().value());
    spec.put("owner", job.owner());
    if (job.trigger() instanceof Trigger.Cron cron) {
      spec.put("trigger", plainCron(cron) ? cron.expression().text() : cronSpec(cron, false));
      spec.put("zone", cron.zone().getId());
    } else {
      spec.put("trigger", triggerSpec(job.trigger()));
    }
    if (JobKinds.NAMES.contains(job.handler())) {
      spec.put(job.handler(), job.params());
    } else {
      spec.put("handler", job.handler());
      if (!job.params().isEmpty()) {
        spec.put("params", job.params());
      }
    }
    if (job.timeout() != null) {
      spec.put("timeout", job.timeout().toString());
    }
    if (!job.retry().equals(RetryPolicy.NONE)) {
      spec.put("retry", retrySpec(job.retry()));
    }
    if (!job.overlap().equals(OverlapPolicy.SKIP)) {
      Map<String, Object> overlap = new LinkedHashMap<>();
      overlap.put("mode", lower(job.overlap().mode()));
      if (job.overlap().mode() != OverlapPolicy.Mode.ALLOW) {
        overlap.put("max_concurrent", job.overlap().maxConcurrent());
      }
      if (job.overlap().mode() == OverlapPolicy.Mode.QUEUE) {
        overlap.put("queue_limit", job.overlap().queueLimit());
      }
      spec.put("overlap", overlap);
    }
    if (!job.misfire().equals(MisfirePolicy.RUN_ONCE)) {
      Map<String, Object> misfire = new LinkedHashMap<>();
      misfire.put("mode", lower(job.misfire().mode()));
      misfire.put("grace", job.misfire().grace().toString());
      if (job.misfire().mode() == MisfirePolicy.Mode.RUN_ALL) {
        misfire.put("cap", job.misfire().cap());
      }
      spec.put("misfire", misfire);
    }
    if (job.priority() != Job.DEFAULT_PRIORITY) {
      spec.put("priority", job.priority());
    }
    if (job.group() != null) {
      spec.put("group", job.group());
    }
    if (job.maxRuns() != 0) {
      spec.put("max_runs", job.maxRuns());
    }
    if (job.endAt() != null) {
      spec.put("end", job.endAt().toString());
    }
    spec.put("labels", List.copyOf(new TreeSet<>(job.labels())));
    return spec;
  }

  private static Map<String, Object> retrySpec(RetryPolicy retry) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("attempts", retry.attempts());
    spec.put("backoff", lower(retry.backoff()));
    spec.put("delay", retry.delay().toString());
    if (retry.backoff() == RetryPolicy.Backoff.EXPONENTIAL
        || !retry.maxDelay().equals(retry.delay())) {
      spec.put("max_delay", retry.maxDelay().toString());
    }
    if (!retry.jitter().isZero()) {
      spec.put("jitter", retry.jitter().toString());
    }
    if (!retry.retryOn().isEmpty()) {
      spec.put("retry_on", classNames(retry.retryOn()));
    }
    if (!retry.abortOn().isEmpty()) {
      spec.put("abort_on", classNames(retry.abortOn()));
    }
    return spec;
  }

  private static List<String> classNames(Set<Class<? extends Throwable>> types) {
    return types.stream().map(Class::getName).sorted().toList();
  }

  private static Object triggerSpec(Trigger trigger) {
    return switch (trigger) {
      case Trigger.Cron cron -> cronSpec(cron, true);
      case Trigger.Once once -> Map.of("at", once.at().toString());
      case Trigger.Interval every -> {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("every", every.period().toString());
        if (!every.start().equals(Instant.EPOCH)) {
          spec.put("start", every.start().toString());
        }
        if (every.end() != null) {
          spec.put("end", every.end().toString());
        }
        if (every.mode() == Trigger.Interval.Mode.FIXED_DELAY) {
          spec.put("mode", "fixed_delay");
        }
        if (!every.jitter().isZero()) {
          spec.put("jitter", every.jitter().toString());
        }
        yield spec;
      }
      case Trigger.After after -> {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("after", after.jobs().stream().map(JobId::value).sorted().toList());
        spec.put("on", lower(after.outcome()));
        yield spec;
      }
      case Trigger.OnEvent event -> Map.of("event", event.name());
      case Trigger.OnFile file -> {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("path", file.path().toString());
        if (file.glob() != null) {
          spec.put("glob", file.glob());
        }
        spec.put("on", file.on().stream().map(JobSpecs::lower).toList());
        spec.put("debounce", file.debounce().toString());
        yield Map.of("file", spec);
      }
      case Trigger.Any any ->
          Map.of("any", any.triggers().stream().map(JobSpecs::triggerSpec).toList());
      case Trigger.All all ->
          Map.of("all", all.triggers().stream().map(JobSpecs::triggerSpec).toList());
    };
  }

  /**
   * Whether the cron trigger is written as the contract's plain string: its dialect is the one its
   * field count implies and its DST policy the default.
   */
  private static boolean plainCron(Trigger.Cron cron) {
    CronExpression expression = cron.expression();
    if (expression.dstPolicy() != null && expression.dstPolicy() != DstPolicy.AUTO) {
      return false;
    }
    // Counted, not parsed again: the text has parsed in its own dialect (a second parse cost 2.4%
    // of a POST's CPU).
    return CronDialect.impliedBy(expression.text()).orElse(null) == expression.dialect();
  }

  /** A cron trigger; nested ones carry their zone, the job's own one leaves it to the job. */
  private static Map<String, Object> cronSpec(Trigger.Cron cron, boolean withZone) {
    CronExpression expression = cron.expression();
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("cron", expression.text());
    spec.put("dialect", lower(expression.dialect()));
    if (expression.dstPolicy() != null && expression.dstPolicy() != DstPolicy.AUTO) {
      spec.put("dst", lower(expression.dstPolicy()));
    }
    if (withZone) {
      spec.put("zone", cron.zone().getId());
    }
    return spec;
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Why a file the server was given cannot be read, in words: "no such file", "it is a directory",
   * else the exception (a path alone, which is what the JDK says of most, tells nothing).
   */
  public static String unreadable(Path file, Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    return Files.isDirectory(file)
        ? "it is a directory"
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** One read: the source, the owner and every error found. */
  private static final class Reader {
    final String source;
    final String owner;
    final boolean body;
    final List<SpecError> errors = new ArrayList<>();

    Reader(String source, String owner, boolean body) {
      this.source = source;
      this.owner = owner;
      this.body = body;
    }

    void throwIfAny() {
      if (!errors.isEmpty()) {
        errors.sort(java.util.Comparator.comparingInt(SpecError::line));
        throw new SpecException(errors);
      }
    }

    void error(Node at, String field, String message) {
      errors.add(new SpecError(source, at == null ? 0 : at.line(), field, message));
    }

    List<Job> document(Node root) {
      if (!root.isMap()) {
        error(root, "", "a job file holds one job or 'jobs: [...]', was " + root.kind());
        return List.of();
      }
      if (!root.map().containsKey("jobs")) {
        Job job = job(root, "");
        return job == null ? List.of() : List.of(job);
      }
      for (Map.Entry<String, Node> extra : root.map().entrySet()) {
        if (!extra.getKey().equals("jobs")) {
          error(extra.getValue(), extra.getKey(), "unknown key next to 'jobs'");
        }
      }
      Node list = root.map().get("jobs");
      if (!(list.value() instanceof List<?>)) {
        error(list, "jobs", "must be a list of jobs, was " + list.kind());
        return List.of();
      }
      List<Job> jobs = new ArrayList<>();
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < list.list().size(); i++) {
        Node item = list.list().get(i);
        String path = "jobs[" + i + "]";
        if (!item.isMap()) {
          error(item, path, "a job must be an object, was " + item.kind());
          continue;
        }
        Node id = item.map().get("id");
        if (id != null && id.value() instanceof String text) {
          Integer first = seen.putIfAbsent(text, id.line());
          if (first != null) {
            error(id, path + ".id", "job id '" + text + "' is already used on line " + first);
          }
        }
        Job job = job(item, path);
        if (job != null) {
          jobs.add(job);
        }
      }
      return jobs;
    }

    /** The job the object describes, or null with its errors added. */
    Job job(Node node, String path) {
      int before = errors.size();
      Map<String, Node> fields = node.map();
      for (Map.Entry<String, Node> entry : fields.entrySet()) {
        String key = entry.getKey();
        if (!JOB_KEYS.contains(key) && !(body && READ_ONLY.contains(key))) {
          error(
              entry.getValue(),
              at(path, key),
              READ_ONLY.contains(key)
                  ? "'" + key + "' is set by the server, not by a job file"
                  : "unknown key (expected one of " + new TreeSet<>(JOB_KEYS) + ")");
        }
      }
      String id = text(fields.get("id"), at(path, "id"), node);
      if (id == null) {
        return null;
      }
      Job.Builder job;
      try {
        job = Job.builder(id).owner(owner);
      } catch (IllegalArgumentException e) {
        error(fields.get("id"), at(path, "id"), e.getMessage());
        return null;
      }
      ZoneId zone = zone(fields.get("zone"), at(path, "zone"), ZoneOffset.UTC);
      Node triggerNode = fields.get("trigger");
      if (triggerNode == null) {
        error(node, at(path, "trigger"), "is required");
      } else {
        Trigger trigger = trigger(triggerNode, at(path, "trigger"), zone);
        if (trigger != null) {
          job.trigger(trigger);
        }
      }
      kind(job, fields, path, node);
      apply(
          fields.get("timeout"),
          at(path, "timeout"),
          n -> job.timeout(duration(n, at(path, "timeout"))));
      apply(fields.get("retry"), at(path, "retry"), n -> job.retry(retry(n, at(path, "retry"))));
      apply(
          fields.get("overlap"),
          at(path, "overlap"),
          n -> job.overlap(overlap(n, at(path, "overlap"))));
      apply(
          fields.get("misfire"),
          at(path, "misfire"),
          n -> job.misfire(misfire(n, at(path, "misfire"))));
      apply(
          fields.get("priority"),
          at(path, "priority"),
          n -> job.priority(integer(n, at(path, "priority"))));
      apply(fields.get("group"), at(path, "group"), n -> job.group(text(n, at(path, "group"), n)));
      apply(
          fields.get("max_runs"),
          at(path, "max_runs"),
          n -> job.maxRuns(integer(n, at(path, "max_runs"))));
      apply(fields.get("end"), at(path, "end"), n -> job.endAt(instant(n, at(path, "end"), zone)));
      apply(
          fields.get("labels"),
          at(path, "labels"),
          n -> job.labels(texts(n, at(path, "labels")).toArray(String[]::new)));
      if (errors.size() > before) {
        return null;
      }
      try {
        return job.build();
      } catch (IllegalArgumentException e) {
        error(node, path, e.getMessage());
        return null;
      }
    }

    private void kind(Job.Builder job, Map<String, Node> fields, String path, Node node) {
      List<String> given = KINDS.stream().filter(fields::containsKey).toList();
      if (given.size() != 1) {
        error(
            node,
            path,
            given.isEmpty()
                ? "what it runs is missing: give one of command, http, cleanup or handler"
                : "give only one of " + String.join(", ", given));
        if (fields.containsKey("params") && !given.contains("handler")) {
          error(fields.get("params"), at(path, "params"), "params go with handler");
        }
        return;
      }
      String kind = given.get(0);
      String field = at(path, kind);
      Node value = fields.get(kind);
      Map<String, Object> params;
      if (kind.equals("handler")) {
        String name = text(value, field, value);
        Node paramsNode = fields.get("params");
        params = paramsNode == null ? Map.of() : plainObject(paramsNode, at(path, "params"));
        if (name == null || params == null) {
          return;
        }
        if (JobKinds.NAMES.contains(name)) {
          error(
              value, field, "'" + name + "' is a built-in kind: write it as '" + name + ": {...}'");
          return;
        }
        ok(field, value, () -> job.handler(name).params(params));
        return;
      }
      if (fields.containsKey("params")) {
        error(fields.get("params"), at(path, "params"), "params go with handler, not with " + kind);
      }
      int before = errors.size();
      params = kindParams(kind, value, field);
      if (params == null || errors.size() > before) {
        return;
      }
      for (String message : JobKinds.validate(kind, params)) {
        int colon = message.indexOf(": ");
        String sub =
            colon > 0 && message.substring(0, colon).matches("[a-z_.\\[\\]0-9]+")
                ? "." + message.substring(0, colon)
                : "";
        String text = sub.isEmpty() ? message : message.substring(colon + 2);
        Node at =
            sub.isEmpty() || !value.isMap()
                ? value
                : value.map().getOrDefault(sub.substring(1), value);
        error(at, field + sub, text);
      }
      if (errors.size() == before) {
        ok(field, value, () -> job.handler(kind).params(params));
      }
    }

    /** A kind's params in their stored form: durations as ISO-8601, sizes as bytes. */
    private Map<String, Object> kindParams(String kind, Node value, String field) {
      if (kind.equals(JobKinds.COMMAND) && value.value() instanceof List<?>) {
        List<String> argv = texts(value, field);
        return argv == null ? null : new LinkedHashMap<>(Map.of("argv", argv));
      }
      if (kind.equals(JobKinds.COMMAND) && value.value() instanceof String) {
        error(
            value,
            field,
            "a command is an argv list like [\"tar\", \"czf\", ...];"
                + " for a shell line write {shell: true, script: \"...\"}");
        return null;
      }
      Map<String, Object> params = plainObject(value, field);
      if (params == null) {
        return null;
      }
      Map<String, Node> given = value.map();
      for (String key : durationKeys(kind)) {
        if (given.containsKey(key)) {
          Duration d = duration(given.get(key), field + "." + key);
          params.put(key, d == null ? null : d.toString());
        }
      }
      for (String key : sizeKeys(kind)) {
        Node size = given.get(key);
        if (size != null && size.value() instanceof String text) {
          try {
            params.put(key, Values.size(text));
          } catch (IllegalArgumentException e) {
            error(size, field + "." + key, e.getMessage());
          }
        }
      }
      if (kind.equals(JobKinds.HTTP)
          && given.get("expect_status") != null
          && given.get("expect_status").value() instanceof Number n) {
        params.put("expect_status", List.of(n));
      }
      return params;
    }

    private static List<String> durationKeys(String kind) {
      return switch (kind) {
        case JobKinds.HTTP -> List.of("timeout");
        case JobKinds.CLEANUP -> List.of("older_than");
        default -> List.of();
      };
    }

    private static List<String> sizeKeys(String kind) {
      return switch (kind) {
        case JobKinds.COMMAND -> List.of("output_limit");
        case JobKinds.CLEANUP -> List.of("max_total");
        default -> List.of();
      };
    }

    // ------------------------------------------------------------------ triggers

    Trigger trigger(Node node, String field, ZoneId zone) {
      if (node.value() instanceof String text) {
        return cron(node, field, text, null, zone);
      }
      if (!node.isMap()) {
        error(
            node,
            field,
            "must be a cron string or an object like {every: 15m}, was " + node.kind());
        return null;
      }
      Map<String, Node> map = node.map();
      List<String> forms =
          List.of("cron", "every", "at", "daily", "weekly", "after", "any", "all", "event", "file");
      List<String> given = forms.stream().filter(map::containsKey).toList();
      if (given.size() != 1) {
        error(
            node,
            field,
            given.isEmpty()
                ? "names no trigger: use a cron string, cron, every, at, daily, weekly, after,"
                    + " event, file, any or all"
                : "give only one of " + String.join(", ", given));
        return null;
      }
      String form = given.get(0);
      return switch (form) {
        case "cron" -> {
          allow(map, field, "cron", "dialect", "dst", "zone");
          ZoneId own = zone(map.get("zone"), field + ".zone", zone);
          CronDialect dialect =
              map.containsKey("dialect")
                  ? choice(map.get("dialect"), field + ".dialect", CronDialect.class)
                  : null;
          String text = text(map.get("cron"), field + ".cron", node);
          if (text == null || (map.containsKey("dialect") && dialect == null)) {
            yield null;
          }
          Trigger.Cron cron = cron(map.get("cron"), field + ".cron", text, dialect, own);
          if (cron != null && map.containsKey("dst")) {
            DstPolicy dst = choice(map.get("dst"), field + ".dst", DstPolicy.class);
            yield dst == null ? null : cron.withDstPolicy(dst);
          }
          yield cron;
        }
        case "every" -> every(map, field, zone);
        case "at" -> {
          allow(map, field, "at");
          Instant at = instant(map.get("at"), field + ".at", zone);
          yield at == null ? null : Trigger.once(at);
        }
        case "daily" -> {
          allow(map, field, "daily");
          LocalTime time = time(map.get("daily"), field + ".daily", map.get("daily").value());
          yield time == null ? null : Trigger.dailyAt(time, zone);
        }
        case "weekly" -> weekly(map, field, zone);
        case "after" -> after(map, field);
        case "event" -> event(map, field);
        case "any", "all" -> {
          allow(map, field, form);
          Node list = map.get(form);
          if (!(list.value() instanceof List<?>) || list.list().size() < 2) {
            error(list, field + "." + form, "must list at least two triggers");
            yield null;
          }
          List<Trigger> children = new ArrayList<>();
          for (int i = 0; i < list.list().size(); i++) {
            children.add(trigger(list.list().get(i), field + "." + form + "[" + i + "]", zone));
          }
          if (children.contains(null)) {
            yield null;
          }
          try {
            yield form.equals("any") ? new Trigger.Any(children) : new Trigger.All(children);
          } catch (IllegalArgumentException e) {
            error(list, field + "." + form, e.getMessage()); // an event trigger among them
            yield null;
          }
        }
        default -> file(map, field); // the last form left: file
      };
    }

    private Trigger.Cron cron(
        Node at, String field, String text, CronDialect dialect, ZoneId zone) {
      try {
        return Trigger.cron(text, dialect, zone);
      } catch (IllegalArgumentException e) {
        error(at, field, e.getMessage());
        return null;
      }
    }

    private Trigger every(Map<String, Node> map, String field, ZoneId zone) {
      allow(map, field, "every", "start", "end", "mode", "jitter");
      Duration period = duration(map.get("every"), field + ".every");
      if (period == null) {
        return null;
      }
      int before = errors.size();
      try {
        Trigger.Interval every = Trigger.every(period);
        if (map.containsKey("start")) {
          Instant start = instant(map.get("start"), field + ".start", zone);
          every = start == null ? every : every.startingAt(start);
        }
        if (map.containsKey("end")) {
          Instant end = instant(map.get("end"), field + ".end", zone);
          every = end == null ? every : every.endingAt(end);
        }
        if (map.containsKey("mode")) {
          Trigger.Interval.Mode mode =
              choice(map.get("mode"), field + ".mode", Trigger.Interval.Mode.class);
          every = mode == Trigger.Interval.Mode.FIXED_DELAY ? every.fixedDelay() : every;
        }
        if (map.containsKey("jitter")) {
          Duration jitter = duration(map.get("jitter"), field + ".jitter");
          every = jitter == null ? every : every.withJitter(jitter);
        }
        return errors.size() > before ? null : every;
      } catch (IllegalArgumentException e) {
        error(map.get("every"), field, e.getMessage());
        return null;
      }
    }

    private Trigger weekly(Map<String, Node> map, String field, ZoneId zone) {
      allow(map, field, "weekly");
      Node node = map.get("weekly");
      String text = text(node, field + ".weekly", node);
      if (text == null) {
        return null;
      }
      String[] parts = text.trim().split("\\s+");
      DayOfWeek day = parts.length == 2 ? day(parts[0]) : null;
      if (day == null) {
        error(node, field + ".weekly", "'" + text + "' is not a day and a time like \"SUN 04:00\"");
        return null;
      }
      LocalTime time = time(node, field + ".weekly", parts[1]);
      return time == null ? null : Trigger.weeklyOn(day, time, zone);
    }

    private static DayOfWeek day(String text) {
      String upper = text.toUpperCase(Locale.ROOT);
      for (DayOfWeek day : DayOfWeek.values()) {
        if (day.name().equals(upper) || day.name().substring(0, 3).equals(upper)) {
          return day;
        }
      }
      return null;
    }

    private Trigger event(Map<String, Node> map, String field) {
      allow(map, field, "event");
      Node node = map.get("event");
      String name = text(node, field + ".event", node);
      if (name == null) {
        return null;
      }
      try {
        return Trigger.onEvent(name);
      } catch (IllegalArgumentException e) {
        error(node, field + ".event", e.getMessage());
        return null;
      }
    }

    private Trigger file(Map<String, Node> map, String field) {
      allow(map, field, "file");
      String at = field + ".file";
      Map<String, Node> spec = object(map.get("file"), at);
      if (spec == null) {
        return null;
      }
      allow(spec, at, "path", "glob", "on", "debounce");
      int before = errors.size();
      String path = text(spec.get("path"), at + ".path", map.get("file"));
      String glob = spec.containsKey("glob") ? text(spec.get("glob"), at + ".glob", null) : null;
      Set<Trigger.OnFile.Change> on = java.util.EnumSet.allOf(Trigger.OnFile.Change.class);
      if (spec.containsKey("on")) {
        on = changes(spec.get("on"), at + ".on");
      }
      Duration debounce =
          spec.containsKey("debounce")
              ? duration(spec.get("debounce"), at + ".debounce")
              : Trigger.OnFile.DEFAULT_DEBOUNCE;
      if (errors.size() > before || path == null || on == null || debounce == null) {
        return null;
      }
      try {
        return new Trigger.OnFile(Path.of(path), glob, on, debounce);
      } catch (IllegalArgumentException e) {
        String part =
            e.getMessage().startsWith("glob")
                ? "glob"
                : e.getMessage().startsWith("debounce") ? "debounce" : "path";
        error(spec.get(part), at + "." + part, e.getMessage());
        return null;
      }
    }

    private Set<Trigger.OnFile.Change> changes(Node node, String field) {
      List<String> names = texts(node, field);
      if (names == null) {
        return null;
      }
      if (names.isEmpty()) {
        error(node, field, "must name at least one of create, modify, delete");
        return null;
      }
      Set<Trigger.OnFile.Change> on = java.util.EnumSet.noneOf(Trigger.OnFile.Change.class);
      for (int i = 0; i < names.size(); i++) {
        Trigger.OnFile.Change change =
            choice(node.list().get(i), field + "[" + i + "]", Trigger.OnFile.Change.class);
        if (change == null) {
          return null;
        }
        on.add(change);
      }
      return on;
    }

    private Trigger after(Map<String, Node> map, String field) {
      allow(map, field, "after", "on");
      Node node = map.get("after");
      List<String> ids =
          node.value() instanceof String one ? List.of(one) : texts(node, field + ".after");
      if (ids == null) {
        return null;
      }
      if (ids.isEmpty()) {
        error(node, field + ".after", "must name at least one job");
        return null;
      }
      Set<JobId> jobs = new LinkedHashSet<>();
      for (String id : ids) {
        try {
          jobs.add(JobId.of(id));
        } catch (IllegalArgumentException e) {
          error(node, field + ".after", e.getMessage());
          return null;
        }
      }
      Trigger.After after = Trigger.after(jobs.toArray(JobId[]::new));
      if (map.containsKey("on")) {
        Trigger.After.Outcome on =
            choice(map.get("on"), field + ".on", Trigger.After.Outcome.class);
        return on == null ? null : after.on(on);
      }
      return after;
    }

    // ------------------------------------------------------------------ policies

    private RetryPolicy retry(Node node, String field) {
      Map<String, Node> map = object(node, field);
      if (map == null) {
        return null;
      }
      allow(
          map,
          field,
          "attempts",
          "backoff",
          "delay",
          "max_delay",
          "jitter",
          "retry_on",
          "abort_on");
      Integer attempts =
          map.containsKey("attempts") ? integer(map.get("attempts"), field + ".attempts") : null;
      if (!map.containsKey("attempts")) {
        error(node, field + ".attempts", "is required (tries in all, at least 1)");
      }
      RetryPolicy.Backoff backoff =
          map.containsKey("backoff")
              ? choice(map.get("backoff"), field + ".backoff", RetryPolicy.Backoff.class)
              : RetryPolicy.Backoff.FIXED;
      Duration delay =
          map.containsKey("delay") ? duration(map.get("delay"), field + ".delay") : Duration.ZERO;
      Duration max =
          map.containsKey("max_delay")
              ? duration(map.get("max_delay"), field + ".max_delay")
              : null;
      Duration jitter =
          map.containsKey("jitter")
              ? duration(map.get("jitter"), field + ".jitter")
              : Duration.ZERO;
      Set<Class<? extends Throwable>> retryOn = types(map.get("retry_on"), field + ".retry_on");
      Set<Class<? extends Throwable>> abortOn = types(map.get("abort_on"), field + ".abort_on");
      if (attempts == null
          || backoff == null
          || delay == null
          || jitter == null
          || retryOn == null
          || abortOn == null
          || (map.containsKey("max_delay") && max == null)) {
        return null;
      }
      if (max == null && backoff == RetryPolicy.Backoff.EXPONENTIAL) {
        error(
            node, field + ".max_delay", "is required with exponential backoff (the longest wait)");
        return null;
      }
      max = max == null ? delay : max;
      try {
        return new RetryPolicy(attempts, backoff, delay, max, retryOn, abortOn, jitter);
      } catch (IllegalArgumentException e) {
        error(node, field, e.getMessage());
        return null;
      }
    }

    /**
     * Where exception types are looked up: the context class loader (the server sets one that knows
     * its plugins' classes), else this class's own, as the store's codec does.
     */
    private static ClassLoader classes() {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      return context != null ? context : JobSpecs.class.getClassLoader();
    }

    private Set<Class<? extends Throwable>> types(Node node, String field) {
      if (node == null) {
        return Set.of();
      }
      List<String> names = texts(node, field);
      if (names == null) {
        return null;
      }
      Set<Class<? extends Throwable>> types = new LinkedHashSet<>();
      for (String name : names) {
        try {
          Class<?> type = Class.forName(name, false, classes());
          if (!Throwable.class.isAssignableFrom(type)) {
            error(node, field, name + " is not an exception type");
            return null;
          }
          types.add(type.asSubclass(Throwable.class));
        } catch (ClassNotFoundException | LinkageError e) {
          error(node, field, "no exception type named " + name + " is known here");
          return null;
        }
      }
      return types;
    }

    private OverlapPolicy overlap(Node node, String field) {
      Map<String, Node> map =
          node.value() instanceof String ? Map.of("mode", node) : object(node, field);
      if (map == null) {
        return null;
      }
      allow(map, field, "mode", "max_concurrent", "queue_limit");
      OverlapPolicy.Mode mode =
          map.containsKey("mode")
              ? choice(
                  map.get("mode"), node.isMap() ? field + ".mode" : field, OverlapPolicy.Mode.class)
              : null;
      if (!map.containsKey("mode")) {
        error(node, field + ".mode", "is required (allow, skip, queue or replace)");
      }
      Integer max =
          map.containsKey("max_concurrent")
              ? integer(map.get("max_concurrent"), field + ".max_concurrent")
              : Integer.valueOf(1);
      Integer queue =
          map.containsKey("queue_limit")
              ? integer(map.get("queue_limit"), field + ".queue_limit")
              : Integer.valueOf(mode == OverlapPolicy.Mode.QUEUE ? 1 : 0);
      if (mode == OverlapPolicy.Mode.ALLOW && map.containsKey("max_concurrent")) {
        error(
            map.get("max_concurrent"),
            field + ".max_concurrent",
            "does not apply to allow, which starts every run: use skip, queue or replace to cap"
                + " the runs at once");
        return null;
      }
      if (mode == null || max == null || queue == null) {
        return null;
      }
      try {
        return new OverlapPolicy(mode, max, queue);
      } catch (IllegalArgumentException e) {
        error(node, field, e.getMessage());
        return null;
      }
    }

    private MisfirePolicy misfire(Node node, String field) {
      Map<String, Node> map =
          node.value() instanceof String ? Map.of("mode", node) : object(node, field);
      if (map == null) {
        return null;
      }
      allow(map, field, "mode", "grace", "cap");
      MisfirePolicy.Mode mode =
          map.containsKey("mode")
              ? choice(
                  map.get("mode"), node.isMap() ? field + ".mode" : field, MisfirePolicy.Mode.class)
              : null;
      if (!map.containsKey("mode")) {
        error(node, field + ".mode", "is required (run_once, run_all or skip)");
      }
      Duration grace =
          map.containsKey("grace")
              ? duration(map.get("grace"), field + ".grace")
              : MisfirePolicy.DEFAULT_GRACE;
      Integer cap =
          map.containsKey("cap")
              ? integer(map.get("cap"), field + ".cap")
              : Integer.valueOf(
                  mode == MisfirePolicy.Mode.SKIP
                      ? 0
                      : mode == MisfirePolicy.Mode.RUN_ALL ? 100 : 1);
      if (mode == null || grace == null || cap == null) {
        return null;
      }
      try {
        return new MisfirePolicy(mode, grace, cap);
      } catch (IllegalArgumentException e) {
        error(node, field, e.getMessage());
        return null;
      }
    }

    // ------------------------------------------------------------------ values

    private interface Setter {
      void set(Node node);
    }

    /** Applies a present value; a builder's refusal becomes an error on the field. */
    private void apply(Node node, String field, Setter setter) {
      if (node == null) {
        return;
      }
      int before = errors.size();
      try {
        setter.set(node);
      } catch (NullPointerException e) {
        if (errors.size() == before) {
          error(node, field, "must not be null");
        }
      } catch (IllegalArgumentException | DateTimeException e) {
        error(node, field, e.getMessage());
      }
    }

    private void ok(String field, Node node, Runnable action) {
      try {
        action.run();
      } catch (IllegalArgumentException e) {
        error(node, field, e.getMessage());
      }
    }

    private void allow(Map<String, Node> map, String field, String... keys) {
      Set<String> allowed = Set.of(keys);
      for (Map.Entry<String, Node> entry : map.entrySet()) {
        if (!allowed.contains(entry.getKey())) {
          error(
              entry.getValue(),
              field + "." + entry.getKey(),
              "unknown key (expected " + String.join(", ", keys) + ")");
        }
      }
    }

    private String text(Node node, String field, Node parent) {
      if (node == null) {
        error(parent, field, "is required");
        return null;
      }
      if (!(node.value() instanceof String text)) {
        error(node, field, "must be a string, was " + node.kind());
        return null;
      }
      return text;
    }

    private Integer integer(Node node, String field) {
      if (node.value() instanceof Integer || node.value() instanceof Long) {
        long value = ((Number) node.value()).longValue();
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
          return (int) value;
        }
      }
      error(node, field, "must be a whole number, was " + describe(node));
      return null;
    }

    private List<String> texts(Node node, String field) {
      if (!(node.value() instanceof List<?>)) {
        error(node, field, "must be a list of strings, was " + node.kind());
        return null;
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < node.list().size(); i++) {
        Node item = node.list().get(i);
        if (!(item.value() instanceof String text)) {
          error(item, field + "[" + i + "]", "must be a string, was " + item.kind());
          return null;
        }
        out.add(text);
      }
      return out;
    }

    private Map<String, Node> object(Node node, String field) {
      if (!node.isMap()) {
        error(node, field, "must be an object, was " + node.kind());
        return null;
      }
      return node.map();
    }

    /** The node as plain JSON values (maps, lists, scalars), or null with an error. */
    private Map<String, Object> plainObject(Node node, String field) {
      if (!node.isMap()) {
        error(node, field, "must be an object, was " + node.kind());
        return null;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> plain = (Map<String, Object>) plain(node);
      return plain;
    }

    private static Object plain(Node node) {
      if (node.isMap()) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.map().forEach((k, v) -> out.put(k, plain(v)));
        return out;
      }
      if (node.value() instanceof List<?>) {
        return node.list().stream().map(Reader::plain).toList();
      }
      return node.value();
    }

    private Duration duration(Node node, String field) {
      if (!(node.value() instanceof String text)) {
        error(node, field, "must be a duration like 30s, 15m or PT15M, was " + describe(node));
        return null;
      }
      try {
        Duration length = Values.duration(text);
        if (length.compareTo(Job.LONGEST) > 0) {
          error(
              node,
              field,
              "must be at most " + Job.LONGEST.toDays() + " days (100 years), was " + text);
          return null;
        }
        return length;
      } catch (IllegalArgumentException e) {
        error(node, field, e.getMessage());
        return null;
      }
    }

    private ZoneId zone(Node node, String field, ZoneId fallback) {
      if (node == null) {
        return fallback;
      }
      if (node.value() instanceof String text) {
        try {
          return ZoneId.of(text);
        } catch (DateTimeException e) {
          error(
              node,
              field,
              "'"
                  + text
                  + "' is not a time zone: use a region like Europe/Berlin, UTC or an offset like +02:00");
          return fallback;
        }
      }
      error(node, field, "must be a time zone name, was " + node.kind());
      return fallback;
    }

    /**
     * An ISO instant, an offset date-time, or a local date-time read in the zone, from {@link
     * Job#EARLIEST} to {@link Job#LATEST}.
     */
    private Instant instant(Node node, String field, ZoneId zone) {
      Instant at = anyInstant(node, field, zone);
      if (at != null && (at.isBefore(Job.EARLIEST) || at.isAfter(Job.LATEST))) {
        error(node, field, "must be " + Job.EARLIEST + " to " + Job.LATEST + ", was " + at);
        return null;
      }
      return at;
    }

    private Instant anyInstant(Node node, String field, ZoneId zone) {
      if (node.value() instanceof String text) {
        try {
          return Instant.parse(text);
        } catch (DateTimeException e) {
          // other forms below
        }
        try {
          return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException e) {
          // other forms below
        }
        LocalDateTime local = null;
        try {
          local = LocalDateTime.parse(text);
        } catch (DateTimeException e) {
          // the message below
        }
        if (local != null) {
          return local(node, field, local, zone);
        }
      }
      error(
          node,
          field,
          "must be a date-time like 2026-03-08T02:30:00Z, 2026-03-08T02:30+01:00"
              + " or 2026-03-08T02:30 (read in the job's zone), was "
              + describe(node));
      return null;
    }

    /** The local date-time in the zone; a time a DST change skips or repeats is an error. */
    private Instant local(Node node, String field, LocalDateTime local, ZoneId zone) {
      List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
      if (offsets.size() == 1) {
        return local.toInstant(offsets.getFirst());
      }
      error(
          node,
          field,
          offsets.isEmpty()
              ? "'"
                  + local
                  + "' does not exist in "
                  + zone
                  + " (skipped by daylight saving):"
                  + " give an offset or another time"
              : "'"
                  + local
                  + "' happens twice in "
                  + zone
                  + " (daylight saving): give an offset,"
                  + " "
                  + local.atOffset(offsets.get(0))
                  + " or "
                  + local.atOffset(offsets.get(1)));
      return null;
    }

    private LocalTime time(Node node, String field, Object value) {
      if (value instanceof String text) {
        try {
          LocalTime time = LocalTime.parse(text.trim());
          if (time.getNano() == 0) {
            return time;
          }
          error(node, field, "must be a whole second (cron fires at whole seconds), was " + text);
          return null;
        } catch (DateTimeException e) {
          // the message below
        }
      }
      error(node, field, "must be a time of day like \"18:00\", was " + describe(node));
      return null;
    }

    private <E extends Enum<E>> E choice(Node node, String field, Class<E> type) {
      List<String> names = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        names.add(lower(constant));
        if (node.value() instanceof String text
            && lower(constant).equals(text.toLowerCase(Locale.ROOT))) {
          return constant;
        }
      }
      error(node, field, "must be one of " + String.join(", ", names) + ", was " + describe(node));
      return null;
    }

    private static String describe(Node node) {
      return node.value() instanceof String text
          ? "'" + text + "'"
          : node.kind() + (node.value() == null ? "" : " " + node.value());
    }

    private static String at(String path, String key) {
      return path.isEmpty() ? key : path + "." + key;
    }
  }
}
