/**
 * Chime's core: the public API ({@code dev.chime}), the cron engine ({@code dev.chime.cron}) and
 * the store SPI ({@code dev.chime.spi}). The engine's internals ({@code dev.chime.internal..}) are
 * not exported, except the engine to the test kit, whose {@code ManualScheduler} drives it.
 */
@SuppressWarnings("module") // the test kit is built after core
module dev.chime.core {
  requires org.slf4j;

  exports dev.chime;
  exports dev.chime.cron;
  exports dev.chime.spi;
  exports dev.chime.internal.engine to
      dev.chime.testkit;
}
