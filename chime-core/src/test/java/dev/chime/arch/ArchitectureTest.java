package dev.chime.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Layering rules for chime-core (STYLE.md, practice 9). */
class ArchitectureTest {
  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.chime");
  }

  @Test
  void coreClassesWereImported() {
    org.assertj.core.api.Assertions.assertThat(core.contain("dev.chime.cron.CronExpression"))
        .isTrue();
  }

  @Test
  void theModuleExportsTheApiAndNotTheInternals() {
    Module module = dev.chime.cron.CronExpression.class.getModule();
    org.assertj.core.api.Assertions.assertThat(module.getName()).isEqualTo("dev.chime.core");
    org.assertj.core.api.Assertions.assertThat(
            module.getDescriptor().exports().stream()
                .map(e -> e.source() + (e.isQualified() ? " to " + e.targets() : "")))
        .containsExactlyInAnyOrder(
            "dev.chime",
            "dev.chime.cron",
            "dev.chime.spi",
            "dev.chime.internal.engine to [dev.chime.testkit]");
    org.assertj.core.api.Assertions.assertThat(module.getPackages())
        .contains("dev.chime.internal.timer");
  }

  @Test
  void apiDoesNotDependOnInternals() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("dev.chime..")
            .and()
            .resideOutsideOfPackage("..internal..")
            // The two factories: the builder makes the engine, the SPI the in-memory store.
            .and()
            .doNotHaveFullyQualifiedName("dev.chime.Scheduler$Builder")
            .and()
            .doNotHaveFullyQualifiedName("dev.chime.spi.JobStore")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("..internal..");
    rule.check(core);
  }

  @Test
  void coreImportsNoJdbcHttpOrCli() {
    ArchRule rule =
        noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "java.sql..",
                "javax.sql..",
                "com.sun.net.httpserver..",
                "java.net.http..",
                "io.javalin..",
                "jakarta.servlet..",
                "picocli..");
    rule.check(core);
  }

  @Test
  void nothingReadsTheSystemTimeExceptThroughAClock() {
    ArchRule rule =
        noClasses()
            .that()
            // The one place the system clock is named: the builder's default.
            .doNotHaveFullyQualifiedName("dev.chime.Scheduler$Builder")
            .should()
            .callMethod(Instant.class, "now")
            .orShould()
            .callMethod(LocalDateTime.class, "now")
            .orShould()
            .callMethod(ZonedDateTime.class, "now")
            .orShould()
            .callMethod(System.class, "currentTimeMillis")
            .orShould()
            .callMethod(Clock.class, "systemDefaultZone")
            .orShould()
            .callMethod(Clock.class, "systemUTC");
    rule.check(core);
  }
}
