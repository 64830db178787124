package dev.mfaservice.app;

/** Start-up cannot go on; the message is the one line a user sees. */
public final class StartupException extends RuntimeException {
  public StartupException(String message) {
    super(message, null, false, false);
  }
}
