package io.github.telemetrybootstrap.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.telemetrybootstrap.testkit.logs.ExpectedContext;
import io.github.telemetrybootstrap.testkit.logs.LogLineValidator;
import io.github.telemetrybootstrap.testkit.otlp.OtlpReceiver;
import io.github.telemetrybootstrap.testkit.otlp.ReceivedSpan;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebFilter;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebFlux application on a real port (Reactor Netty) with {@code telemetry-spring}: a request with
 * {@code traceparent} and {@code X-Tenant-Id} through a handler that logs, hops to another thread
 * ({@code Mono.delay} then {@code publishOn(Schedulers.parallel())}) and logs again. Both lines, read
 * from the real stdout Spring Boot's logging system writes, carry the caller's trace, the server span
 * exported over real OTLP, the tenant and the request id; the server span carries {@code saas.tenant}.
 */
@SpringBootTest(
    classes = TelemetryWebFluxTest.ReactiveApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=reactive",
      "spring.application.name=webflux-test",
      "otel.bsp.schedule.delay=100",
      "server.address=127.0.0.1"
    })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class TelemetryWebFluxTest {
  private static final String CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String CALLER_SPAN = "b7ad6b7169203331";
  private static final PrintStream ORIGINAL_OUT = System.out;
  private static final ByteArrayOutputStream STDOUT = new ByteArrayOutputStream();
  private static final OtlpReceiver RECEIVER = OtlpReceiver.start();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static {
    // Spring Boot's console appender writes to whatever System.out is when a line is logged: tee it.
    System.setOut(
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(int b) {
                ORIGINAL_OUT.write(b);
                synchronized (STDOUT) {
                  STDOUT.write(b);
                }
              }

              @Override
              public void write(byte[] b, int off, int len) {
                ORIGINAL_OUT.write(b, off, len);
                synchronized (STDOUT) {
                  STDOUT.write(b, off, len);
                }
              }
            },
            true,
            StandardCharsets.UTF_8));
  }

  @DynamicPropertySource
  static void otlp(DynamicPropertyRegistry registry) {
    registry.add("otel.exporter.otlp.endpoint", RECEIVER::endpoint);
  }

  @LocalServerPort int port;
  @Autowired ApplicationContext context;

  private final HttpClient http = HttpClient.newHttpClient();

  @AfterAll
  static void restore() {
    System.setOut(ORIGINAL_OUT);
    RECEIVER.close();
  }

  @Test
  void linesLoggedBeforeAndAfterAThreadHopCarryTraceTenantAndRequestId() throws Exception {
    assertThat(context.getBeansOfType(WebFilter.class)).containsKey("telemetryWebFilter");
    HttpResponse<String> response =
        get(
            "/hop",
            "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01",
            "X-Tenant-Id", "acme",
            "X-Request-Id", "req-wf-1");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hopped");
    assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-wf-1");

    ReceivedSpan server =
        RECEIVER.awaitTrace(CALLER_TRACE, 1, Duration.ofSeconds(10)).stream()
            .filter(s -> s.kind().equals("SERVER"))
            .findFirst()
            .orElseThrow();
    assertThat(server.parentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(server.attribute("saas.tenant")).isEqualTo("acme");

    List<String> requestLines = awaitLines("req-wf-1", 2);
    ExpectedContext expected = ExpectedContext.inSpan(CALLER_TRACE, server.spanId()).withTenant("acme");
    LogLineValidator validator = LogLineValidator.create();
    for (int i = 0; i < requestLines.size(); i++) {
      assertThat(validator.validate(i + 1, requestLines.get(i), expected)).as(requestLines.get(i)).isEmpty();
    }
    JsonNode before = find(requestLines, "before hop");
    JsonNode after = find(requestLines, "after hop");
    assertThat(after.path("thread").asString())
        .as("the second line is logged on another thread")
        .isNotEqualTo(before.path("thread").asString())
        .startsWith("parallel-");
    assertThat(after.path("request_id").asString()).isEqualTo("req-wf-1");
    assertThat(after.path("tenant_id").asString()).isEqualTo("acme");
  }

  @Test
  void aFailingHandlersErrorLinesFromWebFluxCarryTheRequestsIds() throws Exception {
    String trace = "6bf92f3577b34da6a3ce929d0e0e4738";
    HttpResponse<String> response =
        get("/boom", "traceparent", "00-" + trace + "-" + CALLER_SPAN + "-01", "X-Request-Id", "req-wf-boom");
    assertThat(response.statusCode()).isEqualTo(500);
    List<JsonNode> errors = List.of();
    for (int i = 0; i < 100 && errors.isEmpty(); i++) {
      errors = lines().stream().map(JSON::readTree)
          .filter(n -> n.path("level").asString().equals("ERROR") && n.path("message").asString().contains("/boom"))
          .toList();
      Thread.sleep(50);
    }
    assertThat(errors).as("WebFlux's own ERROR line about the failed request").isNotEmpty();
    assertThat(errors).allSatisfy(n -> {
      assertThat(n.path("trace_id").asString()).as(n.toString()).isEqualTo(trace);
      assertThat(n.path("request_id").asString()).as(n.toString()).isEqualTo("req-wf-boom");
    });
  }

  @Test
  void webClientCallsSendTheRequestIdSoBothHopsLogOneId() throws Exception {
    HttpResponse<String> response = get("/via-client", "X-Request-Id", "req-wf-hops");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hopped");
    // "calling" on the first hop, "before hop" and "after hop" on the second.
    List<String> lines = awaitLines("req-wf-hops", 3);
    assertThat(lines.stream().map(JSON::readTree).map(n -> n.path("message").asString()))
        .contains("calling /hop", "before hop", "after hop");
  }

  @Test
  void generatedRequestIdIsEchoedAndNothingLeaksIntoTheNextRequest() throws Exception {
    HttpResponse<String> first = get("/hop", "X-Tenant-Id", "globex");
    HttpResponse<String> second = get("/hop");
    String firstId = first.headers().firstValue("X-Request-Id").orElseThrow();
    String secondId = second.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(firstId).isNotEqualTo(secondId);
    List<String> firstLines = awaitLines(firstId, 2);
    assertThat(firstLines)
        .allSatisfy(l -> assertThat(JSON.readTree(l).path("tenant_id").asString()).isEqualTo("globex"));
    List<String> secondLines = awaitLines(secondId, 2);
    assertThat(secondLines)
        .allSatisfy(
            l -> {
              JsonNode n = JSON.readTree(l);
              assertThat(n.has("tenant_id")).as(l).isFalse();
              assertThat(n.path("trace_id").asString()).as(l).matches("[0-9a-f]{32}");
            });
    assertThat(LogLineValidator.create().validateAll(firstLines)).isEmpty();
    assertThat(LogLineValidator.create().validateAll(secondLines)).isEmpty();
  }

  private static JsonNode find(List<String> lines, String message) {
    return lines.stream()
        .map(JSON::readTree)
        .filter(n -> n.path("message").asString("").startsWith(message))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line '" + message + "' in " + lines));
  }

  private static List<String> awaitLines(String requestId, int count) throws InterruptedException {
    List<String> found = List.of();
    for (int i = 0; i < 100; i++) {
      found =
          lines().stream()
              .filter(l -> l.contains("\"request_id\":\"" + requestId + "\""))
              .toList();
      if (found.size() >= count) {
        return found;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "expected " + count + " lines with request_id " + requestId + ", got " + found + "\nall:\n" + lines());
  }

  private static List<String> lines() {
    String all;
    synchronized (STDOUT) {
      all = STDOUT.toString(StandardCharsets.UTF_8);
    }
    return Arrays.stream(all.split("\n")).filter(l -> l.startsWith("{")).toList();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A small WebFlux application whose handler hops threads. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  @RestController
  static class ReactiveApp {
    private static final Logger LOG = LoggerFactory.getLogger(ReactiveApp.class);

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.web.reactive.function.client.WebClient.Builder webClients;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.core.env.Environment environment;

    @GetMapping("/via-client")
    Mono<String> viaClient() {
      LOG.info("calling /hop");
      return webClients.build().get()
          .uri("http://127.0.0.1:" + environment.getProperty("local.server.port") + "/hop")
          .retrieve()
          .bodyToMono(String.class);
    }

    @GetMapping("/boom")
    Mono<String> boom() {
      return Mono.delay(Duration.ofMillis(5))
          .publishOn(Schedulers.parallel())
          .map(tick -> {
            throw new IllegalStateException("boom after a thread hop");
          });
    }

    @GetMapping("/hop")
    Mono<String> hop() {
      LOG.info("before hop");
      return Mono.delay(Duration.ofMillis(20))
          .publishOn(Schedulers.parallel())
          .map(
              tick -> {
                LOG.info("after hop");
                return "hopped";
              });
    }
  }
}
