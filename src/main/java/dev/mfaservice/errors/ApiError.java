package dev.mfaservice.errors;

import java.util.List;
import java.util.Map;

/**
 * The one failure type of the domain: a gRPC code, a stable error id (as ZITADEL's, e.g.
 * {@code COMMAND-do9se}) and an English message that never carries a secret.
 * Stack traces are not filled in: these are answers, not bugs.
 */
public final class ApiError extends RuntimeException {
  private final GrpcCode code;
  private final int httpStatus;
  private final String id;
  private final transient List<Map<String, Object>> extraDetails;

  public ApiError(GrpcCode code, String id, String message) {
    this(code, id, message, List.of());
  }

  public ApiError(GrpcCode code, String id, String message, List<Map<String, Object>> extraDetails) {
    this(code, code.httpStatus(), id, message, extraDetails);
  }

  /** For the few answers whose HTTP status is not the gRPC code's (404/405/413/415 of the HTTP layer). */
  public ApiError(GrpcCode code, int httpStatus, String id, String message, List<Map<String, Object>> extraDetails) {
    super(message, null, false, false);
    this.code = code;
    this.httpStatus = httpStatus;
    this.id = id;
    this.extraDetails = List.copyOf(extraDetails);
  }

  public GrpcCode code() {
    return code;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String id() {
    return id;
  }

  /** The wait its google.rpc.RetryInfo detail names ("30s" → "30"), for a Retry-After header (a 429, a 503). */
  public java.util.Optional<String> retryAfterSeconds() {
    return extraDetails.stream()
      .filter(d -> "type.googleapis.com/google.rpc.RetryInfo".equals(d.get("@type")))
      .map(d -> String.valueOf(d.get("retryDelay")).replace("s", ""))
      .findFirst();
  }

  /** Further entries for the wire body's {@code details}, e.g. google.rpc.BadRequest field violations. */
  public List<Map<String, Object>> extraDetails() {
    return extraDetails;
  }

  public static ApiError invalidArgument(String id, String message) {
    return new ApiError(GrpcCode.INVALID_ARGUMENT, id, message);
  }

  public static ApiError notFound(String id, String message) {
    return new ApiError(GrpcCode.NOT_FOUND, id, message);
  }

  public static ApiError alreadyExists(String id, String message) {
    return new ApiError(GrpcCode.ALREADY_EXISTS, id, message);
  }

  public static ApiError permissionDenied() {
    return new ApiError(GrpcCode.PERMISSION_DENIED, "AUTH-AWfge", "No matching permissions found");
  }

  public static ApiError unauthenticated(String reason) {
    return new ApiError(GrpcCode.UNAUTHENTICATED, "AUTH-7fs1e", reason);
  }

  public static ApiError failedPrecondition(String id, String message) {
    return new ApiError(GrpcCode.FAILED_PRECONDITION, id, message);
  }

  public static ApiError aborted(String id, String message) {
    return new ApiError(GrpcCode.ABORTED, id, message);
  }

  /** An unexpected failure, as the client sees it: only the correlation id of its log line. */
  public static ApiError internal(String requestId) {
    return new ApiError(GrpcCode.INTERNAL, "API-internal", "internal error; correlation id " + requestId);
  }

  public static ApiError unavailable(String id, String message) {
    return new ApiError(GrpcCode.UNAVAILABLE, id, message);
  }
}
