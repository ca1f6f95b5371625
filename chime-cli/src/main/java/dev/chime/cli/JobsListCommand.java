package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chime jobs list}: every job, one per row. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "List the jobs: id, state, kind, trigger, next fire time and owner.")
final class JobsListCommand extends ClientCommand {
  @Option(names = "--state", paramLabel = "STATE", description = "Only jobs in this state.")
  String state;

  @Option(names = "--label", paramLabel = "LABEL", description = "Only jobs with this label.")
  String label;

  JobsListCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    List<JsonNode> jobs = api().all(API + "/jobs" + query());
    if (options.json) {
      // Every page in one answer of the API's shape.
      var all = ApiClient.JSON.createObjectNode();
      all.set("items", array(jobs));
      out().println(all.putNull("nextCursor").toString());
      return Main.OK;
    }
    if (jobs.isEmpty()) {
      out().println("no jobs" + (query().isEmpty() ? "" : " match") + " on " + api().server());
      return Main.OK;
    }
    Table table = Table.of("ID", "STATE", "KIND", "TRIGGER", "NEXT", "OWNER");
    for (JsonNode job : jobs) {
      JsonNode status = job.path("status");
      table.row(
          Fields.text(job, "id"),
          Fields.text(status, "state"),
          Fields.kind(job),
          Fields.trigger(job),
          Fields.fireTime(Fields.text(status, "nextFireAt"), Fields.zone(job, zone())),
          Fields.text(job, "owner"));
    }
    table.print(out());
    return Main.OK;
  }

  private String query() {
    List<String> terms = new ArrayList<>();
    if (state != null) {
      terms.add("state=" + ApiClient.segment(state));
    }
    if (label != null) {
      terms.add("label=" + ApiClient.segment(label));
    }
    return terms.isEmpty() ? "" : "?" + String.join("&", terms);
  }

  private static JsonNode array(List<JsonNode> items) {
    return ApiClient.JSON.createArrayNode().addAll(items);
  }
}
