package dev.mfaservice.notify;

/**
 * Whom a message is for, as notify needs to know them: who they are (for the outbox row and the
 * send limits), how the message names them and in which language, and the contacts they have
 * proved. The user model implements it; notify never reaches into the user package.
 */
public interface Addressee {
  String id();

  String orgId();

  String loginName();

  String displayName();

  String preferredLanguage();

  /** The contact email the user verified; null when none. */
  String verifiedEmail();

  /** The contact phone (E.164) the user verified; null when none. */
  String verifiedPhone();
}
