package io.github.telemetrybootstrap.examples.quarkus;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The inventory service (here: this service's own endpoint), through the Quarkus REST client. */
@Path("/inventory")
@RegisterRestClient(configKey = "inventory")
public interface InventoryClient {
  /**
   * @param id the item id
   * @return the stock
   */
  @GET
  @Path("/{id}")
  Map<String, Object> get(@PathParam("id") String id);
}
