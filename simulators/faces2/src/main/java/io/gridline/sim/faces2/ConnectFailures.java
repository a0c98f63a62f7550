package io.gridline.sim.faces2;

import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.MqttException;

/** Turns a refused or failed CONNECT into what to do about it. */
final class ConnectFailures {
  private ConnectFailures() {}

  static String explain(MqttException e, DeviceMac mac, SimOptions options) {
    String where = options.serverUri();
    switch (e.getReasonCode()) {
      case MqttException.REASON_CODE_NOT_AUTHORIZED, MqttException.REASON_CODE_FAILED_AUTHENTICATION -> {
        return "not authorized by " + where + ": register the device (kind mqtt, external id " + mac + ") and pass"
            + " its secret (POST /api/v1/devices/{id}/credentials) with --secret or --secrets-file"
            + " (the dev profile, ./gridline run, accepts registered devices without a secret)";
      }
      case MqttException.REASON_CODE_INVALID_CLIENT_ID -> {
        return "client id " + mac.clientId() + " refused by " + where;
      }
      case MqttException.REASON_CODE_BROKER_UNAVAILABLE -> {
        return where + " is unavailable (connection limit reached?)";
      }
      case MqttException.REASON_CODE_CLIENT_TIMEOUT -> {
        return "no CONNACK from " + where + " within 10 s";
      }
      default -> { }
    }
    if (causedBy(e, ConnectException.class)) {
      return "cannot connect to " + where + ": is Gridline running (./gridline run; the dev profile listens on 1884,"
          + " TLS 8884)?";
    }
    if (causedBy(e, UnknownHostException.class)) {
      return "unknown host in " + where;
    }
    if (causedBy(e, SSLException.class)) {
      return "TLS handshake with " + where + " failed: " + Controller.describe(e)
          + " (check --ca, and --cert/--key for mTLS)";
    }
    return "cannot connect to " + where + ": " + Controller.describe(e);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
