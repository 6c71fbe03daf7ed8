package com.example.shop;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

@SpringBootApplication
@RestController
public class ShopApplication {
  private static final Logger LOG = LoggerFactory.getLogger(ShopApplication.class);
  private final RestClient inventory;

  public ShopApplication(RestClient.Builder builder, Environment env) {
    this.inventory = builder.baseUrl("http://127.0.0.1:" + env.getProperty("server.port", "8080")).build();
  }

  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }

  @GetMapping("/owners/{id}")
  public String owner(@PathVariable String id) {
    LOG.info("Looking up owner {}", id);
    String stock = inventory.get().uri("/stock/{id}", id).retrieve().body(String.class);
    LOG.info("Owner {} has stock {}", id, stock);
    return "owner " + id;
  }

  @GetMapping("/stock/{id}")
  public String stock(@PathVariable String id) {
    LOG.info("Stock for {}", id);
    return "7";
  }

  @GetMapping("/oups")
  public String oups() {
    LOG.info("About to fail");
    throw new IllegalStateException("Expected: controller used to showcase what happens when an exception is thrown");
  }
}
