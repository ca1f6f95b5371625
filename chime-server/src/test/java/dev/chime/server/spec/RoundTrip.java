package dev.chime.server.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chime.Job;

/** A job written with toSpec, sent as JSON text and read back, as the REST API does. */
final class RoundTrip {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RoundTrip() {}

  static Job back(Job job) {
    try {
      return JobSpecs.readJson(JSON.writeValueAsString(JobSpecs.toSpec(job)), job.owner());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
