/**
 * The live feed (docs/live.md): one WebSocket per page, `?token=` on connect, `{action:'subscribe', sku, locationId}`
 * per level followed, or `{action:'subscribe', topic:'location:{id}'}` for every level of a location; the server
 * answers a snapshot (a location's in pages of levels), then pushes a delta with a level's figures after each
 * change. Every figure carries the level's `version`: a message older than what the page has is dropped.
 */
export interface LevelFigures {
  readonly onHand: number;
  readonly reserved: number;
  readonly committed: number;
  readonly unavailable: number;
  readonly safetyStock: number;
  readonly incoming: number;
  readonly available: number;
  readonly version: number;
}

export type LiveState = 'off' | 'connecting' | 'live' | 'lost';

/** What a page follows: one level, or a topic by its key (`location:{locationId}`: its every level). */
export type Followed = { readonly sku: string; readonly locationId: string } | { readonly topic: string };

export interface LiveFeed {
  /** Follows levels or topics (replacing the ones followed before); `onLevel` gets each level's snapshot and delta. */
  follow(levels: readonly Followed[]): void;
  close(): void;
}

interface LevelMessage {
  readonly type: 'snapshot' | 'delta' | 'error';
  readonly sku?: string;
  readonly locationId?: string;
  readonly level?: LevelFigures;
  /** A location's snapshot page. */
  readonly levels?: readonly { readonly sku: string; readonly level: LevelFigures }[];
  readonly code?: string;
}

export function openLiveFeed(
  liveUrl: string | null,
  token: string,
  onLevel: (sku: string, locationId: string, figures: LevelFigures) => void,
  onState: (state: LiveState, why?: string) => void,
): LiveFeed {
  let followed: Followed[] = [];
  let socket: WebSocket | null = null;
  let closed = false;
  if (!liveUrl) {
    onState('off', 'this server has no live feed');
    return { follow: () => {}, close: () => {} };
  }
  const send = (action: string, level: Followed) =>
    socket?.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ action, ...level }));
  const connect = () => {
    onState('connecting');
    const url = new URL(liveUrl);
    url.searchParams.set('token', token);
    socket = new WebSocket(url.toString());
    socket.onopen = () => {
      onState('live');
      for (const level of followed) send('subscribe', level);
    };
    socket.onmessage = (event) => {
      let message: LevelMessage;
      try {
        message = JSON.parse(String(event.data)) as LevelMessage;
      } catch {
        return;
      }
      if (
        (message.type === 'snapshot' || message.type === 'delta') &&
        message.level &&
        message.sku &&
        message.locationId
      )
        onLevel(message.sku, message.locationId, message.level);
      if (message.type === 'snapshot' && message.levels && message.locationId)
        for (const { sku, level } of message.levels) onLevel(sku, message.locationId, level);
      if (message.type === 'error' && message.code === 'too-many-subscriptions')
        onState('lost', 'too many levels on this page to follow live');
    };
    socket.onclose = () => {
      if (closed) return;
      onState('lost', 'the live feed closed');
      setTimeout(() => !closed && connect(), 5000);
    };
  };
  connect();
  return {
    follow(levels) {
      for (const level of followed) send('unsubscribe', level);
      followed = [...levels];
      for (const level of followed) send('subscribe', level);
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}
