import type { LevelFigures, ServerMessage } from './messages.js';

/**
 * The client's side of the protocol, as a pure reducer (docs/live.md shows the same rule in a browser): per
 * topic and level (by location on a SKU's or a level's topic, by SKU on a location's), keep the figures of the
 * highest `version` seen; anything older or equal is dropped. Deltas
 * may arrive twice or out of order, before or after the snapshot: whatever the order, the view ends with the
 * figures of the newest version of each level.
 */
export interface LocationFigures {
  readonly available: number;
  readonly version: number;
  /** Every bucket, on a level's topic. */
  readonly level?: LevelFigures;
}

const isLocationTopic = (topic: string) => topic.startsWith('location:');

export class LiveView {
  private readonly topics = new Map<string, Map<string, LocationFigures>>();

  /** Applies a server message; true when it changed the view. */
  apply(message: ServerMessage): boolean {
    if (message.type === 'snapshot') {
      if ('locations' in message) {
        let changed = this.topics.has(message.topic) ? false : this.ensure(message.topic) !== null;
        for (const l of message.locations)
          changed =
            this.offer(message.topic, l.locationId, { available: l.available, version: l.version }) ||
            changed;
        return changed;
      }
      if ('levels' in message) {
        let changed = this.topics.has(message.topic) ? false : this.ensure(message.topic) !== null;
        for (const l of message.levels) changed = this.offerLevel(message.topic, l.sku, l.level) || changed;
        return changed;
      }
      return this.offerLevel(message.topic, message.locationId, message.level);
    }
    if (message.type === 'delta') {
      if ('level' in message)
        return this.offerLevel(
          message.topic,
          isLocationTopic(message.topic) ? message.sku : message.locationId,
          message.level,
        );
      return this.offer(message.topic, message.locationId, {
        available: message.available,
        version: message.version,
      });
    }
    if (message.type === 'unsubscribed') return this.topics.delete(message.topic);
    return false;
  }

  /** The figures of one location of a topic (of one SKU on a location's topic), or undefined. */
  get(topic: string, locationOrSku: string): LocationFigures | undefined {
    return this.topics.get(topic)?.get(locationOrSku);
  }

  /** The sum of a topic's available units over its locations. */
  total(topic: string): number {
    let sum = 0;
    for (const figures of this.topics.get(topic)?.values() ?? []) sum += figures.available;
    return sum;
  }

  locations(topic: string): ReadonlyMap<string, LocationFigures> {
    return this.topics.get(topic) ?? new Map();
  }

  private ensure(topic: string): Map<string, LocationFigures> {
    let locations = this.topics.get(topic);
    if (!locations) {
      locations = new Map();
      this.topics.set(topic, locations);
    }
    return locations;
  }

  private offerLevel(topic: string, part: string, level: LevelFigures): boolean {
    return this.offer(topic, part, { available: level.available, version: level.version, level });
  }

  private offer(topic: string, part: string, figures: LocationFigures): boolean {
    const parts = this.ensure(topic);
    const known = parts.get(part);
    if (known && known.version >= figures.version) return false;
    parts.set(part, figures);
    return true;
  }
}
