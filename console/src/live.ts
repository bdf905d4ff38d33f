/**
 * The live feed (docs/live.md): one WebSocket per page, `?token=` on connect, `{action:'subscribe', sku, locationId}`
 * per level followed; the server answers a snapshot, then pushes a delta with the level's figures after each
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

export interface LiveFeed {
  /** Follows levels (replacing the ones followed before); `onLevel` gets each snapshot and delta. */
  follow(levels: readonly { sku: string; locationId: string }[]): void;
  close(): void;
}

interface LevelMessage {
  readonly type: 'snapshot' | 'delta' | 'error';
  readonly sku?: string;
  readonly locationId?: string;
  readonly level?: LevelFigures;
  readonly code?: string;
}

export function openLiveFeed(
  liveUrl: string | null,
  token: string,
  onLevel: (sku: string, locationId: string, figures: LevelFigures) => void,
  onState: (state: LiveState, why?: string) => void,
): LiveFeed {
  let followed: { sku: string; locationId: string }[] = [];
  let socket: WebSocket | null = null;
  let closed = false;
  if (!liveUrl) {
    onState('off', 'this server has no live feed');
    return { follow: () => {}, close: () => {} };
  }
  const send = (action: string, level: { sku: string; locationId: string }) =>
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
