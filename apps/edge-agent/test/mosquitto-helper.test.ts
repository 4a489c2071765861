import { afterEach, describe, expect, it } from 'vitest';
import { startMosquitto } from '../../../testing/mosquitto.js';

describe('testing/mosquitto.ts startMosquitto', () => {
  const saved = process.env.MOSQUITTO_BIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.MOSQUITTO_BIN;
    else process.env.MOSQUITTO_BIN = saved;
  });

  it('rejects with an install hint when the binary is missing', async () => {
    process.env.MOSQUITTO_BIN = '/nonexistent/mosquitto';
    await expect(startMosquitto()).rejects.toThrow(
      /cannot start mosquitto \(\/nonexistent\/mosquitto\): .*ENOENT.*apt-get install mosquitto/,
    );
  });

  it('rejects at once when mosquitto exits before listening, with its exit code', async () => {
    process.env.MOSQUITTO_BIN = '/bin/false';
    await expect(startMosquitto()).rejects.toThrow(
      /mosquitto \(\/bin\/false\) exited before listening on 127\.0\.0\.1:\d+ \(exit code 1\); config: /,
    );
  });

  it('still starts and stops the real broker', async () => {
    const broker = await startMosquitto();
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
    await broker.stop();
  });
});
