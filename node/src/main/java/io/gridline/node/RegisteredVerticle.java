package io.gridline.node;

import io.gridline.runtime.VerticleSpec;
import java.util.List;

/**
 * A verticle the node can deploy, with the config keys of the ports it listens on (named in the startup summary, and
 * in the error when one of them is taken).
 */
public record RegisteredVerticle(VerticleSpec spec, List<String> portKeys) {
  public RegisteredVerticle {
    portKeys = List.copyOf(portKeys);
  }

  public static RegisteredVerticle of(VerticleSpec spec, String... portKeys) {
    return new RegisteredVerticle(spec, List.of(portKeys));
  }

  public String name() {
    return spec.name();
  }
}
