package io.gridline.sim.faces2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Each device's MQTT password: from --secrets-file ({@code mac secret} lines), else the shared --secret, else none. */
final class DeviceSecrets {
  private final Map<DeviceMac, String> byMac;
  private final String shared;

  private DeviceSecrets(Map<DeviceMac, String> byMac, String shared) {
    this.byMac = byMac;
    this.shared = shared;
  }

  static DeviceSecrets load(Path file, String shared) throws IOException {
    Map<DeviceMac, String> byMac = new HashMap<>();
    if (file != null) {
      int lineNo = 0;
      for (String line : Files.readAllLines(file)) {
        lineNo++;
        String text = line.replaceFirst("#.*", "").trim();
        if (text.isEmpty()) {
          continue;
        }
        String[] parts = text.split("\\s+");
        if (parts.length != 2) {
          throw new IllegalArgumentException(file + ":" + lineNo + ": expected \"mac secret\"");
        }
        byMac.put(DeviceMac.parse(parts[0]), parts[1]);
      }
    }
    return new DeviceSecrets(byMac, shared);
  }

  /** @return the device's secret, or null to connect without a password (the dev profile's require-auth=false) */
  String secretOf(DeviceMac mac) {
    return byMac.getOrDefault(mac, shared);
  }
}
