package dev.mfaservice.app;

import dev.mfaservice.ids.IdSettings;
import dev.mfaservice.ids.MachineLease;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Start-up's part of the machine id lease: take it (blocking), and wait for this host's clock when the id's last user was ahead. */
final class MachineIds {
  private static final Logger LOG = LoggerFactory.getLogger(MachineIds.class);
  /** Ids may run this far ahead of the clock (IdGenerator.MAX_AHEAD_UNITS); beyond it start-up waits. */
  private static final long AHEAD_ALLOWED_MILLIS = 1000;

  private MachineIds() {
  }

  static MachineLease lease(Vertx vertx, Pool pool, IdSettings settings, int idSpace, Clock clock) {
    MachineLease lease = Application.await(MachineLease.acquire(vertx, pool, settings.machineId(), settings.leaseSeconds(),
      idSpace, clock), "cannot lease a machine id");
    try {
      waitForTheClock(lease, settings.leaseSeconds());
    } catch (RuntimeException e) {
      Application.await(lease.release(), "cannot release the machine id");
      throw e;
    }
    LOG.info("machine id {} leased (lease {} s, renewed every {} s)", lease.machineId(), settings.leaseSeconds(),
      settings.leaseSeconds() / 3.0);
    return lease;
  }

  /** The id's previous holder may have used time units ahead of this clock (clock skew): ids would repeat, so wait. */
  private static void waitForTheClock(MachineLease lease, int leaseSeconds) {
    long behind = lease.clockBehindMillis();
    if (behind <= AHEAD_ALLOWED_MILLIS) {
      return;
    }
    if (behind > leaseSeconds * 1000L) {
      throw new StartupException("machine id " + lease.machineId() + " was last used with a clock " + behind
        + " ms ahead of this host's: set the clocks right (NTP), or lease another id");
    }
    LOG.warn("machine id {} was last used with a clock {} ms ahead of this host's: waiting for it", lease.machineId(), behind);
    try {
      Thread.sleep(behind - AHEAD_ALLOWED_MILLIS + 10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupException("interrupted while waiting for the clock");
    }
  }
}
