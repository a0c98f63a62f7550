package io.gridline.lrwn.frame;

/**
 * A LoRaWAN 1.0.x PHYPayload as it travels on air: {@code MHDR | MACPayload | MIC}. The MHDR is the message type and
 * Major (always LoRaWAN R1 here; the three RFU bits are ignored on receipt, as the spec asks). A JoinAccept is on air
 * only encrypted ({@link EncryptedJoinAccept}); its clear form is {@link JoinAccept}, see {@link JoinAcceptCipher}.
 *
 * <p>MIC values are ints whose hex ({@code %08x}) is the four MIC octets in wire order.
 */
public sealed interface PhyPayload permits JoinRequest, EncryptedJoinAccept, DataFrame, Proprietary {
  /** The largest PHYPayload a LoRa radio carries (MACPayload 250 + MHDR + MIC). */
  int MAX_LENGTH = 255;
  int MAJOR_LORAWAN_R1 = 0;

  MType mType();

  /** The frame as sent on air. */
  byte[] encode();

  /**
   * @throws FrameException with the reason when the octets are no LoRaWAN 1.0.x PHYPayload; nothing else escapes
   */
  static PhyPayload decode(byte[] phy) throws FrameException {
    if (phy.length == 0) {
      throw new FrameException(FrameException.Reason.TOO_SHORT, "no MHDR");
    }
    if (phy.length > MAX_LENGTH) {
      throw new FrameException(FrameException.Reason.TOO_LONG, phy.length + " octets");
    }
    int major = phy[0] & 0b11;
    if (major != MAJOR_LORAWAN_R1) {
      throw new FrameException(FrameException.Reason.UNSUPPORTED_MAJOR, "Major " + major);
    }
    MType mType = MType.ofBits((phy[0] & 0xFF) >>> 5);
    return switch (mType) {
      case JOIN_REQUEST -> JoinRequest.decode(phy);
      case JOIN_ACCEPT -> EncryptedJoinAccept.decode(phy);
      case UNCONFIRMED_DATA_UP, UNCONFIRMED_DATA_DOWN, CONFIRMED_DATA_UP, CONFIRMED_DATA_DOWN ->
          DataFrame.decode(mType, phy);
      case PROPRIETARY -> Proprietary.decode(phy);
      case RFU -> throw new FrameException(FrameException.Reason.UNSUPPORTED_MTYPE, "MType 110 (RFU in 1.0.x)");
    };
  }
}
