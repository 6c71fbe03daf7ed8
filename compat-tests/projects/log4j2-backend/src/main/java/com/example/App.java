package com.example;

import io.github.telemetrybootstrap.Telemetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public class App {
  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  public static void main(String[] args) throws Exception {
    Telemetry telemetry = Telemetry.bootstrap();
    LOG.info("connecting with password=hunter2 and Authorization: Bearer abc123DEF456ghi789");
    java.util.logging.Logger.getLogger("com.example.jul").info("a java.util.logging line");
    telemetry.close();
  }
}
