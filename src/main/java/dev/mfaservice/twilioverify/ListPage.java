package dev.mfaservice.twilioverify;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Paging of Twilio's lists: {@code PageSize} (default 50), {@code Page} (client state only) and {@code PageToken}
 * (issued here: where the page starts), and the {@code meta} block with every key twilio-java reads.
 */
record ListPage(int size, int page, long offset) {
  private static final int DEFAULT_SIZE = 50;
  private static final String TOKEN_PREFIX = "PT";

  static ListPage of(JsonObject input) {
    int size = input.getInteger("PageSize", DEFAULT_SIZE);
    int page = input.getInteger("Page", 0);
    String token = input.getString("PageToken");
    return new ListPage(size, page, token == null ? 0 : offset(token));
  }

  /** The answer: {@code rows} holds up to size + 1 items, the extra one only telling that there is a next page. */
  JsonObject answer(String key, List<JsonObject> rows, String listUrl) {
    boolean more = rows.size() > size;
    JsonObject meta = new JsonObject().put("page", page).put("page_size", size)
      .put("first_page_url", listUrl + separator(listUrl) + "PageSize=" + size + "&Page=0")
      .put("previous_page_url", page > 0 && offset > 0 ? url(listUrl, page - 1, Math.max(0, offset - size)) : null)
      .put("next_page_url", more ? url(listUrl, page + 1, offset + size) : null)
      .put("url", url(listUrl, page, offset)).put("key", key);
    return new JsonObject().put(key, new JsonArray(rows.subList(0, Math.min(size, rows.size())))).put("meta", meta);
  }

  private String url(String listUrl, int toPage, long toOffset) {
    return listUrl + separator(listUrl) + "PageSize=" + size + "&Page=" + toPage + (toOffset > 0 ? "&PageToken=" + TOKEN_PREFIX + toOffset : "");
  }

  /** A list URL may carry its filters already ({@code …/Challenges?Status=pending}). */
  private static String separator(String listUrl) {
    return listUrl.contains("?") ? "&" : "?";
  }

  private static long offset(String token) {
    try {
      long offset = token.startsWith(TOKEN_PREFIX) ? Long.parseLong(token.substring(TOKEN_PREFIX.length())) : -1;
      if (offset >= 0) {
        return offset;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw TwilioError.invalidParameter("PageToken");
  }
}
