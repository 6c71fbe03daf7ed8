package com.example;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

@Path("/")
public class GreetingResource {
  private static final Logger LOG = Logger.getLogger(GreetingResource.class);

  private final ManagedExecutor executor;

  GreetingResource(ManagedExecutor executor) {
    this.executor = executor;
  }

  @GET
  @Path("/hello")
  public String hello() {
    LOG.info("hello from a worker thread");
    return "hello";
  }

  @GET
  @Path("/reactive")
  public Uni<String> reactive() {
    LOG.info("reactive: on the event loop");
    return Uni.createFrom().item("later")
        .onItem().delayIt().by(Duration.ofMillis(20))
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .invoke(() -> LOG.info("reactive: after the hop"));
  }

  @GET
  @Path("/executor")
  public String executor() throws Exception {
    CompletableFuture<String> f = executor.supplyAsync(() -> {
      LOG.info("executor: in a managed task");
      return "done";
    });
    return f.get();
  }
}
