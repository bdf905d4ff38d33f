import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';

/**
 * The time one API request has left, carried through its asynchronous calls (AsyncLocalStorage), so that the
 * one DynamoDB client of the process can bound each call of this request without the store's methods passing a
 * signal around. Outside a request (stream consumers, scheduled jobs) there is no deadline and calls are not
 * bounded by one.
 */
export interface RequestDeadline {
  /** Aborts the request's SDK calls: `sdkMarginMs` before the function's deadline. */
  readonly signal: AbortSignal;
  /** True while a write of this request is in flight, and once one may have been applied (not refused). */
  readonly mayHaveWritten: () => boolean;
  /**
   * Records that a write is sent; the returned function records that it ended, and whether it may have been
   * applied (it may be called again to say so once the failure is explained).
   */
  readonly writeSent: () => (mayHaveApplied: boolean) => void;
  /** Milliseconds left before the request's SDK calls are aborted (a retry that would not fit is not made). */
  readonly remainingMs: () => number;
}

/** SDK calls give up this long before the function's deadline, so the handler still has time to answer. */
export const SDK_MARGIN_MS = 1_000;
/** The handler answers at the latest this long before the function's deadline (Lambda kills it at the deadline). */
export const ANSWER_MARGIN_MS = 500;

/** SDK calls one request may have in flight at once before Node warns of a listener leak on its signal. */
const MAX_CALLS_IN_FLIGHT = 100;

const storage = new AsyncLocalStorage<RequestDeadline>();

export function currentDeadline(): RequestDeadline | undefined {
  return storage.getStore();
}

/** What `withDeadline` rejects with when the handler has not answered by its answer deadline. */
export class AnswerDeadlineReached extends Error {
  constructor(readonly mayHaveWritten: boolean) {
    super('the request reached its answer deadline');
    this.name = 'AnswerDeadlineReached';
  }
}

/**
 * Runs `work` with a deadline `remainingMs` from now: its SDK calls are aborted `SDK_MARGIN_MS` before it, and
 * if `work` has still not settled `ANSWER_MARGIN_MS` before it, this rejects with AnswerDeadlineReached (the
 * work goes on, unobserved: its outcome is unknown).
 */
export async function withDeadline<T>(remainingMs: number, work: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  // Each SDK call in flight listens on the signal until its socket closes; a request's reads fan out (a caller's
  // reservations query 8 partitions at once, and each page may batch-read), and Node warns past 10 listeners.
  setMaxListeners(MAX_CALLS_IN_FLIGHT, controller.signal);
  let applied = false;
  let inFlight = 0;
  const abortAt = Date.now() + Math.max(0, remainingMs - SDK_MARGIN_MS);
  const deadline: RequestDeadline = {
    signal: controller.signal,
    mayHaveWritten: () => applied || inFlight > 0,
    writeSent: () => {
      inFlight++;
      let ended = false;
      return (mayHaveApplied) => {
        if (!ended) inFlight--;
        ended = true;
        if (mayHaveApplied) applied = true;
      };
    },
    remainingMs: () => Math.max(0, abortAt - Date.now()),
  };
  const abortTimer = setTimeout(
    () => controller.abort(new Error('the request deadline is near')),
    Math.max(0, remainingMs - SDK_MARGIN_MS),
  );
  let answerTimer: NodeJS.Timeout | undefined;
  const answerDeadline = new Promise<never>((_, reject) => {
    answerTimer = setTimeout(
      () => reject(new AnswerDeadlineReached(deadline.mayHaveWritten())),
      Math.max(0, remainingMs - ANSWER_MARGIN_MS),
    );
  });
  try {
    return await Promise.race([storage.run(deadline, work), answerDeadline]);
  } finally {
    clearTimeout(abortTimer);
    clearTimeout(answerTimer);
  }
}

/** Runs `work` outside any request: its calls are neither bounded by nor counted as the request's (background work). */
export function outsideRequest<T>(work: () => T): T {
  return storage.exit(work);
}
