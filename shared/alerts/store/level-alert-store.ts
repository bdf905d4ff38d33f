import type { LocationId, Sku } from '../../kernel/identifiers.js';
import type { AlertObservation, LevelAlert, ThresholdEvent } from '../domain/level-alert.js';

/** Storage of each level's recorded alert state (low, out), the one decision of a threshold crossing. */
export interface LevelAlertStore {
  /** The recorded alert state of a level (strongly consistent). */
  getLevelAlert(sku: Sku, locationId: LocationId): Promise<LevelAlert | null>;
  /**
   * Records a new alert state, compare-and-set on the version of the one it replaces (null: none yet);
   * false when another observation was recorded meanwhile.
   */
  putLevelAlert(
    observation: AlertObservation,
    events: readonly ThresholdEvent[],
    replacesVersion: number | null,
  ): Promise<boolean>;
}
