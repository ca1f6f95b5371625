package dev.chime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chime events publish NAME [--data JSON]}: fires the jobs whose trigger is the event. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Publish an event; jobs with the trigger {event: NAME} run with it.")
final class EventsPublishCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The event's name.")
  String name;

  @Option(
      names = "--data",
      paramLabel = "JSON",
      description = "The payload, a JSON value. Default: {}.")
  String data;

  EventsPublishCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    String body = data == null ? "{}" : payload().toString();
    ApiClient.Reply reply = api().post(API + "/events/" + ApiClient.segment(name), body);
    if (!printedJson(reply)) {
      out().println("published event " + name + triggered(reply.json()));
    }
    return Main.OK;
  }

  private JsonNode payload() {
    try {
      JsonNode payload = ApiClient.JSON.readTree(data);
      if (payload == null || payload.isMissingNode()) {
        throw new Main.UsageError("--data: empty; give a JSON value such as {\"id\": 7}");
      }
      return payload;
    } catch (JsonProcessingException e) {
      throw new Main.UsageError(
          "--data: not JSON (" + e.getOriginalMessage() + " at column " + column(e) + ")");
    }
  }

  private static int column(JsonProcessingException e) {
    return e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
  }

  /** ": 2 jobs triggered (a, b)" when the server says which jobs it woke. */
  private static String triggered(JsonNode answer) {
    JsonNode jobs = answer.path("triggered");
    if (!jobs.isArray()) {
      jobs = answer.path("jobs");
    }
    if (!jobs.isArray()) {
      return "";
    }
    return jobs.isEmpty()
        ? ": no job is triggered by it"
        : ": triggered " + Fields.compact(jobs).replaceAll("^\\[|\\]$", "");
  }
}
