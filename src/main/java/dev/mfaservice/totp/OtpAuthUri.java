package dev.mfaservice.totp;

import dev.mfaservice.http.UriComponent;

/**
 * The key-uri format authenticator apps scan (SEC T8):
 * {@code otpauth://totp/{issuer}:{account}?algorithm=…&digits=…&issuer={issuer}&period=…&secret=…}
 * with the issuer both as label prefix and parameter, RFC 3986 percent-encoding (a space is
 * {@code %20}, never {@code +}; a ':' inside the account is encoded so the label splits once).
 */
public final class OtpAuthUri {
  private OtpAuthUri() {
  }

  public static String of(String issuer, String account, String base32Secret, TotpParameters s) {
    return "otpauth://totp/" + encode(issuer) + ":" + encode(account)
      + "?algorithm=" + s.algorithm()
      + "&digits=" + s.digits()
      + "&issuer=" + encode(issuer)
      + "&period=" + s.periodSeconds()
      + "&secret=" + base32Secret;
  }

  /** Unreserved characters and '@' stay (as in Google's examples), everything else is %XX. */
  static String encode(String value) {
    return UriComponent.encode(value, "@");
  }
}
