/** How big and how long a bench run is. */
export interface BenchConfig {
  readonly profile: 'default' | 'long' | 'smoke';
  /** In-flight levels of the load workloads. */
  readonly levels: readonly number[];
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Holders of the asset whose cap table is read. */
  readonly capTableHolders: number;
  /** Rows of the register CSV the register-import workload imports (`assets import`). */
  readonly importRows: number;
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
  importRows: 10_000,
  // Enough for the issuer's pipeline (16 at the CA, 50 a record batch) to
  // run full for most of the run; 16 measured mostly its start and end.
  certificates: 400,
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
    importRows: 100_000,
    // One asset registration's most holders.
    certificates: 1_000,
  },
  // Seconds only: proves the harness still runs.
  smoke: {
    ...DEFAULT,
    profile: 'smoke',
    levels: [1, 8],
    warmupMs: 300,
    durationMs: 1_000,
    capTableHolders: 8,
    importRows: 3_000,
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

/**
 * Whether this run's figures replace the committed ones (results/ and the
 * README's section): only a whole default or long run on a network of its
 * own. A smoke run proves the harness, a BENCH_ONLY run has some rows only,
 * and a warm pass (BENCH_WARM) runs on a network an earlier pass filled:
 * each would overwrite the last full results with ones nobody should quote.
 */
export function recordsResults(profile: string, onlyNames: readonly string[], warm = false): boolean {
  return profile !== 'smoke' && onlyNames.length === 0 && !warm;
}
