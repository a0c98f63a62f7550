package io.gridline.lrwn.frame;

/**
 * LoRaWAN 1.0.x message integrity codes: the first four octets of an AES-CMAC.
 * <ul>
 *   <li>data: CMAC(NwkSKey, B0 | MHDR..FRMPayload), B0 = {@code 49 00000000 Dir DevAddr FCnt32 00 len};</li>
 *   <li>JoinRequest: CMAC(AppKey, MHDR | JoinEUI | DevEUI | DevNonce);</li>
 *   <li>JoinAccept: CMAC(AppKey, MHDR | JoinNonce | NetID | DevAddr | DLSettings | RxDelay | CFList), clear form.</li>
 * </ul>
 * The data MIC covers the full 32-bit counter, of which only 16 bits are on air: reconstruct it first ({@link FCnt}).
 */
public final class Mic {
  private Mic() {}

  public static int data(DataFrame frame, AesKey nwkSKey, long fCnt32) {
    checkCounter(frame, fCnt32);
    byte[] phy = frame.encode();
    int msgLength = phy.length - 4;
    byte[] b = new byte[Aes128.BLOCK + msgLength];
    b[0] = 0x49;
    b[5] = (byte) frame.direction().bit();
    frame.fhdr().devAddr().writeLittleEndian(b, 6);
    LittleEndian.write32(b, 10, (int) fCnt32);
    b[15] = (byte) msgLength;
    System.arraycopy(phy, 0, b, Aes128.BLOCK, msgLength);
    return first4(Aes128.cmac(nwkSKey, b, b.length));
  }

  /** @return the frame with its MIC set, for frames the network sends */
  public static DataFrame signData(DataFrame frame, AesKey nwkSKey, long fCnt32) {
    return frame.withMic(data(frame, nwkSKey, fCnt32));
  }

  public static boolean matchesData(DataFrame frame, AesKey nwkSKey, long fCnt32) {
    return data(frame, nwkSKey, fCnt32) == frame.mic();
  }

  public static int joinRequest(JoinRequest request, AesKey appKey) {
    byte[] phy = request.encode();
    return first4(Aes128.cmac(appKey, phy, phy.length - 4));
  }

  public static boolean matchesJoinRequest(JoinRequest request, AesKey appKey) {
    return joinRequest(request, appKey) == request.mic();
  }

  public static int joinAccept(JoinAccept accept, AesKey appKey) {
    byte[] clear = accept.encodeClear();
    return first4(Aes128.cmac(appKey, clear, clear.length - 4));
  }

  public static JoinAccept signJoinAccept(JoinAccept accept, AesKey appKey) {
    return accept.withMic(joinAccept(accept, appKey));
  }

  public static boolean matchesJoinAccept(JoinAccept accept, AesKey appKey) {
    return joinAccept(accept, appKey) == accept.mic();
  }

  /** The 32-bit counter must be the one whose low 16 bits the frame carries: a mismatch is a caller's bug. */
  static void checkCounter(DataFrame frame, long fCnt32) {
    if (fCnt32 < 0 || fCnt32 > 0xFFFF_FFFFL || (fCnt32 & 0xFFFF) != frame.fhdr().fCnt()) {
      throw new IllegalArgumentException(
          "FCnt " + fCnt32 + " does not end in the frame's 16 bits " + frame.fhdr().fCnt());
    }
  }

  private static int first4(byte[] cmac) {
    return fromWire(cmac, 0);
  }

  /** A MIC as an int whose hex is its four octets in wire order. */
  static int fromWire(byte[] b, int off) {
    return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
  }

  static void toWire(byte[] b, int off, int mic) {
    b[off] = (byte) (mic >>> 24);
    b[off + 1] = (byte) (mic >>> 16);
    b[off + 2] = (byte) (mic >>> 8);
    b[off + 3] = (byte) mic;
  }
}
