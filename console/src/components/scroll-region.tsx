import type { ComponentChildren } from 'preact';

/**
 * A table that may scroll sideways on a narrow screen: focusable, so that a keyboard user can scroll it too
 * (WCAG 2.1.1; axe's scrollable-region-focusable), and named for screen readers.
 */
export function ScrollRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section class="table-wrap" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
