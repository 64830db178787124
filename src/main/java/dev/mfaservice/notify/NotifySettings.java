package dev.mfaservice.notify;

import dev.mfaservice.settings.Settings;

/**
 * The outbox and its messages: the product name in them, the claim lease, the sweep, retries and
 * their backoff, and whether users are told of factor changes and lockouts (SEC O10).
 */
public record NotifySettings(String productName, int leaseSeconds, int sweepSeconds, int maxAttempts, int backoffBaseMillis,
                             int backoffMaxMillis, boolean factorChanges) {

  public static NotifySettings from(Settings s) {
    return new NotifySettings(s.string("notify.product-name"), s.integer("notify.lease-seconds", 1, 3600),
      s.integer("notify.sweep-seconds", 1, 3600), s.integer("notify.max-attempts", 1, 100),
      s.integer("notify.backoff-base-millis", 10, 600_000), s.integer("notify.backoff-max-millis", 10, 86_400_000),
      s.flag("notify.factor-changes"));
  }
}
