package dev.mfaservice.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens whose signature was checked, by SHA-256 of the whole token (so only the very same
 * bytes match, and no bearer token is kept as a key), each until its expiry, at most five
 * minutes. Bounded: when full, expired entries go, and if that frees nothing, all of them.
 */
final class VerifiedTokens {
  private static final long MAX_AGE_MILLIS = 300_000;
  private static final int MAX_ENTRIES = 20_000;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  private record Entry(Caller caller, long untilMillis) {
  }

  Caller get(String token) {
    Entry entry = entries.get(digest(token));
    if (entry == null) {
      return null;
    }
    if (entry.untilMillis() <= System.currentTimeMillis()) {
      entries.remove(digest(token));
      return null;
    }
    return entry.caller();
  }

  void put(String token, Caller caller, long expiresAtMillis) {
    long now = System.currentTimeMillis();
    if (entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(e -> e.untilMillis() <= now);
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.put(digest(token), new Entry(caller, Math.min(expiresAtMillis, now + MAX_AGE_MILLIS)));
  }

  private static String digest(String token) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
