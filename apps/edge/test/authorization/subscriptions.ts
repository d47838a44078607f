/** Authorisation-matrix entries of the subscriptions domain (see matrix.ts). */
import type { MatrixEntry } from "./matrix";

export const SUBSCRIPTIONS_ENTRIES: MatrixEntry[] = [];

/** Mutating subscriptions operations anyone may call, and why. */
export const SUBSCRIPTIONS_PUBLIC_OPERATIONS: Record<string, string> = {};
