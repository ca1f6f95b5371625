package dev.chime.server;

import dev.chime.Job;
import dev.chime.server.spec.JobSpecs;
import dev.chime.server.spec.SpecError;
import dev.chime.server.spec.SpecException;
import java.util.List;

/** Job bodies of the API: the job-file form in JSON, read and written by {@link JobSpecs}. */
final class JobBodies {
  private JobBodies() {}

  /**
   * The job the JSON body describes, owned by {@code owner}: 400 when the body is not JSON, 422
   * naming the first bad field and its line (and listing every error) when it is not a valid job.
   */
  static Job read(String body, String owner) {
    try {
      return JobSpecs.readJson(body, owner);
    } catch (SpecException e) {
      Json.read(body); // not JSON at all: 400 with Jackson's location, rather than 422
      List<String> errors = e.errors().stream().map(JobBodies::text).toList();
      SpecError first = e.errors().get(0);
      throw new ApiException(
          422,
          first.field() == null || first.field().isEmpty() ? null : first.field(),
          String.join("; ", errors),
          errors,
          first.line());
    }
  }

  private static String text(SpecError error) {
    return (error.field() == null || error.field().isEmpty() ? "" : error.field() + ": ")
        + error.message();
  }
}
