// The main class every plain-Java user project of compat-tests runs (copied in by the test).
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
    try { // projects with the Log4j 2 API log through it too
      Class<?> logManager = Class.forName("org.apache.logging.log4j.LogManager");
      Object log4j = logManager.getMethod("getLogger", String.class).invoke(null, "com.example.log4j");
      log4j.getClass().getMethod("info", String.class).invoke(log4j, "a Log4j 2 API line");
    } catch (ClassNotFoundException noLog4j) {
      // a project without the Log4j 2 API
    }
    telemetry.close();
  }
}
