// Reads one JSON request on stdin, answers one JSON object on stdout. Runs lora-packet, an independent LoRaWAN
// implementation, so the Java frame layer can be checked against it in both directions. Hex strings are written the
// way people write the values (most significant first), as lora-packet's API takes them.
"use strict";
const lora = require("lora-packet");

const hex = (s) => Buffer.from(s, "hex");
// the high 16 bits of a 32-bit counter, in the order lora-packet appends them to the on-air FCnt
const msb = (fCnt32) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(Math.floor(fCnt32 / 65536));
  return b;
};

const ops = {
  buildData(r) {
    const fields = {
      MType: r.mType,
      DevAddr: hex(r.devAddr),
      FCnt: r.fCnt32 % 65536,
      FCtrl: r.fCtrl,
      FOpts: r.fOpts ? hex(r.fOpts) : undefined,
    };
    if (r.fPort !== undefined) {
      fields.FPort = r.fPort;
      fields.payload = hex(r.payload);
    }
    const p = lora.fromFields(fields, hex(r.appSKey), hex(r.nwkSKey), undefined, msb(r.fCnt32));
    return { phy: p.getPHYPayload().toString("hex") };
  },

  buildJoinRequest(r) {
    const p = lora.fromFields(
      { MType: "Join Request", AppEUI: hex(r.joinEui), DevEUI: hex(r.devEui), DevNonce: hex(r.devNonce) },
      undefined, undefined, hex(r.appKey));
    return { phy: p.getPHYPayload().toString("hex") };
  },

  readData(r) {
    const p = lora.fromWire(hex(r.phy));
    const nwk = hex(r.nwkSKey);
    const fPort = p.getFPort();
    return {
      mType: p.getMType(),
      dir: p.getDir(),
      devAddr: p.DevAddr.toString("hex"),
      fCnt: p.getFCnt(),
      adr: p.getFCtrlADR(),
      ack: p.getFCtrlACK(),
      fPending: p.getFCtrlFPending(),
      fOpts: p.FOpts.toString("hex"),
      fPort: fPort,
      micOk: lora.verifyMIC(p, nwk, undefined, msb(r.fCnt32)),
      payload: fPort === null ? null : lora.decrypt(p, hex(r.appSKey), nwk, msb(r.fCnt32)).toString("hex"),
    };
  },

  sessionKeys(r) {
    const keys = lora.generateSessionKeys10(hex(r.appKey), hex(r.netId), hex(r.joinNonce), hex(r.devNonce));
    return { nwkSKey: keys.NwkSKey.toString("hex"), appSKey: keys.AppSKey.toString("hex") };
  },

  readJoinAccept(r) {
    const appKey = hex(r.appKey);
    const clear = lora.fromWire(lora.decryptJoinAccept(lora.fromWire(hex(r.phy)), appKey));
    return {
      mType: clear.getMType(),
      appNonce: clear.AppNonce.toString("hex"),
      netId: clear.NetID.toString("hex"),
      devAddr: clear.DevAddr.toString("hex"),
      rx1DrOffset: clear.getDLSettingsRxOneDRoffset(),
      rx2DataRate: clear.getDLSettingsRxTwoDataRate(),
      rxDelay: clear.RxDelay.readUInt8(0),
      cfList: clear.CFList.toString("hex"),
      micOk: lora.verifyMIC(clear, undefined, appKey),
    };
  },
};

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  process.stdout.write(JSON.stringify(ops[request.op](request)));
});
