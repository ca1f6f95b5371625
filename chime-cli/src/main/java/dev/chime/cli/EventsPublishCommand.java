package dev.chime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chime events publish NAME [--data JSON]}: publishes the event and prints the runs it
 * started, one per job whose trigger is {@code {event: NAME}}.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Publish an event; each job with the trigger {event: NAME} runs once with it.")
final class EventsPublishCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The event's name.")
  String name;

  @Option(
      names = "--data",
      paramLabel = "JSON",
      description = "The payload, a JSON object. Default: none.")
  String data;

  EventsPublishCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    String body = data == null ? null : payload().toString();
    if (name.isBlank()) {
      throw new Main.UsageError("NAME: must not be empty");
    }
    ApiClient.Reply reply = api().post(API + "/events/" + ApiClient.segment(name), body);
    if (printedJson(reply)) {
      return Main.OK;
    }
    JsonNode runs = reply.json().path("runs");
    if (runs.isEmpty()) {
      out().println("published event " + name + ": no job listens to it");
      return Main.OK;
    }
    out()
        .println(
            "published event " + name + ": " + runs.size() + (runs.size() == 1 ? " run" : " runs"));
    Table table = Table.of("JOB", "RUN", "STATE", "NOTE");
    for (JsonNode run : runs) {
      table.row(
          Fields.text(run, "jobId"),
          Fields.text(run, "id"),
          Fields.state(run),
          Fields.text(run, "reason"));
    }
    table.print(out());
    return Main.OK;
  }

  private JsonNode payload() {
    JsonNode payload;
    try {
      // Text after the value is refused, as the server refuses it: never silently dropped.
      payload =
          ApiClient.JSON
              .reader()
              .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readTree(data);
    } catch (JsonProcessingException e) {
      throw new Main.UsageError(
          "--data: not JSON (" + e.getOriginalMessage() + " at column " + column(e) + ")");
    }
    if (payload == null || payload.isMissingNode()) {
      throw new Main.UsageError("--data: empty; give a JSON object such as {\"id\": 7}");
    }
    if (!payload.isObject()) {
      throw new Main.UsageError(
          "--data: must be a JSON object such as {\"id\": 7}, was "
              + payload.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    return payload;
  }

  private static int column(JsonProcessingException e) {
    return e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
  }
}
