// Run as a child process by mqtt-reliability.test.ts: connects a publisher, says so, then waits to be killed.
import { createMqttPublisher } from '../src/index.js';

const [url, prefix] = process.argv.slice(2);
const publisher = createMqttPublisher({
  url: url!,
  topicPrefix: prefix!,
  statsIntervalMs: 0,
  discovery: false,
  keepalive: 60,
});
const timer = setInterval(() => {
  if (publisher.metrics().connected) {
    clearInterval(timer);
    process.stdout.write('connected\n');
  }
}, 20);
setInterval(() => {}, 1 << 30);
