package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to a Chime server: the shared options, streams and helpers. */
abstract class ClientCommand implements Callable<Integer> {
  static final String API = "/api/v1";

  final Main.Environment environment;

  @Spec CommandSpec spec;

  @Mixin ClientOptions options;

  private ApiClient api;

  ClientCommand(Main.Environment environment) {
    this.environment = environment;
  }

  ApiClient api() {
    if (api == null) {
      api = options.connect(environment);
    }
    return api;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Progress of long work on stderr (see {@link Progress}). */
  Progress progress(String what, int total, boolean plain) {
    return Progress.of(environment, err(), what, total, plain);
  }

  ZoneId zone() {
    return environment.systemZone();
  }

  /** The path of the job's resource, with the rest appended. */
  static String job(String id, String rest) {
    if (id.isBlank()) {
      // An empty segment would be another endpoint: /jobs/ lists, /jobs//next is unknown.
      throw new Main.UsageError("ID: must not be empty");
    }
    return API + "/jobs/" + ApiClient.segment(id) + rest;
  }

  /** Prints the server's JSON as is when {@code --json} asks; returns whether it did. */
  boolean printedJson(ApiClient.Reply reply) {
    if (options.json && !reply.body().isBlank()) {
      out().println(reply.body().strip());
    }
    return options.json;
  }

  /** Prints the JSON value (one line) when {@code --json} asks; returns whether it did. */
  boolean printedJson(JsonNode value) {
    if (options.json) {
      out().println(value.toString());
    }
    return options.json;
  }
}
