/**
 * The real local platform as the platform tests and the pipeline benchmarks boot it: `bun scripts/dev.ts`
 * (the supervisor of `bun run dev`) with its own ports and state dir, and origin transcoders started
 * beside it. Node APIs only.
 */
import { devVar } from "./dev-vars";
import { freePort, type ProcessGroup, startGroup, until } from "./processes";

/** The last line of the supervisor's banner: everything is up. */
export const READY_BANNER = "Press Ctrl-C to stop everything.";

export interface LocalPlatform extends ProcessGroup {
  base: string;
  /**
   * The payments sandbox (`http://127.0.0.1:<port>`). Known at once with `sandboxPort`; otherwise the
   * sandbox picked a free port itself and this reads it from the supervisor's banner, so it is
   * available after `platformReady` (reading it earlier throws).
   */
  readonly sandboxUrl: string;
}

export interface PlatformOptions {
  stateDir: string;
  /** Edge port (freePort()). */
  port: number;
  /** The supervisor's own origin's port, needed also with MARQUEE_ORIGIN=0. */
  originPort: number;
  /** The payments sandbox's port (freePort()); unset: the sandbox binds any free port. */
  sandboxPort?: number;
  /** MARQUEE_ORIGIN, MARQUEE_DEMO, MARQUEE_EDGE_VARS, SANDBOX_RETRY_DELAYS_MS, markers… (scripts/dev.ts). */
  env?: Record<string, string>;
}

/** The banner's sandbox row: `  Payments sandbox http://127.0.0.1:8791/`. */
const SANDBOX_ROW = /Payments sandbox\s+(http:\/\/[^\s/]+)/;

/** Starts `bun scripts/dev.ts` in its own process group; wait for it with `platformReady`. */
export function startLocalPlatform(options: PlatformOptions): LocalPlatform {
  const group = startGroup(["bun", "scripts/dev.ts"], {
    env: {
      PORT: String(options.port),
      ORIGIN_PORT: String(options.originPort),
      // 0: the sandbox binds a free port itself (no race between picking a port and binding it).
      PAYMENTS_SANDBOX_PORT: String(options.sandboxPort ?? 0),
      MARQUEE_STATE_DIR: options.stateDir,
      NO_COLOR: "1",
      ...options.env,
    },
  });
  const fixed = options.sandboxPort ? `http://127.0.0.1:${options.sandboxPort}` : undefined;
  return {
    ...group,
    base: `http://127.0.0.1:${options.port}`,
    get sandboxUrl(): string {
      if (fixed) return fixed;
      const url = SANDBOX_ROW.exec(group.output())?.[1];
      if (!url)
        throw new Error("the payments sandbox's URL is known once the platform is ready (platformReady)");
      return url;
    },
  };
}

/** Resolves once the supervisor printed its banner; fails with the tail of its output otherwise. */
export async function platformReady(p: ProcessGroup, ms = 170_000): Promise<void> {
  try {
    await until("the supervisor to print its URLs", ms, () => {
      if (p.child.exitCode !== null) throw new Error(`bun scripts/dev.ts exited with ${p.child.exitCode}`);
      return p.output().includes(READY_BANNER);
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- dev output ---\n${p.output().slice(-8000)}`);
  }
}

export interface OriginOptions {
  edgeUrl: string;
  workDir: string;
  port?: number;
  /** Added to the origin's environment (markers, ORIGIN_HOST…). */
  env?: Record<string, string>;
}

export interface OriginProcess extends ProcessGroup {
  port: number;
}

/** Starts one origin transcoder (one job at a time) against a local edge. */
export async function startOrigin(options: OriginOptions): Promise<OriginProcess> {
  const port = options.port ?? (await freePort());
  const group = startGroup(["bun", "apps/origin-transcoder/src/main.ts"], {
    env: {
      APP_ENV: "development",
      EDGE_URL: options.edgeUrl,
      ORIGIN_TOKEN: devVar("ORIGIN_TOKEN"),
      ORIGIN_HOST: "127.0.0.1",
      ORIGIN_PORT: String(port),
      ORIGIN_CONCURRENCY: "1",
      ORIGIN_WORK_DIR: options.workDir,
      ...options.env,
    },
  });
  return { ...group, port };
}
