package io.github.telemetrybootstrap.examples.springboot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The quickstart's service on Spring Boot: no telemetry code at all; {@code telemetry-spring} on the
 * class path gives it the contract's JSON logs, OTLP traces and {@code /actuator/prometheus}.
 */
@SpringBootApplication
public class SpringBootExampleApplication {
  /**
   * Starts the service (port {@code server.port}, default 8080).
   *
   * @param args Spring Boot command-line arguments, e.g. {@code --server.port=0}
   */
  public static void main(String[] args) {
    SpringApplication.run(SpringBootExampleApplication.class, args);
  }
}
