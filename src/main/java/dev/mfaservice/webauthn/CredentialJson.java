package dev.mfaservice.webauthn;

import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.RegistrationRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads the PublicKeyCredential a browser made (WebAuthn's JSON form: {@code {id, rawId, type, response{…}}}, binary
 * fields base64url, padded or not; plain base64 tolerated) into webauthn4j's requests. Anything missing, of the wrong
 * kind, undecodable or too large is {@link WebAuthnErrors#malformed()}; no value is ever echoed.
 */
final class CredentialJson {
  /** Far above any real credential (a few hundred bytes to ~2 KiB with attestation certificates). */
  static final int MAX_ENCODED = 12 * 1024;

  private CredentialJson() {
  }

  /** What a registration carries: the credential id the browser reported, and the request to verify. */
  record Registration(byte[] rawId, RegistrationRequest request) {
  }

  record Assertion(byte[] rawId, AuthenticationRequest request) {
  }

  static Registration registration(JsonObject credential) {
    JsonObject response = envelope(credential);
    byte[] rawId = rawId(credential);
    Set<String> transports = transports(response.getValue("transports"));
    return new Registration(rawId, new RegistrationRequest(bytes(response, "attestationObject"),
      bytes(response, "clientDataJSON"), null, transports));
  }

  static Assertion assertion(JsonObject credential) {
    JsonObject response = envelope(credential);
    byte[] rawId = rawId(credential);
    Object handle = response.getValue("userHandle");
    byte[] userHandle = handle == null || "".equals(handle) ? null : decode(handle);
    return new Assertion(rawId, new AuthenticationRequest(rawId, userHandle, bytes(response, "authenticatorData"),
      bytes(response, "clientDataJSON"), null, bytes(response, "signature")));
  }

  private static JsonObject envelope(JsonObject credential) {
    if (credential == null || credential.isEmpty() || credential.encode().length() > MAX_ENCODED) {
      throw WebAuthnErrors.malformed();
    }
    Object type = credential.getValue("type");
    if (type != null && !"public-key".equals(type)) {
      throw WebAuthnErrors.malformed();
    }
    if (!(credential.getValue("response") instanceof JsonObject response)) {
      throw WebAuthnErrors.malformed();
    }
    return response;
  }

  /** rawId, else id; when both are there they must name the same credential. */
  private static byte[] rawId(JsonObject credential) {
    Object raw = credential.getValue("rawId");
    Object id = credential.getValue("id");
    byte[] rawId = decode(raw != null ? raw : id);
    if (raw != null && id != null && !java.util.Arrays.equals(rawId, decode(id))) {
      throw WebAuthnErrors.malformed();
    }
    if (rawId.length == 0 || rawId.length > 1023) {
      throw WebAuthnErrors.malformed();
    }
    return rawId;
  }

  private static Set<String> transports(Object value) {
    Set<String> transports = new LinkedHashSet<>();
    if (value == null) {
      return transports;
    }
    if (!(value instanceof JsonArray list) || list.size() > 8) {
      throw WebAuthnErrors.malformed();
    }
    for (Object t : list) {
      if (!(t instanceof String s) || !s.matches("[a-z-]{1,20}")) {
        throw WebAuthnErrors.malformed();
      }
      transports.add(s);
    }
    return transports;
  }

  private static byte[] bytes(JsonObject response, String field) {
    byte[] value = decode(response.getValue(field));
    if (value.length == 0) {
      throw WebAuthnErrors.malformed();
    }
    return value;
  }

  static byte[] decode(Object value) {
    if (!(value instanceof String text)) {
      throw WebAuthnErrors.malformed();
    }
    try {
      String url = text.replace('+', '-').replace('/', '_');
      int end = url.length();
      while (end > 0 && url.charAt(end - 1) == '=') {
        end--;
      }
      return Base64.getUrlDecoder().decode(url.substring(0, end));
    } catch (IllegalArgumentException e) {
      throw WebAuthnErrors.malformed();
    }
  }

  static String encode(byte[] value) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
