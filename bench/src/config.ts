/** How big and how long a bench run is. */
export interface BenchConfig {
  readonly profile: 'default' | 'long' | 'smoke';
  /** In-flight levels of the load workloads. */
  readonly levels: readonly number[];
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Holders of the asset whose cap table is read. */
  readonly capTableHolders: number;
  /** Holders of each asset the register-import slot registers. */
  readonly importHolders: number;
  /** Certificates the issuance workload issues. */
  readonly certificates: number;
  /** Investors in the campaign rush. */
  readonly investors: number;
}

const DEFAULT: BenchConfig = {
  profile: 'default',
  levels: [1, 8, 32, 64],
  warmupMs: 1_500,
  durationMs: 4_000,
  capTableHolders: 64,
  importHolders: 100,
  certificates: 16,
  investors: 64,
};

const PROFILES: Record<BenchConfig['profile'], BenchConfig> = {
  default: DEFAULT,
  // Growth runs: long enough for memory to settle or keep growing.
  long: {
    ...DEFAULT,
    profile: 'long',
    warmupMs: 5_000,
    durationMs: 45_000,
    capTableHolders: 1_000,
    importHolders: 1_000,
    certificates: 100,
  },
  // Seconds only: proves the harness still runs.
  smoke: {
    ...DEFAULT,
    profile: 'smoke',
    levels: [1, 8],
    warmupMs: 300,
    durationMs: 1_000,
    capTableHolders: 8,
    importHolders: 8,
    certificates: 2,
    investors: 8,
  },
};

/** The profile BENCH names (default, long or smoke). */
export function benchConfig(name: string | undefined): BenchConfig {
  const key = name === undefined || name === '' ? 'default' : name;
  if (!(key in PROFILES)) {
    throw new Error(`BENCH must be one of ${Object.keys(PROFILES).join(', ')}, not ${key}`);
  }
  return PROFILES[key as BenchConfig['profile']];
}
