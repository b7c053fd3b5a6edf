/** Run the real `mtbnet` command in a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/mtbnet.mjs', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `bin`: another entry script than bin/mtbnet.mjs (the compiled server's, in its test). */
export function runCli(args: string[], stdin?: string, env: Record<string, string> = {}, bin = BIN): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

/**
 * The real `mtbnet serve` on an ephemeral loopback port over `dataDir` (Neo4j off): the child at once (to kill it
 * whatever happens), and its URL once it says where it serves. Killing it with SIGKILL is not a failure.
 */
export function spawnServe(dataDir: string, env: Record<string, string> = {}): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir], { cwd: ROOT, env: { ...process.env, NEO4J_URI: '', ...env } });
  const ready = new Promise<string>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 30_000);
    child.stderr!.on('data', (d) => {
      log += d;
      const m = /serving (http:\/\/[^\s]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  return { child, ready };
}
