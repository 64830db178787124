package dev.mfaservice.rpc;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TypeRegistry;
import com.google.protobuf.util.JsonFormat;
import dev.mfaservice.errors.ApiError;
import dev.mfaservice.errors.ErrorBody;
import dev.mfaservice.errors.GrpcCode;
import dev.mfaservice.proto.google.rpc.BadRequest;
import dev.mfaservice.proto.google.rpc.RetryInfo;
import dev.mfaservice.proto.google.rpc.Status;
import dev.mfaservice.proto.zitadel.v1.ErrorDetail;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPC forms of an {@link ApiError}: the same code, the same message ("text (id)") and the
 * same details as the REST body, with ZITADEL's {@code zitadel.v1.ErrorDetail{id, message}}
 * first. gRPC and gRPC-web carry them as google.rpc.Status in {@code grpc-status-details-bin};
 * Connect as its JSON error ({@code {"code":"not_found","message":…,"details":[{type,value}]}}).
 */
final class RpcErrors {
  private static final Logger LOG = LoggerFactory.getLogger(RpcErrors.class);
  private static final TypeRegistry DETAIL_TYPES = TypeRegistry.newBuilder()
    .add(List.of(ErrorDetail.getDescriptor(), BadRequest.getDescriptor(), RetryInfo.getDescriptor())).build();
  private static final JsonFormat.Parser DETAIL_PARSER = JsonFormat.parser().usingTypeRegistry(DETAIL_TYPES);

  private RpcErrors() {
  }

  /** The failure as the API error the client sees; anything unexpected is logged once and hidden. */
  static ApiError of(Throwable failure, String requestId, String procedure) {
    if (failure instanceof ApiError api) {
      LOG.debug("rpc refused: requestId={} procedure={} code={} id={}", requestId, procedure, api.code(), api.id());
      return api;
    }
    if (failure instanceof io.vertx.core.http.HttpClosedException || failure instanceof io.vertx.core.http.StreamResetException) {
      LOG.debug("client went away: requestId={} procedure={}", requestId, procedure);
      return new ApiError(GrpcCode.UNAVAILABLE, "API-closed", "the connection closed before the call was read");
    }
    java.util.Optional<ApiError> database = dev.mfaservice.errors.DatabaseUnavailable.of(failure);
    if (database.isPresent()) {
      LOG.warn("database unavailable: requestId={} procedure={} {}", requestId, procedure, failure.toString());
      return database.get();
    }
    LOG.error("unexpected failure: requestId={} procedure={}", requestId, procedure, failure);
    return ApiError.internal(requestId);
  }

  /** A request message that does not decode as its type. */
  static ApiError malformed() {
    return ApiError.invalidArgument("API-badRequest", "the request message is malformed");
  }

  /** google.rpc.Status of the error, for the {@code grpc-status-details-bin} trailer (base64, unpadded). */
  static String statusDetailsBin(ApiError error) {
    Status status = Status.newBuilder().setCode(error.code().number()).setMessage(ErrorBody.message(error))
      .addAllDetails(details(error)).build();
    return Base64.getEncoder().withoutPadding().encodeToString(status.toByteArray());
  }

  /** Connect's JSON error body. */
  static JsonObject connectBody(ApiError error) {
    JsonArray details = new JsonArray();
    for (Any any : details(error)) {
      String type = any.getTypeUrl().substring(any.getTypeUrl().lastIndexOf('/') + 1);
      details.add(new JsonObject().put("type", type)
        .put("value", Base64.getEncoder().withoutPadding().encodeToString(any.getValue().toByteArray())));
    }
    return new JsonObject().put("code", connectCode(error.code())).put("message", ErrorBody.message(error)).put("details", details);
  }

  /** Connect's name of a code: the gRPC name in lower case. */
  static String connectCode(GrpcCode code) {
    return code.name().toLowerCase(Locale.ROOT);
  }

  /** The REST body's details (ErrorDetail first, then BadRequest, RetryInfo…) as protobuf Any. */
  private static List<Any> details(ApiError error) {
    List<Any> details = new ArrayList<>();
    for (Object detail : ErrorBody.of(error).getJsonArray("details")) {
      try {
        Any.Builder any = Any.newBuilder();
        DETAIL_PARSER.merge(((JsonObject) detail).encode(), any);
        details.add(any.build());
      } catch (InvalidProtocolBufferException unknownType) {
        LOG.warn("error detail of type {} has no protobuf form; left out", ((JsonObject) detail).getString("@type"));
      }
    }
    return details;
  }
}
