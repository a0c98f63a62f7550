package io.gridline.lrwn.frame;

import java.util.Optional;

/**
 * The clear form of a JoinAccept: {@code MHDR | JoinNonce | NetID | DevAddr | DLSettings | RxDelay | [CFList] | MIC}
 * (17 or 33 octets). The MIC is computed over this form ({@link Mic#joinAccept}); only its encryption
 * ({@link JoinAcceptCipher}) goes on air. JoinNonce is 1.0.x's AppNonce.
 *
 * @param rxDelay RX1 delay in seconds, where 0 also means 1 s (the RxDelay octet's low 4 bits)
 */
public record JoinAccept(int joinNonce, NetId netId, DevAddr devAddr, DlSettings dlSettings, int rxDelay,
    Optional<CfList> cfList, int mic) {
  public JoinAccept {
    if ((joinNonce & ~0xFF_FFFF) != 0) {
      throw new IllegalArgumentException("JoinNonce has 24 bits: " + joinNonce);
    }
    if (rxDelay < 0 || rxDelay > 15) {
      throw new IllegalArgumentException("RxDelay has 4 bits: " + rxDelay);
    }
  }

  public JoinAccept withMic(int newMic) {
    return new JoinAccept(joinNonce, netId, devAddr, dlSettings, rxDelay, cfList, newMic);
  }

  public int length() {
    return cfList.isPresent() ? 33 : 17;
  }

  /** The clear octets, MHDR first and MIC last; never sent like this. */
  public byte[] encodeClear() {
    byte[] b = new byte[length()];
    b[0] = (byte) MType.JOIN_ACCEPT.mhdr();
    LittleEndian.write24(b, 1, joinNonce);
    netId.writeLittleEndian(b, 4);
    devAddr.writeLittleEndian(b, 7);
    b[11] = (byte) dlSettings.encode();
    b[12] = (byte) rxDelay;
    cfList.ifPresent(list -> list.encode().copyTo(b, 13));
    Mic.toWire(b, b.length - 4, mic);
    return b;
  }

  /** Reads the clear form; RFU bits (DLSettings bit 7, RxDelay bits 7..4) are ignored. */
  public static JoinAccept decodeClear(byte[] b) throws FrameException {
    if (b.length != 17 && b.length != 33) {
      throw new FrameException(FrameException.Reason.BAD_LENGTH, "JoinAccept of " + b.length + " octets, not 17 or 33");
    }
    Optional<CfList> cfList = b.length == 33 ? Optional.of(CfList.decode(b, 13)) : Optional.empty();
    return new JoinAccept(LittleEndian.read24(b, 1), NetId.fromLittleEndian(b, 4), DevAddr.fromLittleEndian(b, 7),
        DlSettings.decode(b[11] & 0xFF), b[12] & 0x0F, cfList, Mic.fromWire(b, b.length - 4));
  }
}
