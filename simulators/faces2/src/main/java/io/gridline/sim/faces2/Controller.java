package io.gridline.sim.faces2;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One FACES2 controller: connects as {@code f2-<mac>}, then on each {@link #tick} publishes what its rate allows,
 * cycling through its modes and sensors, with at most --max-inflight publishes awaiting acknowledgement. Each publish
 * is {@code nextSlot → nextPayload → reserveWindow → publish}, and its acknowledgement lands in {@link Progress}.
 */
final class Controller {
  /** One topic the controller publishes to, with the drifting values behind it. */
  private record Slot(int mode, String topic, Readings readings) {}

  private static final String CLOSED_BY_SERVER = " (over MQTT 3.1.1 Gridline closes the connection on a refused"
      + " publish: over mqtt.max-publish-rate, 100/s per connection by default — lower --rate —, payload too large,"
      + " or a topic outside the device's own)";

  private final DeviceMac mac;
  private final SimOptions options;
  private final Progress progress;
  private final DeviceClock clock = new DeviceClock(Clock.systemUTC());
  private final List<Slot> slots = new ArrayList<>();
  private final Semaphore window;
  private final MqttAsyncClient client;
  private final double burst;
  private double credit = 1; // the first reading goes out at once
  private long lastTickNanos = -1;
  private long published;
  private volatile boolean stopped;
  private volatile String failure;

  Controller(DeviceMac mac, SimOptions options, Progress progress) throws MqttException {
    this.mac = mac;
    this.options = options;
    this.progress = progress;
    this.window = new Semaphore(options.maxInflight);
    // a little more than one tick's worth, never a backlog: a stalled server must not get a burst afterwards
    this.burst = Math.max(1, options.rate / 10);
    Random random = new Random(mac.value());
    for (int sensor = 1; sensor <= options.sensors; sensor++) {
      for (int mode : options.modes) {
        slots.add(new Slot(mode, mac.topic(mode, sensor), new Readings(random)));
      }
    }
    this.client = new MqttAsyncClient(options.serverUri(), mac.clientId(), new MemoryPersistence());
    this.client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
        fail("connection lost: " + describe(cause) + CLOSED_BY_SERVER);
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {}

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    });
  }

  DeviceMac mac() {
    return mac;
  }

  /** Starts the CONNECT; {@link #awaitConnected} reports how it went. */
  IMqttToken connect(String secret, SSLSocketFactory tls) throws MqttException {
    MqttConnectOptions connect = new MqttConnectOptions();
    connect.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    connect.setCleanSession(true);
    connect.setKeepAliveInterval(30);
    connect.setConnectionTimeout(10);
    connect.setMaxInflight(options.maxInflight);
    connect.setUserName(mac.clientId());
    if (secret != null) {
      connect.setPassword(secret.toCharArray());
    }
    if (tls != null) {
      connect.setSocketFactory(tls);
    }
    return client.connect(connect);
  }

  /** @return null when connected, else why not, phrased for the person running the simulator */
  String awaitConnected(IMqttToken token) {
    try {
      token.waitForCompletion(15_000);
      return null;
    } catch (MqttException e) {
      stopped = true;
      failure = ConnectFailures.explain(e, mac, options);
      return failure;
    }
  }

  void tick(long nowNanos) {
    if (stopped || countReached()) {
      return;
    }
    if (lastTickNanos >= 0) {
      credit = Math.min(burst, credit + (nowNanos - lastTickNanos) / 1e9 * options.rate);
    }
    lastTickNanos = nowNanos;
    while (credit >= 1 && !countReached() && !stopped && window.tryAcquire()) {
      credit -= 1;
      publish(slots.get((int) (published % slots.size())));
    }
  }

  private void publish(Slot slot) {
    MqttMessage message = new MqttMessage(Faces2Payload.jsonBytes(clock.next(), slot.readings().next(slot.mode())));
    message.setQos(options.qos);
    long sentNanos = System.nanoTime();
    published++;
    progress.sent();
    try {
      client.publish(slot.topic(), message, null, new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          window.release();
          progress.acked(System.nanoTime() - sentNanos);
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          window.release();
          progress.failed();
        }
      });
    } catch (MqttException e) {
      window.release();
      progress.failed();
      if (!client.isConnected()) {
        fail("connection lost" + CLOSED_BY_SERVER);
      }
    }
  }

  private boolean countReached() {
    return options.count != null && published >= options.count;
  }

  /** @return true once this controller publishes no more: its count is reached or its connection failed */
  boolean finished() {
    return stopped || countReached();
  }

  String failure() {
    return failure;
  }

  /** Stops publishing, waits up to {@code drainMillis} for outstanding acknowledgements, then disconnects. */
  void close(long drainMillis) {
    stopped = true;
    try {
      if (client.isConnected() && window.tryAcquire(options.maxInflight, drainMillis, TimeUnit.MILLISECONDS)) {
        window.release(options.maxInflight);
      }
      if (client.isConnected()) {
        client.disconnect(2_000).waitForCompletion(3_000);
      }
    } catch (MqttException | InterruptedException e) {
      // closing anyway: whatever stayed unacknowledged is reported as such in the summary
    } finally {
      try {
        client.close(true);
      } catch (MqttException ignored) {
        // nothing more to release
      }
    }
  }

  private void fail(String why) {
    if (failure == null) {
      failure = why;
      System.err.println(mac.clientId() + ": " + why);
    }
    stopped = true;
  }

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return root == e ? message : e.getMessage() + " (" + message + ")";
  }
}
