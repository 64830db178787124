package dev.mfaservice.codes;

/** What a one-time code proves; each purpose has its own codes, which never stand in for another's (SEC O4). */
public enum Purpose {
  CONTACT_EMAIL(false),
  CONTACT_PHONE(false),
  ENROL_EMAIL(false),
  ENROL_SMS(false),
  LOGIN_EMAIL(true),
  LOGIN_SMS(true);

  private final boolean login;

  Purpose(boolean login) {
    this.login = login;
  }

  /** Login codes use the "login" generator settings, the others the "verify" ones. */
  public boolean login() {
    return login;
  }
}
