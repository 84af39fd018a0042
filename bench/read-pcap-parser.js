/** Bench worker: pcap-parser over one file (it only splits records; no decoding). Prints JSON counts. */
import { createRequire } from 'node:module';

const pcapParser = createRequire(import.meta.url)('pcap-parser');
let packets = 0;
let arp = 0;
const parser = pcapParser.parse(process.argv[2]);
parser.on('packet', (p) => {
  packets++;
  // The same minimal look at the frame a filter needs: EtherType ARP.
  if (p.data[12] === 0x08 && p.data[13] === 0x06) arp++;
});
parser.on('end', () => console.log(JSON.stringify({ packets, arp })));
