package io.gridline.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Keeps the embedded servers' own loggers at WARN under slf4j-simple (the binding Gridline ships).
 *
 * <p>A Kafka broker logs several hundred INFO lines at start (its whole configuration, every partition it
 * loads). slf4j-simple reads a logger's level from the system property
 * {@code org.slf4j.simpleLogger.log.<name>} when the logger is created, so setting it before the broker
 * classes load is enough. A level the user chose (system property, or the same key in
 * {@code simplelogger.properties}) is left alone; {@code -Dgridline.devservices.quiet-logs=false} turns this off.
 * Other slf4j bindings ignore these properties.
 */
final class Quiet {

  private static final String PREFIX = "org.slf4j.simpleLogger.log.";
  private static volatile Properties fileConfig;

  private Quiet() {
  }

  static void kafkaLoggers() {
    quiet("kafka");
    quiet("org.apache.kafka");
    quiet("state.change.logger");
    quiet("org.apache.zookeeper");
    // logs "Performing controller activation ..." at WARN on every start
    quiet("org.apache.kafka.controller.QuorumController", "error");
  }

  static void postgresLoggers() {
    quiet("io.zonky.test");
  }

  private static void quiet(String logger) {
    quiet(logger, "warn");
  }

  private static void quiet(String logger, String level) {
    if ("false".equalsIgnoreCase(System.getProperty("gridline.devservices.quiet-logs"))) {
      return;
    }
    String key = PREFIX + logger;
    if (System.getProperty(key) == null && !fileConfig().containsKey(key)) {
      System.setProperty(key, level);
    }
  }

  private static Properties fileConfig() {
    Properties p = fileConfig;
    if (p == null) {
      p = new Properties();
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      if (cl == null) {
        cl = Quiet.class.getClassLoader();
      }
      try (InputStream in = cl.getResourceAsStream("simplelogger.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException ignored) {
        // no user configuration then
      }
      fileConfig = p;
    }
    return p;
  }
}
