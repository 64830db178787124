package dev.mfaservice.crypto;

import java.security.SecureRandom;

/** One-time codes drawn uniformly from a configured alphabet: {@code nextInt(n)} per symbol, never {@code byte % n} (SEC O1). */
public final class CodeGenerator {
  private final SecureRandom random;

  public CodeGenerator(SecureRandom random) {
    this.random = random;
  }

  public String next(CodeFormat kind) {
    char[] code = new char[kind.length()];
    for (int i = 0; i < code.length; i++) {
      code[i] = kind.alphabet().charAt(random.nextInt(kind.alphabet().length()));
    }
    return new String(code);
  }
}
