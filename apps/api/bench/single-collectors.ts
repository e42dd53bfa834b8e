/**
 * The collectors of bench row (c), in a process of their own (forked by ingest.ts): on a real estate they
 * run on other machines, and in the API's process their HTTP client (undici fetch cost ~0.7 ms of CPU per
 * post) was counted as the API's. Plain node:http with keep-alive, one connection per collector.
 * Protocol over IPC: the parent sends a SinglesJob; the child warms up and answers "ready"; the parent
 * reads its CPU counters and answers "go"; the child runs the clock and answers "done" with a SinglesResult.
 */
import http from "node:http";

export interface SinglesJob {
  url: string;
  token: string;
  collectors: number;
  /** Posted one each, before the clock, to open the connections and warm the route. */
  warm: string[];
  bodies: string[];
}

export interface SinglesResult {
  durations: number[];
  seconds: number;
  /** CPU of this (client) process during the run, for the record. */
  clientCpuMs: number;
}

function post(agent: http.Agent, job: SinglesJob, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      job.url,
      {
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${job.token}`,
          "content-type": "application/json",
          "content-length": body.length,
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function run(job: SinglesJob): Promise<SinglesResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.collectors });
  const warm = job.warm.map((body) => Buffer.from(body));
  // As many at once as there are collectors, so every connection is open before the clock starts.
  await Promise.all(warm.map((body) => post(agent, job, body)));
  const bodies = job.bodies.map((body) => Buffer.from(body));
  const durations: number[] = [];
  let next = 0;
  await new Promise<void>((resolve) => {
    process.once("message", () => resolve());
    process.send?.({ type: "ready" });
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const collector = async () => {
    while (next < bodies.length) {
      const body = bodies[next++] as Buffer;
      const start = performance.now();
      const status = await post(agent, job, body);
      if (status !== 201) throw new Error(`single report answered ${status}`);
      durations.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: job.collectors }, collector));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  agent.destroy();
  return { durations, seconds, clientCpuMs: (used.user + used.system) / 1000 };
}

process.once("message", (job: SinglesJob) => {
  run(job).then(
    (result) => process.send?.({ type: "done", result }, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
