// Child process for the live rtnetlink test: runs watchLinks() in the current network namespace
// and prints one JSON line per event; "READY <snapshot json>" once the snapshot is loaded.
// argv[2]: folder holding the transpiled src/ tree. Exits when stdin closes.
const dir = process.argv[2];
const { watchLinks } = await import(`${dir}/src/links/watch.js`);
const watcher = await watchLinks({ ref: true });
process.stdout.write(`READY ${JSON.stringify(watcher.snapshot)}\n`);
watcher.on('event', (ev) => process.stdout.write(`${JSON.stringify(ev)}\n`));
watcher.on('error', (e) => process.stdout.write(`ERROR ${e.message}\n`));
process.stdin.on('end', () => { process.stdout.write(`MALFORMED ${watcher.malformed}\n`); watcher.close(); process.exit(0); });
process.stdin.resume();
