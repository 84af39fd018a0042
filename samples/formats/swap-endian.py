#!/usr/bin/env python3
"""Rewrites a little-endian classic pcap or pcapng file in big-endian byte order (what a capture
taken on a big-endian machine looks like). editcap always writes host order, so the big-endian
samples are made with this. Usage: swap-endian.py IN OUT"""
import struct, sys

data = open(sys.argv[1], 'rb').read()
out = bytearray()
magic = struct.unpack('<I', data[:4])[0]
if magic in (0xa1b2c3d4, 0xa1b23c4d):
    out += struct.pack('>IHHiIII', *struct.unpack('<IHHiIII', data[:24]))
    o = 24
    while o < len(data):
        sec, frac, cap, orig = struct.unpack('<IIII', data[o:o + 16])
        out += struct.pack('>IIII', sec, frac, cap, orig) + data[o + 16:o + 16 + cap]
        o += 16 + cap
elif magic == 0x0a0d0d0a:
    def options(body, words={}):
        res = bytearray(); i = 0
        while i + 4 <= len(body):
            code, ln = struct.unpack('<HH', body[i:i + 4])
            val = body[i + 4:i + 4 + ln]
            if code in (9, 13):            # if_tsresol, if_fcslen: one byte
                pass
            elif code == 14 and ln == 8:   # if_tsoffset
                val = struct.pack('>q', struct.unpack('<q', val)[0])
            elif words.get(code) == 4 and ln == 4:  # epb_flags
                val = struct.pack('>I', struct.unpack('<I', val)[0])
            elif words.get(code) == 8 and ln == 8:  # epb_dropcount
                val = struct.pack('>Q', struct.unpack('<Q', val)[0])
            elif code == 1 or code == 2 or code == 3 or code == 4 or code == 0:
                pass                        # strings stay as they are
            res += struct.pack('>HH', code, ln) + val + body[i + 4 + ln:i + 4 + ((ln + 3) & ~3)]
            i += 4 + ((ln + 3) & ~3)
            if code == 0: break
        return bytes(res)
    o = 0
    while o < len(data):
        btype, blen = struct.unpack('<II', data[o:o + 8])
        body = data[o + 8:o + blen - 4]
        if btype == 0x0a0d0d0a:
            bom, major, minor, slen = struct.unpack('<IHHq', body[:16])
            nb = struct.pack('>IHHq', bom, major, minor, slen) + options(body[16:])
        elif btype == 1:
            lt, res, snap = struct.unpack('<HHI', body[:8])
            nb = struct.pack('>HHI', lt, res, snap) + options(body[8:])
        elif btype == 6:
            iid, hi, lo, cap, orig = struct.unpack('<IIIII', body[:20])
            pad = (cap + 3) & ~3
            nb = struct.pack('>IIIII', iid, hi, lo, cap, orig) + body[20:20 + pad] + options(body[20 + pad:], {2: 4, 4: 8})
        elif btype == 5:
            o += blen      # interface statistics: dropped (no packets in it, and its options are typed)
            continue
        else:
            sys.exit(f'block type {btype:#x} not supported')
        out += struct.pack('>II', btype, blen) + nb + struct.pack('>I', blen)
        o += blen
else:
    sys.exit('not a little-endian pcap/pcapng file')
open(sys.argv[2], 'wb').write(out)
