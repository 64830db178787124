package dev.mfaservice.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mfaservice.errors.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;

/**
 * Parses request bodies more strictly than Vert.x's default codec (SEC V1): duplicate keys are
 * refused (two parsers could otherwise read different values), nesting is capped at 32 levels
 * and strings at the body limit. Only a JSON object is a valid body.
 */
public final class StrictJson {
  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
    .build());

  private StrictJson() {
  }

  @SuppressWarnings("unchecked")
  public static JsonObject parseObject(Buffer body) {
    Object value;
    try {
      value = MAPPER.readValue(body.getBytes(), Object.class);
    } catch (JsonProcessingException e) {
      throw ApiError.invalidArgument("API-malformedJson", describe(e));
    } catch (IOException e) {
      throw ApiError.invalidArgument("API-malformedJson", "malformed JSON body");
    }
    if (!(value instanceof Map)) {
      throw ApiError.invalidArgument("API-malformedJson", "the request body must be a JSON object");
    }
    return new JsonObject((Map<String, Object>) value);
  }

  /** Where the body broke, without quoting it: a token of the body could be a code (SEC V4). */
  private static String describe(JsonProcessingException e) {
    String original = String.valueOf(e.getOriginalMessage());
    if (original.startsWith("Duplicate field")) {
      return "malformed JSON body: " + original;
    }
    if (original.contains("nesting depth")) {
      return "malformed JSON body: nested deeper than 32 levels";
    }
    JsonLocation at = e.getLocation();
    return at == null ? "malformed JSON body"
      : "malformed JSON body at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }
}
