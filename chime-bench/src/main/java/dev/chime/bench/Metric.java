package dev.chime.bench;

import java.util.List;
import java.util.Locale;

/** One line of a results file: {"system", "scenario", "metric", "value", "unit"}. */
record Metric(String system, String metric, double value, String unit) {

  static String toJson(List<Metric> metrics) {
    StringBuilder json = new StringBuilder("[\n");
    for (int i = 0; i < metrics.size(); i++) {
      Metric m = metrics.get(i);
      json.append(
          String.format(
              Locale.ROOT,
              "  {\"system\": \"%s\", \"scenario\": \"cron\", \"metric\": \"%s\", \"value\": %s,"
                  + " \"unit\": \"%s\"}%s%n",
              m.system(),
              m.metric(),
              Double.isFinite(m.value()) ? String.format(Locale.ROOT, "%.3f", m.value()) : "null",
              m.unit(),
              i + 1 < metrics.size() ? "," : ""));
    }
    return json.append("]\n").toString();
  }
}
