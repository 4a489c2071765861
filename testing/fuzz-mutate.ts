/** A seeded pseudo-random source (mulberry32): the same seed gives the same fuzz run. */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** Numbers that break parsers: signs, overflow, exponent, hex, NaN words, empty. */
const HOSTILE_NUMBERS = [
  '0',
  '-1',
  '65535',
  '65536',
  '4294967296',
  '99999999999999999999',
  '1e9',
  '0x10',
  'NaN',
  'abc',
  '',
  ' 12',
  '1.5',
];

/** One mutation applied to a request's text; each says in its name what it breaks. */
const MUTATIONS: ReadonlyArray<(text: string, random: SeededRandom) => Buffer | string> = [
  function truncate(text, random) {
    return text.slice(0, random.int(text.length));
  },
  function replaceNumber(text, random) {
    const numbers = [...text.matchAll(/\d+/g)];
    if (numbers.length === 0) return text;
    const target = random.pick(numbers);
    const at = target.index ?? 0;
    return text.slice(0, at) + random.pick(HOSTILE_NUMBERS) + text.slice(at + target[0].length);
  },
  function breakSeparators(text, random) {
    return random.pick([
      () => text.replaceAll('\r\n', '\n'),
      () => text.replaceAll(': ', ':'),
      () => text.replaceAll(' ', '\t'),
      () => text.replace('\r\n\r\n', '\r\n'),
      () => text.replaceAll(';', ',;;'),
      () => text.replaceAll('-', ''),
    ])();
  },
  function flipBytes(text, random) {
    const bytes = Buffer.from(text, 'latin1');
    for (let i = 0; i < 1 + random.int(8); i++) bytes[random.int(bytes.length)] = random.int(256);
    return bytes;
  },
  function insertBinary(text, random) {
    const junk = Buffer.alloc(1 + random.int(512));
    for (let i = 0; i < junk.length; i++) junk[i] = random.int(256);
    const at = random.int(text.length);
    return Buffer.concat([
      Buffer.from(text.slice(0, at), 'latin1'),
      junk,
      Buffer.from(text.slice(at), 'latin1'),
    ]);
  },
  function hugeHeader(text, random) {
    return addHeader(text, `X-Fuzz: ${'A'.repeat(1024 * (1 + random.int(100)))}`);
  },
  function manyHeaders(text, random) {
    return addHeader(
      text,
      Array.from({ length: 50 + random.int(500) }, (_, i) => `X-F${i}: ${i}`).join('\r\n'),
    );
  },
  function hostileContentLength(text, random) {
    return addHeader(text, `Content-Length: ${random.pick(HOSTILE_NUMBERS)}`);
  },
  function interleavedFrame(text, random) {
    // `$`, channel, a 16-bit length that may lie about what follows.
    const frame = Buffer.alloc(4 + random.int(64));
    frame[0] = 0x24;
    frame[1] = random.int(256);
    frame.writeUInt16BE(random.int(0x10000), 2);
    return random.next() < 0.5
      ? Buffer.concat([frame, Buffer.from(text, 'latin1')])
      : Buffer.concat([Buffer.from(text, 'latin1'), frame]);
  },
  function repeatRequest(text, random) {
    return text.repeat(2 + random.int(40));
  },
];

/** Adds `header` after the request line. */
function addHeader(text: string, header: string): string {
  const eol = text.indexOf('\r\n');
  return eol < 0
    ? `${text}\r\n${header}\r\n\r\n`
    : `${text.slice(0, eol + 2)}${header}\r\n${text.slice(eol + 2)}`;
}

/** `seed` with one to three mutations, chosen by `random`; returns the bytes and the mutations' names. */
export function mutate(seed: string, random: SeededRandom): { bytes: Buffer; applied: string[] } {
  let current: Buffer | string = seed;
  const applied: string[] = [];
  for (let i = 0, n = 1 + random.int(3); i < n; i++) {
    const mutation = random.pick(MUTATIONS);
    applied.push(mutation.name);
    current = mutation(typeof current === 'string' ? current : current.toString('latin1'), random);
  }
  return { bytes: typeof current === 'string' ? Buffer.from(current, 'latin1') : current, applied };
}
