package dev.mfaservice.user;

import dev.mfaservice.codes.Purpose;
import dev.mfaservice.notify.Channels;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.function.Function;

/** The two contact addresses of a user, email and phone: what differs in setting and verifying them. */
public enum ContactKind {
  EMAIL("email", Purpose.CONTACT_EMAIL, Channels.EMAIL, "verify_email", User::email),
  PHONE("phone", Purpose.CONTACT_PHONE, Channels.SMS, "verify_sms", User::phone);

  private final String noun;
  private final Purpose purpose;
  private final String channel;
  private final String template;
  private final Function<User, User.Contact> contact;

  ContactKind(String noun, Purpose purpose, String channel, String template, Function<User, User.Contact> contact) {
    this.noun = noun;
    this.purpose = purpose;
    this.channel = channel;
    this.template = template;
    this.contact = contact;
  }

  public String noun() {
    return noun;
  }

  public Purpose purpose() {
    return purpose;
  }

  public String channel() {
    return channel;
  }

  public String template() {
    return template;
  }

  public User.Contact of(User user) {
    return contact.apply(user);
  }

  Future<Void> set(UserRepository users, SqlClient tx, String userId, String address, boolean verified) {
    return this == EMAIL ? users.setEmail(tx, userId, address, verified) : users.setPhone(tx, userId, address, verified);
  }

  Future<Void> markVerified(UserRepository users, SqlClient tx, String userId) {
    return this == EMAIL ? users.markEmailVerified(tx, userId) : users.markPhoneVerified(tx, userId);
  }

  String eventPrefix() {
    return "user.human." + noun;
  }
}
