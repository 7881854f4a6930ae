/**
 * The load generator, in its own process: autocannon against one URL with a
 * rotating set of request bodies. Job on stdin (JSON), result as one JSON
 * line on stdout.
 */
import autocannon from 'autocannon';

export interface LoadJob {
  readonly url: string;
  readonly bodies: string[];
  readonly connections: number;
  readonly durationS: number;
  readonly warmupS: number;
}

export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly meanMs: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly durationS: number;
}

async function fire(job: LoadJob, durationS: number): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: `${job.url}/moderate`,
    connections: job.connections,
    duration: durationS,
    pipelining: 1,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => {
          const body = job.bodies[next++ % job.bodies.length]!;
          return { ...req, body };
        },
      },
    ],
  });
}

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += (chunk as Buffer).toString();
  const job = JSON.parse(input) as LoadJob;
  if (job.warmupS > 0) await fire(job, job.warmupS);
  const r = await fire(job, job.durationS);
  const out: LoadResult = {
    rps: Math.round((r.requests.total / r.duration) * 10) / 10,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    p999: r.latency.p99_9,
    meanMs: r.latency.average,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    durationS: r.duration,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
