package io.github.telemetrybootstrap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class SpanLossErrorTypeTest {
  @Test
  void theErrorTypeIsTheSendersCauseNotItsFutureWrapper() {
    ConnectException refused = new ConnectException("Connection refused");

    assertThat(SpanLoss.errorType(refused)).isEqualTo("java.net.ConnectException");
    assertThat(SpanLoss.errorType(new CompletionException(refused))).isEqualTo("java.net.ConnectException");
    assertThat(SpanLoss.errorType(new ExecutionException(new CompletionException(refused))))
        .isEqualTo("java.net.ConnectException");
    assertThat(SpanLoss.errorType(new CompletionException(new java.io.UncheckedIOException(refused))))
        .isEqualTo("java.net.ConnectException");
    assertThat(SpanLoss.errorType(new CompletionException(null))).isEqualTo(CompletionException.class.getName());
    assertThat(SpanLoss.errorType(null)).isEqualTo("_OTHER");
  }
}
