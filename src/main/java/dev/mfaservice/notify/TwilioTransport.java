package dev.mfaservice.notify;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.routing.HttpRoutePlanner;
import org.apache.hc.core5.http.HttpHost;

/**
 * SMS through twilio-java's Messages API. The SDK blocks, so every call runs on Vert.x's worker
 * pool, never an event loop. With a non-default API URL (a Twilio-compatible endpoint or proxy)
 * the SDK's HTTP client routes its requests there; its paths, form encoding and auth stay as
 * they are. 429 and 5xx are worth a retry; other 4xx (21211 invalid number and the like) are not.
 */
public final class TwilioTransport implements ChannelTransport {
  private static final URI TWILIO = URI.create("https://api.twilio.com");
  private final Vertx vertx;
  private final TwilioRestClient client;
  private final SmsSettings.Twilio config;
  private final MessageTemplates templates;

  public TwilioTransport(Vertx vertx, SmsSettings.Twilio config, MessageTemplates templates) {
    this.vertx = vertx;
    this.config = config;
    this.templates = templates;
    boolean apiKey = config.authToken().isEmpty();
    this.client = new TwilioRestClient.Builder(apiKey ? config.apiKey() : config.accountSid(),
      apiKey ? config.apiSecret() : config.authToken())
      .accountSid(config.accountSid())
      .httpClient(httpClient(config.apiUrl()))
      .build();
  }

  @Override
  public Future<Void> send(OutboxMessage message, JsonObject payload) {
    String body = templates.renderSms(message.template(), message.language(), payload);
    PhoneNumber to = new PhoneNumber(message.recipient());
    return vertx.executeBlocking(() -> {
      try {
        (config.from().isEmpty() ? Message.creator(to, config.messagingServiceSid(), body)
          : Message.creator(to, new PhoneNumber(config.from()), body)).create(client);
        return null;
      } catch (ApiException e) {
        throw new Refused(e.getStatusCode() == null ? 0 : e.getStatusCode(), e.getCode(), e.getMessage());
      }
    }, false);
  }

  @Override
  public boolean permanent(Throwable failure) {
    return failure instanceof Refused refused && refused.status >= 400 && refused.status < 500
      && refused.status != 429 && refused.status != 408;
  }

  /** Twilio's answer in one line for the outbox and the events: HTTP status, Twilio error code, message. */
  static final class Refused extends RuntimeException {
    private final int status;

    Refused(int status, Integer code, String message) {
      super("Twilio answered " + status + (code == null ? "" : ", error " + code) + ": " + message, null, false, false);
      this.status = status;
    }
  }

  private static HttpClient httpClient(URI apiUrl) {
    if (apiUrl.equals(TWILIO)) {
      return new NetworkHttpClient();
    }
    HttpHost endpoint = new HttpHost(apiUrl.getScheme(), apiUrl.getHost(),
      apiUrl.getPort() > 0 ? apiUrl.getPort() : (apiUrl.getScheme().equals("https") ? 443 : 80));
    HttpRoutePlanner toEndpoint = (target, context) -> new HttpRoute(endpoint);
    return new NetworkHttpClient(HttpClientBuilder.create().setRoutePlanner(toEndpoint));
  }
}
