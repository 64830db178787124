package dev.mfaservice.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * README.md's walk-through: its ```sh blocks in the order they appear, each one in, unless the last
 * non-blank line before its fence is {@value #NOT_IN_WALKTHROUGH} (the build and test commands, the
 * benchmark). A new ```sh block is in unless marked, so an example added later is run as well.
 */
public final class Walkthrough {
  public static final String NOT_IN_WALKTHROUGH = "<!-- not in walkthrough -->";
  /** Line 1 of the script (README's title line, never in a block): says where a command failed. */
  private static final String ON_ERROR = "trap 'echo \"README.md: the command ending on line $LINENO failed (exit $?): $BASH_COMMAND\" >&2' ERR";

  private final List<String> readme;
  private final boolean[] inWalkthrough;
  private final int blocks;

  private Walkthrough(List<String> readme) {
    this.readme = readme;
    this.inWalkthrough = new boolean[readme.size()];
    this.blocks = mark();
  }

  public static Walkthrough read(Path readme) {
    try {
      return new Walkthrough(Files.readAllLines(readme));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Walkthrough of(List<String> readmeLines) {
    return new Walkthrough(List.copyOf(readmeLines));
  }

  /** How many ```sh blocks are in the walk-through. */
  public int blocks() {
    return blocks;
  }

  /**
   * The blocks as one bash script whose line numbers are README.md's: every other line is left
   * blank, so bash's {@code $LINENO} in an error names the README's line.
   */
  public String script() {
    List<String> script = new ArrayList<>(Collections.nCopies(readme.size(), ""));
    for (int i = 0; i < readme.size(); i++) {
      if (inWalkthrough[i]) {
        script.set(i, readme.get(i));
      }
    }
    script.set(0, ON_ERROR);
    return String.join("\n", script) + "\n";
  }

  /** Only the walk-through's lines, as a reader would paste them. */
  public List<String> commands() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < readme.size(); i++) {
      if (inWalkthrough[i]) {
        lines.add(readme.get(i));
      }
    }
    return lines;
  }

  private int mark() {
    int count = 0;
    String lastText = "";
    for (int i = 0; i < readme.size(); i++) {
      String line = readme.get(i).strip();
      if (line.equals("```sh")) {
        int end = closingFence(i);
        if (!lastText.equals(NOT_IN_WALKTHROUGH)) {
          Arrays.fill(inWalkthrough, i + 1, end, true);
          count++;
        }
        i = end;
        lastText = "";
      } else if (!line.isEmpty()) {
        lastText = line;
      }
    }
    return count;
  }

  private int closingFence(int open) {
    for (int i = open + 1; i < readme.size(); i++) {
      if (readme.get(i).strip().equals("```")) {
        return i;
      }
    }
    throw new IllegalStateException("README.md line " + (open + 1) + ": ```sh block without its closing fence");
  }
}
