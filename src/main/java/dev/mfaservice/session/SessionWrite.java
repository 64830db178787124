package dev.mfaservice.session;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;

/**
 * A session's next state as a request leaves it, not yet stored: a new token (in clear, given once), the session's
 * event (session.added or session.changed with what was done) and the row to store, which carries the token's hash.
 */
record SessionWrite(String token, Event event, Session saved) {

  static SessionWrite of(SessionAccess access, EventStore events, Caller caller, Progress p, boolean creating) {
    String token = access.newToken();
    // userAgent.ip is kept only as vouched for by a creator that manages the user.
    Session base = creating && !SessionFactorSteps.vouched(caller, p) ? p.session().withUserAgentIp(null) : p.session();
    NewEvent change = new NewEvent(SessionCommands.AGGREGATE, base.id(), creating ? "session.added" : "session.changed",
      new JsonObject().put("done", new JsonArray(new ArrayList<>(p.done()))), caller.userId(), owner(base));
    Event event = events.stamp(change, base.sequence());
    return new SessionWrite(token, event, base.changed(access.hash(base.id(), token), event.sequence(), event.createdAt()));
  }

  /** The session's events belong to its user's org (the instance's before a user is checked). */
  static String owner(Session session) {
    return session.orgId() == null ? "instance" : session.orgId();
  }
}
