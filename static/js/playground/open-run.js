// Opening /runs/{id}: the saved run continues as a new session (POST /api/runs/{id}/sessions), so the
// boundary and the loss curves are exactly those saved, and pressing play trains on from the saved epoch.

import { runsApi } from '../runs/api.js';
import { stateFromConfig } from '../runs/run-state.js';

// → { session, state (the playground's, before normalising), history (the saved loss curves) }
export async function openRun(runId, options) {
  const session = await runsApi.continueRun(runId);
  const losses = await runsApi.history(session.id).catch(() => null);
  return { session, state: stateFromConfig(options, session.config), history: losses };
}
