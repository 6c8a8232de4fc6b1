/**
 * @module
 * The demo data set: a few generated legacy DQM files and a DQMIO file with
 * per-lumisection data, registered on an empty database so a new user sees
 * plots at once (`deno task serve`, unless `--no-demo`). Files are written
 * with our writer and are reproducible (fixed seeds).
 */

import {
  generateMEs,
  legacyFileName,
  writeDqmioFile,
  writeLegacyDqmFile,
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
