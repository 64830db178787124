package dev.mfaservice.user;

import dev.mfaservice.notify.Addressee;
import java.time.Instant;

/** A human user as stored: profile, contact email and phone with their verified flags. */
public record User(String id, String orgId, String username, String givenName, String familyName,
                   String displayName, String preferredLanguage, Contact email, Contact phone, String state,
                   long sequence, Instant createdAt, Instant changedAt) implements Addressee {

  /** A contact address and whether its owner proved it; {@code address} null = none. */
  public record Contact(String address, boolean verified) {
    public static final Contact NONE = new Contact(null, false);
  }

  /** ZITADEL shows the login name; here it is the username (unique within the org). */
  @Override
  public String loginName() {
    return username;
  }

  @Override
  public String verifiedEmail() {
    return email != null && email.verified() ? email.address() : null;
  }

  @Override
  public String verifiedPhone() {
    return phone != null && phone.verified() ? phone.address() : null;
  }
}
