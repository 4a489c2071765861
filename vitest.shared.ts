import { defineConfig } from 'vitest/config';

// Integration tests start real ffmpeg, mosquitto and RTSP servers on a 2-core machine: give them room.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
