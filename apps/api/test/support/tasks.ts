import type { Report, Task, TaskDetail, TaskPage } from "@certfleet/contracts";
import type { SignedIn, TestApp } from "./app";
import { postReport } from "./estate";
import { buildReport, type IssuedCertificate, issueCertificate, type Pki } from "./reports";

export const DAY = 86_400_000;
let serial = 0x7000;

/** A certificate for `fqdn` that expires in `days` days (negative: expired). */
export function certificateExpiringIn(pki: Pki, fqdn: string, days: number): Promise<IssuedCertificate> {
  serial += 1;
  return issueCertificate(pki, {
    fqdn,
    serialHex: `2e${serial.toString(16).padStart(6, "0")}a0b0c0d0e0f`,
    notBefore: new Date(Date.now() - 300 * DAY),
    notAfter: new Date(Date.now() + days * DAY),
  });
}

/** Posts a collector report: `bound` is what the registry names; all of `store` is in the host's store. */
export async function report(
  t: TestApp,
  fqdn: string,
  store: IssuedCertificate[],
  bound: IssuedCertificate | null,
  events?: Report["events"],
): Promise<void> {
  await postReport(t, buildReport(fqdn, store, { bound, ...(events ? { events } : {}) }));
}

export async function tasksFor(t: TestApp, fqdn: string): Promise<Task[]> {
  const response = await t.get(`/api/v1/tasks?host=${fqdn}`);
  if (response.statusCode !== 200) throw new Error(`tasks ${fqdn}: ${response.statusCode} ${response.body}`);
  return response.json<TaskPage>().items;
}

export async function onlyTask(t: TestApp, fqdn: string): Promise<Task> {
  const tasks = await tasksFor(t, fqdn);
  if (tasks.length !== 1) throw new Error(`${fqdn} has ${tasks.length} tasks, expected one`);
  return tasks[0] as Task;
}

export function move(
  t: TestApp,
  who: SignedIn,
  task: Pick<Task, "id" | "version">,
  action: string,
  extra: object = {},
) {
  return t.app.inject({
    method: "POST",
    url: `/api/v1/tasks/${task.id}/transitions`,
    headers: who.headers,
    payload: { action, version: task.version, ...extra },
  });
}

export async function detail(t: TestApp, id: number): Promise<TaskDetail> {
  return (await t.get(`/api/v1/tasks/${id}`)).json<TaskDetail>();
}
