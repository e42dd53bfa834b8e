import type { HostListItem, HostPage, STREAM_CLOSE, StreamMessage } from "@certfleet/contracts";
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { certificateKeys, hostKeys, ruleKeys, summaryKeys, taskKeys } from "./query-keys";

/** Live updates over `GET /api/v1/stream` (a WebSocket through the same-origin proxy). */
export type LiveState = "connecting" | "connected" | "reconnecting";

const MIN_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

/** Exponential backoff with jitter (half fixed, half random) so reconnecting tabs do not stampede. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, MIN_DELAY_MS * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

export function isStreamMessage(value: unknown): value is StreamMessage {
  if (typeof value !== "object" || value === null) return false;
  const message = value as {
    type?: unknown;
    id?: unknown;
    lastEventId?: unknown;
    host?: unknown;
    taskId?: unknown;
    hostFqdn?: unknown;
  };
  switch (message.type) {
    case "hello":
    case "resync":
      return typeof message.lastEventId === "number";
    case "host.updated":
      return typeof message.id === "number" && typeof message.host === "object" && message.host !== null;
    case "task.updated":
      return (
        typeof message.id === "number" &&
        typeof message.taskId === "number" &&
        typeof message.hostFqdn === "string"
      );
    default:
      return false;
  }
}

/**
 * What a closed stream asks of the tab (close codes in @certfleet/contracts):
 * - resync: the server dropped us for reading too slowly; events were lost, so refetch everything
 *   and reconnect without ?since;
 * - session: the session ended or changed (sign-out, disabled, new role); recheck it, which sends
 *   a signed-out user to sign in and refreshes a changed role's data;
 * - reconnect: anything else (network, restart); resume with ?since.
 */
export type StreamCloseAction = "resync" | "session" | "reconnect";

/** The contract's close codes, copied (the bundle imports contract types only); `satisfies` keeps them equal. */
const CLOSE = {
  goingAway: 1001,
  overCapacity: 1008,
  fellBehind: 1013,
  sessionEnded: 4401,
} as const satisfies typeof STREAM_CLOSE;

export function closeAction(code: number): StreamCloseAction {
  if (code === CLOSE.fellBehind) return "resync";
  if (code === CLOSE.sessionEnded) return "session";
  return "reconnect";
}

export interface LiveStreamOptions {
  /** Absolute ws(s):// URL of the stream, without `since`. */
  url: string;
  onMessage: (message: StreamMessage) => void;
  onState: (state: LiveState) => void;
  /** Called on every (re)connection with the last event id seen, to resume from. */
  since: () => number | null;
  /** Called when the server closes the stream, before reconnecting. */
  onClose?: (action: StreamCloseAction) => void;
}

/**
 * One WebSocket with reconnects. Framework-free: the React provider owns one per tab.
 * Resumes with `since=<last id seen>` so the server replays what this tab missed (or says resync).
 */
export class LiveStream {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private everConnected = false;

  constructor(private readonly options: LiveStreamOptions) {}

  start(): void {
    this.stopped = false;
    window.addEventListener("online", this.reconnectNow);
    document.addEventListener("visibilitychange", this.onVisibility);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("online", this.reconnectNow);
    document.removeEventListener("visibilitychange", this.onVisibility);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, "page closed");
  }

  private connect(): void {
    if (this.stopped) return;
    this.options.onState(this.everConnected ? "reconnecting" : "connecting");
    const since = this.options.since();
    const url = since === null ? this.options.url : `${this.options.url}?since=${since}`;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (event) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(String(event.data));
      } catch {
        return; // not ours to interpret; keep the connection
      }
      if (!isStreamMessage(parsed)) return;
      if (parsed.type === "hello") {
        // Connected for real only once the server has spoken: the upgrade alone proves little.
        this.attempt = 0;
        this.everConnected = true;
        this.options.onState("connected");
      }
      this.options.onMessage(parsed);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return; // superseded or stopped
      this.socket = null;
      this.options.onClose?.(closeAction(event.code));
      this.scheduleReconnect();
    };
    // An error is always followed by close; reconnecting happens there.
    socket.onerror = () => {};
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    this.options.onState(this.everConnected ? "reconnecting" : "connecting");
    const delay = backoffDelay(this.attempt++);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  /** The network came back or the tab became visible: no reason to sit out the backoff. */
  private readonly reconnectNow = () => {
    if (this.stopped || this.socket) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.attempt = 0;
    this.connect();
  };

  private readonly onVisibility = () => {
    if (document.visibilityState === "visible") this.reconnectNow();
  };
}

type HostListData = InfiniteData<HostPage, unknown> | HostPage;

function replaceInPage(page: HostPage, host: HostListItem): HostPage {
  const index = page.items.findIndex((item) => item.id === host.id);
  if (index < 0) return page;
  const items = page.items.slice();
  items[index] = host;
  return { ...page, items };
}

/** The cached list with `host`'s row replaced; the same object when the host is not in it. */
export function replaceHost<T extends HostListData | undefined>(data: T, host: HostListItem): T {
  if (!data) return data;
  if ("pages" in data) {
    let changed = false;
    const pages = data.pages.map((page) => {
      const next = replaceInPage(page, host);
      if (next !== page) changed = true;
      return next;
    });
    return (changed ? { ...data, pages } : data) as T;
  }
  return replaceInPage(data, host) as T;
}

const SETTLE_MS = 250;
const MAX_WAIT_MS = 1_000;

/**
 * Applies stream messages to the react-query cache. Rows are replaced at once (cheap, exact);
 * everything derived — the summary, lists whose membership may change, the host's detail, rules
 * and certificates — is invalidated after the burst settles (250 ms, at most 1 s late), so a
 * thousand reports cause one refetch, not a thousand. Task changes carry no row to merge: every
 * task view (all under `taskKeys.all`) is invalidated once per burst, the same way.
 */
export class CacheMerger {
  private lastEventId: number | null = null;
  private pendingHosts = new Set<string>();
  private pendingHostEvents = false;
  private pendingTasks = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private firstPendingAt = 0;

  constructor(
    private readonly queryClient: QueryClient,
    /** Time the current connection was opened; data fetched before it may have missed events. */
    private readonly connectedSince: () => number,
  ) {}

  get since(): number | null {
    return this.lastEventId;
  }

  handle(message: StreamMessage): void {
    switch (message.type) {
      case "hello":
        if (this.lastEventId === null) {
          // First connection: anything fetched before the socket opened may predate an event.
          const openedAt = this.connectedSince();
          void this.queryClient.invalidateQueries({
            predicate: (query) => query.state.dataUpdatedAt > 0 && query.state.dataUpdatedAt < openedAt,
          });
          this.lastEventId = message.lastEventId;
        } else if (message.lastEventId < this.lastEventId) {
          // The server knows less than we do (another database, restored backup): start over.
          this.lastEventId = message.lastEventId;
          void this.queryClient.invalidateQueries();
        }
        return;
      case "resync":
        this.lastEventId = message.lastEventId;
        this.cancelPending();
        void this.queryClient.invalidateQueries();
        return;
      case "host.updated":
        if (this.lastEventId !== null && message.id <= this.lastEventId) return; // replayed twice
        this.lastEventId = message.id;
        this.queryClient.setQueriesData<HostListData>({ queryKey: hostKeys.lists() }, (data) =>
          replaceHost(data, message.host),
        );
        this.pendingHostEvents = true;
        this.pendingHosts.add(message.host.fqdn);
        this.schedule();
        return;
      case "task.updated":
        if (this.lastEventId !== null && message.id <= this.lastEventId) return; // replayed twice
        this.lastEventId = message.id;
        this.pendingTasks = true;
        this.schedule();
        return;
    }
  }

  /** Acts on how the stream closed (see StreamCloseAction). */
  handleClose(action: StreamCloseAction): void {
    if (action === "resync") {
      // Forget the cursor: the next hello counts as a first connection, which refetches every
      // query fetched before it, and no replay is asked for.
      this.lastEventId = null;
      this.cancelPending();
    } else if (action === "session") {
      // The session query among them: a 401 sends the user to sign in (query-client.ts).
      void this.queryClient.invalidateQueries();
    }
  }

  dispose(): void {
    this.cancelPending();
  }

  private schedule(): void {
    const now = Date.now();
    if (this.timer) clearTimeout(this.timer);
    else this.firstPendingAt = now;
    const wait = Math.max(0, Math.min(SETTLE_MS, this.firstPendingAt + MAX_WAIT_MS - now));
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private cancelPending(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pendingHosts.clear();
    this.pendingHostEvents = false;
    this.pendingTasks = false;
  }

  private flush(): void {
    this.timer = null;
    const hosts = [...this.pendingHosts];
    const hostEvents = this.pendingHostEvents;
    const tasks = this.pendingTasks;
    this.pendingHosts.clear();
    this.pendingHostEvents = false;
    this.pendingTasks = false;
    const client = this.queryClient;
    if (tasks) void client.invalidateQueries({ queryKey: taskKeys.all });
    if (!hostEvents) return;
    void client.invalidateQueries({ queryKey: summaryKeys.all });
    // Filters and sort may change which hosts a list holds: refetch the lists on screen, mark the rest stale.
    void client.invalidateQueries({ queryKey: hostKeys.lists() });
    for (const fqdn of hosts) void client.invalidateQueries({ queryKey: hostKeys.detail(fqdn) });
    void client.invalidateQueries({ queryKey: ruleKeys.all });
    void client.invalidateQueries({ queryKey: certificateKeys.all });
  }
}
