package bench;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /hello} logs one line and answers {@code hello}; port from the first argument. */
public final class Hello {
  private static final Logger LOG = LoggerFactory.getLogger(Hello.class);

  /**
   * Serves {@code GET /hello} on 127.0.0.1 with 8 worker threads until the process is stopped.
   *
   * @param args the port, a decimal number
   * @throws java.io.IOException if the port cannot be bound
   */
  public static void main(String[] args) throws Exception {
    byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
    server.createContext("/hello", exchange -> {
      LOG.info("Saying hello to {}", exchange.getRemoteAddress().getPort());
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
  }
}
