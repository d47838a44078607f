/**
 * Checks that every refused attempt left its targets exactly as they were. Domain files register
 * them with `afterRefusals` when the matrix test imports them; the test runs them after the
 * refusals and before the owners' legitimate requests (which may change those very targets).
 * A module of its own, importing no domain file, so domain files can use it without a cycle.
 */
const checks: { name: string; check: () => Promise<void> }[] = [];

export function afterRefusals(name: string, check: () => Promise<void>): void {
  checks.push({ name, check });
}

export const untouchedChecks: readonly { name: string; check: () => Promise<void> }[] = checks;
