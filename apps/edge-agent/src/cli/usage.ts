/** `edge-agent --help`. The README's CLI reference says the same in more words. */
export const USAGE = `edge-agent — rxvision video analytics for edge boxes

Usage:
  edge-agent run [--config <file>] [--source <id>=<url> …] [--model <path.onnx>]
                 [--mqtt <url>] [--prefix rxvision] [--http <host:port>] [--fps N]
                 [--log-level debug|info|warn|error]
      One pipeline per camera: decode → detect (one shared, batched detector) → track → MQTT.
      Flags override the config file. SIGHUP re-reads the file; SIGINT/SIGTERM stop cleanly.
  edge-agent detect --model <path.onnx> [--conf 0.25] [--iou 0.45]
                    [--runtime onnxruntime-node|onnxruntime-capi] [--runtime-library <libonnxruntime.so>]
                    [--provider <name>[:key=value,…]]… <image>…
      One JSON line per image: {"source","width","height","detections":[{bbox,score,classId,label}]}.
      Providers are tried in the order given, with the config's keys, e.g.
      --provider tensorrt:fp16=true,engine_cache_path=/var/cache/trt --provider cuda --provider cpu;
      the runtime and provider serving (and any skipped, with why) go to stderr.
  edge-agent track --det <det.txt> --out <res.txt> [--tracker bytetrack|sort] [--fps N]
                   [--box detection|filter] [--raw-scores]
      Tracks MOTChallenge detections and writes MOTChallenge results (--fps defaults to the
      sequence's seqinfo.ini frameRate when there is one).
  edge-agent mot-eval --gt <gt.txt> --res <res.txt> [--json]
      CLEAR MOT and identity metrics (MOTA, MOTP, IDF1, …).
  edge-agent validate --config <file>
      Checks a config file; exits 1 with every problem listed when it is invalid.
  edge-agent demo [--config <file>] [--mqtt <url>] [--http <host:port>]
      Plays the demo clip as a live camera with the default model; embedded MQTT broker on
      localhost:1883 unless a broker is given; annotated stream at rtsp://localhost:8554/demo-annotated.
  edge-agent fleet apply --config <agent.yml> <cameras.yml>
  edge-agent fleet status --config <agent.yml> [--json]
      Shares cameras across agents on NATS JetStream (the agent.yml's \`fleet:\` section): apply
      writes the desired cameras; status prints the live boxes, the leader and camera → box.
  edge-agent models prepare
      Converts the bundled TF.js YOLOv5s to ONNX (cached) and prints its path.

  edge-agent --version · edge-agent <command> --help
      The version; one command's usage.

Exit codes: 0 ok, 1 failure (invalid config, unreadable input), 2 bad command line.
`;

/** One command's block of USAGE (its synopsis and description), for `edge-agent <command> --help`. */
export function commandUsage(command: string): string {
  const lines = USAGE.split('\n');
  const start = lines.findIndex(
    (line) => line.startsWith(`  edge-agent ${command} `) || line === `  edge-agent ${command}`,
  );
  if (start < 0) return USAGE;
  let end = start + 1;
  while (end < lines.length && lines[end] !== '' && !lines[end]!.startsWith('  edge-agent ')) end++;
  return `Usage:\n${lines.slice(start, end).join('\n')}\n`;
}
