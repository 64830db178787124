package dev.mfaservice.twilioverify;

import dev.mfaservice.settings.Settings;
import java.util.Optional;

/**
 * The Verify API's settings: the public base URL its answers' {@code url}, {@code links} and page URLs start with
 * (e.g. {@code https://verify.example.com}); empty = the scheme and Host the client called.
 */
public record VerifySettings(Optional<String> publicUrl) {
  public static VerifySettings from(Settings s) {
    return new VerifySettings(s.uri("twilio-verify.public-url", "https", "http")
      .map(uri -> uri.toString().replaceAll("/+$", "")));
  }
}
