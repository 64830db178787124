package dev.mfaservice.http;

import dev.mfaservice.auth.Caller;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.Parameter;
import java.util.List;
import java.util.function.Function;

/**
 * One operation of the contract with its handler: what REST routes to, and what the RPC
 * protocols call directly. Both pass the same contract validation and reach the same handler.
 */
public final class Endpoint {
  private final boolean secured;
  private final ContractValidation validation;
  private final ApiCall.Handler handler;

  Endpoint(boolean secured, ContractValidation validation, ApiCall.Handler handler) {
    this.secured = secured;
    this.validation = validation;
    this.handler = handler;
  }

  /** Whether a bearer token is required (the contract says so unless {@code security: []}). */
  public boolean secured() {
    return secured;
  }

  /** The path, query and header parameters of the operation. */
  public List<Parameter> parameters() {
    return validation.parameters();
  }

  /**
   * Validates a request against the contract and runs the handler. {@code body} null means no
   * body; a validation failure or a failure of the handler fails the returned future.
   */
  public Future<ApiCall.Reply> invoke(Caller caller, Function<Parameter, String> parameters, JsonObject body) {
    ValidRequest request;
    try {
      request = validation.validate(parameters, body);
    } catch (RuntimeException invalid) {
      return Future.failedFuture(invalid);
    }
    return run(caller, request);
  }

  Future<ApiCall.Reply> run(Caller caller, ValidRequest request) {
    ApiCall call = new ApiCall(caller, request);
    try {
      handler.handle(call);
    } catch (RuntimeException failure) {
      call.fail(failure);
    }
    return call.reply();
  }
}
