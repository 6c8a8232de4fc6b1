/**
 * @module
 * The demo data set: a few generated legacy DQM files and a DQMIO file with
 * per-lumisection data, registered on an empty database so a new user sees
 * plots at once (`deno task serve`, unless `--no-demo`). Files are written
 * with our writer and are reproducible (fixed seeds).
 */

import {
  generateMEs,
  generatePbMEs,
  legacyFileName,
  writeDqmioFile,
  writeLegacyDqmFile,
  writePbFile,
} from "../core/writer/mod.ts";
import type { DQMService } from "../core/service/dqm_service.ts";

/** The demo samples: dataset, run and number of MEs. */
export const DEMO_SAMPLES = [
  { dataset: "/ZeroBias/Run2026A-PromptReco-v1/DQMIO", run: 400850, count: 800 },
  { dataset: "/ZeroBias/Run2026A-PromptReco-v1/DQMIO", run: 400851, count: 800 },
  { dataset: "/ZeroBias/Run2026A-PromptReco-v1/DQMIO", run: 400853, count: 800 },
  { dataset: "/Cosmics/Run2026A-PromptReco-v1/DQMIO", run: 400790, count: 400 },
] as const;

/** The DQMIO demo: a run with per-lumisection MEs. */
export const DEMO_DQMIO = {
  dataset: "/ZeroBias/Run2026A-PerLumi-v1/DQMIO",
  run: 400900,
  lumis: 10,
  mes: 300,
} as const;

/**
 * Write the demo files (if missing) and register them.
 *
 * @param service the service to register with
 * @param dir directory for the files (inside a data root)
 * @returns the number of samples registered
 */
export async function ensureDemo(service: DQMService, dir: string): Promise<number> {
  await Deno.mkdir(dir, { recursive: true });
  const registrations = [];
  for (const s of DEMO_SAMPLES) {
    const file = `${dir}/${legacyFileName(s.run, s.dataset)}`;
    try {
      await Deno.stat(file);
    } catch {
      const bytes = writeLegacyDqmFile({
        run: s.run,
        // One seed per dataset (the same MEs in every run), one content seed per run.
        mes: generateMEs({
          count: s.count,
          seed: s.dataset.length * 7919 + s.count,
          contentSeed: s.run,
          run: s.run,
        }),
      });
      await Deno.writeFile(file, bytes);
    }
    registrations.push({ dataset: s.dataset, run: s.run, lumi: 0, file, fileformat: 1 });
  }
  const dqmio = `${dir}/${legacyFileName(DEMO_DQMIO.run, DEMO_DQMIO.dataset)}`;
  try {
    await Deno.stat(dqmio);
  } catch {
    const { bytes } = writeDqmioFile({
      run: DEMO_DQMIO.run,
      lumis: DEMO_DQMIO.lumis,
      mesPerLumi: DEMO_DQMIO.mes,
      seed: 17,
      manifest: "none",
    });
    await Deno.writeFile(dqmio, bytes);
  }
  registrations.push({
    dataset: DEMO_DQMIO.dataset,
    run: DEMO_DQMIO.run,
    lumi: -1,
    file: dqmio,
    fileformat: 2,
  });
  return await service.register(registrations);
}

/** The live demo: an online run that advances while the server runs (`--demo-live`). */
export const DEMO_LIVE = {
  dataset: "/Global/Online/ALL",
  firstRun: 401000,
  snapshotsPerRun: 30,
  mes: 600,
} as const;

/**
 * Start the live demo: every `intervalMs`, write a new protobuf snapshot of
 * the current run (lumisection counters advance, contents change) and
 * register it, as HLTD does at Point 5; after `snapshotsPerRun` snapshots a
 * new run starts. Registration announces each snapshot on the live events
 * stream and the cleanup task removes the replaced files.
 *
 * @param service the service to register with
 * @param dir directory for the files (inside a data root)
 * @param intervalMs time between snapshots
 * @param log where to report problems
 * @returns a function that stops the producer
 */
export function startLiveDemo(
  service: DQMService,
  dir: string,
  intervalMs: number,
  log: (line: string) => void,
): () => void {
  let i = 0;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const run = DEMO_LIVE.firstRun + Math.floor(i / DEMO_LIVE.snapshotsPerRun);
      const lumi = (i % DEMO_LIVE.snapshotsPerRun) + 1;
      const mes = generatePbMEs({ count: DEMO_LIVE.mes, seed: 23, contentSeed: 1000 + i, run });
      for (const me of mes) {
        if (me.path.endsWith("/EventInfo/iLumiSection")) me.value = { kind: "Int", value: lumi };
      }
      const file = `${dir}/run${run}_DQMLive_concat_${String(lumi).padStart(4, "0")}.pb`;
      await Deno.writeFile(file, writePbFile({ mes, clients: 3 }));
      await service.register([{ dataset: DEMO_LIVE.dataset, run, lumi: 0, file, fileformat: 3 }]);
      i++;
    } catch (error) {
      log(`Live demo: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(tick, intervalMs);
  return () => clearInterval(timer);
}
