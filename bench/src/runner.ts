import type { BenchConfig } from './config';
import { clock, drive, type Operation, type Outcome, type PhasePlan } from './drive';
import { GENERATOR, snapshot, usageBetween, type ProcessUsage, type WatchedProcess } from './processes';
import { baselineFigures, cpuMsPerOp, type Figures, phaseFigures, resultRow, type ResultRow } from './report';
import { rounded } from './stats';
import type { MemoryPoint, PlotPhase } from './svg';
import { baselineName, type BaselineMode, baselineOperation } from './workloads/baseline';
import type { LoadWorkload, MeasuredRow, MeasuredWorkload, Workload } from './workloads/workload';
import type { World } from './world';

/** A phase's process usage and how long it ran, for pooling. */
interface PhaseUsage {
  readonly processes: Record<string, ProcessUsage>;
  readonly seconds: number;
}

/** Processes' CPU over several phases, weighted by their length; memory as the last one ended. */
function pooledUsage(phases: readonly PhaseUsage[]): Record<string, ProcessUsage> {
  const seconds = phases.reduce((sum, p) => sum + p.seconds, 0);
  const pooled: Record<string, ProcessUsage> = {};
  for (const name of new Set(phases.flatMap((p) => Object.keys(p.processes)))) {
    const cpu = phases.reduce((sum, p) => sum + (p.processes[name]?.cpuPercent ?? 0) * p.seconds, 0);
    const last = phases.findLast((p) => p.processes[name] !== undefined)?.processes[name];
    pooled[name] = {
      cpuPercent: seconds > 0 ? Math.round((cpu / seconds) * 10) / 10 : 0,
      rssMiB: last?.rssMiB ?? 0,
    };
  }
  return pooled;
}

interface PhaseResult {
  readonly figures: Figures;
  readonly processes: Record<string, ProcessUsage>;
  readonly extraFrom: readonly Outcome[];
}

/** Runs every phase of a bench, keeping each outcome and phase for the plot. */
export class Runner {
  readonly outcomes: Outcome[] = [];
  readonly phases: PlotPhase[] = [];
  readonly rows: ResultRow[] = [];
  /** The network's resident memory (generator left out) at the end of each phase. */
  readonly memory: MemoryPoint[] = [];
  /** Every baseline outcome by mode and level, pooled into the baseline's own rows. */
  readonly #baselines = new Map<
    string,
    { mode: BaselineMode; inFlight: number; measured: Outcome[]; ms: number; usage: PhaseUsage[] }
  >();
  readonly #world: World;
  readonly #processes: readonly WatchedProcess[];

  constructor(world: World, processes: readonly WatchedProcess[]) {
    this.#world = world;
    this.#processes = processes;
  }

  get #config(): BenchConfig {
    return this.#world.config;
  }

  async run(workload: Workload): Promise<void> {
    if (workload.kind === 'load') {
      for (const level of workload.levels?.(this.#config) ?? this.#config.levels) {
        await this.#load(workload, level);
      }
    } else {
      await this.#measured(workload);
    }
  }

  /** Times a phase, with CPU and memory of every watched process over it. */
  async #phase(label: string, baseline: boolean, operation: Operation, plan: PhasePlan) {
    const before = snapshot(this.#processes);
    const run = await drive(operation, plan);
    const processes = usageBetween(before, snapshot(this.#processes), (run.endMs - run.startMs) / 1000);
    this.phases.push({ label, startMs: run.startMs, endMs: run.endMs, baseline });
    this.#remember(run.endMs, processes);
    // Not push(...): a long phase can have more outcomes than a call takes arguments.
    for (const outcome of run.all) this.outcomes.push(outcome);
    const figures = phaseFigures(run);
    const failures = figures.failed === 0 ? '' : ` failed ${JSON.stringify(figures.failures)}`;
    const cpu = cpuMsPerOp(processes, figures.tps);
    console.error(
      `  ${label}: ${String(figures.tps)} tx/s, p50 ${String(figures.p50Ms)} ms, p99 ${String(figures.p99Ms)} ms, network CPU ${String(cpu ?? '–')} ms/op${failures}`,
    );
    return { run, result: { figures, processes, extraFrom: run.measured } satisfies PhaseResult };
  }

  #remember(t: number, processes: Record<string, ProcessUsage>): void {
    const mib = Object.entries(processes)
      .filter(([name]) => name !== GENERATOR)
      .reduce((sum, [, usage]) => sum + usage.rssMiB, 0);
    this.memory.push({ t, mib });
  }

  #timed(inFlight: number): PhasePlan {
    return { inFlight, warmupMs: this.#config.warmupMs, durationMs: this.#config.durationMs };
  }

  /** The baseline at this level, run now; its outcomes also join the baseline's own rows. */
  async #baseline(mode: BaselineMode, inFlight: number): Promise<Figures> {
    const name = baselineName(mode);
    const { run, result } = await this.#phase(
      `${name}@${String(inFlight)}`,
      true,
      await baselineOperation(this.#world, mode),
      this.#timed(inFlight),
    );
    const key = `${mode}@${String(inFlight)}`;
    const pooled = this.#baselines.get(key) ?? { mode, inFlight, measured: [], ms: 0, usage: [] };
    for (const outcome of run.measured) pooled.measured.push(outcome);
    pooled.ms += run.windowMs;
    pooled.usage.push({ processes: result.processes, seconds: (run.endMs - run.startMs) / 1000 });
    this.#baselines.set(key, pooled);
    return result.figures;
  }

  async #load(workload: LoadWorkload, inFlight: number): Promise<void> {
    const prepared = await workload.prepare(this.#world, inFlight);
    const base = await this.#baseline(workload.mode, inFlight);
    const operations = workload.operations?.(this.#config);
    const plan = operations === undefined ? this.#timed(inFlight) : { inFlight, operations };
    const { run, result } = await this.#phase(
      `${workload.name}@${String(inFlight)}`,
      false,
      prepared.operation,
      plan,
    );
    const baseline = baselineFigures(baselineName(workload.mode), base);
    this.rows.push(
      resultRow({
        workload: workload.name,
        inFlight,
        figures: result.figures,
        baseline,
        processes: result.processes,
        extra: prepared.extra?.(run) ?? {},
      }),
    );
  }

  async #measured(workload: MeasuredWorkload): Promise<void> {
    const base =
      workload.ownBaseline === true
        ? undefined
        : await this.#baseline('submit', workload.baselineInFlight ?? 1);
    const before = snapshot(this.#processes);
    const startMs = clock.now();
    const m = await workload.measure(this.#world);
    const endMs = clock.now();
    const processes = usageBetween(before, snapshot(this.#processes), (endMs - startMs) / 1000);
    this.phases.push({ label: workload.name, startMs, endMs, baseline: false });
    this.#remember(endMs, processes);
    this.rows.push(measuredRow(workload.name, m, base, processes));
    console.error(`  ${workload.name}: ${JSON.stringify({ tps: rounded(m.tps), ...m.extra })}`);
  }

  /** The baseline's own rows: every interleaved run at a level pooled, ratio 1 by definition. */
  baselineRows(): ResultRow[] {
    return [...this.#baselines.values()]
      .sort((a, b) => a.mode.localeCompare(b.mode) || a.inFlight - b.inFlight)
      .map((b) => {
        const figures = phaseFigures({ measured: b.measured, windowMs: b.ms });
        const name = baselineName(b.mode);
        return resultRow({
          workload: name,
          inFlight: b.inFlight,
          figures,
          baseline: baselineFigures(name, figures),
          processes: pooledUsage(b.usage),
        });
      });
  }
}

/** A measured workload's row: compared with the baseline submit run before it, or with its own comparison. */
function measuredRow(
  workload: string,
  m: MeasuredRow,
  base: Figures | undefined,
  processes: Record<string, ProcessUsage>,
): ResultRow {
  const latency = phaseFigures({
    measured: m.latenciesMs.map((ms) => ({ startMs: 0, endMs: ms, attempts: 1 })),
    windowMs: 1000,
  });
  const figures: Figures = {
    ...latency,
    tps: rounded(m.tps),
    seconds: rounded(m.seconds, 2) ?? 0,
    failed: Object.values(m.failures).reduce((a, b) => a + b, 0),
    failures: m.failures,
    attemptsPerSuccess: m.attemptsPerSuccess,
  };
  const own = m.baseline;
  if (own === undefined) {
    const baseline = baselineFigures('baseline', base ?? figures);
    return resultRow({ workload, inFlight: m.inFlight, figures, baseline, processes, extra: m.extra });
  }
  const baseline = { name: own.name, tps: null, p50Ms: null, p99Ms: null };
  const row = resultRow({ workload, inFlight: m.inFlight, figures, baseline, processes, extra: m.extra });
  return { ...row, ratioToBaseline: rounded(own.ratio, 2) };
}
