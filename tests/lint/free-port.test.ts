// freePort (scripts/lib/processes.ts): the ports the platform tests and the dev supervisor bind a
// moment after asking must not be ones the kernel hands to anyone else meanwhile.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { freePort, portIsFree } from "../../scripts/lib/processes";

/** Linux's ephemeral range, where listen(0) and outgoing connections get their ports. */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/);
    return [Number(low), Number(high)];
  } catch {
    return [32768, 60999]; // Linux's default
  }
}

describe("freePort", () => {
  it("hands out free ports below the ephemeral range, never the same one twice", async () => {
    const [low] = ephemeralRange();
    const ports: number[] = [];
    for (let i = 0; i < 60; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(1024);
      // Below the ephemeral range, where there is room for it (Linux's default starts at 32768).
      if (low >= 21_000) expect(port).toBeLessThan(low);
      expect(await portIsFree(port)).toBe(true);
    }
  });
});
