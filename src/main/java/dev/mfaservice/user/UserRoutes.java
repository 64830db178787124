package dev.mfaservice.user;

import dev.mfaservice.notify.LinkRules;
import dev.mfaservice.http.ApiRouter;
import dev.mfaservice.http.WireJson;
import dev.mfaservice.notify.VerificationChoice;
import dev.mfaservice.store.Details;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import dev.mfaservice.http.ApiCall;

/** HTTP handlers of the user service v2 calls on users themselves. */
public final class UserRoutes {
  private final UserCommands commands;
  private final UserQueries queries;
  private final Lockout lockout;
  private final LinkRules links;

  /** @param links where urlTemplate links may lead */
  public UserRoutes(UserCommands commands, UserQueries queries, Lockout lockout, LinkRules links) {
    this.commands = commands;
    this.queries = queries;
    this.lockout = lockout;
    this.links = links;
  }

  public void mount(ApiRouter api) {
    api.on("UserService_AddHumanUser", this::addHumanUser)
      .on("UserService_GetUserByID", this::getUserById)
      .on("UserService_DeleteUser", this::deleteUser)
      .on("UserService_UnlockUser", ctx -> ctx.okDetails(lockout.unlock(ctx.caller(),
        ctx.request().parameter("userId"))));
  }

  private void addHumanUser(ApiCall ctx) {
    ctx.created(commands.addHuman(ctx.caller(), newHuman(ctx.request().body())),
      added -> WireJson.putIfSet(WireJson.putIfSet(new JsonObject().put("userId", added.userId())
        .put("details", WireJson.details(added.details())), "emailCode", added.emailCode()), "phoneCode", added.phoneCode()));
  }

  private void getUserById(ApiCall ctx) {
    ctx.ok(queries.getUser(ctx.caller(), ctx.request().parameter("userId")), UserRoutes::userJson);
  }

  private void deleteUser(ApiCall ctx) {
    ctx.okDetails(commands.removeUser(ctx.caller(), ctx.request().parameter("userId")));
  }

  private NewHuman newHuman(JsonObject body) {
    JsonObject profile = body.getJsonObject("profile");
    JsonObject org = body.getJsonObject("organization", new JsonObject());
    JsonObject email = body.getJsonObject("email");
    VerificationChoice emailChoice = VerificationChoice.of(email, "email", links);
    User.Contact emailContact = email == null ? User.Contact.NONE
      : new User.Contact(email.getString("email").trim(), emailChoice.kind() == VerificationChoice.Kind.VERIFIED);
    JsonObject phone = body.getJsonObject("phone");
    VerificationChoice phoneChoice = VerificationChoice.of(phone, "phone", links);
    User.Contact phoneContact = phone == null ? User.Contact.NONE
      : new User.Contact(phone.getString("phone"), phoneChoice.kind() == VerificationChoice.Kind.VERIFIED);
    return new NewHuman(body.getString("userId"), org.getString("orgId"), body.getString("username"),
      profile.getString("givenName"), profile.getString("familyName"), profile.getString("displayName"),
      profile.getString("preferredLanguage", "en"), emailContact, emailChoice, phoneContact, phoneChoice);
  }

  private static JsonObject userJson(User u) {
    JsonObject details = WireJson.details(new Details(u.sequence(), u.createdAt(), u.changedAt(), u.orgId()));
    JsonObject human = new JsonObject().put("profile", new JsonObject().put("givenName", u.givenName())
      .put("familyName", u.familyName()).put("displayName", u.displayName()).put("preferredLanguage", u.preferredLanguage()));
    if (u.email().address() != null) {
      human.put("email", WireJson.putIfSet(new JsonObject().put("email", u.email().address()), "isVerified",
        u.email().verified() ? true : null));
    }
    if (u.phone().address() != null) {
      human.put("phone", WireJson.putIfSet(new JsonObject().put("phone", u.phone().address()), "isVerified",
        u.phone().verified() ? true : null));
    }
    JsonObject user = new JsonObject().put("userId", u.id()).put("details", details).put("state", u.state())
      .put("username", u.username()).put("loginNames", new JsonArray().add(u.loginName()))
      .put("preferredLoginName", u.loginName()).put("human", human);
    return new JsonObject().put("details", details).put("user", user);
  }
}
