package io.github.telemetrybootstrap.examples.quarkus;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/** The quickstart's endpoints: no telemetry code, the extension does it all. */
@Path("/")
public class ShopResource {
  private static final Logger LOG = Logger.getLogger(ShopResource.class);

  @Inject @RestClient InventoryClient inventory;

  /** @return a greeting; logs one line */
  @GET
  @Path("/hello")
  public Map<String, String> hello() {
    LOG.info("Saying hello");
    return Map.of("message", "hello");
  }

  /**
   * @param id the order id
   * @return the order with its inventory, fetched over HTTP from {@code /inventory/{id}}
   */
  @GET
  @Path("/orders/{id}")
  public Map<String, Object> order(@PathParam("id") String id) {
    LOG.infof("Fetching order %s", id);
    Map<String, Object> stock = inventory.get(id);
    LOG.infof("Inventory answered for order %s", id);
    return Map.of("order", id, "inventory", stock);
  }

  /**
   * @param id the item id
   * @return the stock of the item
   */
  @GET
  @Path("/inventory/{id}")
  public Map<String, Object> inventory(@PathParam("id") String id) {
    int stock = Math.floorMod(id.hashCode(), 50) + ThreadLocalRandom.current().nextInt(2);
    LOG.infof("Inventory for %s: %d in stock", id, stock);
    return Map.of("id", id, "stock", stock);
  }

  /** @return 500 after logging an ERROR line with the exception */
  @GET
  @Path("/fail")
  public Response fail() {
    LOG.error("Order processing failed", new IllegalStateException("payment provider unavailable"));
    return Response.serverError().entity(Map.of("error", "payment provider unavailable")).build();
  }
}
