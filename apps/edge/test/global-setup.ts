/**
 * vitest globalSetup for the edge project (runs in Node, not workerd): starts the
 * local SaaS stand-in (test/saas-server.ts) and provides its URL as "saasUrl",
 * which vitest.config.ts binds into the worker as SAAS_URL.
 */
import type { TestProject } from "vitest/node";
import { startSaasServer } from "./saas-server";

declare module "vitest" {
  export interface ProvidedContext {
    saasUrl: string;
  }
}

export default async function setup({ provide }: Pick<TestProject, "provide">): Promise<() => Promise<void>> {
  const server = await startSaasServer();
  provide("saasUrl", server.url);
  return async () => {
    await server.close();
  };
}
