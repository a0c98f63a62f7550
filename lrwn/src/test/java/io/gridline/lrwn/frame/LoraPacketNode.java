package io.gridline.lrwn.frame;

import io.gridline.testkit.RequiredTools;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * lora-packet, an independent LoRaWAN implementation (npm), run under node for the interop tests. Installed once into
 * {@code target/npm} at the pinned version, then each {@link #call} runs {@code lora-packet-bridge.js} with one JSON
 * request. Without node or npm the tests are skipped on a laptop and fail under CI ({@code CI=true}), the same rule
 * as {@link RequiredTools}, which also covers an install that fails.
 */
public final class LoraPacketNode {
  /** The version the interop tests were verified against; {@code npm install} takes exactly this one. */
  public static final String VERSION = "0.8.25";
  private static final Path DIR = Path.of("target", "npm").toAbsolutePath();
  private static LoraPacketNode installed;
  /** Why the install failed, so the next tests skip or fail at once instead of running npm again. */
  private static RuntimeException notInstalled;
  private static AssertionError installFailed;

  private final String node;

  private LoraPacketNode(String node) {
    this.node = node;
  }

  public static synchronized LoraPacketNode installed() {
    if (notInstalled != null) {
      throw notInstalled;
    }
    if (installFailed != null) {
      throw installFailed;
    }
    if (installed == null) {
      String node = RequiredTools.require("node", "the lora-packet interop tests run it");
      String npm = RequiredTools.require("npm", "the lora-packet interop tests install lora-packet with it");
      try {
        Files.createDirectories(DIR);
        if (!installedVersion().contains("\"version\": \"" + VERSION + "\"")) {
          run(List.of(npm, "install", "--no-save", "--no-audit", "--no-fund", "--no-package-lock", "--prefix",
              DIR.toString(), "lora-packet@" + VERSION), null, 300);
        }
        try (InputStream script = LoraPacketNode.class.getResourceAsStream("lora-packet-bridge.js")) {
          // beside node_modules, so that require("lora-packet") finds the installed package
          Files.copy(script, DIR.resolve("lora-packet-bridge.js"), StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException | RuntimeException e) {
        String reason = "cannot install lora-packet@" + VERSION + " into " + DIR + ": " + e.getMessage();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
          installFailed = new AssertionError(reason + " (CI must run the interop tests)", e);
          throw installFailed;
        }
        notInstalled = new TestAbortedException(reason + ": interop tests skipped on this machine");
        throw notInstalled;
      }
      installed = new LoraPacketNode(node);
    }
    return installed;
  }

  private static String installedVersion() throws IOException {
    Path manifest = DIR.resolve("node_modules/lora-packet/package.json");
    return Files.exists(manifest) ? Files.readString(manifest) : "";
  }

  /** Runs one bridge operation; a failing script fails the test with node's error output. */
  public JsonObject call(JsonObject request) {
    try {
      return new JsonObject(run(List.of(node, DIR.resolve("lora-packet-bridge.js").toString()), request.encode(), 60));
    } catch (IOException e) {
      throw new AssertionError("lora-packet bridge: " + e.getMessage(), e);
    }
  }

  /** Output goes to files, so a process that hangs cannot block the reader and the timeout holds. */
  private static String run(List<String> command, String stdin, int timeoutSeconds) throws IOException {
    Path out = Files.createTempFile(DIR, "stdout", ".txt");
    Path err = Files.createTempFile(DIR, "stderr", ".txt");
    try {
      Process process = new ProcessBuilder(command).directory(DIR.toFile()).redirectOutput(out.toFile())
          .redirectError(err.toFile()).start();
      try (var in = process.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + " took more than " + timeoutSeconds + " s");
      }
      if (process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": "
            + Files.readString(err));
      }
      return Files.readString(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
