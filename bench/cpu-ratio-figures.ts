/** The figures of `npm run bench -- --cpu-ratio` (bench/cpu-ratio.ts): pure, so that they are tested without a network. */

/** One round of one service: its reserves through HTTP, the same transaction raw, and (when run) its handler alone. */
export interface Round {
  readonly serviceOpsPerSec: number;
  readonly rawOpsPerSec: number;
  readonly serviceCpuMs: number;
  readonly dynamoCpuMsThroughService: number;
  readonly dynamoCpuMsRaw: number;
  /** The reserve Lambda handler invoked directly in a process of its own (bench/handler-host.ts); null when not run. */
  readonly handler: HandlerRound | null;
  /** The raw rounds' own CPU per reserve: what building and sending the transaction costs with no service (ADR 52). */
  readonly sdkFloor: SdkFloor;
}

export interface SdkFloor {
  /** Through the document client the service uses (lib-dynamodb, configured by createDocumentClient). */
  readonly documentClientCpuMs: number;
  /** Through the SDK's leanest path: a low-level client with its middleware cached, the items marshalled once. */
  readonly lowLevelClientCpuMs: number;
}

export interface HandlerRound {
  readonly opsPerSec: number;
  /** The handler host's own CPU (process.cpuUsage) per reserve, in ms. */
  readonly cpuMs: number;
  /** DynamoDB Local's CPU per reserve during the handler's round, in ms. */
  readonly dynamoCpuMs: number;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Median, min and max of a figure over the rounds. */
export function spread(values: readonly number[], digits = 2): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    median: round(median, digits),
    min: round(sorted[0] ?? 0, digits),
    max: round(sorted.at(-1) ?? 0, digits),
  };
}

export const formatSpread = (s: Spread | null) => (s ? `${s.median} [${s.min}..${s.max}]` : '-');

/** CPU ms per operation from a process's CPU microseconds (process.cpuUsage), to 2 decimals like bench/cpu.ts. */
export function cpuMsPerOperation(usage: { user: number; system: number }, operations: number): number {
  return round((usage.user + usage.system) / 1000 / operations, 2);
}

/** Each figure of the rounds as median [min..max]; the handler's are null unless every round ran it. */
export function summarize(rounds: readonly Round[]) {
  const handlerRounds = rounds.flatMap((r) =>
    r.handler ? [{ ...r.handler, dynamoCpuMsRaw: r.dynamoCpuMsRaw }] : [],
  );
  const handler = rounds.length > 0 && handlerRounds.length === rounds.length ? handlerRounds : null;
  return {
    serviceOpsPerSec: spread(
      rounds.map((r) => r.serviceOpsPerSec),
      0,
    ),
    rawOpsPerSec: spread(
      rounds.map((r) => r.rawOpsPerSec),
      0,
    ),
    throughputRatio: spread(rounds.map((r) => r.serviceOpsPerSec / r.rawOpsPerSec)),
    serviceCpuMsPerReserve: spread(rounds.map((r) => r.serviceCpuMs)),
    dynamoCpuMsPerReserveThroughService: spread(rounds.map((r) => r.dynamoCpuMsThroughService)),
    dynamoCpuMsPerReserveRaw: spread(rounds.map((r) => r.dynamoCpuMsRaw)),
    cpuRatio: spread(rounds.map((r) => r.serviceCpuMs / r.dynamoCpuMsRaw)),
    handlerOpsPerSec: handler
      ? spread(
          handler.map((h) => h.opsPerSec),
          0,
        )
      : null,
    handlerCpuMsPerReserve: handler ? spread(handler.map((h) => h.cpuMs)) : null,
    dynamoCpuMsPerReserveThroughHandler: handler ? spread(handler.map((h) => h.dynamoCpuMs)) : null,
    handlerCpuRatio: handler ? spread(handler.map((h) => h.cpuMs / h.dynamoCpuMsRaw)) : null,
    handlerCpuMsAboveFloor: handler
      ? spread(handler.map((h, i) => h.cpuMs - (rounds[i] as Round).sdkFloor.documentClientCpuMs))
      : null,
    floorCpuMsDocumentClient: spread(rounds.map((r) => r.sdkFloor.documentClientCpuMs)),
    floorRatioDocumentClient: spread(rounds.map((r) => r.sdkFloor.documentClientCpuMs / r.dynamoCpuMsRaw)),
    floorCpuMsLowLevelClient: spread(rounds.map((r) => r.sdkFloor.lowLevelClientCpuMs)),
    floorRatioLowLevelClient: spread(rounds.map((r) => r.sdkFloor.lowLevelClientCpuMs / r.dynamoCpuMsRaw)),
  };
}

export type Summary = ReturnType<typeof summarize>;

/** The printed table of one service's summary, one figure a line. */
export function renderSummary(label: string, runs: number, reserves: number, summary: Summary): string {
  return [
    `${label}, over ${runs} rounds of ${reserves} reserves, median [min..max]:`,
    `  reserves/s through the service   ${formatSpread(summary.serviceOpsPerSec)}`,
    `  raw transactions/s               ${formatSpread(summary.rawOpsPerSec)}`,
    `  throughput ratio                 ${formatSpread(summary.throughputRatio)}`,
    `  service CPU ms per reserve       ${formatSpread(summary.serviceCpuMsPerReserve)}`,
    `  DynamoDB Local CPU ms, raw       ${formatSpread(summary.dynamoCpuMsPerReserveRaw)}`,
    `  DynamoDB Local CPU ms, service   ${formatSpread(summary.dynamoCpuMsPerReserveThroughService)}`,
    `  service CPU / DynamoDB Local CPU ${formatSpread(summary.cpuRatio)}`,
    `  reserves/s, handler invoked      ${formatSpread(summary.handlerOpsPerSec)}`,
    `  handler CPU ms per reserve       ${formatSpread(summary.handlerCpuMsPerReserve)}`,
    `  DynamoDB Local CPU ms, handler   ${formatSpread(summary.dynamoCpuMsPerReserveThroughHandler)}`,
    `  handler CPU / DynamoDB Local CPU ${formatSpread(summary.handlerCpuRatio)}`,
    `  handler CPU ms above SDK floor   ${formatSpread(summary.handlerCpuMsAboveFloor)}`,
    "the SDK's floor: the raw rounds' own CPU per reserve, building and sending the transaction, nothing else:",
    `  document client CPU ms           ${formatSpread(summary.floorCpuMsDocumentClient)}`,
    `  document client / DynamoDB Local ${formatSpread(summary.floorRatioDocumentClient)}`,
    `  low-level cached client CPU ms   ${formatSpread(summary.floorCpuMsLowLevelClient)}`,
    `  low-level cached / DynamoDB L.   ${formatSpread(summary.floorRatioLowLevelClient)}`,
  ].join('\n');
}
