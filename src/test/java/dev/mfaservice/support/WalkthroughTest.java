package dev.mfaservice.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which README blocks are the walk-through, and how its script keeps README's line numbers. */
class WalkthroughTest {
  private static final List<String> README = List.of(
    "# title",
    "<!-- not in walkthrough -->",
    "```sh",
    "./mvnw verify",
    "```",
    "Text.",
    "```sh",
    "A=1",
    "```",
    "```js",
    "const a = 1;",
    "```",
    "<!-- not in walkthrough -->",
    "",
    "```sh",
    "bench/run",
    "```",
    "```sh",
    "echo $A",
    "```");

  @Test
  void blocksAfterTheMarkerAreLeftOutAndEveryOtherShellBlockIsIn() {
    Walkthrough walkthrough = Walkthrough.of(README);
    assertEquals(2, walkthrough.blocks());
    assertEquals(List.of("A=1", "echo $A"), walkthrough.commands());
  }

  @Test
  void theScriptsLineNumbersAreTheReadmes() {
    List<String> script = Walkthrough.of(README).script().lines().toList();
    assertEquals(README.size(), script.size());
    assertEquals("A=1", script.get(7));
    assertEquals("echo $A", script.get(18));
    assertEquals("", script.get(3));
  }

  @Test
  void anUnclosedBlockIsAnError() {
    assertThrows(IllegalStateException.class, () -> Walkthrough.of(List.of("```sh", "echo")));
  }

  @Test
  void theProjectsReadmeHasAWalkthroughWithoutTheBuildOrTheBenchmark() {
    List<String> commands = Walkthrough.read(Path.of("README.md")).commands();
    assertEquals(List.of(), commands.stream().filter(c -> c.contains("mvnw") || c.contains("bench/run")).toList());
  }
}
