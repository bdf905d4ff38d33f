import type { ComponentChildren } from 'preact';
import { useApp } from '../app-context.js';
import type { Session } from '../session.js';

/** A page the caller's role may not use is not shown, and says so: the API would refuse it anyway. */
export function Guard({
  allows,
  who,
  children,
}: {
  allows: (s: Session) => boolean;
  who: string;
  children: ComponentChildren;
}) {
  const { session } = useApp();
  if (allows(session)) return <>{children}</>;
  return (
    <main id="main" tabIndex={-1}>
      <h1>Not available to you</h1>
      <p role="alert">
        This page is for {who}. You are signed in as {session.sub} ({session.roles.join(', ') || 'no role'}).
      </p>
    </main>
  );
}
