package io.gridline.sim.lorawan;

import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.Eui64;
import io.gridline.lrwn.frame.SessionKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The devices of a run: from the --abp and --otaa files, or generated ABP devices counting up. */
final class Devices {
  private Devices() {}

  static List<SimDevice> of(SimOptions o) throws IOException {
    List<SimDevice> out = new ArrayList<>();
    if (o.abpFile != null) {
      for (String[] f : lines(o.abpFile, 4, "devEui devAddr nwkSKey appSKey")) {
        out.add(SimDevice.abp(Eui64.fromHex(f[0]), DevAddr.fromHex(f[1]),
            new SessionKeys(AesKey.fromHex(f[2]), AesKey.fromHex(f[3]))));
      }
    }
    if (o.otaaFile != null) {
      SecureRandom random = new SecureRandom();
      Set<String> appKeys = new HashSet<>();
      for (String[] f : lines(o.otaaFile, 3, "devEui joinEui appKey")) {
        // a JoinAccept names no device: the simulator finds its device by the AppKey that decrypts it
        if (!appKeys.add(f[2].toLowerCase(Locale.ROOT))) {
          throw new IllegalArgumentException(o.otaaFile + ": two OTAA devices share the AppKey " + f[2]
              + ", so their JoinAccepts could not be told apart; give each device its own");
        }
        out.add(SimDevice.otaa(Eui64.fromHex(f[0]), Eui64.fromHex(f[1]), AesKey.fromHex(f[2]), random));
      }
    }
    if (o.abpFile == null && o.otaaFile == null) {
      SessionKeys keys = new SessionKeys(o.nwkSKey, o.appSKey);
      for (int i = 0; i < o.devices; i++) {
        out.add(SimDevice.abp(new Eui64(o.firstDevEui.value() + i), new DevAddr(o.firstDevAddr.value() + i), keys));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no devices: the --abp/--otaa files list none");
    }
    return out;
  }

  /** The fields of each line; '#' starts a comment, blank lines are skipped. */
  private static List<String[]> lines(Path file, int fields, String layout) throws IOException {
    List<String[]> out = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      int hash = line.indexOf('#');
      String body = (hash >= 0 ? line.substring(0, hash) : line).trim();
      if (body.isEmpty()) {
        continue;
      }
      String[] f = body.split("\\s+");
      if (f.length != fields) {
        throw new IllegalArgumentException(file + ":" + n + ": expected \"" + layout + "\", got \"" + body + "\"");
      }
      out.add(f);
    }
    return out;
  }
}
