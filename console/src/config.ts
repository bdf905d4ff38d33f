/** What the console is told about where it runs: written by `npm start` locally, by the Console stack in the cloud. */
export interface DemoCaller {
  readonly label: string;
  readonly token: string;
}

export interface ConsoleConfig {
  /** The API's base URL; empty for the origin the console is served from (locally). */
  readonly apiUrl: string;
  /** The live feed's WebSocket URL, or null where there is none. */
  readonly liveUrl: string | null;
  readonly auth:
    | {
        /** Sign in with a bearer token: locally, or in the cloud with an external identity provider. */
        readonly kind: 'token';
        /** The local demo roles' tokens; null when not offered (paste a token then). */
        readonly demoCallers: readonly DemoCaller[] | null;
      }
    | {
        readonly kind: 'cognito';
        /** The hosted UI's base URL, e.g. https://inventory-dev.auth.eu-central-1.amazoncognito.com */
        readonly domain: string;
        readonly clientId: string;
      };
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('./config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json answered ${response.status}`);
  return (await response.json()) as ConsoleConfig;
}
