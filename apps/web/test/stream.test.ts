import type { HostListItem, HostPage, StreamMessage } from "@certfleet/contracts";
import { type InfiniteData, QueryClient, QueryObserver } from "@tanstack/react-query";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hostKeys, sessionKeys, summaryKeys, taskKeys } from "../src/lib/query-keys";
import {
  backoffDelay,
  CacheMerger,
  closeAction,
  isStreamMessage,
  LiveStream,
  replaceHost,
} from "../src/lib/stream";

function host(id: number, overrides: Partial<HostListItem> = {}): HostListItem {
  return {
    id,
    fqdn: `h${id}.contoso.com`,
    role: "Agent",
    managementGroup: "MG",
    status: "ok",
    reporting: "reporting",
    expected: false,
    certificateAuthRequired: true,
    usesKerberos: false,
    lastReportAt: "2026-11-24T10:00:00.000Z",
    expiry: "later",
    boundCertificate: null,
    findingCounts: { error: 0, warning: 0, info: 0 },
    worstFinding: null,
    ...overrides,
  };
}

const page = (items: HostListItem[]): HostPage => ({ items, total: items.length, nextCursor: null });

describe("backoffDelay", () => {
  it("grows from 0.5 s to a 10 s ceiling, with jitter in the upper half", () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 1)).toBe(4_000);
    expect(backoffDelay(10, () => 1)).toBe(10_000);
    expect(backoffDelay(10, () => 0)).toBe(5_000);
  });
});

describe("replaceHost", () => {
  it("replaces the row in whichever page holds it and keeps other pages' identity", () => {
    const first = page([host(1), host(2)]);
    const second = page([host(3)]);
    const data: InfiniteData<HostPage, unknown> = { pages: [first, second], pageParams: [null, "c"] };
    const next = replaceHost(data, host(3, { status: "error" }));
    expect(next).not.toBe(data);
    expect(next.pages[0]).toBe(first);
    expect(next.pages[1]?.items[0]?.status).toBe("error");
  });

  it("returns the same object when the host is not in the list", () => {
    const data = page([host(1)]);
    expect(replaceHost(data, host(9))).toBe(data);
  });
});

describe("CacheMerger", () => {
  let client: QueryClient;
  let summaryFetches: number;
  let detailFetches: number;

  beforeEach(() => {
    vi.useFakeTimers();
    client = new QueryClient({
      defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY, retry: false } },
    });
    summaryFetches = 0;
    detailFetches = 0;
    client.setQueryDefaults(summaryKeys.all, {
      queryFn: async () => {
        summaryFetches += 1;
        return { n: summaryFetches };
      },
    });
    client.setQueryDefaults(hostKeys.details(), {
      queryFn: async () => {
        detailFetches += 1;
        return {};
      },
    });
  });

  afterEach(() => {
    client.clear();
    vi.useRealTimers();
  });

  /** Keeps a query active (as a mounted component would), so invalidation refetches it. */
  async function observe(queryKey: readonly unknown[]) {
    const observer = new QueryObserver(client, { queryKey });
    const unsubscribe = observer.subscribe(() => {});
    await vi.runAllTimersAsync();
    return unsubscribe;
  }

  it("merges a pushed host into every cached list at once and refetches the rest once per burst", async () => {
    const listKey = hostKeys.list({ role: "Agent" });
    client.setQueryData(listKey, { pages: [page([host(1), host(2)])], pageParams: [null] });
    client.setQueryData(hostKeys.timeline(180), page([host(2)]));
    const stopSummary = await observe(summaryKeys.all);
    const stopDetail = await observe(hostKeys.detail("h2.contoso.com"));
    expect(summaryFetches).toBe(1);

    const merger = new CacheMerger(client, () => 0);
    merger.handle({ type: "hello", lastEventId: 10 });
    for (let id = 11; id <= 30; id++)
      merger.handle({ type: "host.updated", id, at: "", host: host(2, { status: "error" }) });

    const list = client.getQueryData<InfiniteData<HostPage>>(listKey);
    expect(list?.pages[0]?.items[1]?.status).toBe("error");
    expect(client.getQueryData<HostPage>(hostKeys.timeline(180))?.items[0]?.status).toBe("error");
    expect(client.getQueryState(listKey)?.isInvalidated).toBe(false);

    await vi.advanceTimersByTimeAsync(300);
    expect(summaryFetches).toBe(2); // twenty events, one refetch
    expect(detailFetches).toBe(2);
    expect(client.getQueryState(listKey)?.isInvalidated).toBe(true); // inactive: refetched when shown
    expect(merger.since).toBe(30);
    stopSummary();
    stopDetail();
    merger.dispose();
  });

  it("flushes a steady stream at least every second", async () => {
    const stop = await observe(summaryKeys.all);
    const merger = new CacheMerger(client, () => 0);
    merger.handle({ type: "hello", lastEventId: 0 });
    for (let id = 1; id <= 12; id++) {
      merger.handle({ type: "host.updated", id, at: "", host: host(id) });
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(summaryFetches).toBeGreaterThanOrEqual(3);
    stop();
    merger.dispose();
  });

  it("ignores events it has already applied", () => {
    const listKey = hostKeys.list({});
    client.setQueryData(listKey, { pages: [page([host(1)])], pageParams: [null] });
    const merger = new CacheMerger(client, () => 0);
    merger.handle({ type: "hello", lastEventId: 5 });
    merger.handle({ type: "host.updated", id: 5, at: "", host: host(1, { status: "error" }) });
    expect(client.getQueryData<InfiniteData<HostPage>>(listKey)?.pages[0]?.items[0]?.status).toBe("ok");
    merger.dispose();
  });

  it("refetches everything on resync and resumes from its id", async () => {
    client.setQueryData(hostKeys.list({}), { pages: [page([host(1)])], pageParams: [null] });
    const merger = new CacheMerger(client, () => 0);
    merger.handle({ type: "hello", lastEventId: 1 });
    merger.handle({ type: "resync", lastEventId: 900 });
    expect(client.getQueryState(hostKeys.list({}))?.isInvalidated).toBe(true);
    expect(merger.since).toBe(900);
    merger.dispose();
  });

  it("on the first hello, refreshes only data fetched before the connection opened", () => {
    client.setQueryData(summaryKeys.all, { n: 0 }, { updatedAt: 1_000 });
    client.setQueryData(hostKeys.detail("late"), {}, { updatedAt: 3_000 });
    const merger = new CacheMerger(client, () => 2_000);
    merger.handle({ type: "hello", lastEventId: 7 });
    expect(client.getQueryState(summaryKeys.all)?.isInvalidated).toBe(true);
    expect(client.getQueryState(hostKeys.detail("late"))?.isInvalidated).toBe(false);
    expect(merger.since).toBe(7);
    merger.dispose();
  });

  it("invalidates every task view once per burst of task.updated, without touching host data", async () => {
    client.setQueryData(taskKeys.detail(4), { id: 4 });
    client.setQueryData(taskKeys.forHost("h1.contoso.com"), null);
    const stopSummary = await observe(summaryKeys.all);
    const merger = new CacheMerger(client, () => 0);
    merger.handle({ type: "hello", lastEventId: 1 });
    merger.handle({ type: "task.updated", id: 2, at: "", taskId: 4, hostFqdn: "h1.contoso.com" });
    merger.handle({ type: "task.updated", id: 3, at: "", taskId: 5, hostFqdn: "h2.contoso.com" });
    expect(client.getQueryState(taskKeys.detail(4))?.isInvalidated).toBe(false);
    await vi.advanceTimersByTimeAsync(300);
    expect(client.getQueryState(taskKeys.detail(4))?.isInvalidated).toBe(true);
    expect(client.getQueryState(taskKeys.forHost("h1.contoso.com"))?.isInvalidated).toBe(true);
    expect(summaryFetches).toBe(1); // no host changed: the summary stays
    expect(merger.since).toBe(3);
    stopSummary();
    merger.dispose();
  });
});

describe("isStreamMessage", () => {
  it("accepts task.updated with its ids and rejects it without them", () => {
    expect(isStreamMessage({ type: "task.updated", id: 3, at: "", taskId: 4, hostFqdn: "a.b" })).toBe(true);
    expect(isStreamMessage({ type: "task.updated", id: 3, at: "", hostFqdn: "a.b" })).toBe(false);
    expect(isStreamMessage({ type: "task.updated", id: 3, taskId: 4 })).toBe(false);
    expect(isStreamMessage({ type: "nope", id: 1 })).toBe(false);
  });
});

/** Stands in for the browser's WebSocket: records the URLs opened and lets the test play the server. */
class FakeSocket {
  static opened: FakeSocket[] = [];
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }
  close(): void {}
  deliver(message: StreamMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  closedByServer(code: number, reason = ""): void {
    this.onclose?.({ code, reason });
  }
}

describe("LiveStream closes", () => {
  let client: QueryClient;
  let merger: CacheMerger;
  let stream: LiveStream;
  const latest = () => FakeSocket.opened.at(-1) as FakeSocket;

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.opened = [];
    vi.stubGlobal("WebSocket", FakeSocket);
    vi.stubGlobal("window", new EventTarget());
    vi.stubGlobal("document", Object.assign(new EventTarget(), { visibilityState: "visible" }));
    client = new QueryClient({ defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY } } });
    let openedAt = 0;
    merger = new CacheMerger(client, () => openedAt);
    // Wired as LiveUpdatesProvider wires them.
    stream = new LiveStream({
      url: "ws://web/api/v1/stream",
      onMessage: (message) => merger.handle(message),
      onState: () => {},
      since: () => {
        openedAt = Date.now();
        return merger.since;
      },
      onClose: (action) => merger.handleClose(action),
    });
    stream.start();
    latest().deliver({ type: "hello", lastEventId: 40 });
    latest().deliver({ type: "host.updated", id: 41, at: "", host: host(1) });
  });

  afterEach(() => {
    stream.stop();
    merger.dispose();
    client.clear();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it("maps the contract's close codes to what the tab must do", () => {
    expect(closeAction(1013)).toBe("resync");
    expect(closeAction(4401)).toBe("session");
    expect(closeAction(1001)).toBe("reconnect");
    expect(closeAction(1006)).toBe("reconnect");
  });

  it("resumes with since after an ordinary drop", async () => {
    latest().closedByServer(1006);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(latest().url).toBe("ws://web/api/v1/stream?since=41");
  });

  it("after 1013 (fell behind) reconnects without since and refetches what was fetched before", async () => {
    client.setQueryData(summaryKeys.all, { n: 1 });
    latest().closedByServer(1013, "resync: client fell behind");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(FakeSocket.opened).toHaveLength(2);
    expect(latest().url).toBe("ws://web/api/v1/stream");
    expect(client.getQueryState(summaryKeys.all)?.isInvalidated).toBe(false);
    latest().deliver({ type: "hello", lastEventId: 900 });
    expect(client.getQueryState(summaryKeys.all)?.isInvalidated).toBe(true);
    expect(merger.since).toBe(900);
  });

  it("after 4401 (session ended or changed) rechecks every query, the session among them", async () => {
    client.setQueryData(sessionKeys.current(), { user: { role: "operator" } });
    client.setQueryData(summaryKeys.all, { n: 1 });
    latest().closedByServer(4401, "session ended: role changed");
    expect(client.getQueryState(sessionKeys.current())?.isInvalidated).toBe(true);
    expect(client.getQueryState(summaryKeys.all)?.isInvalidated).toBe(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(latest().url).toBe("ws://web/api/v1/stream?since=41"); // the new role resumes where it was
  });
});
