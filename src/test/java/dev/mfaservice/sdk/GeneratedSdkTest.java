package dev.mfaservice.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mfaservice.sdk.java.model.Details;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The contract generates clean SDKs: the generator (the same version as the Maven plugin, from
 * target/sdk-tools) warns about nothing in it, its validator recommends nothing (unused models),
 * and every model the plugin generated into
 * target/generated-sdk is a named component of the contract, never an inline name
 * (InlineObject, *_200_response, *_request) the generator made up.
 */
class GeneratedSdkTest {
  private static final Path CONTRACT = Path.of("openapi/mfa-service.yaml");
  private static final Path CLI = Path.of("target/sdk-tools/openapi-generator-cli.jar");
  /** The one warning that is about the generator, not the contract. */
  private static final String BETA_NOTICE = "OpenAPI 3.1 support is still in beta";
  /** INFO lines that still mean the contract generates poorly. */
  private static final List<String> POOR = List.of("Inline schema created as", "not generated since it's a free-form object");

  @Test
  void theGeneratorWarnsAboutNothingInTheContract() throws Exception {
    assertTrue(Files.isRegularFile(CLI), "missing " + CLI + ": Maven's generate-test-sources copies it");
    List<Run> runs = List.of(
      Run.start("validator", "validate", "-i", CONTRACT.toString(), "--recommend"),
      Run.generate("java", "--library", "okhttp-gson", "-p", "containerDefaultToNull=true,useJakartaEe=true,openApiNullable=false"),
      Run.generate("typescript-fetch", "-p", "supportsES6=true"));
    List<String> found = new ArrayList<>();
    for (Run run : runs) {
      findings(run.finish()).forEach(line -> found.add(run.name + ": " + line));
    }
    assertEquals(List.of(), found, "what the generator says about the contract");
  }

  /** One run of the generator's CLI, its output (log and report) in a file. */
  record Run(String name, Process process, Path log) {
    /** Generates models and APIs (as the Maven plugin does, without docs and tests) into a scratch directory. */
    static Run generate(String generator, String... options) throws IOException {
      List<String> args = new ArrayList<>(List.of("generate", "-g", generator, "-i", CONTRACT.toString(),
        "-o", Files.createTempDirectory("sdk").toString(),
        "--global-property", "apis,models,modelDocs=false,apiDocs=false,modelTests=false,apiTests=false"));
      args.addAll(List.of(options));
      return start(generator, args.toArray(String[]::new));
    }

    static Run start(String name, String... args) throws IOException {
      Path log = Files.createTempFile("generator", ".log");
      List<String> command = new ArrayList<>(List.of("java", "-jar", CLI.toString()));
      command.addAll(List.of(args));
      return new Run(name, new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    String finish() throws Exception {
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the generator did not finish in 120 s: " + name);
      String text = Files.readString(log, StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), "the generator failed (" + name + "):\n" + text);
      return text;
    }
  }

  /**
   * Warnings and errors, the INFO lines that tell of inline or dropped models, and the validator's
   * recommendations ("\t- Unused model: X"), but not the 3.1 beta notice.
   */
  static List<String> findings(String log) {
    return log.lines()
      .filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.startsWith("\t- ") || POOR.stream().anyMatch(l::contains))
      .filter(l -> !l.contains(BETA_NOTICE))
      .toList();
  }

  @Test
  void everyGeneratedModelIsANamedComponentOfTheContract() throws IOException {
    Map<String, Map<String, Object>> schemas = contractSchemas();
    Set<String> java = names(Path.of("target/generated-sdk/java/src/main/java/dev/mfaservice/sdk/java/model"), ".java");
    java.remove("AbstractOpenApiSchema"); // the SDK's base class for oneOf/anyOf, not a model
    Set<String> typescript = names(Path.of("target/generated-sdk/typescript/models"), ".ts");
    typescript.remove("index");
    for (Set<String> generated : List.of(java, typescript)) {
      Set<String> invented = new TreeSet<>(generated);
      invented.removeAll(schemas.keySet());
      assertEquals(Set.of(), invented, "models named by the generator, not by the contract");
      Set<String> notModels = new TreeSet<>(schemas.keySet());
      notModels.removeAll(generated);
      for (String name : notModels) {
        assertTrue(!"object".equals(schemas.get(name).get("type")), name + " is an object but no model was generated for it");
      }
    }
    assertEquals(java, typescript, "both SDKs have the same models");
  }

  @Test
  void theJavaSdkRefusesAnswersWithUndeclaredFields() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> Details.fromJson("{\"sequence\":\"1\",\"somethingNew\":true}"));
    assertTrue(e.getMessage().contains("somethingNew"), e.getMessage());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> contractSchemas() throws IOException {
    Map<String, Object> contract = new Yaml().load(Files.readString(CONTRACT, StandardCharsets.UTF_8));
    return (Map<String, Map<String, Object>>) ((Map<String, Object>) contract.get("components")).get("schemas");
  }

  private static Set<String> names(Path dir, String extension) throws IOException {
    assertTrue(Files.isDirectory(dir), "missing " + dir + ": Maven's generate-test-sources generates it");
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(extension))
        .map(n -> n.substring(0, n.length() - extension.length())).collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
