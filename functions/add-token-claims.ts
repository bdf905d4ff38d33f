import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { LOCATIONS_CLAIM, ROLES, ROLES_CLAIM } from '../shared/platform/http/caller.js';

/** The user attribute that lists a warehouse user's locations, separated by spaces or commas. */
export const LOCATIONS_ATTRIBUTE = 'custom:locations';

/**
 * Cognito's pre-token-generation trigger (V2): puts the claims the API reads into the access token: `roles`
 * from the user's groups (only the API's roles) and `locations` from the user's `custom:locations` attribute.
 * The API Gateway JWT authorizer then passes them to the handlers, where shared/platform/http/caller.ts reads them.
 */
export async function handler(
  event: PreTokenGenerationV2TriggerEvent,
): Promise<PreTokenGenerationV2TriggerEvent> {
  const groups = event.request.groupConfiguration.groupsToOverride ?? [];
  const roles = groups.filter((g) => (ROLES as readonly string[]).includes(g));
  const locations = (event.request.userAttributes[LOCATIONS_ATTRIBUTE] ?? '').split(/[\s,]+/).filter(Boolean);
  // Space-separated lists: API Gateway hands every claim to the handlers as a string anyway, and the claims
  // module reads `a b` lists as it reads arrays.
  event.response = {
    claimsAndScopeOverrideDetails: {
      accessTokenGeneration: {
        claimsToAddOrOverride: { [ROLES_CLAIM]: roles.join(' '), [LOCATIONS_CLAIM]: locations.join(' ') },
      },
    },
  };
  return event;
}
