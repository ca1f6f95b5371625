package dev.chime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code chime jobs show ID}: one job's definition, state and next fire times. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Show a job: its definition, state and next fire times.")
final class JobsShowCommand extends ClientCommand {
  static final int UPCOMING = 3;
  private static final int LABEL_WIDTH = 10;

  @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
  String id;

  JobsShowCommand(Main.Environment environment) {
    super(environment);
  }

  @Override
  public Integer call() {
    ApiClient.Reply reply = api().get(job(id, ""));
    if (printedJson(reply)) {
      return Main.OK;
    }
    JsonNode job = reply.json();
    PrintWriter out = out();
    for (Map.Entry<String, JsonNode> field : job.properties()) {
      if (!field.getKey().equals("status")) {
        print(out, field.getKey(), value(field.getKey(), field.getValue()));
      }
    }
    for (Map.Entry<String, JsonNode> field : job.path("status").properties()) {
      if (!field.getValue().isNull() && !field.getKey().equals("nextFireAt")) {
        print(out, field.getKey(), value(field.getKey(), field.getValue()));
      }
    }
    List<String> next = NextTimes.of(api(), id, UPCOMING, zone());
    if (next.isEmpty()) {
      print(out, "next", "none");
    }
    for (int i = 0; i < next.size(); i++) {
      print(out, i == 0 ? "next" : "", next.get(i));
    }
    return Main.OK;
  }

  private String value(String field, JsonNode value) {
    if (value.isTextual() && field.endsWith("At")) {
      return Fields.time(value.asText(), zone());
    }
    return Fields.compact(field, value);
  }

  static void print(PrintWriter out, String label, String value) {
    String head = label.isEmpty() ? "" : label + ":";
    out.println(
        (head + " ".repeat(Math.max(1, LABEL_WIDTH - head.length())) + value).stripTrailing());
  }
}
