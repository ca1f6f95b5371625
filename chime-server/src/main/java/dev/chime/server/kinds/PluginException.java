package dev.chime.server.kinds;

/** A plugin jar that cannot be loaded; the message names the jar and what is wrong. */
public final class PluginException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
