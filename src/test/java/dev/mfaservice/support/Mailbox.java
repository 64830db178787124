package dev.mfaservice.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real SMTP server (GreenMail) and what a recipient sees in it. */
public final class Mailbox implements AutoCloseable {
  private final GreenMail greenMail;

  private Mailbox(GreenMail greenMail) {
    this.greenMail = greenMail;
  }

  public static Mailbox start() {
    return startOn(0);
  }

  /** On a given port (0 = any free one), e.g. to bring a "down" SMTP server up later. */
  public static Mailbox startOn(int port) {
    GreenMail gm = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    if (port != 0) {
      gm = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }
    gm.start();
    return new Mailbox(gm);
  }

  public int port() {
    return greenMail.getSmtp().getPort();
  }

  /** The settings that point the service at this server. */
  public Map<String, String> env() {
    return Map.of("MFA_SMTP_HOST", "127.0.0.1", "MFA_SMTP_PORT", Integer.toString(port()), "MFA_SMTP_TLS", "none",
      "MFA_SMTP_FROM", "mfa-service <no-reply@mfa.test>");
  }

  public List<MimeMessage> to(String address) {
    return Arrays.stream(greenMail.getReceivedMessages()).filter(m -> recipients(m).contains(address.toLowerCase())).toList();
  }

  /** Waits (polling, with a deadline) until {@code count} messages reached {@code address}. */
  public List<MimeMessage> await(String address, int count, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      List<MimeMessage> got = to(address);
      if (got.size() >= count) {
        return got;
      }
      sleep(50);
    }
    throw new AssertionError("expected " + count + " message(s) to " + address + " within " + timeoutMillis + " ms, got "
      + to(address).size());
  }

  public int total() {
    return greenMail.getReceivedMessages().length;
  }

  /** The decoded text/plain part of a message. */
  public static String text(MimeMessage message) {
    try {
      Object content = message.getContent();
      if (content instanceof Multipart multipart) {
        return part(multipart, "text/plain");
      }
      return String.valueOf(content);
    } catch (IOException | MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String html(MimeMessage message) {
    try {
      return part((Multipart) message.getContent(), "text/html");
    } catch (IOException | MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String subject(MimeMessage message) {
    try {
      return message.getSubject();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first match of {@code pattern}'s group 1 in the message text. */
  public static String find(MimeMessage message, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(text(message));
    if (!m.find()) {
      throw new AssertionError("no match for " + pattern + " in: " + text(message));
    }
    return m.group(1);
  }

  private static String part(Multipart multipart, String type) throws MessagingException, IOException {
    for (int i = 0; i < multipart.getCount(); i++) {
      BodyPart part = multipart.getBodyPart(i);
      if (part.isMimeType(type)) {
        return String.valueOf(part.getContent());
      }
      if (part.getContent() instanceof Multipart inner) {
        String found = part(inner, type);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static List<String> recipients(MimeMessage m) {
    try {
      return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).map(a -> a.toString().toLowerCase()).toList();
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    greenMail.stop();
  }
}
