package dev.mfaservice.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mfaservice.auth.DevIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas sharing one data volume start at once (compose with two service entries): each makes
 * the development master key and dev issuer key if missing. All must end up with the same keys,
 * none may fail or read a half-written file.
 */
class SecretFilesTest {
  private static final int STARTS = 16;

  @Test
  void replicasStartingTogetherShareOneMasterKey(@TempDir Path dataDir) throws Exception {
    List<String> sealedBy = race(() -> {
      Keyring ring = MasterKeys.load("", dataDir, new SecureRandom());
      return ring.activeKeyId();
    });
    assertEquals(1, Set.copyOf(sealedBy).size(), "key ids: " + sealedBy);
    assertOneFileOwnerOnly(dataDir, MasterKeys.DEV_FILE);
  }

  @Test
  void replicasStartingTogetherShareOneDevIssuerKey(@TempDir Path dataDir) throws Exception {
    List<String> keys = race(() -> DevIssuer.loadOrCreate(dataDir, new SecureRandom()).keys()
      .toCompletionStage().toCompletableFuture().get().get(0).encode());
    assertEquals(1, new HashSet<>(keys).size(), "public keys: " + keys);
    assertOneFileOwnerOnly(dataDir, "dev-issuer.jwk.json");
  }

  private static List<String> race(Callable<String> start) throws Exception {
    CyclicBarrier together = new CyclicBarrier(STARTS);
    ExecutorService threads = Executors.newFixedThreadPool(STARTS);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < STARTS; i++) {
        results.add(threads.submit(() -> {
          together.await();
          return start.call();
        }));
      }
      List<String> values = new ArrayList<>();
      for (Future<String> result : results) {
        values.add(result.get());
      }
      return values;
    } finally {
      threads.shutdownNow();
    }
  }

  private static void assertOneFileOwnerOnly(Path dataDir, String name) throws Exception {
    try (Stream<Path> files = Files.list(dataDir)) {
      assertEquals(List.of(name), files.map(p -> p.getFileName().toString()).toList(), "no drafts left beside it");
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(name))));
  }
}
