/** ICMPv6 Neighbor Discovery and STP/RSTP BPDUs. */
import { describe, expect, it } from 'vitest';
import { parseMac } from '../../src/net/mac.js';
import { NDP_NA, NDP_NS, NDP_RA, NDP_REDIRECT, NDP_RS, RSTP, STP_CONFIG, STP_TCN } from './frames.js';
import { as, decodeHex } from './packet.js';

describe('NDP', () => {
  it('NS: target and source link-layer address', () => {
    expect(as(decodeHex(NDP_NS), 'ndp')).toMatchObject({ type: 'ns', srcIp: '2001:db8::1', dstIp: 'ff02::1:ff00:2',
      targetIp: '2001:db8::2', sourceLinkAddr: parseMac('00:00:5e:00:53:01'), targetLinkAddr: null });
  });

  it('NA: flags and target link-layer address', () => {
    expect(as(decodeHex(NDP_NA), 'ndp')).toMatchObject({ type: 'na', targetIp: '2001:db8::2',
      targetLinkAddr: parseMac('00:00:5e:00:53:10'), router: false, solicited: true, override: true });
  });

  it('RS, RA and Redirect', () => {
    expect(as(decodeHex(NDP_RS), 'ndp')).toMatchObject({ type: 'rs', srcIp: 'fe80::200:5eff:fe00:5301', targetIp: null,
      sourceLinkAddr: parseMac('00:00:5e:00:53:01') });
    expect(as(decodeHex(NDP_RA), 'ndp')).toMatchObject({ type: 'ra', srcIp: 'fe80::1', sourceLinkAddr: parseMac('00:00:5e:00:53:fe') });
    expect(as(decodeHex(NDP_REDIRECT), 'ndp')).toMatchObject({ type: 'redirect', targetIp: 'fe80::2',
      targetLinkAddr: parseMac('00:00:5e:00:53:02') });
  });

  it('a zero-length option is NDP_BAD_OPTION, a short message NDP_TRUNCATED, hop limit != 255 NDP_BAD_HOP_LIMIT', () => {
    expect(as(decodeHex(NDP_NS.replace('01 01 00005e005301', '01 00 00005e005301')), 'anomaly').code).toBe('NDP_BAD_OPTION');
    const cut = NDP_NS.slice(0, NDP_NS.indexOf('87 00') + 20);
    expect(as(decodeHex(cut), 'anomaly').code).toBe('NDP_TRUNCATED');
    expect(as(decodeHex(NDP_NS.replace('0020 3a ff', '0020 3a 40')), 'anomaly').code).toBe('NDP_BAD_HOP_LIMIT');
  });
});

describe('STP', () => {
  it('configuration BPDU', () => {
    expect(as(decodeHex(STP_CONFIG), 'stp')).toMatchObject({ protocolVersion: 0, bpduType: 0, flags: 0,
      rootId: '8000.00005e005310', bridgeId: '8000.00005e005310', portId: 0x8001, rootPathCost: 0, topologyChange: false });
  });

  it('RSTP BPDU with topology change', () => {
    expect(as(decodeHex(RSTP), 'stp')).toMatchObject({ protocolVersion: 2, bpduType: 2, flags: 0x3d,
      rootId: '7000.00005e005311', rootPathCost: 4, bridgeId: '8000.00005e005302', portId: 0x8002, topologyChange: true });
  });

  it('TCN BPDU', () => {
    expect(as(decodeHex(STP_TCN), 'stp')).toMatchObject({ bpduType: 0x80, rootId: null, topologyChange: true });
  });

  it('a cut BPDU is STP_TRUNCATED; a non-UI LLC frame with the STP SAPs is STP_BAD_LLC', () => {
    expect(as(decodeHex(STP_CONFIG.slice(0, STP_CONFIG.indexOf('8000 00005e005310 8001'))), 'anomaly').code).toBe('STP_TRUNCATED');
    expect(as(decodeHex(STP_CONFIG.replace('42 42 03', '42 42 00')), 'anomaly').code).toBe('STP_BAD_LLC');
  });
});
