package dev.mfaservice.notify;

import dev.mfaservice.errors.ApiError;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;

/**
 * The oneof of ZITADEL's verification messages: none given or {@code sendCode} = send a code
 * (optionally with a link from {@code urlTemplate}); {@code returnCode} = return it, send nothing;
 * {@code isVerified: true} = no code, the address counts as proven. The contract refuses two
 * at once and {@code isVerified: false}.
 */
public record VerificationChoice(Kind kind, UrlTemplate link) {
  public enum Kind { SEND, RETURN, VERIFIED }

  public static VerificationChoice of(JsonObject holder, String field, LinkRules links) {
    if (holder == null) {
      return new VerificationChoice(Kind.SEND, null);
    }
    long given = Stream.of("sendCode", "returnCode", "isVerified").filter(holder::containsKey).count();
    if (given > 1) {
      throw ApiError.invalidArgument("API-validation", "invalid request: " + field
        + ": give at most one of sendCode, returnCode, isVerified (oneof)");
    }
    if (Boolean.FALSE.equals(holder.getValue("isVerified"))) {
      throw ApiError.invalidArgument("API-validation", "invalid request: " + field
        + ".isVerified: false is not a choice; leave it out to have a code sent (const)");
    }
    if (holder.containsKey("returnCode")) {
      return new VerificationChoice(Kind.RETURN, null);
    }
    if (Boolean.TRUE.equals(holder.getValue("isVerified"))) {
      return new VerificationChoice(Kind.VERIFIED, null);
    }
    JsonObject send = holder.getJsonObject("sendCode");
    String template = send == null ? null : send.getString("urlTemplate");
    return new VerificationChoice(Kind.SEND, template == null || template.isEmpty() ? null
      : UrlTemplate.parse(template, field + ".sendCode.urlTemplate", links));
  }

  /** SEC O6: returning a code or declaring an address verified is for managers, not the user itself. */
  public boolean needsManager() {
    return kind != Kind.SEND;
  }
}
