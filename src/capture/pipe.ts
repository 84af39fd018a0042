/**
 * Pipes and sockets (stdin of `tcpdump -w - | bridgewatch analyze -`, FIFOs such as `<(zcat f)`)
 * read into one reused buffer. A stream hands over a fresh Buffer per read (64 KiB from a pipe),
 * allocated outside the JS heap and freed only when the garbage collector next runs; detection
 * allocates so little that it seldom runs, so spent chunks piled up by tens of MiB and the peak
 * RSS of a long capture depended on where it caught that pile (issue 16).
 */
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';

/**
 * The chunks of one pipe, each a view into the same buffer: valid until the next is asked for.
 * The socket is paused after every chunk and resumed only by {@link next}, so nothing is read
 * (and nothing overwritten) while the caller still works on a chunk, and a slow reader holds the
 * writer back instead of buffering for it.
 */
export class PipeChunks implements AsyncIterator<Uint8Array> {
  private readonly socket: Socket;
  /** Delivered by the socket and not yet handed out. */
  private chunk: Uint8Array | null = null;
  private ended = false;
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  /**
   * Takes ownership of `fd` (a pipe, FIFO or socket; closed by {@link close} or at end of input).
   * @param bufferBytes size of the reused buffer: the most one read returns.
   */
  constructor(fd: number, bufferBytes: number) {
    const buffer = new Uint8Array(bufferBytes);
    // `onread` (node >= 12.10) is missing from @types/node's constructor options, not from node.
    const options: SocketConstructorOpts & { onread: OnReadOpts } = {
      fd,
      readable: true,
      writable: false,
      onread: {
        buffer,
        // false pauses the socket until next() resumes it: the buffer stays as delivered.
        callback: (n: number): boolean => {
          this.chunk = buffer.subarray(0, n);
          this.wakeUp();
          return false;
        },
      },
    };
    this.socket = new Socket(options);
    this.socket.on('end', () => { this.ended = true; this.wakeUp(); });
    this.socket.on('error', (e: Error) => { this.failure = e; this.wakeUp(); });
  }

  async next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      const chunk = this.chunk;
      if (chunk !== null) {
        this.chunk = null;
        return { done: false, value: chunk };
      }
      if (this.failure !== null) throw this.failure;
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.socket.resume();
      });
    }
  }

  /** Stops reading and closes the descriptor; safe to call more than once. */
  close(): void {
    this.ended = true;
    this.socket.destroy();
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
