package dev.mfaservice.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.mfaservice.proto.zitadel.session.v2.CheckRecoveryCode;
import dev.mfaservice.proto.zitadel.session.v2.CheckUser;
import dev.mfaservice.proto.zitadel.session.v2.Checks;
import dev.mfaservice.proto.zitadel.session.v2.CreateSessionRequest;
import dev.mfaservice.proto.zitadel.session.v2.CreateSessionResponse;
import dev.mfaservice.proto.zitadel.session.v2.GetSessionRequest;
import dev.mfaservice.proto.zitadel.session.v2.GetSessionResponse;
import dev.mfaservice.proto.zitadel.user.v2.GenerateRecoveryCodesRequest;
import dev.mfaservice.proto.zitadel.user.v2.GenerateRecoveryCodesResponse;
import dev.mfaservice.proto.zitadel.user.v2.RemoveRecoveryCodesRequest;
import dev.mfaservice.proto.zitadel.user.v2.RemoveRecoveryCodesResponse;
import dev.mfaservice.support.TestServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A user who lost every other factor signs in with a recovery code over each RPC transport: ZITADEL's
 * GenerateRecoveryCodes, CreateSession with checks.recoveryCode, GetSession, RemoveRecoveryCodes, and the refusals,
 * with ZITADEL's message numbers. Our own clients: no released @zitadel/client (1.3.1) has these calls yet.
 */
class RecoveryCodesRpcTest {
  static TestServer server;
  static String admin;
  static String org;
  static RpcCalls rpc;

  @BeforeAll
  static void start() {
    server = TestServer.start(RecoveryCodesRpcTest.class);
    admin = server.adminToken();
    org = server.createOrg("Recovery Rpc Org");
    assertEquals(200, server.http.post("/management/v1/policies/login/second_factors", server.token("o", org, "ORG_OWNER"),
      new JsonObject().put("type", "SECOND_FACTOR_TYPE_RECOVERY_CODES")).status());
    rpc = new RpcCalls(server.config.http().port());
  }

  @AfterAll
  static void stop() {
    rpc.close();
    server.close();
  }

  @ParameterizedTest
  @EnumSource(RpcCalls.Transport.class)
  void signInWithARecoveryCode(RpcCalls.Transport transport) throws Exception {
    String user = server.createUser(org, "rpc-" + transport.name().toLowerCase());
    RpcCalls.Reply generated = rpc.call(transport, "zitadel.user.v2.UserService/GenerateRecoveryCodes",
      GenerateRecoveryCodesRequest.newBuilder().setUserId(user).setCount(3).build(), admin);
    assertTrue(generated.ok(), generated.toString());
    List<String> codes = parse(generated, GenerateRecoveryCodesResponse.getDefaultInstance()).getRecoveryCodesList();
    assertEquals(3, codes.size());
    assertEquals(org, parse(generated, GenerateRecoveryCodesResponse.getDefaultInstance()).getDetails().getResourceOwner());

    RpcCalls.Reply signedIn = rpc.call(transport, "zitadel.session.v2.SessionService/CreateSession", signIn(user, codes.get(0)), admin);
    assertTrue(signedIn.ok(), signedIn.toString());
    CreateSessionResponse session = parse(signedIn, CreateSessionResponse.getDefaultInstance());
    RpcCalls.Reply read = rpc.call(transport, "zitadel.session.v2.SessionService/GetSession", GetSessionRequest.newBuilder()
      .setSessionId(session.getSessionId()).setSessionToken(session.getSessionToken()).build(), admin);
    assertTrue(read.ok(), read.toString());
    assertTrue(parse(read, GetSessionResponse.getDefaultInstance()).getSession().getFactors().getRecoveryCode().hasVerifiedAt());

    RpcCalls.Reply again = rpc.call(transport, "zitadel.session.v2.SessionService/CreateSession", signIn(user, codes.get(0)), admin);
    assertEquals(transport.invalidArgument(), again.code(), again.toString());
    assertTrue(again.text().contains("RECOVERY-invalid"), again.toString());
    RpcCalls.Reply tooMany = rpc.call(transport, "zitadel.user.v2.UserService/GenerateRecoveryCodes",
      GenerateRecoveryCodesRequest.newBuilder().setUserId(user).setCount(21).build(), admin);
    assertEquals(transport.invalidArgument(), tooMany.code(), tooMany.toString());

    RpcCalls.Reply removed = rpc.call(transport, "zitadel.user.v2.UserService/RemoveRecoveryCodes",
      RemoveRecoveryCodesRequest.newBuilder().setUserId(user).build(), admin);
    assertTrue(removed.ok(), removed.toString());
    assertTrue(parse(removed, RemoveRecoveryCodesResponse.getDefaultInstance()).getDetails().hasChangeDate());
    RpcCalls.Reply none = rpc.call(transport, "zitadel.user.v2.UserService/RemoveRecoveryCodes",
      RemoveRecoveryCodesRequest.newBuilder().setUserId(user).build(), admin);
    assertEquals(transport.notFound(), none.code(), none.toString());
  }

  static CreateSessionRequest signIn(String user, String code) {
    return CreateSessionRequest.newBuilder().setChecks(Checks.newBuilder()
      .setUser(CheckUser.newBuilder().setUserId(user))
      .setRecoveryCode(CheckRecoveryCode.newBuilder().setCode(code))).build();
  }

  static <T extends Message> T parse(RpcCalls.Reply reply, T prototype) throws InvalidProtocolBufferException {
    return reply.message(prototype);
  }
}
