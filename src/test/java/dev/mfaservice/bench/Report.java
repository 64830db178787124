package dev.mfaservice.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

/** What the client prints for bench/measure.py and bench/table.py: "#start" as a measured part begins, a JSON line per run. */
final class Report {
  private final int connections;
  private final double rate;

  Report(int connections, double rate) {
    this.connections = connections;
    this.rate = rate;
  }

  /** The measured part begins: bench/measure.py reads the CPU counters on this line. */
  void started() {
    System.out.println("#start");
    System.out.flush();
  }

  void print(String scenario, Result r) {
    double seconds = r.millis() / 1000.0;
    JsonObject line = new JsonObject().put("scenario", scenario).put("connections", connections)
      .put("seconds", Math.round(seconds * 10) / 10.0).put("requests", r.requests()).put("errors", r.errors())
      .put("refused", r.refused())
      .put("rps", Math.round(r.requests() / seconds))
      .put("p50_ms", ms(r.latency().getValueAtPercentile(50))).put("p99_ms", ms(r.latency().getValueAtPercentile(99)))
      .put("p999_ms", ms(r.latency().getValueAtPercentile(99.9))).put("rate", rate > 0 ? rate : null)
      .put("invalid", r.ranOut() ? "ran out of users before the time was up" : null);
    if (rate > 0) {
      line.put("mean_ms", Math.round(r.latency().getMean() / 10.0) / 100.0).put("started_ms", r.startedMillis())
        .put("timeline", timeline(r));
    }
    System.out.println(line.encode());
  }

  /** At a fixed rate, per second of sending: [requests, p50, p99, max] (ms), where a stall shows (bench/stalls.py). */
  private static JsonArray timeline(Result r) {
    JsonArray seconds = new JsonArray();
    for (Histogram h : r.bySecond()) {
      seconds.add(new JsonArray().add(h.getTotalCount()).add(ms(h.getValueAtPercentile(50)))
        .add(ms(h.getValueAtPercentile(99))).add(ms(h.getMaxValue())));
    }
    return seconds;
  }

  private static double ms(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }
}
