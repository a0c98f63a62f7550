package io.gridline.mqtt;

import java.util.Optional;
import java.util.regex.Pattern;

/** FACES2 client ids: {@code f2-<12 lower-case hex digits>}, the device's MAC without separators. */
final class ClientIds {
  private static final Pattern CLIENT_ID = Pattern.compile("f2-([0-9a-f]{12})");

  private ClientIds() {}

  /** The canonical MAC ({@code aa:bb:cc:dd:ee:01}) named by a client id, if it is one. */
  static Optional<String> mac(String clientId) {
    if (clientId == null) {
      return Optional.empty();
    }
    var m = CLIENT_ID.matcher(clientId);
    if (!m.matches()) {
      return Optional.empty();
    }
    String hex = m.group(1);
    StringBuilder mac = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      if (i > 0) {
        mac.append(':');
      }
      mac.append(hex, i, i + 2);
    }
    return Optional.of(mac.toString());
  }

  static String of(String mac) {
    return "f2-" + mac.replace(":", "");
  }
}
