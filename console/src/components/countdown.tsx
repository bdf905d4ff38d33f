import { useEffect, useState } from 'preact/hooks';

export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function remaining(untilIso: string, now: number): string {
  const seconds = Math.round((Date.parse(untilIso) - now) / 1000);
  if (seconds <= 0) return 'expired';
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m}:${String(s).padStart(2, '0')}`;
}

/** Time left until an instant, ticking each second. */
export function Countdown({ until }: { until: string }) {
  const now = useNow();
  return <time dateTime={until}>{remaining(until, now)}</time>;
}
