/** Chime's test kit: time travel, a manual scheduler, the store contract test and assertions. */
module dev.chime.testkit {
  requires transitive dev.chime.core;
  requires transitive org.assertj.core;
  requires transitive org.junit.jupiter.api;

  exports dev.chime.testkit;

  opens dev.chime.testkit to
      org.junit.platform.commons;
}
