package io.gridline.sim.faces2;

import java.util.Random;

/**
 * Plausible values for one sensor, drifting slowly between publishes: a room's climate (18–26 °C, 30–70 %RH,
 * 400–1200 ppm CO2) in mode 1, a single-phase load (~230 V, 0.2–16 A, power = V × I × power factor) in mode 2.
 */
final class Readings {
  private final Random random;
  private double temperature;
  private double humidity;
  private double co2;
  private double voltage;
  private double current;
  private final double powerFactor;

  Readings(Random random) {
    this.random = random;
    this.temperature = 18 + random.nextDouble() * 8;
    this.humidity = 35 + random.nextDouble() * 30;
    this.co2 = 450 + random.nextDouble() * 400;
    this.voltage = 228 + random.nextDouble() * 4;
    this.current = 0.5 + random.nextDouble() * 8;
    this.powerFactor = 0.92 + random.nextDouble() * 0.07;
  }

  /** @return the next reading of the given mode, encoded as {@link Faces2Payload} data */
  byte[] next(int mode) {
    return mode == Faces2Payload.ENVIRONMENT ? nextEnvironment() : nextPower();
  }

  private byte[] nextEnvironment() {
    temperature = drift(temperature, 0.1, 18, 26);
    humidity = drift(humidity, 0.3, 30, 70);
    co2 = drift(co2, 8, 400, 1200);
    return Faces2Payload.environment(temperature, humidity, (int) Math.round(co2));
  }

  private byte[] nextPower() {
    voltage = drift(voltage, 0.4, 220, 240);
    current = drift(current, 0.15, 0.2, 16);
    return Faces2Payload.power(voltage, current, voltage * current * powerFactor);
  }

  /** A bounded random walk: bounces off the limits instead of sticking to them. */
  private double drift(double value, double step, double min, double max) {
    double next = value + (random.nextDouble() * 2 - 1) * step;
    if (next < min) {
      return min + (min - next);
    }
    if (next > max) {
      return max - (next - max);
    }
    return next;
  }
}
