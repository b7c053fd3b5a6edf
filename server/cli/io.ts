/** Small helpers shared by CLI commands: standard streams and usage errors. */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdinBytes: () => Promise<Uint8Array>;
}

export const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdinBytes: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  },
};
