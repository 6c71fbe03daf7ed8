package io.github.telemetrybootstrap.benchmarks;

import io.github.telemetrybootstrap.contract.SecretMasker;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The masker on every string value of every line: ns per message of typical shapes. Run with
 * {@code java -jar benchmarks/target/benchmarks.jar SecretMaskerBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SecretMaskerBenchmark {
  /** Message shapes: what services log most, and lines that do carry secrets. */
  @Param({"plain", "order", "request", "url", "secrets"})
  public String shape;

  private String message;
  private final SecretMasker masker = SecretMasker.defaults();

  @org.openjdk.jmh.annotations.Setup
  public void setUp() {
    message =
        switch (shape) {
          case "plain" -> "Saying hello";
          case "order" -> "Fetching order 42 for customer alice";
          case "request" ->
              "GET /orders/42 took 15 ms, status=200, user=alice, request 3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b"
                  + " trace 4bf92f3577b34da6a3ce929d0e0e4736";
          case "url" -> "calling https://inventory.internal:8443/v1/items/42?expand=lines&page=2 (attempt 1)";
          default ->
              "login user=bob password=hunter2 token=ghp_16C7e42F292c6912E7710c838347Ae178B4a card 4111111111111111";
        };
  }

  /** @return the masked message */
  @Benchmark
  public String mask() {
    return masker.mask(message);
  }
}
