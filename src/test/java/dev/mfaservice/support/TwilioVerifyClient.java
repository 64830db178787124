package dev.mfaservice.support;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.TwilioRestClient;
import java.nio.charset.StandardCharsets;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * twilio-java's own client pointed at a test instance as TWILIO_VERIFY.md §6(a) shows: a route planner sends
 * verify.twilio.com to 127.0.0.1:port over plain HTTP (request line and Host unchanged). Every answer it gets is
 * checked against the Twilio contract on the way in, as {@link Http} does for ours.
 */
public final class TwilioVerifyClient {
  private TwilioVerifyClient() {
  }

  public static TwilioRestClient of(int port, String accountSid, String authToken) {
    return build(HttpClientBuilder.create(), port, accountSid, authToken);
  }

  /**
   * The same without Apache's automatic retry, which twilio-java keeps: on a 429 it sleeps out Retry-After and sends the
   * request again; here the 429 reaches the test at once, as an ApiException.
   */
  public static TwilioRestClient withoutRetries(int port, String accountSid, String authToken) {
    return build(HttpClientBuilder.create().disableAutomaticRetries(), port, accountSid, authToken);
  }

  private static TwilioRestClient build(HttpClientBuilder builder, int port, String accountSid, String authToken) {
    HttpHost target = new HttpHost("http", "127.0.0.1", port);
    builder
      .setRoutePlanner((host, context) -> new HttpRoute(target))
      .addExecInterceptorFirst("twilio-contract", (request, scope, chain) -> checked(request.getMethod(),
        request.getPath(), chain.proceed(request, scope)));
    return new TwilioRestClient.Builder(accountSid, authToken).accountSid(accountSid)
      .httpClient(new NetworkHttpClient(builder)).build();
  }

  private static ClassicHttpResponse checked(String method, String path, ClassicHttpResponse response)
    throws java.io.IOException {
    byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
    EntityUtils.consume(response.getEntity());
    Header type = response.getFirstHeader("Content-Type");
    String contentType = type == null ? "" : type.getValue();
    ContractCheck.get().verify(method, path, new Http.Reply(response.getCode(), contentType,
      new String(body, StandardCharsets.UTF_8), null, null));
    if (response.getEntity() != null) {
      response.setEntity(new ByteArrayEntity(body, contentType.isEmpty() ? null : ContentType.parse(contentType)));
    }
    return response;
  }
}
