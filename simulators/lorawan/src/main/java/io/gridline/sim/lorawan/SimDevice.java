package io.gridline.sim.lorawan;

import io.gridline.lrwn.frame.AesKey;
import io.gridline.lrwn.frame.Bytes;
import io.gridline.lrwn.frame.DataFrame;
import io.gridline.lrwn.frame.DevAddr;
import io.gridline.lrwn.frame.EncryptedJoinAccept;
import io.gridline.lrwn.frame.Eui64;
import io.gridline.lrwn.frame.FCnt;
import io.gridline.lrwn.frame.FCtrl;
import io.gridline.lrwn.frame.Fhdr;
import io.gridline.lrwn.frame.FrameException;
import io.gridline.lrwn.frame.FrmCipher;
import io.gridline.lrwn.frame.JoinAccept;
import io.gridline.lrwn.frame.JoinAcceptCipher;
import io.gridline.lrwn.frame.JoinRequest;
import io.gridline.lrwn.frame.KeyDerivation;
import io.gridline.lrwn.frame.MType;
import io.gridline.lrwn.frame.Mic;
import io.gridline.lrwn.frame.SessionKeys;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * One simulated class A device: an ABP session from the start, or OTAA — a JoinRequest (DevNonce counting up from a
 * random start), then the session the JoinAccept gives. Its uplink counter advances by one per data uplink; a
 * confirmed downlink is acknowledged in the next uplink (ACK bit), and a downlink carrying the ACK bit answers the
 * device's own confirmed uplink. Called from the sender thread and the gateways' receiver threads, so synchronized.
 */
final class SimDevice {
  /** What a downlink meant to this device. */
  enum Downlink { DATA, ACK_FOR_US, REFUSED }

  final Eui64 devEui;
  final boolean otaa;
  private final Eui64 joinEui;
  private final AesKey appKey;
  private DevAddr devAddr;
  private SessionKeys keys;
  private long fCntUp;
  private long fCntDownNext;
  private boolean ackDue;
  private boolean confirmedPending;
  private int devNonce;
  private long joinSentAtMs = -1;
  private long dataSent;

  private SimDevice(Eui64 devEui, boolean otaa, Eui64 joinEui, AesKey appKey, DevAddr devAddr, SessionKeys keys,
      int devNonce) {
    this.devEui = devEui;
    this.otaa = otaa;
    this.joinEui = joinEui;
    this.appKey = appKey;
    this.devAddr = devAddr;
    this.keys = keys;
    this.devNonce = devNonce;
  }

  static SimDevice abp(Eui64 devEui, DevAddr devAddr, SessionKeys keys) {
    return new SimDevice(devEui, false, null, null, devAddr, keys, 0);
  }

  static SimDevice otaa(Eui64 devEui, Eui64 joinEui, AesKey appKey, RandomGenerator random) {
    return new SimDevice(devEui, true, joinEui, appKey, null, null, random.nextInt(0x8000));
  }

  synchronized boolean joined() {
    return keys != null;
  }

  synchronized Optional<DevAddr> devAddr() {
    return Optional.ofNullable(devAddr);
  }

  synchronized long dataSent() {
    return dataSent;
  }

  /** A JoinRequest when this OTAA device has no session and no join is in flight (or it timed out), else empty. */
  synchronized Optional<byte[]> joinRequest(long nowMs, long timeoutMs) {
    if (!otaa || keys != null || (joinSentAtMs >= 0 && nowMs - joinSentAtMs < timeoutMs)) {
      return Optional.empty();
    }
    devNonce = (devNonce + 1) & 0xFFFF; // increasing, as LoRaWAN 1.0.4 requires (and never repeated, as 1.0.3 does)
    joinSentAtMs = nowMs;
    JoinRequest request = new JoinRequest(joinEui, devEui, devNonce, 0);
    return Optional.of(request.withMic(Mic.joinRequest(request, appKey)).encode());
  }

  /** The next data uplink (FCnt advancing; ACK set when a confirmed downlink awaits it). */
  synchronized byte[] dataUplink(int fPort, byte[] payload, boolean confirmed) {
    long fCnt = fCntUp++;
    boolean ack = ackDue;
    ackDue = false;
    confirmedPending = confirmedPending || confirmed;
    dataSent++;
    DataFrame frame = new DataFrame(confirmed ? MType.CONFIRMED_DATA_UP : MType.UNCONFIRMED_DATA_UP,
        new Fhdr(devAddr, FCtrl.uplink(false, false, ack, false), (int) (fCnt & 0xFFFF), Bytes.EMPTY),
        OptionalInt.of(fPort), Bytes.of(payload), 0);
    return Mic.signData(FrmCipher.encrypt(frame, keys, fCnt), keys.nwkSKey(), fCnt).encode();
  }

  /** Takes the JoinAccept when it is this device's (it decrypts and its MIC checks with the AppKey). */
  synchronized boolean onJoinAccept(EncryptedJoinAccept onAir) {
    if (!otaa || keys != null || joinSentAtMs < 0) {
      return false;
    }
    JoinAccept accept;
    try {
      accept = JoinAcceptCipher.decrypt(onAir, appKey);
    } catch (FrameException e) {
      return false;
    }
    if (!Mic.matchesJoinAccept(accept, appKey)) {
      return false;
    }
    keys = KeyDerivation.derive(appKey, accept.joinNonce(), accept.netId(), devNonce);
    devAddr = accept.devAddr();
    fCntUp = 0;
    fCntDownNext = 0;
    return true;
  }

  /** A data downlink to this device's address: MIC with the 32-bit counter, decrypted, ACK noted both ways. */
  synchronized Downlink onDownlink(DataFrame frame) {
    if (keys == null) {
      return Downlink.REFUSED;
    }
    if (!(FCnt.reconstruct(fCntDownNext, frame.fhdr().fCnt()) instanceof FCnt.Accepted accepted)
        || !Mic.matchesData(frame, keys.nwkSKey(), accepted.fCnt())) {
      return Downlink.REFUSED;
    }
    fCntDownNext = accepted.fCnt() + 1;
    if (frame.fPort().isPresent()) {
      FrmCipher.decrypt(frame, keys, accepted.fCnt());
    }
    if (frame.mType() == MType.CONFIRMED_DATA_DOWN) {
      ackDue = true;
    }
    if (frame.fhdr().fCtrl().ack() && confirmedPending) {
      confirmedPending = false;
      return Downlink.ACK_FOR_US;
    }
    return Downlink.DATA;
  }
}
