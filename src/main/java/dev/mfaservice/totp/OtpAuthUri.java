package dev.mfaservice.totp;

import java.nio.charset.StandardCharsets;

/**
 * The key-uri format authenticator apps scan (SEC T8):
 * {@code otpauth://totp/{issuer}:{account}?algorithm=…&digits=…&issuer={issuer}&period=…&secret=…}
 * with the issuer both as label prefix and parameter, RFC 3986 percent-encoding (a space is
 * {@code %20}, never {@code +}; a ':' inside the account is encoded so the label splits once).
 */
public final class OtpAuthUri {
  private OtpAuthUri() {
  }

  public static String of(String issuer, String account, String base32Secret, TotpSettings s) {
    return "otpauth://totp/" + encode(issuer) + ":" + encode(account)
      + "?algorithm=" + s.algorithm()
      + "&digits=" + s.digits()
      + "&issuer=" + encode(issuer)
      + "&period=" + s.periodSeconds()
      + "&secret=" + base32Secret;
  }

  /** Unreserved characters and '@' stay; every other byte of the UTF-8 form becomes %XX. */
  static String encode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
          .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
