package dev.mfaservice.bench;

import dev.mfaservice.crypto.Keyring;
import dev.mfaservice.support.Rfc6238;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The sign-in users' TOTP secrets: derived from each user's id, so the client computes codes; sealed for the seed. */
final class SeedTotp {
  private SeedTotp() {
  }

  /** The bench's TOTP secret of a user: base32 of HMAC-SHA1("mfa-bench", id), 20 bytes; the seed and the client agree. */
  static String secretFor(String userId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec("mfa-bench".getBytes(StandardCharsets.US_ASCII), "RAW"));
      return Rfc6238.base32Encode(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** seed-totp: CSV rows for totp_factors (user_id, secret_sealed), each secret sealed as the service seals it. */
  static void print(String masterKey, Path usersFile) throws IOException {
    Keyring keyring = Keyring.parse(masterKey, new SecureRandom());
    PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false);
    for (String id : Files.readAllLines(usersFile)) {
      if (id.isBlank()) {
        continue;
      }
      byte[] sealed = keyring.seal(secretFor(id).getBytes(StandardCharsets.US_ASCII), "totp_factors:" + id);
      out.print(id);
      out.print(",\\x");
      out.println(HexFormat.of().formatHex(sealed));
    }
    out.flush();
  }
}
