package io.gridline.lorawan.maccommand;

import io.gridline.lorawan.gateway.RxInfo;
import io.gridline.lrwn.maccommand.MacCommand;
import io.gridline.lrwn.region.DataRate;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Locale;

/**
 * The network side of the MAC commands a device sends (in FOpts or on FPort 0): LinkCheckReq is answered with
 * LinkCheckAns (the margin of the best reception above the demodulation floor of its spreading factor, and how many
 * gateways heard it); DevStatusAns updates the device's battery and margin; LinkADRAns and the other answers are
 * accepted and counted. Every command is counted by name ({@code gridline_lorawan_mac_commands_total{cid}}).
 */
public final class MacHandler {
  private final Pool pool;
  private final MeterRegistry registry;

  public MacHandler(Pool pool, MeterRegistry registry) {
    this.pool = pool;
    this.registry = registry;
  }

  /** Answers to put in the next downlink; side effects (DevStatusAns) are written before it completes. */
  public Future<List<MacCommand.Downlink>> handle(long deviceId, List<MacCommand> commands, List<RxInfo> rxInfo) {
    List<MacCommand.Downlink> answers = new java.util.ArrayList<>();
    Future<Void> writes = Future.succeededFuture();
    for (MacCommand c : commands) {
      registry.counter("gridline.lorawan.mac.commands", "cid", c.getClass().getSimpleName()).increment();
      if (c instanceof MacCommand.LinkCheckReq) {
        answers.add(linkCheckAns(rxInfo));
      } else if (c instanceof MacCommand.DevStatusAns ans) {
        Double battery = ans.battery() == 0 || ans.battery() == 255 ? null : ans.battery() * 100.0 / 254;
        writes = writes.compose(v -> pool.preparedQuery(
                "UPDATE lorawan_devices SET battery_level = $2, margin = $3, updated_at = now() WHERE device_id = $1")
            .execute(Tuple.of(deviceId, battery, ans.margin())).mapEmpty());
      } // LinkADRAns and the other answers: accepted
    }
    return writes.map(answers);
  }

  /** LinkCheckAns for the best reception (rxInfo best first). */
  static MacCommand.LinkCheckAns linkCheckAns(List<RxInfo> rxInfo) {
    RxInfo best = rxInfo.get(0);
    int sf = DataRate.parseLora(best.datr()).map(DataRate::spreadingFactor).orElse(12);
    double margin = best.snr() - demodulationFloor(sf);
    return new MacCommand.LinkCheckAns((int) Math.max(0, Math.min(254, Math.round(margin))), Math.min(255,
        rxInfo.size()));
  }

  /** The SNR a LoRa demodulator needs at a spreading factor, dB (Semtech SX127x datasheet). */
  static double demodulationFloor(int spreadingFactor) {
    return switch (spreadingFactor) {
      case 7 -> -7.5;
      case 8 -> -10;
      case 9 -> -12.5;
      case 10 -> -15;
      case 11 -> -17.5;
      default -> -20;
    };
  }

  static String name(MacCommand c) {
    return c.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }
}
