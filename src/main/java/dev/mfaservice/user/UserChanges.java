package dev.mfaservice.user;

import dev.mfaservice.auth.Caller;
import dev.mfaservice.store.Event;
import dev.mfaservice.store.EventStore;
import dev.mfaservice.store.NewEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;

/**
 * Appends an event to a user's aggregate (its factors are part of it) with the sequence the
 * command loaded, and moves the user's row to it, in the command's transaction.
 */
public final class UserChanges {
  private final EventStore events;

  public UserChanges(EventStore events) {
    this.events = events;
  }

  public Future<Event> append(SqlClient tx, Caller caller, User user, String eventType, JsonObject payload) {
    return write(tx, stamp(caller, user, eventType, payload));
  }

  /** The user's next event, not yet stored (see {@link EventStore#stamp}). */
  public Event stamp(Caller caller, User user, String eventType, JsonObject payload) {
    return events.stamp(new NewEvent(UserCommands.AGGREGATE, user.id(), eventType, payload, caller.userId(), user.orgId()),
      user.sequence());
  }

  /** Stores the event and moves the user's row to it, in one statement. */
  public Future<Event> write(SqlClient tx, Event event) {
    return events.insert(tx, event, UserRepository.APPEND_AND_TOUCH);
  }

  /**
   * As {@link #write(SqlClient, Event, String, Tuple)}, with a statement of
   * {@link UserRepository#appendAndTouchIfUnchanged}: empty when the user had changed and nothing was written.
   */
  public Future<Optional<Event>> writeIfUnchanged(SqlClient client, Event event, String statement, Tuple more) {
    return events.insertIf(client, event, statement, more);
  }

  /** As {@link #write(SqlClient, Event)}, with a statement of {@link UserRepository#appendAndTouch} taking {@code more}. */
  public Future<Event> write(SqlClient tx, Event event, String appendAndTouch, Tuple more) {
    return events.insert(tx, event, appendAndTouch, more);
  }
}
