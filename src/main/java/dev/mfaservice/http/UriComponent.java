package dev.mfaservice.http;

import java.nio.charset.StandardCharsets;

/** RFC 3986 percent-encoding of one URI component: unreserved characters stay, every other UTF-8 byte is %XX (space is %20, never +). */
public final class UriComponent {
  private UriComponent() {
  }

  /** @param alsoSafe further characters to leave as they are (e.g. "@" in an otpauth label) */
  public static String encode(String value, String alsoSafe) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~' || (c < 128 && alsoSafe.indexOf(c) >= 0)) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
          .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
