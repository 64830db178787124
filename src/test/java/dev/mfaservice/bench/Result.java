package dev.mfaservice.bench;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A run's figures: latencies (µs), answered requests, errors (refused: those the service answered without approving),
 * its length, whether its users ran out first; when it began (epoch ms) and its latencies by the second of sending.
 */
record Result(Histogram latency, long requests, long errors, long refused, long millis, boolean ranOut,
              long startedMillis, List<Histogram> bySecond) {
}
