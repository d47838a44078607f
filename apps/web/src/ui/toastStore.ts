/** The toasts on screen, kept outside React so `toast()` works from anywhere (no hook needed). */
import { useSyncExternalStore } from "react";
import type { Tone } from "./Badge";

export interface ToastOptions {
  title: string;
  description?: string;
  tone?: Tone;
  /** One button in the toast ("Undo", "View"). */
  action?: { label: string; onClick: () => void };
  /** Milliseconds before it goes (default 5000). */
  duration?: number;
}

export interface ShownToast extends ToastOptions {
  id: number;
  open: boolean;
}

let toasts: ShownToast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
function set(next: ShownToast[]) {
  toasts = next;
  for (const listener of listeners) listener();
}

/** Shows a toast (from anywhere, no hook needed): `toast({ title: t("liked"), tone: "success" })`. */
export function toast(options: ToastOptions): number {
  const id = nextId++;
  set([...toasts.slice(-2), { ...options, id, open: true }]);
  return id;
}

export function dismissToast(id: number): void {
  set(toasts.map((t) => (t.id === id ? { ...t, open: false } : t)));
  // Let the closing animation run, then forget it.
  setTimeout(() => set(toasts.filter((t) => t.id !== id)), 300);
}

/** The same, as a hook, for components that prefer one. */
export function useToast() {
  return { toast, dismiss: dismissToast };
}

/** The toasts on screen, for the Toaster. */
export function useToasts(): ShownToast[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => toasts,
  );
}
