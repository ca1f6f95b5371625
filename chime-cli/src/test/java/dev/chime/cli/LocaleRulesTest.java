package dev.chime.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * No main class of any module formats or cases text in the JVM's default locale, whose digits and
 * case rules may differ (under ar-EG "%d" of 5 is "٥": the daily and weekly shorthands once built
 * cron text that their own parser refused, see chime-core's LocaleIndependenceTest). Run here
 * because this module's test class path holds every other module.
 */
class LocaleRulesTest {
  @Test
  void textIsFormattedAndCasedInAnExplicitLocale() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.chime");
    assertThat(
            java.util.stream.Stream.of(
                "dev.chime.cron.CronDescriber",
                "dev.chime.Trigger",
                "dev.chime.jdbc.SqliteDialect",
                "dev.chime.server.JobFile",
                "dev.chime.cli.Main"))
        .allMatch(classes::contain);
    assertThat(classes.contain("dev.chime.cli.LocaleRulesTest")).isFalse();
    noClasses()
        .should()
        .callMethod(String.class, "formatted", Object[].class)
        .orShould()
        .callMethod(String.class, "format", String.class, Object[].class)
        .orShould()
        .callMethod(String.class, "toUpperCase")
        .orShould()
        .callMethod(String.class, "toLowerCase")
        .because("the default locale may have other digits and case rules")
        .check(classes);
  }
}
