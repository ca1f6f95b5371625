package dev.chime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoliciesTest {

  @Test
  void noRetryByDefault() {
    assertThat(RetryPolicy.NONE.attempts()).isEqualTo(1);
    assertThat(RetryPolicy.NONE.retries(1, new RuntimeException())).isFalse();
  }

  @Test
  void fixedRetryWaitsTheSameEachTime() {
    RetryPolicy fixed = RetryPolicy.fixed(3, Duration.ofSeconds(10));
    assertThat(fixed.retries(1, new RuntimeException())).isTrue();
    assertThat(fixed.retries(2, new RuntimeException())).isTrue();
    assertThat(fixed.retries(3, new RuntimeException())).as("the last attempt").isFalse();
    assertThat(fixed.delayBefore(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(fixed.delayBefore(3)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void exponentialRetryDoublesUpToTheCap() {
    RetryPolicy policy =
        RetryPolicy.exponential(100, Duration.ofSeconds(30), Duration.ofMinutes(10));
    assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofMinutes(1));
    assertThat(policy.delayBefore(4)).isEqualTo(Duration.ofMinutes(2));
    assertThat(policy.delayBefore(7)).isEqualTo(Duration.ofMinutes(10));
    assertThat(policy.delayBefore(100)).isEqualTo(Duration.ofMinutes(10));
    assertThatThrownBy(() -> policy.delayBefore(1)).hasMessage("attempt must be at least 2, was 1");
    RetryPolicy huge = RetryPolicy.exponential(100, Duration.ofDays(1), Job.LONGEST);
    assertThat(huge.delayBefore(100)).as("2^98 days: no overflow").isEqualTo(Job.LONGEST);
  }

  @Test
  void retryOnAndAbortOnFilterByExceptionType() {
    RetryPolicy io =
        RetryPolicy.fixed(3, Duration.ofSeconds(1))
            .retryOn(Set.of(IOException.class, UncheckedIOException.class))
            .abortOn(Set.of(java.io.FileNotFoundException.class));
    assertThat(io.retries(1, new IOException())).isTrue();
    assertThat(io.retries(1, new java.net.SocketException())).as("a subtype").isTrue();
    assertThat(io.retries(1, new IllegalStateException())).isFalse();
    assertThat(io.retries(1, new java.io.FileNotFoundException())).as("aborts").isFalse();
    assertThat(io.retries(1, null)).as("a timeout is no listed type").isFalse();
    RetryPolicy any = RetryPolicy.fixed(2, Duration.ZERO).abortOn(Set.of(Error.class));
    assertThat(any.retries(1, null)).as("a timeout retries").isTrue();
    assertThat(any.retries(1, new AssertionError())).isFalse();
  }

  @Test
  void retryRejectsBadValuesNamingThem() {
    assertThatThrownBy(() -> RetryPolicy.fixed(0, Duration.ZERO))
        .hasMessage("attempts must be 1-100, was 0");
    assertThatThrownBy(() -> RetryPolicy.fixed(101, Duration.ZERO))
        .hasMessage("attempts must be 1-100, was 101");
    assertThatThrownBy(() -> RetryPolicy.fixed(2, Duration.ofSeconds(-1)))
        .hasMessage("delay must not be negative, was PT-1S");
    assertThatThrownBy(
            () -> RetryPolicy.exponential(2, Duration.ofMinutes(1), Duration.ofSeconds(1)))
        .hasMessage("max delay must be at least the delay PT1M, was PT1S");
  }

  @Test
  void overlapPolicies() {
    assertThat(OverlapPolicy.SKIP.maxConcurrent()).isEqualTo(1);
    assertThat(OverlapPolicy.allow().maxConcurrent()).isEqualTo(OverlapPolicy.MAX_CONCURRENT);
    assertThat(OverlapPolicy.skip(3).mode()).isEqualTo(OverlapPolicy.Mode.SKIP);
    assertThat(OverlapPolicy.queue(2, 1).queueLimit()).isEqualTo(1);
    assertThat(OverlapPolicy.replace(1).mode()).isEqualTo(OverlapPolicy.Mode.REPLACE);
    assertThatThrownBy(() -> OverlapPolicy.skip(0))
        .hasMessage("maxConcurrent must be 1-1000, was 0");
    assertThatThrownBy(() -> OverlapPolicy.queue(1, 0))
        .hasMessage("queue limit must be 1-10000, was 0");
    assertThatThrownBy(() -> new OverlapPolicy(OverlapPolicy.Mode.SKIP, 1, 5))
        .hasMessage("a queue limit only applies to the queue mode, was 5");
    assertThatThrownBy(() -> new OverlapPolicy(null, 1, 0))
        .hasMessage("overlap mode must not be null");
  }

  @Test
  void misfirePolicies() {
    assertThat(MisfirePolicy.RUN_ONCE.grace()).isEqualTo(MisfirePolicy.DEFAULT_GRACE);
    assertThat(MisfirePolicy.runAll(Duration.ofMinutes(5), 24).cap()).isEqualTo(24);
    assertThat(MisfirePolicy.skip(Duration.ZERO).mode()).isEqualTo(MisfirePolicy.Mode.SKIP);
    assertThat(MisfirePolicy.runOnce(Duration.ofSeconds(30)).cap()).isEqualTo(1);
    assertThatThrownBy(() -> MisfirePolicy.runAll(Duration.ZERO, 0))
        .hasMessage("cap for RUN_ALL must be 1-10000, was 0");
    assertThatThrownBy(() -> new MisfirePolicy(MisfirePolicy.Mode.RUN_ONCE, Duration.ZERO, 2))
        .hasMessage("cap for RUN_ONCE must be 1, was 2");
    assertThatThrownBy(() -> MisfirePolicy.skip(Duration.ofSeconds(-1)))
        .hasMessage("grace must not be negative, was PT-1S");
  }
}
