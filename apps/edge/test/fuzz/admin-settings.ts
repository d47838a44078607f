/**
 * Legitimate requests of the admin's configuration and user routes for the fuzz test (see
 * stateful.ts); the fuzz test sends /api/v1/admin/* with the admin's token. PUT /admin/config needs
 * the current version (a schema sample's `ifVersion` is a 409), and saving `{}` puts the defaults
 * back, undoing whatever a generated valid value changed. The suspension is of a throwaway account,
 * so the world's accounts stay signed in.
 */
import { apiJson, seedAccount } from "../harness";
import type { World } from "./stateful";

interface StatefulCase {
  body: unknown;
  token?: string;
  path?: string;
}

export const ADMIN_SETTINGS_STATEFUL: Record<string, (w: World) => Promise<StatefulCase>> = {
  "PUT /api/v1/admin/config": async (w) => {
    const { version } = await apiJson<{ version: number }>("/api/v1/admin/config", 200, {
      token: w.admin.accessToken,
    });
    return { body: { value: {}, ifVersion: version, reason: "fuzz" }, token: w.admin.accessToken };
  },
  "POST /api/v1/admin/config/rollback": async (w) => ({
    body: { version: 0, reason: "fuzz" },
    token: w.admin.accessToken,
  }),
  "PUT /api/v1/admin/users/{userId}/suspension": async (w) => {
    const target = await seedAccount({ tag: "fuzzsuspend" });
    return {
      path: `/api/v1/admin/users/${target.accountId}/suspension`,
      body: { suspended: true, reason: "fuzz" },
      token: w.admin.accessToken,
    };
  },
};
