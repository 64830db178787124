package dev.mfaservice.rpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Message;
import dev.mfaservice.http.Endpoint;
import dev.mfaservice.http.StrictJson;
import dev.mfaservice.proto.zitadel.admin.v1.AdminServiceGrpcService;
import dev.mfaservice.proto.zitadel.auth.v1.AuthServiceGrpcService;
import dev.mfaservice.proto.zitadel.management.v1.ManagementServiceGrpcService;
import dev.mfaservice.proto.zitadel.org.v2.OrganizationServiceGrpcService;
import dev.mfaservice.proto.zitadel.resources.user.v3alpha.ZITADELUsersGrpcService;
import dev.mfaservice.proto.zitadel.session.v2.SessionServiceGrpcService;
import dev.mfaservice.proto.zitadel.user.v2.UserServiceGrpcService;
import com.google.protobuf.InvalidProtocolBufferException;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.WireFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The RPCs mfa-service serves: every method of our .proto services (src/main/proto, ZITADEL's
 * packages and names), each bound to the contract operation {@code <Service>_<Method>}
 * ({@code UserServiceV3alpha_…} for the v3alpha generation, and the resources generation's
 * ZITADELUsers on the same operations) — the one its REST twin runs.
 */
final class RpcCatalog {
  /** RPCs whose contract operation is named otherwise (the contract follows seeds 002/003's REST names). */
  private static final Map<String, String> OPERATIONS = Map.ofEntries(
    Map.entry("zitadel.user.v3alpha.UserService/VerifyOTPEmailRegistration", "UserServiceV3alpha_VerifyOTPEmailAuthenticator"),
    Map.entry("zitadel.user.v3alpha.UserService/VerifyOTPSMSRegistration", "UserServiceV3alpha_VerifyOTPSMSAuthenticator"),
    Map.entry(ResourcesV3alpha.SERVICE + "/StartTOTPRegistration", "UserService_RegisterTOTP"),
    Map.entry(ResourcesV3alpha.SERVICE + "/VerifyTOTPRegistration", "UserService_VerifyTOTPRegistration"),
    Map.entry(ResourcesV3alpha.SERVICE + "/RemoveTOTPAuthenticator", "UserService_RemoveTOTP"),
    Map.entry(ResourcesV3alpha.SERVICE + "/AddOTPEmailAuthenticator", "UserServiceV3alpha_AddOTPEmailAuthenticator"),
    Map.entry(ResourcesV3alpha.SERVICE + "/VerifyOTPEmailRegistration", "UserServiceV3alpha_VerifyOTPEmailAuthenticator"),
    Map.entry(ResourcesV3alpha.SERVICE + "/RemoveOTPEmailAuthenticator", "UserServiceV3alpha_RemoveOTPEmailAuthenticator"),
    Map.entry(ResourcesV3alpha.SERVICE + "/AddOTPSMSAuthenticator", "UserServiceV3alpha_AddOTPSMSAuthenticator"),
    Map.entry(ResourcesV3alpha.SERVICE + "/VerifyOTPSMSRegistration", "UserServiceV3alpha_VerifyOTPSMSAuthenticator"),
    Map.entry(ResourcesV3alpha.SERVICE + "/RemoveOTPSMSAuthenticator", "UserServiceV3alpha_RemoveOTPSMSAuthenticator"));

  private record Generated(ServiceDescriptor service, List<ServiceMethod<?, ?>> methods) {
  }

  private static final List<Generated> SERVICES = List.of(
    new Generated(UserServiceGrpcService.SERVICE_DESCRIPTOR, UserServiceGrpcService.all()),
    new Generated(SessionServiceGrpcService.SERVICE_DESCRIPTOR, SessionServiceGrpcService.all()),
    new Generated(OrganizationServiceGrpcService.SERVICE_DESCRIPTOR, OrganizationServiceGrpcService.all()),
    new Generated(AuthServiceGrpcService.SERVICE_DESCRIPTOR, AuthServiceGrpcService.all()),
    new Generated(ManagementServiceGrpcService.SERVICE_DESCRIPTOR, ManagementServiceGrpcService.all()),
    new Generated(AdminServiceGrpcService.SERVICE_DESCRIPTOR, AdminServiceGrpcService.all()),
    new Generated(dev.mfaservice.proto.zitadel.user.v3alpha.UserServiceGrpcService.SERVICE_DESCRIPTOR,
      dev.mfaservice.proto.zitadel.user.v3alpha.UserServiceGrpcService.all()),
    new Generated(ZITADELUsersGrpcService.SERVICE_DESCRIPTOR, ZITADELUsersGrpcService.all()));

  private final Map<String, RpcMethod> byPath;

  private RpcCatalog(Map<String, RpcMethod> byPath) {
    this.byPath = Map.copyOf(byPath);
  }

  static RpcCatalog bind(Map<String, Endpoint> endpoints) {
    Map<String, RpcMethod> byPath = new HashMap<>();
    TreeSet<String> unbound = new TreeSet<>();
    for (Generated generated : SERVICES) {
      for (ServiceMethod<?, ?> grpc : generated.methods()) {
        MethodDescriptor descriptor = generated.service().findMethodByName(grpc.methodName());
        String operationId = operationId(descriptor);
        Endpoint endpoint = endpoints.get(operationId);
        if (endpoint == null) {
          unbound.add(operationId);
          continue;
        }
        Message request = generated(descriptor.getInputType());
        RpcMethod method = new RpcMethod(descriptor, ServiceMethod.server(grpc.serviceName(), grpc.methodName(),
          GrpcMessageEncoder.encoder(), decoder(request)), endpoint, request, generated(descriptor.getOutputType()),
          RpcAdapter.of(descriptor));
        byPath.put(method.path(), method);
      }
    }
    if (!unbound.isEmpty()) {
      throw new IllegalStateException("RPCs without an operation of the contract: " + unbound);
    }
    return new RpcCatalog(byPath);
  }

  /** The services of our .proto files that are served. */
  static List<ServiceDescriptor> services() {
    return SERVICES.stream().map(Generated::service).toList();
  }

  /** {@code zitadel.user.v2.UserService/RegisterTOTP} → {@code UserService_RegisterTOTP}. */
  static String operationId(MethodDescriptor method) {
    String renamed = OPERATIONS.get(method.getService().getFullName() + "/" + method.getName());
    if (renamed != null) {
      return renamed;
    }
    String pkg = method.getService().getFile().getPackage();
    String suffix = pkg.endsWith(".v3alpha") ? "V3alpha" : "";
    return method.getService().getName() + suffix + "_" + method.getName();
  }

  /**
   * The generated class's default instance of a top-level message (java_multiple_files): built
   * and parsed by generated code, several times faster than a DynamicMessage.
   */
  private static Message generated(Descriptor type) {
    String name = type.getFile().getOptions().getJavaPackage() + "." + type.getName();
    try {
      return (Message) Class.forName(name).getMethod("getDefaultInstance").invoke(null);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("no generated class " + name + " for " + type.getFullName(), e);
    }
  }

  /**
   * Decodes a request as the generated code would, except that the JSON wire format (grpc+json,
   * grpc-web+json) ignores fields we do not serve, as Connect's JSON and REST do: one behaviour.
   */
  private static GrpcMessageDecoder<Message> decoder(Message prototype) {
    return new GrpcMessageDecoder<>() {
      @Override
      public Message decode(GrpcMessage message) throws CodecException {
        try {
          if (message.format() == WireFormat.JSON) {
            Message.Builder builder = prototype.newBuilderForType();
            ProtoJson.merge(StrictJson.parseObject(message.payload()), builder);
            return builder.build();
          }
          return prototype.getParserForType().parseFrom(message.payload().getBytes());
        } catch (InvalidProtocolBufferException | RuntimeException malformed) {
          throw new CodecException("the request message is malformed");
        }
      }

      @Override
      public boolean accepts(WireFormat format) {
        return true;
      }
    };
  }

  RpcMethod byPath(String path) {
    return byPath.get(path);
  }

  List<RpcMethod> methods() {
    return new ArrayList<>(byPath.values());
  }
}
