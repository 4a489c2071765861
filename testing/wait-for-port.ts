import { connect } from 'node:net';

/**
 * Resolves once `127.0.0.1:port` accepts a connection; throws after `timeoutMs`, naming `server`.
 * Setting `polling.stopped` ends the wait early and quietly (the caller's server failed another way).
 */
export async function waitForPort(
  port: number,
  timeoutMs: number,
  server: string,
  polling: { stopped: boolean } = { stopped: false },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !polling.stopped) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (polling.stopped) return;
  throw new Error(`${server} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}
