import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api.js';
import type { ConsoleConfig } from './config.js';
import type { Session } from './session.js';

export interface AppContext {
  readonly config: ConsoleConfig;
  readonly session: Session;
  readonly api: ApiClient;
  signOut(): void;
}

export const App = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const app = useContext(App);
  if (!app) throw new Error('useApp outside the signed-in console');
  return app;
}
