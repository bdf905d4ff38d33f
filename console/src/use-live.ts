import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from './app-context.js';
import { POLL_SECONDS } from './components/live-badge.js';
import { type Followed, type LevelFigures, type LiveFeed, type LiveState, openLiveFeed } from './live.js';

/**
 * Follows the given levels (or topics, such as a whole location) on the live feed; while the feed is not live (none on this server, lost, or refused),
 * calls `reload` every few seconds instead, so the page never shows figures older than that. Returns the feed's
 * state for the page to say which it is.
 */
export function useLiveLevels(
  levels: readonly Followed[],
  onFigures: (sku: string, locationId: string, figures: LevelFigures) => void,
  reload: () => void,
): { state: LiveState; why: string | undefined } {
  const { config, session } = useApp();
  const [state, setState] = useState<{ state: LiveState; why: string | undefined }>({
    state: 'connecting',
    why: undefined,
  });
  const feed = useRef<LiveFeed | null>(null);
  const handlers = useRef({ onFigures, reload });
  handlers.current = { onFigures, reload };
  useEffect(() => {
    const opened = openLiveFeed(
      config.liveUrl,
      session.token,
      (sku, locationId, figures) => handlers.current.onFigures(sku, locationId, figures),
      (s, why) => setState({ state: s, why }),
    );
    feed.current = opened;
    return () => opened.close();
  }, [config.liveUrl, session.token]);
  const key = levels.map((l) => ('topic' in l ? l.topic : `${l.sku}@${l.locationId}`)).join(',');
  useEffect(() => feed.current?.follow(levels), [key]);
  useEffect(() => {
    if (state.state === 'live') return;
    const timer = setInterval(() => handlers.current.reload(), POLL_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [state.state]);
  return state;
}
