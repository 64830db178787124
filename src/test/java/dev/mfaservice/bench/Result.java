package dev.mfaservice.bench;

import org.HdrHistogram.Histogram;

/**
 * A run's figures: latencies (µs), answered requests, errors (refused: those the service answered without approving),
 * its length, and whether its users ran out first.
 */
record Result(Histogram latency, long requests, long errors, long refused, long millis, boolean ranOut) {
}
