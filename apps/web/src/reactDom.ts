/**
 * React DOM's client, imported by main.tsx through this module, which vite.config.ts puts in React
 * DOM's chunk. React DOM is CommonJS, so the bundle runs its body when a module first requires it:
 * from here, that is when public/boot.js evaluates this chunk, in a task of its own, rather than
 * inside the app's entry (Total Blocking Time).
 */
export { createRoot } from "react-dom/client";
