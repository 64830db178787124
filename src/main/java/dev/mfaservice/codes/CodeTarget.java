package dev.mfaservice.codes;

import java.util.List;

/** What a code is bound to: a user, a purpose, a target (an authenticator id, or "" for the contact address) and the address it went to. */
public record CodeTarget(String userId, Purpose purpose, String targetId, String address) {

  List<String> binding() {
    return List.of(purpose.name(), userId, targetId, address);
  }
}
