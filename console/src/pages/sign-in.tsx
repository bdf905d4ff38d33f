import { useState } from 'preact/hooks';
import type { ConsoleConfig } from '../config.js';
import { type Session, sessionFromToken, startHostedSignIn } from '../session.js';

/** Locally: the demo roles' tokens (or a pasted one). In the cloud: the identity provider's hosted sign-in. */
export function SignIn({
  config,
  onSignedIn,
  error,
}: {
  config: ConsoleConfig;
  onSignedIn: (s: Session) => void;
  error?: string | null;
}) {
  const [pasted, setPasted] = useState('');
  const [invalid, setInvalid] = useState(false);
  const signInWith = (token: string) => {
    const session = sessionFromToken(token);
    setInvalid(!session);
    if (session) onSignedIn(session);
  };
  return (
    <main id="main" tabIndex={-1}>
      <h1>Sign in to the inventory console</h1>
      {error ? (
        <div class="problem" role="alert">
          {error}
        </div>
      ) : null}
      {config.auth.kind === 'cognito' ? (
        <p>
          <button
            type="button"
            onClick={() => config.auth.kind === 'cognito' && void startHostedSignIn(config.auth)}
          >
            Sign in
          </button>
        </p>
      ) : (
        <>
          {config.auth.demoCallers ? (
            <>
              <h2>Demo callers of this local service</h2>
              <ul class="roles">
                {config.auth.demoCallers.map((c) => (
                  <li key={c.label}>
                    <button type="button" onClick={() => signInWith(c.token)}>
                      {c.label}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>The demo tokens are offered only on the machine that runs the service.</p>
          )}
          <h2>Or paste a token</h2>
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              signInWith(pasted);
            }}
          >
            <label>
              Bearer token (JWT)
              <input
                value={pasted}
                onInput={(e) => setPasted(e.currentTarget.value)}
                autoComplete="off"
                size={40}
              />
            </label>
            <button type="submit">Sign in with this token</button>
          </form>
          {invalid ? (
            <div class="problem" role="alert">
              That is not a token this console can read.
            </div>
          ) : null}
        </>
      )}
    </main>
  );
}
