import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The text of docs/events.md. */
export const eventsDoc = readFileSync(
  fileURLToPath(new URL('../../docs/events.md', import.meta.url)),
  'utf8',
);

/** The first ```json block of each `### Name` section of docs/events.md, parsed. */
export function documentedExamples(doc = eventsDoc): Map<string, unknown> {
  const examples = new Map<string, unknown>();
  const sections = doc.split(/^### /m).slice(1);
  for (const section of sections) {
    const name = section.slice(0, section.indexOf('\n')).trim();
    const body = section.split(/^## /m)[0] ?? '';
    const json = /```json\n([\s\S]*?)\n```/.exec(body)?.[1];
    if (json !== undefined) examples.set(name, JSON.parse(json));
  }
  return examples;
}

/** The event pattern of each consumer bullet (`- **Name**`) of the `## Consumers` section, parsed. */
export function documentedConsumerPatterns(doc = eventsDoc): Map<string, unknown> {
  const patterns = new Map<string, unknown>();
  const section = doc.split(/^## Consumers$/m)[1] ?? '';
  for (const bullet of section.split(/^- /m).slice(1)) {
    const name = /^\*\*(.+?)\*\*/.exec(bullet)?.[1];
    const json = /```json\n([\s\S]*?)\n\s*```/.exec(bullet)?.[1];
    if (name !== undefined && json !== undefined) patterns.set(name, JSON.parse(json));
  }
  return patterns;
}
