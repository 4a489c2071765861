import { type Anchors, YOLOV7_ANCHORS, YOLOV7_TINY_ANCHORS, YOLOV7_W6_ANCHORS } from './decode-raw-heads.js';

/** Built-in anchor sets by name, as `anchors:` in the detector options may give them. */
export const NAMED_ANCHORS: Readonly<Record<'yolov7' | 'yolov7-tiny' | 'yolov7-w6', Anchors>> = {
  yolov7: YOLOV7_ANCHORS,
  'yolov7-tiny': YOLOV7_TINY_ANCHORS,
  'yolov7-w6': YOLOV7_W6_ANCHORS,
};

/** The `metadata_props` key a raw-head model may carry its anchors in. */
export const ANCHORS_METADATA_KEY = 'anchors';

/**
 * Parses a model's `anchors` metadata into one list per head, finest grid first. Accepted:
 * the YOLOv7 yaml form as JSON, `[[12,16, 19,36, 40,28], [36,75, ...], [142,110, ...]]`, or one
 * flat list of numbers (JSON or separated by commas/spaces, as a darknet cfg writes it) split
 * evenly across the heads. `anchorsPerHead` is each head's anchor count (its dimension 1).
 * Throws a `RangeError` saying what is wrong and which form is expected.
 */
export function parseAnchorsMetadata(
  model: string,
  value: string,
  anchorsPerHead: readonly number[],
): Anchors {
  const fail = (why: string): never => {
    throw new RangeError(
      `model ${model}: metadata "${ANCHORS_METADATA_KEY}" = ${JSON.stringify(value.slice(0, 200))} ${why}; ` +
        `expected ${anchorsPerHead.length} lists of width,height pairs in input pixels, finest grid first, ` +
        'e.g. [[12,16, 19,36, 40,28], [36,75, 76,55, 72,146], [142,110, 192,243, 459,401]], or the same numbers as one flat list',
    );
  };
  let parsed: unknown;
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      return fail('is not valid JSON');
    }
  } else {
    parsed = text
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
  }
  if (!Array.isArray(parsed)) return fail('is not a list');
  const nested = parsed.every(Array.isArray);
  const flat: unknown[] = nested ? (parsed as unknown[][]).flat() : parsed;
  if (!flat.every((n) => typeof n === 'number' && Number.isFinite(n) && n > 0))
    return fail('holds something other than positive numbers');
  const numbers = flat as number[];
  let lists: number[][];
  if (nested) {
    lists = parsed as number[][];
  } else {
    lists = [];
    let at = 0;
    for (const n of anchorsPerHead) {
      lists.push(numbers.slice(at, at + 2 * n));
      at += 2 * n;
    }
    if (at !== numbers.length) return fail(`has ${numbers.length} numbers, not ${at}`);
  }
  if (lists.length !== anchorsPerHead.length)
    return fail(`has ${lists.length} lists for ${anchorsPerHead.length} heads`);
  lists.forEach((list, i) => {
    if (list.length !== 2 * anchorsPerHead[i]!)
      fail(
        `has ${list.length} numbers for head ${i + 1}, which has ${anchorsPerHead[i]} anchors (${2 * anchorsPerHead[i]!} numbers)`,
      );
  });
  return lists;
}

/**
 * The anchors a raw-head model decodes with: the `anchors` option when given (a name or pixels),
 * else the model's `anchors` metadata, else by head count and file name: four heads → YOLOv7-w6
 * (P6), a name with "tiny" → YOLOv7-tiny, else YOLOv7. Throws when the count does not match the
 * heads, naming the fix.
 */
export function resolveAnchors(
  model: string,
  heads: number,
  option: keyof typeof NAMED_ANCHORS | Anchors | undefined,
  fromMetadata: Anchors | undefined,
): Anchors {
  const fallback = heads === 4 ? 'yolov7-w6' : /tiny/i.test(model) ? 'yolov7-tiny' : 'yolov7';
  const chosen = option ?? fromMetadata ?? fallback;
  const anchors = typeof chosen === 'string' ? NAMED_ANCHORS[chosen] : chosen;
  if (anchors.length !== heads)
    throw new RangeError(
      `detector ${model}: the model has ${heads} raw heads but the anchors (${typeof chosen === 'string' ? chosen : 'given'}) have ${anchors.length} sets; ` +
        `give ${heads} anchor lists${heads === 4 ? " or 'yolov7-w6' (P6 models)" : ''}, or leave anchors unset to use the model's metadata or the defaults`,
    );
  return anchors;
}
