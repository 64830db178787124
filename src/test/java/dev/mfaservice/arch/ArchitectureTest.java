package dev.mfaservice.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure, checked over the compiled classes: the packages form no cycle, and no
 * capability package depends on {@code app} (the app composes them; they never reach back).
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.mfaservice");
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("dev.mfaservice.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void noCapabilityImportsTheApp() {
    noClasses().that().resideOutsideOfPackages("dev.mfaservice.app..", "dev.mfaservice")
      .should().dependOnClassesThat().resideInAPackage("dev.mfaservice.app..").check(classes);
  }
}
