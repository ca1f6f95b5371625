package dev.chime.server.kinds;

import dev.chime.JobContext;
import dev.chime.JobFailedException;
import dev.chime.JobHandler;
import dev.chime.Run;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code command} kind: runs a program (an argv list; {@code /bin/sh -c script} only with
 * {@code shell: true}) and fails unless it exits 0. See the package note for how output is kept and
 * how a run that is stopped kills the process tree.
 */
final class CommandJob implements JobHandler {
  static final long DEFAULT_OUTPUT_LIMIT = 65_536;
  static final long MAX_OUTPUT_LIMIT = 64L << 20;
  private static final Set<String> FIELDS =
      Set.of("argv", "script", "shell", "env", "cwd", "output_limit");
  private static final Set<String> RESERVED_ENV =
      Set.of(
          "CHIME_JOB_ID",
          "CHIME_RUN_ID",
          "CHIME_SCHEDULED_FOR",
          "CHIME_ATTEMPT",
          "CHIME_EVENT",
          "CHIME_EVENT_DATA");
  private static final long POLL_MILLIS = 100;
  private static final Pattern ERRNO = Pattern.compile("error[=:] ?\\d+(?:, (.+)| \\((.+)\\))$");
  private static final long DRAIN_MILLIS = 1_000;

  /**
   * The least output_limit whose output goes into the run's log line by line as it comes: the log
   * keeps its newest {@value Run#LOG_LIMIT} characters, at most three bytes each, and the kept tail
   * holds all but at most one line of its limit, so with this limit or more the log ends as it
   * would with the tail. A smaller limit can keep less than the log, which takes no line back: then
   * the tail goes into the log when the process ends.
   */
  static final long LIVE_LIMIT = 3L * Run.LOG_LIMIT + OutputTail.LONGEST_LINE;

  /** The params, checked. */
  record Spec(List<String> command, Map<String, String> env, Path cwd, long outputLimit) {}

  static List<String> validate(Map<String, Object> params) {
    Params p = new Params(params, FIELDS);
    read(p);
    return p.errors();
  }

  private static Spec read(Params p) {
    List<String> command = command(p);
    Map<String, String> env = env(p);
    Path cwd = p.absolutePath("cwd");
    Long limit = p.size("output_limit", 1, MAX_OUTPUT_LIMIT);
    return new Spec(command, env, cwd, limit == null ? DEFAULT_OUTPUT_LIMIT : limit);
  }

  /** The argv to start: the given list, or the shell with the script; null if they are bad. */
  private static List<String> command(Params p) {
    boolean shell = p.bool("shell");
    List<String> argv = p.strings("argv");
    String script = p.string("script");
    if (shell) {
      if (p.has("argv")) {
        p.error("argv", "not allowed with shell: true (give the shell text as script)");
      } else if (script == null || script.isBlank()) {
        p.error("script", "is required with shell: true");
      } else if (script.indexOf('\0') >= 0) {
        p.error("script", NUL);
      } else {
        return List.of("/bin/sh", "-c", script);
      }
    } else if (p.has("script")) {
      p.error("script", "needs shell: true (or give an argv list, which runs without a shell)");
    } else if (!p.has("argv")) {
      p.error("argv", "is required (a list: the program, then its arguments)");
    } else if (argv != null && (argv.isEmpty() || argv.get(0).isBlank())) {
      p.error("argv", "must start with the program to run");
    } else if (argv != null && withNul(argv) >= 0) {
      p.error("argv[" + withNul(argv) + "]", NUL);
    } else {
      return argv;
    }
    return null;
  }

  private static Map<String, String> env(Params p) {
    Map<String, String> env = p.stringMap("env");
    for (String name : env == null ? Set.<String>of() : env.keySet()) {
      if (name.isEmpty() || name.contains("=") || name.indexOf('\0') >= 0) {
        p.error("env." + name, "is not a valid variable name");
      } else if (RESERVED_ENV.contains(name)) {
        p.error("env." + name, "is set by Chime for every run");
      } else if (env.get(name).indexOf('\0') >= 0) {
        // The operating system cannot pass it; the JDK's refusal would quote the value (a secret).
        p.error("env." + name, NUL);
      }
    }
    return env;
  }

  private static final String NUL = "must not contain a NUL character";

  /** The index of the first argument with a NUL in it, or -1. */
  private static int withNul(List<String> argv) {
    for (int i = 0; i < argv.size(); i++) {
      if (argv.get(i).indexOf('\0') >= 0) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void run(JobContext ctx) throws Exception {
    Params p = new Params(ctx.params(), FIELDS);
    Spec spec = read(p);
    p.check(JobKinds.COMMAND);
    Process process = start(spec, ctx);
    OutputTail output =
        spec.outputLimit() >= LIVE_LIMIT
            ? new OutputTail(spec.outputLimit(), ctx::log)
            : new OutputTail(spec.outputLimit());
    List<Thread> readers =
        List.of(
            output.drain(process.getInputStream(), false),
            output.drain(process.getErrorStream(), true));
    try {
      int exit = await(process, ctx);
      joinReaders(readers);
      report(ctx, output, exit);
      if (exit != 0) {
        throw new JobFailedException("exited with code " + exit);
      }
    } catch (InterruptedException | StoppedException e) {
      int killed = ProcessTree.kill(process.toHandle());
      joinReaders(readers);
      report(ctx, output, null);
      throw new JobFailedException(
          "stopped: killed pid " + process.pid() + " and its tree (" + killed + " processes)");
    } finally {
      output.close(); // however the run ends, its log takes no more lines
      if (process.isAlive()) {
        ProcessTree.kill(process.toHandle());
      }
    }
  }

  private static Process start(Spec spec, JobContext ctx) throws JobFailedException {
    ProcessBuilder builder = new ProcessBuilder(spec.command());
    Map<String, String> env = builder.environment();
    env.putAll(spec.env());
    env.put("CHIME_JOB_ID", ctx.jobId().value());
    env.put("CHIME_RUN_ID", ctx.runId().toString());
    env.put("CHIME_SCHEDULED_FOR", ctx.scheduledFor().toString());
    env.put("CHIME_ATTEMPT", Integer.toString(ctx.attempt()));
    ctx.event()
        .ifPresent(
            event -> {
              env.put("CHIME_EVENT", event.name());
              env.put("CHIME_EVENT_DATA", json(event.payload()));
            });
    if (spec.cwd() != null) {
      if (!Files.isDirectory(spec.cwd())) {
        throw new JobFailedException("cwd: " + spec.cwd() + " is not an existing directory");
      }
      builder.directory(spec.cwd().toFile());
    }
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      Process process = builder.start();
      ctx.log("started pid " + process.pid() + ": " + String.join(" ", spec.command()));
      return process;
    } catch (IOException e) {
      throw new JobFailedException("cannot run '" + spec.command().get(0) + "': " + reason(e));
    }
  }

  /** The mapper, loaded with its ~500 classes only when an event's payload is first written. */
  private static final class Mapper {
    static final com.fasterxml.jackson.databind.ObjectMapper JSON =
        new com.fasterxml.jackson.databind.ObjectMapper();
  }

  /** The payload as one line of JSON: {@code null} when the event carries none. */
  private static String json(Object payload) {
    try {
      return Mapper.JSON.writeValueAsString(payload);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the event payload as JSON", e);
    }
  }

  /** The system's reason in the JDK's message ("... error=2, No such file or directory"). */
  private static String reason(IOException e) {
    String message = String.valueOf(e.getMessage()).strip();
    Matcher m = ERRNO.matcher(message);
    if (m.find()) {
      return m.group(1) != null ? m.group(1) : m.group(2);
    }
    return message;
  }

  /** Waits for the exit, checking for a stop (a cancel or a timeout by the clock) on the way. */
  private static int await(Process process, JobContext ctx)
      throws InterruptedException, StoppedException {
    while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
      if (ctx.isCancelled()) {
        throw new StoppedException();
      }
    }
    return process.exitValue();
  }

  /**
   * Waits a little for the output to end: a background process the command left behind may hold the
   * pipes open, and the run does not wait for it.
   */
  private static void joinReaders(List<Thread> readers) {
    boolean interrupted = Thread.interrupted();
    for (Thread reader : readers) {
      try {
        reader.join(DRAIN_MILLIS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The kept output into the run's log (unless it went there as it came), then, when output was
   * dropped (beyond output_limit, or beyond the log's own {@value Run#LOG_LIMIT} characters), a
   * note saying so: last, so the log's cap, which keeps the newest characters, never drops the note
   * itself.
   */
  private static void report(JobContext ctx, OutputTail output, Integer exit) {
    output.close();
    String text = output.text();
    long length = output.length();
    String note = "[output truncated: older lines dropped; " + output.total() + " bytes in all]";
    boolean truncated =
        output.truncated() || length > 0 && length + note.length() + 2 > Run.LOG_LIMIT;
    if (!text.isEmpty()) {
      ctx.log(text);
    }
    if (truncated) {
      ctx.log(note);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("exit_code", exit);
    result.put("output_bytes", output.total());
    result.put("output_truncated", truncated);
    ctx.result(result);
  }

  /** The run was asked to stop while its process ran. */
  private static final class StoppedException extends Exception {
    private static final long serialVersionUID = 1L;

    StoppedException() {
      super(null, null, false, false);
    }
  }
}
