package dev.mfaservice.notify;

/** The delivery channels and their event-bus addresses: after commit, an outbox row's id is sent there. */
public final class Channels {
  public static final String EMAIL = "email";
  public static final String SMS = "sms";

  private Channels() {
  }

  public static String address(String channel) {
    return "mfa.outbox." + channel;
  }

  /** For events and logs: "g***@acme.test", "+4179*****67" (SEC S4). */
  public static String mask(String recipient) {
    int at = recipient.indexOf('@');
    if (at > 0) {
      return recipient.charAt(0) + "***" + recipient.substring(at);
    }
    if (recipient.length() > 6) {
      return recipient.substring(0, 5) + "*".repeat(recipient.length() - 7) + recipient.substring(recipient.length() - 2);
    }
    return "***";
  }
}
