package io.gridline.lorawan.uplink;

import io.gridline.lorawan.gateway.RxInfo;
import io.gridline.lorawan.storage.DeviceSession;
import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.frame.DataFrame;
import io.gridline.lrwn.maccommand.MacCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * One data uplink on its way through {@link UplinkHandler#onDataUplink}: what arrived, then what each step found.
 * Used on one event loop only.
 */
public final class UplinkContext {
  /** The frame as on air, its dedup key, and every gateway's reception (best first). */
  final byte[] phy;
  final DataFrame frame;
  final String frameKey;
  final List<RxInfo> rxInfo;
  /** Candidates by DevAddr, then the one whose MIC matched. */
  List<DeviceSession> candidates = List.of();
  DeviceSession session;
  /** The 32-bit FCnt of this frame. */
  long fCnt;
  /** Whether the device had commands queued or awaiting an ACK when its session was saved (else none is looked up). */
  boolean commandsOpen = true;
  /** The FRMPayload in clear (empty without FPort). */
  Bytes payload = Bytes.EMPTY;
  /** MAC commands the network answers in the downlink (LinkCheckAns, …). */
  final List<MacCommand.Downlink> macAnswers = new ArrayList<>();

  UplinkContext(byte[] phy, DataFrame frame, String frameKey, List<RxInfo> rxInfo) {
    this.phy = phy;
    this.frame = frame;
    this.frameKey = frameKey;
    this.rxInfo = rxInfo;
  }

  public DataFrame frame() {
    return frame;
  }

  public DeviceSession session() {
    return session;
  }

  public List<RxInfo> rxInfo() {
    return rxInfo;
  }

  public RxInfo best() {
    return rxInfo.get(0);
  }

  public long fCnt() {
    return fCnt;
  }

  public boolean commandsOpen() {
    return commandsOpen;
  }

  public Bytes payload() {
    return payload;
  }

  public List<MacCommand.Downlink> macAnswers() {
    return macAnswers;
  }

  public boolean confirmed() {
    return frame.mType().isConfirmed();
  }

  public String frameKey() {
    return frameKey;
  }

  /** When the first gateway's copy arrived. */
  public long receivedAtMs() {
    return rxInfo.stream().mapToLong(RxInfo::receivedAtMs).min().orElse(System.currentTimeMillis());
  }

  void session(DeviceSession s) {
    this.session = s;
  }
}
