package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every setting is checked when set, with a message naming the value and the rule. */
class ServerSettingsTest {
  @Test
  void defaults() {
    ServerSettings settings = ServerSettings.builder().build();
    assertThat(settings.bind()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isEqualTo(8080);
    assertThat(settings.effectiveDbUrl())
        .isEqualTo("jdbc:sqlite:" + Path.of("chime-data", "chime.db"));
    assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.retention()).isEqualTo(Duration.ofDays(30));
    assertThat(settings.tokens()).isEmpty();
  }

  @Test
  void everyValueIsChecked() {
    ServerSettings.Builder b = ServerSettings.builder();
    assertThatThrownBy(() -> b.port(-1)).hasMessage("port must be 0-65535, was -1");
    assertThatThrownBy(() -> b.dbUrl("jdbc:mysql://x"))
        .hasMessageContaining("jdbc:sqlite: or jdbc:postgresql:");
    assertThatThrownBy(() -> b.bind("a b")).hasMessageContaining("bind address");
    assertThatThrownBy(() -> b.bind(" ")).hasMessageContaining("bind address");
    assertThatThrownBy(() -> b.shutdownGrace(Duration.ofSeconds(-1))).hasMessageContaining("0s-1h");
    assertThatThrownBy(() -> b.shutdownGrace(Duration.ofHours(2))).hasMessageContaining("0s-1h");
    assertThatThrownBy(() -> b.maxConcurrency(0))
        .hasMessage("max concurrency must be 1-10000, was 0");
    assertThatThrownBy(() -> b.retention(Duration.ofSeconds(5), 1))
        .hasMessageContaining("at least 1m");
    assertThatThrownBy(() -> b.retention(Duration.ofDays(1), -1))
        .hasMessageContaining("keep per job");
    assertThatThrownBy(() -> b.maxRequestBytes(10)).hasMessageContaining("max request bytes");
    assertThatThrownBy(() -> b.dataDir(null)).hasMessageContaining("data dir");
    assertThatThrownBy(() -> b.configFile(null)).hasMessageContaining("config file");
    assertThatThrownBy(() -> b.pluginsDir(null)).hasMessageContaining("plugins dir");
    assertThatThrownBy(() -> b.retention(Duration.ofDays(36_501), 1))
        .hasMessageContaining("at most 36500d (100 years)");
  }

  /** The record's own constructor holds its values to the builder's rules. */
  @Test
  void settingsMadeWithoutTheBuilderAreCheckedToo() {
    assertThatThrownBy(() -> direct(-5, java.util.Map.of()))
        .hasMessage("port must be 0-65535, was -5");
    assertThatThrownBy(() -> direct(0, java.util.Map.of("nothex", Role.ADMIN)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> direct(0, null)).hasMessage("tokens must not be null");
    assertThat(direct(0, java.util.Map.of()).port()).isZero();
  }

  /** Settings through the record's constructor: the defaults but for the port and tokens. */
  private static ServerSettings direct(int port, java.util.Map<String, Role> tokens) {
    ServerSettings good = ServerSettings.builder().build();
    return new ServerSettings(
        good.dataDir(),
        null,
        good.bind(),
        port,
        tokens,
        null,
        null,
        good.shutdownGrace(),
        good.maxConcurrency(),
        good.retention(),
        good.retainPerJob(),
        good.maxRequestBytes());
  }

  @Test
  void valuesAreKept() {
    ServerSettings settings =
        ServerSettings.builder()
            .dbUrl("jdbc:postgresql://h/db")
            .bind("::1")
            .port(0)
            .configFile(Path.of("c.yaml"))
            .pluginsDir(Path.of("p"))
            .shutdownGrace(Duration.ZERO)
            .maxConcurrency(3)
            .retention(Duration.ofHours(1), 2)
            .maxRequestBytes(4096)
            .keepHistory()
            .build();
    assertThat(settings.effectiveDbUrl()).isEqualTo("jdbc:postgresql://h/db");
    assertThat(settings.retention()).isNull();
    assertThat(settings.maxConcurrency()).isEqualTo(3);
    assertThat(settings.configFile()).isEqualTo(Path.of("c.yaml"));
    assertThat(Auth.isLoopback(settings.bind())).isTrue();
    assertThat(Auth.isLoopback("no-such-host.invalid")).isFalse();
  }

  @Test
  void aDataDirBesideADbUrlIsRefusedRatherThanIgnored() {
    ServerSettings.Builder both =
        ServerSettings.builder()
            .dataDir(Path.of("/tmp/d"))
            .dbUrl("jdbc:postgresql://h/db?password=x");
    assertThatThrownBy(both::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "give a data dir or a db url, not both: the data dir holds only the embedded SQLite"
                + " database, which the db url jdbc:postgresql:... replaces");
    assertThat(ServerSettings.builder().dataDir(Path.of("/tmp/d")).build().effectiveDbUrl())
        .isEqualTo("jdbc:sqlite:/tmp/d/chime.db");
  }
}
