package dev.mfaservice.factors;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.notify.Channels;
import dev.mfaservice.otp.OtpRepository;
import dev.mfaservice.totp.TotpRepository;
import dev.mfaservice.user.UserAccess;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/** Which second factors a user has ready, across the factor types. */
public final class AuthMethodQueries {
  /** A ready second factor, in the words of the user service v2 enum. */
  public enum AuthMethod { TOTP, OTP_SMS, OTP_EMAIL }

  private final Pool pool;
  private final UserAccess access;
  private final TotpRepository totp;
  private final OtpRepository otp;

  public AuthMethodQueries(Pool pool, UserAccess access, TotpRepository totp, OtpRepository otp) {
    this.pool = pool;
    this.access = access;
    this.totp = totp;
    this.otp = otp;
  }

  public Future<List<AuthMethod>> readyMethods(Caller caller, String userId) {
    return access.visible(pool, caller, userId).compose(user -> {
      Future<Boolean> totpReady = totp.isReady(pool, user.id());
      Future<java.util.Set<String>> otpReady = otp.readyChannels(pool, user.id());
      return Future.all(totpReady, otpReady).map(all -> {
        List<AuthMethod> methods = new ArrayList<>();
        if (totpReady.result()) {
          methods.add(AuthMethod.TOTP);
        }
        if (otpReady.result().contains(Channels.SMS)) {
          methods.add(AuthMethod.OTP_SMS);
        }
        if (otpReady.result().contains(Channels.EMAIL)) {
          methods.add(AuthMethod.OTP_EMAIL);
        }
        return methods;
      });
    });
  }
}
