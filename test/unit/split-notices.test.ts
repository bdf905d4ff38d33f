import { describe, expect, it } from 'vitest';
import { announcedSplit, buildContentionAdd } from '../../shared/platform/store/contention.js';
import { SplitNotices } from '../../shared/platform/store/split-notices.js';

const T = 'inventory';

/** Notices on a clock moved by hand. */
function noticesAt(start: number) {
  let now = start;
  const notices = new SplitNotices(() => now, 1_000);
  return { notices, advance: (ms: number) => (now += ms) };
}

describe('split notices', () => {
  it('knows nothing of a level no split was announced for', () => {
    // Prepare
    const { notices } = noticesAt(0);
    notices.learn(T, 'A', 'WH-1', 2, 20_000);

    // Act
    const pending = notices.pending(T, 'B', 'WH-1');

    // Assess
    expect(pending).toBeUndefined();
  });

  it('says the shard map is due at once, then at most once a second', () => {
    // Prepare
    const { notices, advance } = noticesAt(0);
    notices.learn(T, 'A', 'WH-1', 4, 20_000);

    // Act
    const first = notices.pending(T, 'A', 'WH-1');
    advance(999);
    const soon = notices.pending(T, 'A', 'WH-1');
    advance(1);
    const second = notices.pending(T, 'A', 'WH-1');

    // Assess
    expect([first, soon, second]).toEqual([
      { to: 4, due: true },
      { to: 4, due: false },
      { to: 4, due: true },
    ]);
  });

  it('drops a notice at its expiry, so that a job that died costs only the notice time', () => {
    // Prepare
    const { notices, advance } = noticesAt(0);
    notices.learn(T, 'A', 'WH-1', 2, 20_000);

    // Act
    advance(20_000);

    // Assess
    expect(notices.pending(T, 'A', 'WH-1')).toBeUndefined();
  });

  it('keeps its wait when the same split is learned again, and starts over for a new one', () => {
    // Prepare
    const { notices } = noticesAt(0);
    notices.learn(T, 'A', 'WH-1', 2, 20_000);
    notices.pending(T, 'A', 'WH-1');

    // Act
    notices.learn(T, 'A', 'WH-1', 2, 20_000);
    const same = notices.pending(T, 'A', 'WH-1');
    notices.learn(T, 'A', 'WH-1', 4, 25_000);
    const next = notices.pending(T, 'A', 'WH-1');

    // Assess
    expect(same).toEqual({ to: 2, due: false });
    expect(next).toEqual({ to: 4, due: true });
  });

  it('forgets a level, and keeps the levels of other tables apart', () => {
    // Prepare
    const { notices } = noticesAt(0);
    notices.learn(T, 'A', 'WH-1', 2, 20_000);
    notices.learn('other', 'A', 'WH-1', 8, 20_000);

    // Act
    notices.forget(T, 'A', 'WH-1');

    // Assess
    expect(notices.pending(T, 'A', 'WH-1')).toBeUndefined();
    expect(notices.pending('other', 'A', 'WH-1')).toEqual({ to: 8, due: true });
  });
});

describe('the contention flush as the notices channel', () => {
  it('asks for the whole item back, where the job announces a split', () => {
    // Act
    const request = buildContentionAdd(T, 'A', 'WH-1', 3, 1_000);

    // Assess
    expect(request.ReturnValues).toBe('ALL_NEW');
  });

  it('reads a current announcement, and none from an expired or absent one', () => {
    // Act
    const current = announcedSplit({ contended: 9, splitTo: 8, splitUntil: 21_000 }, 1_000);
    const expired = announcedSplit({ contended: 9, splitTo: 8, splitUntil: 1_000 }, 1_000);
    const none = announcedSplit({ contended: 9 }, 1_000);

    // Assess
    expect(current).toEqual({ to: 8, until: 21_000 });
    expect(expired).toBeNull();
    expect(none).toBeNull();
  });
});
