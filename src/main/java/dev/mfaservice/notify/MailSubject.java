package dev.mfaservice.notify;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A mail subject as RFC 2047 encoded words when it is not plain ASCII: vertx-mail-client writes
 * characters outside the Basic Multilingual Plane (an emoji in a product or user name) as "??".
 * Each word holds whole characters and stays within the 75 characters RFC 2047 allows.
 */
final class MailSubject {
  private static final int MAX_BYTES_PER_WORD = 45; // 60 base64 characters + "=?UTF-8?B?" + "?="

  private MailSubject() {
  }

  static String encode(String subject) {
    if (subject.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return subject;
    }
    StringBuilder out = new StringBuilder();
    StringBuilder word = new StringBuilder();
    subject.codePoints().forEach(cp -> {
      String ch = new String(Character.toChars(cp));
      if (utf8(word.toString() + ch).length > MAX_BYTES_PER_WORD) {
        append(out, word);
        word.setLength(0);
      }
      word.append(ch);
    });
    append(out, word);
    return out.toString();
  }

  private static void append(StringBuilder out, StringBuilder word) {
    if (word.length() > 0) {
      out.append(out.length() == 0 ? "" : " ").append("=?UTF-8?B?")
        .append(Base64.getEncoder().encodeToString(utf8(word.toString()))).append("?=");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
