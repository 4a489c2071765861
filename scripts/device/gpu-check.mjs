// The measuring half of gpu-check.sh (which checks the arguments and the environment first):
//   node gpu-check.mjs <capi index.js> <libonnxruntime.so> <work dir> <runs> <providers,...> <model.onnx>...
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, library, work, runsText, providersText, ...models] = process.argv.slice(2);
const { openCapiSession } = await import(pathToFileURL(dist).href);
const runs = Number(runsText);
const BATCHES = [1, 8];
const say = (line) => console.log(`gpu-check: ${line}`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** The provider entry for one model; TensorRT gets fp16, an engine cache and a batch 1..8 profile. */
function entry(name, model) {
  if (name !== 'tensorrt') return name;
  return {
    name: 'tensorrt',
    fp16: true,
    engineCachePath: join(work, 'trt-cache', basename(model, '.onnx')),
    profile: { min: 1, opt: Math.max(...BATCHES), max: Math.max(...BATCHES) },
  };
}

/** Engine and profile files in a TensorRT cache folder, name → mtime. */
function cacheFiles(dir) {
  try {
    return new Map(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
  } catch {
    return new Map();
  }
}

/** Opens the model on one provider only (no CPU fallback), runs it once; the time is what a start costs. */
async function start(name, model, lines) {
  const logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m) };
  const began = performance.now();
  const session = await openCapiSession(model, [entry(name, model)], logger, {
    runtimeLibrary: library,
    cpuFallback: false,
  });
  const input = session.inputMetadata[0];
  const fetches = session.outputMetadata.map((o) => o.name);
  let data = new Float32Array(3 * 640 * 640).fill(0.45);
  data = (await session.run(input.name, { type: 'float32', dims: [1, 3, 640, 640], data }, fetches)).input;
  return { session, input, fetches, startMs: performance.now() - began };
}

async function imagesPerSecond({ session, input, fetches }, batch) {
  let data = new Float32Array(batch * 3 * 640 * 640).fill(0.45);
  const dims = [batch, 3, 640, 640];
  for (let i = 0; i < 2; i++)
    data = (await session.run(input.name, { type: 'float32', dims, data }, fetches)).input;
  const began = performance.now();
  for (let i = 0; i < runs; i++)
    data = (await session.run(input.name, { type: 'float32', dims, data }, fetches)).input;
  return (batch * runs * 1000) / (performance.now() - began);
}

const summary = { library, runs, providers: {} };
let missing = 0;
for (const name of providersText.split(',')) {
  const result = { loads: false, models: {} };
  summary.providers[name] = result;
  for (const model of models) {
    const label = basename(model, '.onnx');
    const lines = [];
    let opened;
    try {
      opened = await start(name, model, lines);
    } catch (error) {
      // openCapiSession lists each provider's reason as "  - <provider>: <why>" under a heading line.
      const reasons = String(error.message ?? error).split('\n');
      result.reason = (reasons.find((l) => l.trim().startsWith('- ')) ?? reasons[0])
        .trim()
        .replace(/^- /, '');
      say(`${name}: does not load ${label}: ${result.reason}`);
      break;
    }
    result.loads = true;
    const figures = { first_start_s: Number((opened.startMs / 1000).toFixed(1)) };
    result.models[label] = figures;
    say(
      `${name}: loads ${label} (first start ${seconds(opened.startMs)}, serving on ${opened.session.provider})`,
    );
    try {
      for (const batch of BATCHES) {
        const ips = await imagesPerSecond(opened, batch);
        figures[`b${batch}_images_per_s`] = Number(ips.toFixed(1));
        say(`${name}: ${label} batch ${batch}: ${ips.toFixed(1)} images/s`);
      }
    } catch (error) {
      figures.error = String(error.message ?? error).split('\n')[0];
      say(`${name}: ${label} failed to run: ${figures.error}`);
    }
    await opened.session.release();
    if (name !== 'tensorrt') continue;
    const settings = lines.find((l) => l.includes('tensorrt settings')) ?? '';
    figures.fp16 = /trt_fp16_enable=1/.test(settings);
    say(
      `${name}: fp16 ${figures.fp16 ? 'on' : 'NOT on'} in the settings ORT holds (${settings ? 'logged' : 'no settings line logged'})`,
    );
    const dir = entry(name, model).engineCachePath;
    const written = cacheFiles(dir);
    const engines = [...written.keys()].filter((f) => f.endsWith('.engine'));
    figures.engine_cache_written = engines.length > 0;
    say(
      `${name}: engine cache ${engines.length > 0 ? `written: ${engines.join(', ')}` : `NOT written in ${dir}`}`,
    );
    const again = await start(name, model, []);
    await again.session.release();
    const after = cacheFiles(dir);
    const rebuilt = [...after].filter(([f, mtime]) => written.get(f) !== mtime).map(([f]) => f);
    figures.second_start_s = Number((again.startMs / 1000).toFixed(1));
    figures.engine_cache_reused = engines.length > 0 && rebuilt.length === 0;
    say(
      `${name}: second start ${seconds(again.startMs)} (first ${seconds(opened.startMs)}): engine cache ${
        figures.engine_cache_reused
          ? 'reused'
          : `NOT reused${rebuilt.length ? ` (rewritten: ${rebuilt.join(', ')})` : ''}`
      }`,
    );
  }
  if (!result.loads) missing++;
}
console.log(`gpu-check: ${JSON.stringify(summary)}`);
process.exit(missing > 0 ? 3 : 0);
