import type { LiveState } from '../live.js';

export const POLL_SECONDS = 5;

/** Says whether the figures on the page follow the live feed or are refreshed by polling, and why. */
export function LiveBadge({ state, why }: { state: LiveState; why?: string | undefined }) {
  const text =
    state === 'live'
      ? 'Live: figures update as they change'
      : `Live feed ${state === 'connecting' ? 'connecting' : 'not available'}${why ? ` (${why})` : ''}: refreshing every ${POLL_SECONDS} s`;
  return (
    <p class={`live${state === 'live' ? ' on' : ''}`} role="status">
      {text}
    </p>
  );
}
