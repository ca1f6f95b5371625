package dev.chime.bench;

import java.util.List;
import java.util.Locale;

/** One line of a results file: {"system", "scenario", "metric", "value", "unit"}. */
public record Metric(String system, String scenario, String metric, double value, String unit) {

  /** A JSON array, one object per metric; metrics without a finite value are left out. */
  public static String toJson(List<Metric> metrics) {
    List<Metric> finite = metrics.stream().filter(m -> Double.isFinite(m.value())).toList();
    StringBuilder json = new StringBuilder("[\n");
    for (int i = 0; i < finite.size(); i++) {
      Metric m = finite.get(i);
      json.append("  {\"system\": ")
          .append(quote(m.system()))
          .append(", \"scenario\": ")
          .append(quote(m.scenario()))
          .append(", \"metric\": ")
          .append(quote(m.metric()))
          .append(", \"value\": ")
          .append(String.format(Locale.ROOT, "%.3f", m.value()))
          .append(", \"unit\": ")
          .append(quote(m.unit()))
          .append(i + 1 < finite.size() ? "},\n" : "}\n");
    }
    return json.append("]\n").toString();
  }

  static String quote(String text) {
    StringBuilder quoted = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString();
  }
}
