/**
 * Chime's core: the public API ({@code dev.chime}) and the cron engine ({@code dev.chime.cron}).
 * The engine's internals ({@code dev.chime.internal..}) are not exported.
 */
module dev.chime.core {
  exports dev.chime;
  exports dev.chime.cron;
}
